#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/NewConversation.h"
#include "core/Turn.h"
#include "net/HttpClient.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <chrono>

class QTimer;

namespace parley {

class Provider;
class ReplyStream;
class TranscriptController;

// Runs one reply at a time for the conversation open in a TranscriptController (a sent
// message, or a started conversation) and applies its ReplyStream to that controller's
// TranscriptModel as it grows.
//
// - Turns are applied at most once per applyInterval(): updates arriving in between are
//   merged, the latest snapshot of each turn wins, so a reply streamed token by token costs
//   one model change per interval, not one per token.
// - A reply belongs to its conversation: when the transcript opens another conversation
//   (or another provider), the stream is dropped on the spot and nothing of it reaches the
//   model again. The platform's run is not stopped by that; cancel() does that.
// - accepted() says the platform took the message (its run started, it answered or the reply
//   completed): only then may a composer forget the text. A reply that fails before that
//   leaves the transcript as it was and reports the text as not sent.
// - cancel() asks the platform to stop the run and shows "Canceling…" until it confirms: the
//   stream ends, or the platform accepted the request and the stream did not end within
//   cancelGrace() (it is then closed). The conversation is then fetched again to show its
//   final state.
// - A platform with no transcript endpoint (no Capabilities::Transcript) would lose the
//   replies on the next fetch; the turns of its accepted replies are kept for the session and
//   shown again whenever that conversation is loaded.
class ReplyController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)

public:
    enum class State
    {
        Idle,
        Streaming, // sent, or being answered
        Canceling, // the user asked to stop; waiting for the platform to confirm
    };
    Q_ENUM(State)

    static constexpr std::chrono::milliseconds kDefaultApplyInterval{30};
    static constexpr std::chrono::milliseconds kDefaultCancelGrace{3000};

    // `transcript` is not owned and must outlive this controller.
    explicit ReplyController(TranscriptController *transcript, QObject *parent = nullptr);
    ~ReplyController() override;

    // Sends `text` to the conversation open in the transcript and streams the reply into it.
    // False (nothing sent, `whyNot` set) when no conversation is loaded, a reply is running,
    // the text is empty or the platform does not offer sending.
    bool send(const QString &text, QString *whyNot = nullptr);
    // Why send(text) would refuse now, in words for a tooltip; empty when it would send. The
    // composer enables Send by it, so the button and send() never disagree.
    QString whyNotSend(const QString &text) const;
    // Starts a conversation: the transcript is closed, then shows the new conversation as
    // soon as the platform gives its id (conversationStarted()), with its first reply.
    bool start(const NewConversation &request, QString *whyNot = nullptr);
    // Listens to a reply already running on the platform for the open conversation, from a
    // Provider::attachReply() stream (a reply started elsewhere, or one Parley started before
    // it was closed). Nothing of the user's is at stake: it counts as accepted from the start.
    // False (the stream is deleted) when no conversation is loaded or a reply is running.
    bool follow(ReplyStream *stream);
    // The running (or last) reply is one follow() took up, not one this window sent.
    bool isFollowed() const { return m_followed; }
    // Asks the platform to stop the running reply (Capabilities::Cancel). Does nothing when
    // idle, already canceling or the conversation's id is not known yet.
    void cancel();
    // Stops listening to the running reply, without a finished() signal: the platform goes
    // on with it. Its turns stay as they were last applied.
    void drop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state != State::Idle; }
    // A start() whose conversation id is not known yet.
    bool isStarting() const { return isRunning() && m_starting && m_conversationId.isEmpty(); }
    // The platform has taken the running reply's message.
    bool isAccepted() const { return m_accepted; }
    // The running (or last) reply's conversation; empty before a started one has its id.
    QString conversationId() const { return m_conversationId; }
    // The running (or last) reply's message.
    QString text() const { return m_text; }
    // What the running reply is doing ("Sending…", "Thinking…", the platform's own words,
    // "Canceling…"); empty when idle.
    QString statusText() const { return m_status; }
    // How the last reply ended: None when complete, Canceled when the user canceled it,
    // otherwise the error.
    const ApiError &error() const { return m_error; }

    std::chrono::milliseconds applyInterval() const { return m_applyInterval; }
    void setApplyInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds cancelGrace() const { return m_cancelGrace; }
    void setCancelGrace(std::chrono::milliseconds grace);

signals:
    void stateChanged();
    void statusTextChanged(const QString &text);
    // A started conversation's id is known; it is now the transcript's open conversation.
    void conversationStarted(const parley::Conversation &summary);
    // The platform took `text` for `conversationId`.
    void accepted(const QString &conversationId, const QString &text);
    // The reply ended (see error()). `accepted` false: `text` was not sent.
    void finished(const QString &conversationId, const QString &text, const parley::ApiError &error,
                  bool accepted);
    // Where the running reply could be taken up again (ReplyStream::resumePoint()).
    void resumePointChanged(const QString &conversationId, const QString &point);
    // The platform refused to cancel; the reply goes on.
    void cancelFailed(const parley::ApiError &error);

private:
    // One turn to put in the model: replaces the row `replaces` if there is one, else the
    // row with the turn's own id, else appended.
    struct Entry
    {
        Turn turn;
        QString replaces;
    };
    static void merge(QList<Entry> &entries, const Turn &turn, const QString &replacesId);

    Provider *provider() const;
    bool hasTranscript() const;
    void attach(ReplyStream *stream, bool accepted = false);
    void detach();
    void onConversationChanged(const Conversation &summary);
    void onTurnChanged(const Turn &turn, const QString &replacesId);
    void onStatusChanged(const QString &text);
    void onFinished(const ApiError &error);
    void onCancelAnswer(quint64 ticket, const ApiError &error);
    void onTranscriptStateChanged();
    void onTranscriptLoaded(const QString &id);
    void markAccepted();
    void settleOpenTurns(const ApiError &error);
    void scheduleFlush();
    void flush();
    void applyEntries(const QList<Entry> &entries);
    bool appliesToTranscript() const;
    void restoreTranscript();
    void setState(State state);
    void updateStatus();

    TranscriptController *m_transcript;
    QPointer<ReplyStream> m_stream;
    QPointer<Provider> m_streamProvider;
    State m_state = State::Idle;
    QString m_conversationId;
    QString m_text;
    QString m_platformStatus;
    QString m_status;
    ApiError m_error;
    bool m_starting = false;
    bool m_followed = false;
    QString m_followTakesOver; // follow(): the draft turn its stream's reply replaces
    bool m_accepted = false;
    bool m_answering = false; // an answer turn has arrived

    QList<Entry> m_pending;                      // not applied yet
    QList<Entry> m_applied;                      // every turn of the running reply, as last seen
    QHash<QString, QList<Entry>> m_sessionTurns; // conversation id → turns (no transcript)
    QTimer *m_flushTimer;
    QTimer *m_graceTimer;
    std::chrono::milliseconds m_applyInterval = kDefaultApplyInterval;
    std::chrono::milliseconds m_cancelGrace = kDefaultCancelGrace;
    quint64 m_cancelTicket = 0;
    RequestHandle m_cancelHandle;
};

} // namespace parley
