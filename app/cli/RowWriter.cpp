#include "cli/RowWriter.h"

#include <QFileDevice>
#include <QIODevice>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parley::cli {

std::optional<RowWriter::Format> RowWriter::parseFormat(const QString &name)
{
    if (name == "ndjson"_L1)
        return Format::Ndjson;
    if (name == "csv"_L1)
        return Format::Csv;
    if (name == "json"_L1)
        return Format::Json;
    return std::nullopt;
}

QString RowWriter::csvField(const QString &value)
{
    const bool needsQuotes = value.contains(u',') || value.contains(u'"') ||
                             value.contains(u'\n') || value.contains(u'\r');
    if (!needsQuotes)
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

QByteArray RowWriter::csvLine(const QStringList &cells)
{
    QStringList fields;
    fields.reserve(cells.size());
    for (const QString &cell : cells)
        fields << csvField(cell);
    return fields.join(u',').toUtf8() + "\r\n";
}

RowWriter::RowWriter(Format format, QIODevice *out, QStringList columns)
    : m_format(format)
    , m_out(out)
    , m_columns(std::move(columns))
{}

void RowWriter::put(const QByteArray &bytes)
{
    m_out->write(bytes);
    if (auto *file = qobject_cast<QFileDevice *>(m_out))
        file->flush();
}

void RowWriter::writeHeaderOnce()
{
    if (m_format != Format::Csv || m_headerWritten)
        return;
    m_headerWritten = true;
    put(csvLine(m_columns));
}

void RowWriter::write(const QJsonObject &object, const QStringList &cells)
{
    ++m_rows;
    switch (m_format) {
    case Format::Ndjson:
        put(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
        break;
    case Format::Csv:
        writeHeaderOnce();
        put(csvLine(cells));
        break;
    case Format::Json:
        m_collected.append(object);
        break;
    }
}

void RowWriter::finish()
{
    if (m_format == Format::Csv)
        writeHeaderOnce();
    else if (m_format == Format::Json)
        put(QJsonDocument(m_collected).toJson(QJsonDocument::Indented));
}

} // namespace parley::cli
