#include "controllers/FollowController.h"

#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "core/Logging.h"
#include "models/TranscriptModel.h"
#include "providers/Provider.h"

#include <algorithm>

namespace parley {

FollowController::FollowController(TranscriptController *transcript, ReplyController *replies,
                                   QObject *parent)
    : QObject(parent)
    , m_transcript(transcript)
    , m_replies(replies)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FollowController::poll);
    connect(transcript, &TranscriptController::stateChanged, this,
            &FollowController::onTranscriptStateChanged);
    connect(transcript, &TranscriptController::loaded, this, &FollowController::onTranscriptLoaded);
    connect(replies, &ReplyController::finished, this,
            [this](const QString &conversationId, const QString &, const ApiError &error, bool) {
                // A reply that ended (or was canceled) needs no taking up again; one cut off
                // does.
                const bool over = !error.isError() || error.kind == ApiError::Kind::Canceled;
                if (over && m_resumeSet && !conversationId.isEmpty())
                    m_resumeSet(conversationId, QString());
                onReplyFinished(conversationId);
            });
    connect(replies, &ReplyController::resumePointChanged, this,
            [this](const QString &conversationId, const QString &point) {
                if (m_resumeSet)
                    m_resumeSet(conversationId, point);
            });
    connect(replies, &ReplyController::stateChanged, this, [this] {
        if (m_state == State::Attached)
            emit stateChanged(); // isCanceling() and whyNotCancel() follow the reply's state
    });
}

void FollowController::setResumeStore(ResumeGet get, ResumeSet set)
{
    m_resumeGet = std::move(get);
    m_resumeSet = std::move(set);
}

void FollowController::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    if (!enabled) {
        stop();
        return;
    }
    // Take up the open conversation as if it had just been fetched.
    m_attachedTo.clear();
    if (m_transcript->isLoaded())
        onTranscriptLoaded(m_transcript->conversationId());
}

void FollowController::setPollIntervals(std::chrono::milliseconds first,
                                        std::chrono::milliseconds longest)
{
    m_pace.setIntervals(first, longest);
}

void FollowController::onTranscriptStateChanged()
{
    const QString id = m_transcript->conversationId();
    if (id == m_openId)
        return;
    // The view moved on: whatever was followed is not any more; the next open may attach.
    m_openId = id;
    m_attachedTo.clear();
    stop();
}

void FollowController::onTranscriptLoaded(const QString &id)
{
    if (!m_enabled || id.isEmpty() || id != m_transcript->conversationId())
        return;
    m_openId = id;
    if (m_replies->isRunning()) {
        // A reply of this window's, or one already taken up: it shows itself.
        m_timer.stop();
        setState(m_replies->isFollowed() ? State::Attached : State::Idle);
        return;
    }
    const Provider *provider = m_transcript->provider();
    if (!provider)
        return;
    ConversationDetail facts;
    facts.summary = m_transcript->model()->summary();
    facts.running = m_transcript->isRunning();
    facts.runId = m_transcript->runId();
    const FollowPlan plan = provider->followPlan(facts);
    if (tryAttach(id, plan, facts.running))
        return;
    if (!facts.running || plan.way == FollowPlan::Way::None) {
        stop(plan.way == FollowPlan::Way::None ? plan.why : QString());
        return;
    }
    const QString seen = fingerprint();
    if (m_state != State::Polling && m_state != State::Canceling) {
        m_pace.reset();
        setState(State::Polling);
    } else {
        m_pace.looked(seen != m_lastSeen); // it moves: look again soon
    }
    m_lastSeen = seen;
    m_note.clear();
    m_timer.start(m_pace.interval());
}

