#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/Turn.h"
#include "net/HttpClient.h"

#include <QObject>

namespace parley {

// A reply being generated on the platform and streamed to us: the answer to a started
// conversation or to a sent message. Providers create it (parented to the caller's context
// object) and feed it; the caller connects to its signals right after the call that
// returned it: nothing is emitted before that call has returned.
//
// The stream reports the user's own message as a turn too (echoed by the platform or made
// from the request), then the assistant's turns as they grow. A turn with `replacesId` set
// replaces the row with that id (a final message replacing its draft); otherwise a turn
// replaces the row with its own id, or is appended.
//
// `finished` is emitted exactly once: kind None when the reply is complete, Canceled after
// abort(), otherwise the error that ended it (a reply cut off mid-way is BadResponse or
// Network). Destroying the stream closes the connection without emitting anything.
class ReplyStream : public QObject
{
    Q_OBJECT
public:
    explicit ReplyStream(QObject *parent = nullptr);
    ~ReplyStream() override;

    // Known once the platform has said (a started conversation's id may come later).
    QString conversationId() const { return m_conversation.id; }
    const Conversation &conversation() const { return m_conversation; }
    // What Provider::cancelRun() needs to stop this reply on the platform (a run id, the
    // in-progress message id); empty when the platform cancels by conversation or not at all.
    QString runId() const { return m_runId; }
    // Where a later Provider::attachReply() may take up this reply again if it is cut off
    // (Dynamiq: the run and the last event's sequence); empty where the platform has none.
    QString resumePoint() const { return m_resumePoint; }
    bool isFinished() const { return m_finished; }
    const ApiError &error() const { return m_error; }

    // Stops listening: closes the connection and finishes with Kind::Canceled. It does not
    // stop the platform's run; that is Provider::cancelRun().
    void abort();

    // --- for providers ---
    void setRequest(RequestHandle request) { m_request = request; }
    void setConversation(const Conversation &summary);
    void upsertTurn(const Turn &turn, const QString &replacesId = {});
    void setRun(const QString &runId);
    void setResumePoint(const QString &point);
    void setStatus(const QString &text);
    void finish(const ApiError &error = {});
    // finish(error) from the event loop: for errors found before anything was sent.
    void finishLater(const ApiError &error);

signals:
    void conversationChanged(const parley::Conversation &summary);
    void turnChanged(const parley::Turn &turn, const QString &replacesId);
    void runChanged(const QString &runId);
    void resumePointChanged(const QString &point);
    // One line on what the platform is doing ("Thinking…", "Running search…"); empty = none.
    void statusChanged(const QString &text);
    void finished(const parley::ApiError &error);

private:
    RequestHandle m_request;
    Conversation m_conversation;
    QString m_runId;
    QString m_resumePoint;
    ApiError m_error;
    bool m_finished = false;
};

} // namespace parley
