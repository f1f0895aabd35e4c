#pragma once

#include "controllers/PollPace.h"
#include "core/ApiError.h"
#include "net/HttpClient.h"
#include "providers/FollowPlan.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>

namespace parley {

class ReplyController;
class TranscriptController;

// Follows the conversation open in a TranscriptController while the platform says it is
// running, so that a reply written elsewhere grows on screen without F5, and stops it on
// request. What the platform offers (Provider::followPlan()) decides how:
// - Attach: once per open, Provider::attachReply() gives a stream that ReplyController::follow()
//   applies like a reply of our own; where the platform refuses (or the stream ends with an
//   error) the conversation is polled instead.
// - Poll: the conversation is fetched again (TranscriptController::refreshSummary(), which
//   replaces the turns only when they changed), first after firstPoll(), then at a pace that
//   doubles while nothing changes, up to longestPoll(), and back to the first as soon as
//   something does.
// - None: nothing is followed; note() says why.
// Following stops when the platform says the conversation stopped running (the last fetch
// shows its final state and updates its list row) or when the view moves on to another
// conversation. A resume point a stream reports (Dynamiq: its run and last event) is kept
// through the store set with setResumeStore(), so a reply Parley started is taken up again
// after a restart; it is forgotten when the reply ends.
class FollowController : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,      // nothing to follow (or following is off)
        Attached,  // a stream of the running reply is applied by the ReplyController
        Polling,   // the conversation is fetched again while it runs
        Canceling, // asked the platform to stop it; waiting for its answer
    };
    Q_ENUM(State)

    static constexpr std::chrono::milliseconds kFirstPoll{1000};
    static constexpr std::chrono::milliseconds kLongestPoll{8000};

    // Neither is owned; both must outlive this controller.
    FollowController(TranscriptController *transcript, ReplyController *replies,
                     QObject *parent = nullptr);

    // Where resume points are kept (conversation id -> point; an empty point removes it).
    using ResumeGet = std::function<QString(const QString &conversationId)>;
    using ResumeSet = std::function<void(const QString &conversationId, const QString &point)>;
    void setResumeStore(ResumeGet get, ResumeSet set);

    // Following is on by default; off stops it and follows nothing until turned on again.
    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }

    State state() const { return m_state; }
    bool isFollowing() const { return m_state != State::Idle; }
    // Why the open conversation is not followed, for the window; empty while following or
    // when nothing is open or it is simply not running.
    QString note() const { return m_note; }
    std::chrono::milliseconds pollInterval() const { return m_pace.interval(); }
    void setPollIntervals(std::chrono::milliseconds first, std::chrono::milliseconds longest);

    // Stopping the open conversation's running reply, whoever started it: through the
    // ReplyController for a reply it runs, else Provider::cancelRun() with the run the last
    // fetch named. whyNotCancel() is empty when cancel() would ask.
    QString whyNotCancel() const;
    bool canCancel() const { return whyNotCancel().isEmpty(); }
    // A stop was asked for and the platform has not answered (or the reply not ended) yet.
    bool isCanceling() const;
    void cancel();

signals:
    void stateChanged();
    // The platform refused to stop the conversation; it goes on.
    void cancelFailed(const parley::ApiError &error);

private:
    void onTranscriptStateChanged();
    void onTranscriptLoaded(const QString &id);
    void onReplyFinished(const QString &conversationId);
    void poll();
    bool tryAttach(const QString &id, const FollowPlan &plan, bool running);
    void startPolling();
    void stop(const QString &note = {});
    void setState(State state);
    QString fingerprint() const; // what the open transcript shows, to see whether it changed

    TranscriptController *m_transcript;
    ReplyController *m_replies;
    ResumeGet m_resumeGet;
    ResumeSet m_resumeSet;
    bool m_enabled = true;
    State m_state = State::Idle;
    QString m_note;
    QString m_openId;     // the conversation this follows (or last looked at)
    QString m_attachedTo; // the open conversation attachReply() was asked for (once per open)
    QString m_lastSeen;   // fingerprint() after the last fetch
    QTimer m_timer;
    PollPace m_pace{kFirstPoll, kLongestPoll};
    quint64 m_cancelTicket = 0;
    RequestHandle m_cancelHandle;
};

} // namespace parley
