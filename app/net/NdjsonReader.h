#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace parley {

// One line of a newline-delimited JSON stream: its value, or (when `error` is set) why the
// line could not be read.
struct NdjsonLine
{
    qsizetype number = 0; // 1-based line number in the stream (blank lines count)
    QJsonValue value;
    QString error; // non-empty: the line was skipped, later lines are still read

    bool isError() const { return !error.isEmpty(); }
    bool operator==(const NdjsonLine &other) const = default;
};

// An incremental NDJSON parser (Fixie's streamed snapshots), fed with the body's bytes in
// pieces of any size: the lines it returns are the same for every way the stream is split.
// One JSON value per line; \r\n is accepted; blank lines are skipped; a line that is not
// JSON is reported with its number and the stream goes on. A line longer than
// `maxLineBytes` is reported and skipped without being buffered.
class NdjsonReader
{
public:
    static constexpr qsizetype kDefaultMaxLineBytes = 8 * 1024 * 1024;

    explicit NdjsonReader(qsizetype maxLineBytes = kDefaultMaxLineBytes);

    // The lines completed by these bytes, in stream order.
    QList<NdjsonLine> feed(QByteArrayView bytes);
    // End of the stream: a last line without its '\n' is read too.
    QList<NdjsonLine> finish();

    // Bytes held for the line in progress (bounded by maxLineBytes).
    qsizetype bufferedBytes() const { return m_line.size(); }

private:
    void endLine(QList<NdjsonLine> &out);

    qsizetype m_maxLineBytes;
    QByteArray m_line;
    qsizetype m_number = 1;  // of the line being read
    bool m_skipping = false; // the current line is too long: dropped up to its '\n'
};

} // namespace parley
