#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

class QIODevice;

namespace parley::cli {

// Writes table rows to a device as they come: NDJSON (one compact object per line), CSV
// (RFC 4180: header row, CRLF line ends, quoted where needed) or JSON (one array, written
// by finish()). Every row is flushed at once so that a pipe sees it immediately.
class RowWriter
{
public:
    enum class Format
    {
        Ndjson,
        Csv,
        Json
    };

    static std::optional<Format> parseFormat(const QString &name);
    // One CSV field, quoted if it contains a comma, a quote, CR or LF (quotes doubled).
    static QString csvField(const QString &value);
    static QByteArray csvLine(const QStringList &cells);

    RowWriter(Format format, QIODevice *out, QStringList columns);

    // `object` is used by NDJSON and JSON, `cells` (in column order) by CSV.
    void write(const QJsonObject &object, const QStringList &cells);
    // Ends the output (writes the header alone if no row came, or the JSON array).
    void finish();
    int rowCount() const { return m_rows; }

private:
    void put(const QByteArray &bytes);
    void writeHeaderOnce();

    Format m_format;
    QIODevice *m_out;
    QStringList m_columns;
    QJsonArray m_collected;
    bool m_headerWritten = false;
    int m_rows = 0;
};

} // namespace parley::cli
