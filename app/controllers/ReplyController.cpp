#include "controllers/ReplyController.h"

#include "controllers/TranscriptController.h"
#include "core/Logging.h"
#include "models/TranscriptModel.h"
#include "providers/Provider.h"
#include "providers/ReplyStream.h"
#include "rules/InputRules.h"

#include <QTimer>

namespace parley {

ReplyController::ReplyController(TranscriptController *transcript, QObject *parent)
    : QObject(parent)
    , m_transcript(transcript)
    , m_flushTimer(new QTimer(this))
    , m_graceTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(m_applyInterval);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        // The throttle window is over: apply what arrived meanwhile and open a new window,
        // or let the next turn be applied at once.
        if (!m_pending.isEmpty()) {
            flush();
            m_flushTimer->start();
        }
    });
    m_graceTimer->setSingleShot(true);
    m_graceTimer->setInterval(m_cancelGrace);
    connect(m_graceTimer, &QTimer::timeout, this, [this] {
        // The platform accepted the cancel but the stream did not end: stop listening.
        if (m_stream && m_state == State::Canceling)
            m_stream->abort();
    });
    connect(m_transcript, &TranscriptController::stateChanged, this,
            &ReplyController::onTranscriptStateChanged);
    connect(m_transcript, &TranscriptController::loaded, this,
            &ReplyController::onTranscriptLoaded);
}

ReplyController::~ReplyController()
{
    detach();
    m_cancelHandle.cancel();
}

void ReplyController::setApplyInterval(std::chrono::milliseconds interval)
{
    m_applyInterval = interval;
    m_flushTimer->setInterval(interval);
}

void ReplyController::setCancelGrace(std::chrono::milliseconds grace)
{
    m_cancelGrace = grace;
    m_graceTimer->setInterval(grace);
}

Provider *ReplyController::provider() const
{
    return m_transcript->provider();
}

bool ReplyController::hasTranscript() const
{
    const Provider *p = m_streamProvider ? m_streamProvider.data() : provider();
    return p && p->capabilities().can(Capabilities::Transcript);
}

QString ReplyController::whyNotSend(const QString &text) const
{
    const Provider *p = provider();
    if (!p)
        return tr("No workspace is open.");
    if (!p->capabilities().can(Capabilities::Send))
        return tr("This platform does not take messages from Parley.");
    const QString id = m_transcript->conversationId();
    if (id.isEmpty() || !m_transcript->isLoaded())
        return tr("Open a conversation first.");
    if (isRunning())
        return m_conversationId == id
                   ? tr("Wait for the reply to end, or cancel it: it is still running.")
                   : tr("Another reply is still running.");
    if (text.trimmed().isEmpty())
        return tr("Write a message first.");
    return InputRules::checkMessageLength(p->capabilities(), text);
}

bool ReplyController::send(const QString &text, QString *whyNot)
{
    const QString why = whyNotSend(text);
    if (!why.isEmpty()) {
        if (whyNot)
            *whyNot = why;
        return false;
    }
    const QString id = m_transcript->conversationId();
    Provider *p = provider();
    m_starting = false;
    m_followed = false;
    m_conversationId = id;
    m_text = text;
    attach(p->sendMessage(id, text, this));
    return true;
}

bool ReplyController::follow(ReplyStream *stream)
{
    const QString id = m_transcript->conversationId();
    if (!stream || isRunning() || id.isEmpty() || !m_transcript->isLoaded() || !provider()) {
        delete stream;
        return false;
    }
    stream->setParent(this);
    m_starting = false;
    m_followed = true;
    m_conversationId = id;
    m_text.clear();
    // The reply as the last fetch showed it (a draft without the platform's id): the stream's
    // first assistant turn of another id takes its place instead of standing beside it.
    const TranscriptModel *model = m_transcript->model();
    const Turn *last = model->rowCount() > 0 ? model->turnAt(model->rowCount() - 1) : nullptr;
    const bool draft = last && last->role == Turn::Role::Assistant &&
                       (last->state == Turn::State::InProgress || m_transcript->isRunning());
    m_followTakesOver = draft ? last->id : QString();
    attach(stream, true); // accepted before anyone hears of it: nothing of the user's is at stake
    return true;
}

