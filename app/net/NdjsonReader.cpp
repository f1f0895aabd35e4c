#include "net/NdjsonReader.h"

#include "core/JsonText.h"
#include "core/TranslationContext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parley {

namespace {

const TranslationContext tr{"parley::NdjsonReader"};

bool isBlank(QByteArrayView line)
{
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

// One JSON value of any kind (QJsonDocument itself takes only objects and arrays).
QJsonValue parseValue(const QByteArray &line, QString *error)
{
    QJsonParseError pe{};
    const QJsonDocument doc = parseJsonText(line, &pe);
    if (pe.error == QJsonParseError::NoError)
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    const QByteArray trimmed = line.trimmed();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
        QJsonParseError scalarError{};
        const QJsonDocument wrapped = parseJsonText('[' + trimmed + ']', &scalarError);
        if (scalarError.error == QJsonParseError::NoError && wrapped.array().size() == 1)
            return wrapped.array().at(0);
    }
    *error = tr("%1 at byte %2").arg(pe.errorString()).arg(pe.offset + 1);
    return {};
}

} // namespace

NdjsonReader::NdjsonReader(qsizetype maxLineBytes)
    : m_maxLineBytes(qMax<qsizetype>(1, maxLineBytes))
{}

QList<NdjsonLine> NdjsonReader::feed(QByteArrayView bytes)
{
    QList<NdjsonLine> out;
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    while (i < n) {
        const qsizetype newline = bytes.indexOf('\n', i);
        const qsizetype end = newline < 0 ? n : newline;
        if (!m_skipping) {
            if (m_line.size() + (end - i) > m_maxLineBytes) {
                NdjsonLine skipped;
                skipped.number = m_number;
                skipped.error = tr("line longer than %1 bytes; skipped").arg(m_maxLineBytes);
                out.append(std::move(skipped));
                m_line.clear();
                m_skipping = true;
            } else {
                m_line.append(bytes.sliced(i, end - i));
            }
        }
        if (newline < 0)
            break;
        endLine(out);
        i = newline + 1;
    }
    return out;
}

QList<NdjsonLine> NdjsonReader::finish()
{
    QList<NdjsonLine> out;
    if (!m_skipping && !m_line.isEmpty())
        endLine(out);
    m_line.clear();
    m_skipping = false;
    return out;
}

void NdjsonReader::endLine(QList<NdjsonLine> &out)
{
    const qsizetype number = m_number++;
    if (std::exchange(m_skipping, false))
        return; // already reported
    const QByteArray line = std::exchange(m_line, QByteArray());
    if (isBlank(line))
        return;
    NdjsonLine result;
    result.number = number;
    QString error;
    result.value = parseValue(line, &error);
    if (!error.isEmpty())
        result.error = tr("line %1: %2").arg(number).arg(error);
    out.append(std::move(result));
}

} // namespace parley