bool FollowController::tryAttach(const QString &id, const FollowPlan &plan, bool running)
{
    if (m_attachedTo == id)
        return false; // once per open: after that, poll
    const QString resumePoint = m_resumeGet ? m_resumeGet(id) : QString();
    // A reply Parley started is taken up wherever it left off; others only while running.
    if (resumePoint.isEmpty() && (plan.way != FollowPlan::Way::Attach || !running))
        return false;
    m_attachedTo = id;
    Provider *provider = m_transcript->provider();
    ReplyStream *stream = provider ? provider->attachReply(id, resumePoint, m_replies) : nullptr;
    if (!stream || !m_replies->follow(stream))
        return false;
    qCDebug(lcModels) << "following a running reply by its stream";
    m_timer.stop();
    m_note.clear();
    setState(State::Attached);
    return true;
}

void FollowController::onReplyFinished(const QString &conversationId)
{
    if (m_state != State::Attached)
        return;
    // The ReplyController fetches the conversation again: that fetch says whether it still
    // runs (a refused or cut-off stream: poll from here on).
    if (conversationId == m_openId)
        setState(State::Idle);
}

void FollowController::poll()
{
    if (m_state != State::Polling)
        return;
    if (!m_replies->isRunning())
        m_transcript->refreshSummary();
    // Looked at again in any case: a failed fetch tells nothing, the next one may.
    m_timer.start(m_pace.interval());
}

void FollowController::stop(const QString &note)
{
    m_timer.stop();
    ++m_cancelTicket;
    RequestHandle handle = std::exchange(m_cancelHandle, RequestHandle());
    handle.cancel();
    m_pace.reset();
    m_lastSeen.clear();
    const bool noteChanged = note != m_note;
    m_note = note;
    if (m_state != State::Idle)
        setState(State::Idle);
    else if (noteChanged)
        emit stateChanged();
}

void FollowController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged();
}

QString FollowController::whyNotCancel() const
{
    const Provider *provider = m_transcript->provider();
    if (!provider || m_transcript->conversationId().isEmpty())
        return tr("Open a conversation first.");
    if (!provider->capabilities().can(Capabilities::Cancel))
        return tr("This platform does not let Parley stop a running conversation.");
    if (isCanceling() || m_replies->state() == ReplyController::State::Canceling)
        return tr("Canceling…");
    if (m_replies->isRunning())
        return m_replies->conversationId() == m_transcript->conversationId()
                   ? QString()
                   : tr("Another reply is running.");
    if (!m_transcript->isRunning())
        return tr("This conversation is not running.");
    return {};
}

bool FollowController::isCanceling() const
{
    return m_state == State::Canceling ||
           (m_state == State::Attached && m_replies->state() == ReplyController::State::Canceling);
}

void FollowController::cancel()
{
    if (!canCancel())
        return;
    if (m_replies->isRunning()) {
        m_replies->cancel();
        return;
    }
    Provider *provider = m_transcript->provider();
    const QString id = m_transcript->conversationId();
    const State before = m_state;
    setState(State::Canceling);
    const quint64 ticket = ++m_cancelTicket;
    RequestHandle handle = provider->cancelRun(
        id, m_transcript->runId(), this, [this, ticket, before, id](const ApiError &error) {
            if (ticket != m_cancelTicket)
                return;
            m_cancelHandle = {};
            setState(before == State::Polling ? State::Polling : State::Idle);
            if (error.isError()) {
                emit cancelFailed(error);
                return;
            }
            // Show what the platform kept; the fetch says when it has stopped.
            if (m_transcript->conversationId() == id)
                m_transcript->reload();
        });
    if (ticket == m_cancelTicket && m_state == State::Canceling)
        m_cancelHandle = handle;
}

QString FollowController::fingerprint() const
{
    const TranscriptModel *model = m_transcript->model();
    const int rows = model->rowCount();
    const Turn *last = rows > 0 ? model->turnAt(rows - 1) : nullptr;
    if (!last)
        return QString::number(rows);
    return QStringLiteral("%1/%2/%3/%4")
        .arg(rows)
        .arg(last->id)
        .arg(int(last->state))
        .arg(last->plainText().size());
}

} // namespace parley