bool ReplyController::start(const NewConversation &request, QString *whyNot)
{
    auto refuse = [whyNot](const QString &reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };
    Provider *p = provider();
    if (!p)
        return refuse(tr("No workspace is open."));
    if (!p->capabilities().can(Capabilities::Create))
        return refuse(tr("This platform does not start conversations from Parley."));
    if (isRunning())
        return refuse(tr("A reply is still running; wait for it or cancel it."));
    if (const QString tooLong = InputRules::checkMessageLength(p->capabilities(), request.text);
        !tooLong.isEmpty())
        return refuse(tooLong);

    m_transcript->close(); // the new conversation takes the transcript
    m_starting = true;
    m_followed = false;
    m_conversationId.clear();
    m_text = request.text;
    attach(p->startConversation(request, this));
    return true;
}

void ReplyController::attach(ReplyStream *stream, bool accepted)
{
    m_stream = stream;
    m_streamProvider = provider();
    m_accepted = accepted;
    m_answering = false;
    m_error = {};
    m_platformStatus.clear();
    m_pending.clear();
    m_applied.clear();
    connect(stream, &ReplyStream::conversationChanged, this,
            &ReplyController::onConversationChanged);
    connect(stream, &ReplyStream::turnChanged, this, &ReplyController::onTurnChanged);
    connect(stream, &ReplyStream::runChanged, this, [this] { markAccepted(); });
    connect(stream, &ReplyStream::resumePointChanged, this, [this](const QString &point) {
        if (!m_conversationId.isEmpty())
            emit resumePointChanged(m_conversationId, point);
    });
    connect(stream, &ReplyStream::statusChanged, this, &ReplyController::onStatusChanged);
    connect(stream, &ReplyStream::finished, this, &ReplyController::onFinished);
    setState(State::Streaming);
}

void ReplyController::detach()
{
    m_flushTimer->stop();
    m_graceTimer->stop();
    m_pending.clear();
    ReplyStream *stream = m_stream.data();
    m_stream = nullptr;
    if (!stream)
        return;
    disconnect(stream, nullptr, this, nullptr);
    stream->abort(); // closes the connection; nobody listens to its finished() any more
    stream->deleteLater();
}

void ReplyController::drop()
{
    if (!m_stream)
        return;
    qCDebug(lcModels) << "dropping a reply for a conversation no longer open";
    detach();
    m_applied.clear();
    ++m_cancelTicket;
    m_cancelHandle = {};
    setState(State::Idle);
}

void ReplyController::cancel()
{
    if (m_state != State::Streaming || !m_stream || m_conversationId.isEmpty())
        return;
    Provider *p = provider();
    if (!p || p != m_streamProvider || !p->capabilities().can(Capabilities::Cancel))
        return;
    setState(State::Canceling);
    const quint64 ticket = ++m_cancelTicket;
    RequestHandle handle =
        p->cancelRun(m_conversationId, m_stream->runId(), this,
                     [this, ticket](ApiError error) { onCancelAnswer(ticket, error); });
    if (ticket == m_cancelTicket && m_state == State::Canceling)
        m_cancelHandle = handle;
}

void ReplyController::onCancelAnswer(quint64 ticket, const ApiError &error)
{
    if (ticket != m_cancelTicket)
        return;
    m_cancelHandle = {};
    if (m_state != State::Canceling || !m_stream)
        return; // the reply ended meanwhile
    if (error.isError() && error.kind != ApiError::Kind::Canceled) {
        qCInfo(lcModels).noquote() << "cancel refused:" << ApiError::kindName(error.kind);
        setState(State::Streaming);
        emit cancelFailed(error);
        return;
    }
    // Accepted: the stream normally ends by itself with the run's last state.
    if (m_cancelGrace.count() <= 0)
        m_stream->abort();
    else
        m_graceTimer->start();
}

