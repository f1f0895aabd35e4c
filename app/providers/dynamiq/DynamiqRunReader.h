#pragma once

#include "core/ApiError.h"
#include "core/Turn.h"
#include "net/SseReader.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace parley::dynamiq {

// Reads the Server-Sent Events of one Dynamiq run (the answer to
// POST /v3/conversations/{id}/messages) into the assistant's turn. Pure: no I/O, no
// signals; the provider feeds it the SseReader's events and passes on what each one changed.
//
// Every event's data is an envelope {"id", "type", "sequence", "timestamp", "data": {...}}:
//   run.started                 the run object: its id becomes runId(); status "Thinking…"
//   agent.reasoning.delta       status "Thinking…" (the reasoning text is not shown)
//   agent.response.delta        data.delta, accumulated in `sequence` order into one turn
//   agent.tool_call.completed   data.tool{name,type}, data.input, data.result: a ToolCall
//                               and ToolResult fragment pair, placed by `sequence` too
//   agent.human_feedback.requested, approval_request.created: a status line (Parley cannot
//                               answer them)
//   run.completed               the turn is Done; the run's `output`, when it has text, is
//                               the final word and replaces the streamed text
//   run.failed                  the turn is Error; the run ends with a Server error whose
//                               detail is the failure
//   run.canceled                the turn is Stopped; the run ends without an error (the
//                               stop was asked for: it is an outcome, not a failure)
// Unknown event types are skipped; an event seen twice (same envelope id) counts once.
// Events after the terminal one are ignored. A skipped SSE event (too large, cut off), an
// envelope that is not JSON or has a field of the wrong type ends the run with BadResponse.
class RunReader
{
public:
    // What one event (or the end of the stream) changed.
    struct Step
    {
        bool runChanged = false;       // runId() became known
        std::optional<QString> status; // a new status line; "" clears it
        bool turnChanged = false;      // turn() is worth showing (again)
        bool ended = false;            // the run is over: finish with `error`
        ApiError error;                // when ended: None, or what ended it
    };

    // `replyTo`: the id of the user's turn being answered. `fallbackId`: the assistant
    // turn's id if content arrives before the run's id (the turn id never changes once
    // shown). `startedAt`: the turn's time when the events carry none.
    RunReader(QString replyTo, QString fallbackId, QDateTime startedAt);

    Step feed(const SseEvent &event);
    // The stream ended: a run without its terminal event was cut off (BadResponse).
    Step end();
    // The connection failed before the run ended: the turn shown so far becomes an Error
    // and the run ends with `error`.
    Step interrupt(const ApiError &error);

    const Turn &turn() const { return m_turn; }
    QString runId() const { return m_runId; }
    // The highest event sequence read so far.
    qint64 lastSequence() const { return m_lastSequence; }
    bool isOver() const { return m_over; }
    // The assistant's turn has been reported at least once.
    bool turnShown() const { return m_shown; }

    static QString thinkingStatus();

private:
    // One piece of the reply, in `sequence` order (ties keep arrival order).
    struct Piece
    {
        qint64 sequence = 0;
        bool isText = true;
        QString text;    // isText
        Fragment call;   // !isText
        Fragment result; // !isText
    };

    void add(Piece piece);
    void appendFragments(const Piece &piece);
    void rebuildFragments();
    void ensureTurn(const QDateTime &at);
    Step setStatus(Step step, const QString &text);
    Step fail(const QString &detail)
    {
        return interrupt(ApiError::make(ApiError::Kind::BadResponse, detail));
    }
    Step terminal(const QString &type, const QJsonObject &data);

    QString m_replyTo;
    QString m_fallbackId;
    QDateTime m_startedAt;
    QString m_runId;
    QString m_status;
    Turn m_turn;
    QList<Piece> m_pieces;
    QSet<QString> m_seenIds;
    qint64 m_lastSequence = 0;
    int m_toolCalls = 0;
    bool m_over = false;
    bool m_shown = false;
};

} // namespace parley::dynamiq
