#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace parley {

// One Server-Sent Event, or (when `error` is set) the report of one that was skipped.
struct SseEvent
{
    QString type;    // the `event:` field; "message" when the event named none
    QByteArray data; // the `data:` lines joined with '\n' (UTF-8, usually one JSON value)
    QString id;      // the stream's last event id when this event was dispatched
    QString error;   // non-empty: an event was skipped (too large, or cut off by the end)

    bool isError() const { return !error.isEmpty(); }
    bool operator==(const SseEvent &other) const = default;
};

// An incremental text/event-stream parser (the WHATWG HTML "event stream interpretation"),
// fed with the body's bytes in pieces of any size: the events it returns are the same for
// every way the stream is split. Lines end with \n, \r\n or \r; `:` lines are comments
// (keep-alives, heartbeats); one space after the colon is dropped; a line without a colon
// is a field with an empty value; `retry:` and unknown fields are ignored; an event is
// dispatched at a blank line, only if it has data. A leading byte order mark is skipped.
//
// Against hostile streams an event (its data, type and current line) may hold at most
// `maxEventBytes`; a larger one is reported once as an error item and skipped up to its
// blank line, without buffering more of it.
class SseReader
{
public:
    static constexpr qsizetype kDefaultMaxEventBytes = 8 * 1024 * 1024;

    explicit SseReader(qsizetype maxEventBytes = kDefaultMaxEventBytes);

    // The events (and error items) completed by these bytes, in stream order.
    QList<SseEvent> feed(QByteArrayView bytes);
    // End of the stream: an event not closed by a blank line is dropped, as the format
    // says; it is reported as an error item (a stream cut in the middle of an event).
    QList<SseEvent> finish();

    QString lastEventId() const { return QString::fromUtf8(m_lastId); }
    // Bytes held for the event in progress (bounded by maxEventBytes).
    qsizetype bufferedBytes() const { return m_line.size() + m_data.size() + m_type.size(); }

private:
    void appendToLine(const char *bytes, qsizetype size, QList<SseEvent> &out);
    void endLine(QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);
    void clearEvent();

    qsizetype m_maxEventBytes;
    QByteArray m_line; // the line being read (empty while skipping)
    qsizetype m_lineLength = 0;
    QByteArray m_data; // data lines so far, each followed by '\n'
    QByteArray m_type;
    QByteArray m_lastId;
    bool m_afterCR = false;  // the last byte was '\r': a '\n' right after it ends nothing
    bool m_firstLine = true; // where a byte order mark may be
    bool m_skipping = false; // the current event is too large: dropped up to its blank line
};

} // namespace parley