void ReplyController::onConversationChanged(const Conversation &summary)
{
    if (!m_starting || summary.id.isEmpty() || !m_conversationId.isEmpty())
        return;
    m_conversationId = summary.id;
    // The transcript opens it (clearing the model); what streamed so far is shown again at
    // once and once more when the conversation's detail arrives.
    m_transcript->open(summary.id);
    if (m_stream)
        applyEntries(m_applied);
    emit conversationStarted(summary);
    updateStatus();
}

void ReplyController::onTurnChanged(const Turn &turn, const QString &replacesId)
{
    if (turn.role != Turn::Role::User) {
        m_answering = true;
        markAccepted();
    }
    QString replaces = replacesId;
    if (!m_followTakesOver.isEmpty() && turn.role == Turn::Role::Assistant && replaces.isEmpty()) {
        if (turn.id != m_followTakesOver && m_transcript->model()->rowOfId(turn.id) < 0)
            replaces = m_followTakesOver;
        m_followTakesOver.clear();
    }
    merge(m_applied, turn, replaces);
    merge(m_pending, turn, replaces);
    scheduleFlush();
    updateStatus();
}

void ReplyController::onStatusChanged(const QString &text)
{
    m_platformStatus = text;
    if (!text.isEmpty())
        markAccepted();
    updateStatus();
}

void ReplyController::markAccepted()
{
    if (m_accepted)
        return;
    m_accepted = true;
    if (!m_text.isEmpty())
        emit accepted(m_conversationId, m_text);
    updateStatus();
}

void ReplyController::onFinished(const ApiError &error)
{
    const bool canceling = m_state == State::Canceling;
    ApiError outcome = error;
    if (canceling && !error.isError())
        outcome = ApiError::make(ApiError::Kind::Canceled);
    else if (canceling && error.kind != ApiError::Kind::Canceled) {
        // The connection went as the run stopped: the cancel is what ended it.
        qCDebug(lcModels).noquote()
            << "reply ended while canceling:" << ApiError::kindName(error.kind);
        outcome = ApiError::make(ApiError::Kind::Canceled);
    }
    if (!outcome.isError())
        markAccepted(); // a complete reply: the message was taken
    settleOpenTurns(outcome);
    flush();

    const bool accepted = m_accepted;
    const QString id = m_conversationId;
    const QString text = m_text;
    if (accepted && !hasTranscript() && !id.isEmpty()) {
        QList<Entry> &kept = m_sessionTurns[id];
        for (const Entry &e : std::as_const(m_applied))
            merge(kept, e.turn, e.replaces);
    }

    ReplyStream *stream = m_stream.data();
    m_stream = nullptr;
    if (stream) {
        disconnect(stream, nullptr, this, nullptr);
        stream->deleteLater();
    }
    m_graceTimer->stop();
    m_flushTimer->stop();
    ++m_cancelTicket;
    m_cancelHandle = {};
    m_error = outcome;
    if (outcome.isError() && outcome.kind != ApiError::Kind::Canceled)
        qCInfo(lcModels).noquote() << "reply ended:" << ApiError::kindName(outcome.kind);

    const bool ownsTranscript = appliesToTranscript();
    m_applied.clear();
    if (ownsTranscript) {
        if (!accepted && outcome.isError())
            restoreTranscript(); // the message was not sent: its turns go
        else if (outcome.isError() && hasTranscript() && !id.isEmpty())
            m_transcript->reload(); // canceled or cut off: show what the platform kept
        else if (!outcome.isError() && hasTranscript() && !id.isEmpty())
            m_transcript->refreshSummary(); // its new status, turn count and times
    }
    setState(State::Idle);
    emit finished(id, text, outcome, accepted);
}

// Turns still "in progress" when a reply ends stay so on no platform: mark them.
void ReplyController::settleOpenTurns(const ApiError &error)
{
    if (!error.isError())
        return;
    const bool canceled = error.kind == ApiError::Kind::Canceled;
    for (const Entry &e : QList<Entry>(m_applied)) {
        if (e.turn.state != Turn::State::InProgress)
            continue;
        Turn settled = e.turn;
        settled.state = canceled ? Turn::State::Stopped : Turn::State::Error;
        if (!canceled && settled.errorDetail.isEmpty())
            settled.errorDetail = error.message();
        for (Fragment &f : settled.fragments)
            f.inProgress = false;
        merge(m_applied, settled, {});
        merge(m_pending, settled, {});
    }
}

