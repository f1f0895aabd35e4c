#include "net/SseReader.h"

#include "core/TranslationContext.h"

#include <QCoreApplication>

namespace parley {

namespace {

const TranslationContext tr{"parley::SseReader"};

constexpr char kBom[] = "\xEF\xBB\xBF";

} // namespace

SseReader::SseReader(qsizetype maxEventBytes)
    : m_maxEventBytes(qMax<qsizetype>(1, maxEventBytes))
{}

QList<SseEvent> SseReader::feed(QByteArrayView bytes)
{
    QList<SseEvent> out;
    const char *p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    if (m_afterCR && n > 0) {
        m_afterCR = false;
        if (p[0] == '\n')
            i = 1; // the second half of a \r\n split between two pieces
    }
    while (i < n) {
        qsizetype j = i;
        while (j < n && p[j] != '\n' && p[j] != '\r')
            ++j;
        appendToLine(p + i, j - i, out);
        if (j == n)
            break;
        if (p[j] == '\r') {
            if (j + 1 < n) {
                if (p[j + 1] == '\n')
                    ++j;
            } else {
                m_afterCR = true;
            }
        }
        i = j + 1;
        endLine(out);
    }
    return out;
}

QList<SseEvent> SseReader::finish()
{
    QList<SseEvent> out;
    const bool pendingLine = m_lineLength > 0 && !m_line.startsWith(':');
    if (m_skipping || pendingLine || !m_data.isEmpty() || !m_type.isEmpty()) {
        SseEvent e;
        e.error = tr("the stream ended in the middle of an event");
        out.append(e);
    }
    clearEvent();
    m_line.clear();
    m_lineLength = 0;
    m_afterCR = false;
    m_skipping = false;
    return out;
}

void SseReader::appendToLine(const char *bytes, qsizetype size, QList<SseEvent> &out)
{
    if (size == 0)
        return;
    m_lineLength += size;
    if (m_skipping)
        return;
    if (bufferedBytes() + size > m_maxEventBytes) {
        SseEvent e;
        e.error = tr("an event larger than %1 bytes was skipped").arg(m_maxEventBytes);
        out.append(e);
        clearEvent();
        m_line.clear();
        m_skipping = true;
        return;
    }
    m_line.append(bytes, size);
}

void SseReader::endLine(QList<SseEvent> &out)
{
    const bool blank = m_lineLength == 0;
    m_lineLength = 0;
    if (m_skipping) {
        if (blank) { // the end of the oversized event
            m_skipping = false;
            clearEvent();
        }
        m_line.clear();
        return;
    }
    QByteArray line = std::exchange(m_line, QByteArray());
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith(kBom))
            line.remove(0, 3);
    }
    if (line.isEmpty()) {
        // A blank line (even one that held only a byte order mark) ends the event.
        dispatch(out);
        return;
    }
    if (line.startsWith(':'))
        return; // a comment: keep-alive, heartbeat
    QByteArrayView field(line);
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = QByteArrayView(line).first(colon);
        value = QByteArrayView(line).sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == "data") {
        m_data.append(value);
        m_data.append('\n');
    } else if (field == "event") {
        m_type = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastId = value.toByteArray();
    }
    // "retry" (reconnection time) and unknown fields are ignored.
}

void SseReader::dispatch(QList<SseEvent> &out)
{
    if (m_data.isEmpty()) {
        clearEvent(); // no data: nothing to dispatch (the type is forgotten too)
        return;
    }
    m_data.chop(1); // the '\n' after the last data line
    SseEvent e;
    e.type = m_type.isEmpty() ? QStringLiteral("message") : QString::fromUtf8(m_type);
    e.data = std::exchange(m_data, QByteArray());
    e.id = QString::fromUtf8(m_lastId);
    out.append(std::move(e));
    clearEvent();
}

void SseReader::clearEvent()
{
    m_data.clear();
    m_type.clear();
}

} // namespace parley
