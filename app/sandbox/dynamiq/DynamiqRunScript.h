#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace parley::sandbox {

// The Server-Sent Events of one emulated Dynamiq run, the answer to
// POST /v3/conversations/{id}/messages: each frame is `event: <type>` + `data: <envelope>`
// with the envelope {"id", "type", "sequence", "timestamp", "data": {"object": type, ...}}.
//   run.started, agent.reasoning.delta ×3, [agent.tool_call.completed], `: heartbeat`,
//   agent.response.delta word by word, run.completed (data: the run object with `output`).
// The reply comes from (seed, conversation, run number); a tool call is made when the
// message asks to search, find or look something up (so tests can ask for one).
struct DynamiqRunScript
{
    QString runId;
    QString answer;               // the full reply text (what the deltas add up to)
    QList<QByteArray> frames;     // in order, one SSE event (or comment) each
    QList<qint64> nextSequence;   // [i]: the sequence an event sent after i frames would take
    QList<qsizetype> answerAfter; // [i]: characters of `answer` the first i frames hold
    QDateTime startedAt;

    static DynamiqRunScript make(quint32 seed, const QString &conversationId, int runNumber,
                                 const QString &runId, const QString &message,
                                 const QDateTime &startedAt, int intervalMs);

    // The run.canceled event that ends the stream after `framesSent` frames.
    QByteArray canceledFrame(qsizetype framesSent) const;
    // The sequence of frame i: an event's own, the next event's for a comment.
    qint64 sequenceOf(qsizetype frame) const { return nextSequence.value(frame); }
    // The reply text the first `count` frames hold.
    QString answerAfterFrames(qsizetype count) const
    {
        return answer.left(answerAfter.value(qBound<qsizetype>(0, count, answerAfter.size() - 1)));
    }

    // One SSE frame of an event.
    static QByteArray frame(const QString &type, qint64 sequence, const QDateTime &at,
                            const QString &eventId, const QJsonObject &data);
};

} // namespace parley::sandbox