void ReplyController::restoreTranscript()
{
    if (m_conversationId.isEmpty()) {
        m_transcript->model()->clear();
        return;
    }
    if (hasTranscript()) {
        m_transcript->reload();
        return;
    }
    TranscriptModel *model = m_transcript->model();
    ConversationDetail detail;
    detail.summary = model->summary();
    detail.properties = model->properties();
    detail.hasTranscript = model->hasTranscript();
    detail.transcriptNote = model->transcriptNote();
    model->setDetail(std::move(detail));
    applyEntries(m_sessionTurns.value(m_conversationId));
}

void ReplyController::onTranscriptStateChanged()
{
    if (!m_stream)
        return;
    if (m_transcript->conversationId() != m_conversationId ||
        m_transcript->provider() != m_streamProvider)
        drop();
}

void ReplyController::onTranscriptLoaded(const QString &id)
{
    // The detail replaced the model: show again what the platform does not keep, and the
    // running reply's turns (the fetch may be older than the stream).
    if (!hasTranscript())
        applyEntries(m_sessionTurns.value(id));
    if (m_stream && id == m_conversationId) {
        applyEntries(m_applied);
        m_pending.clear();
    }
}

void ReplyController::scheduleFlush()
{
    if (m_applyInterval.count() <= 0) {
        flush();
        return;
    }
    if (!m_flushTimer->isActive()) {
        flush(); // the first change of a window goes out at once
        m_flushTimer->start();
    }
}

bool ReplyController::appliesToTranscript() const
{
    return m_transcript->conversationId() == m_conversationId &&
           m_transcript->provider() == m_streamProvider && m_streamProvider;
}

void ReplyController::flush()
{
    if (m_pending.isEmpty())
        return;
    const QList<Entry> pending = std::exchange(m_pending, {});
    if (!appliesToTranscript())
        return;
    applyEntries(pending);
}

void ReplyController::applyEntries(const QList<Entry> &entries)
{
    TranscriptModel *model = m_transcript->model();
    for (const Entry &e : entries) {
        if (!e.replaces.isEmpty() && model->updateTurn(e.replaces, e.turn))
            continue;
        model->upsertTurn(e.turn);
    }
}

void ReplyController::merge(QList<Entry> &entries, const Turn &turn, const QString &replacesId)
{
    const QString target = replacesId.isEmpty() ? turn.id : replacesId;
    if (!target.isEmpty()) {
        for (qsizetype i = entries.size() - 1; i >= 0; --i) {
            Entry &e = entries[i];
            if (e.turn.id != target)
                continue;
            // The entry will now put `turn` where its row is: the row it replaces, or the
            // one with its old id.
            if (e.replaces.isEmpty() && e.turn.id != turn.id)
                e.replaces = e.turn.id;
            e.turn = turn;
            return;
        }
    }
    entries.append({turn, replacesId});
}

void ReplyController::setState(State state)
{
    const bool changed = state != m_state;
    m_state = state;
    updateStatus();
    if (changed)
        emit stateChanged();
}

void ReplyController::updateStatus()
{
    QString status;
    switch (m_state) {
    case State::Idle:
        break;
    case State::Canceling:
        status = tr("Canceling…");
        break;
    case State::Streaming:
        if (!m_platformStatus.isEmpty())
            status = m_platformStatus;
        else if (m_starting && m_conversationId.isEmpty())
            status = tr("Starting the conversation…");
        else if (m_followed && !m_answering)
            status = tr("Following the reply…");
        else if (!m_accepted)
            status = tr("Sending…");
        else if (m_answering)
            status = tr("Replying…");
        else
            status = tr("Thinking…");
        break;
    }
    if (status == m_status)
        return;
    m_status = status;
    emit statusTextChanged(m_status);
}

} // namespace parley
