#pragma once

#include "providers/ReplyStream.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace parley::test {

// Everything one ReplyStream reports, collected from the moment it is watched (right after
// the call that returned it, before any signal can have been emitted).
class StreamWatch : public QObject
{
    Q_OBJECT
public:
    explicit StreamWatch(ReplyStream *stream);

    // Waits until the stream finished; false when it did not within `timeoutMs`.
    bool waitFinished(int timeoutMs = 20000);
    // Waits until the reply itself has started (an assistant turn arrived) or the stream
    // finished; false on timeout.
    bool waitReplyStarted(int timeoutMs = 10000);

    ReplyStream *stream() const { return m_stream; }
    bool finished() const { return m_finished; }
    const ApiError &error() const { return m_error; }
    QString conversationId() const { return m_conversationId; }
    const QList<Turn> &turns() const { return m_turns; } // in the order they were reported
    bool hasAssistantTurn() const;

private:
    QPointer<ReplyStream> m_stream;
    bool m_finished = false;
    ApiError m_error;
    QString m_conversationId;
    QList<Turn> m_turns;
};

} // namespace parley::test
