#include "controllers/FollowUpQueueController.h"

#include "models/FollowUpQueueModel.h"

namespace parley {

FollowUpQueueController::FollowUpQueueController(FollowUpQueueModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    m_refresh.setInterval(3000);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (!isBusy())
            refresh();
    });
}

void FollowUpQueueController::setConversation(Provider *provider, const QString &conversationId)
{
    ++m_generation; // answers for the previous conversation are dropped
    m_request.cancel();
    m_waiting = false;
    m_pending.clear();
    m_provider = provider;
    m_conversationId = conversationId;
    m_model->setQueue({});
    m_error = {};
    emit errorChanged();
    emit busyChanged(false);
    if (provider && !conversationId.isEmpty())
        refresh();
}

void FollowUpQueueController::setActive(bool active)
{
    if (active)
        m_refresh.start();
    else
        m_refresh.stop();
}

void FollowUpQueueController::refresh()
{
    enqueue(std::nullopt);
}

void FollowUpQueueController::add(const QString &text)
{
    enqueue(FollowUpChange{FollowUpChange::Op::Add, {}, text});
}

void FollowUpQueueController::edit(const QString &itemId, const QString &text)
{
    enqueue(FollowUpChange{FollowUpChange::Op::Edit, itemId, text});
}

void FollowUpQueueController::remove(const QString &itemId)
{
    enqueue(FollowUpChange{FollowUpChange::Op::Delete, itemId, {}});
}

void FollowUpQueueController::clearAll()
{
    enqueue(FollowUpChange{FollowUpChange::Op::Clear, {}, {}});
}

void FollowUpQueueController::enqueue(std::optional<FollowUpChange> change)
{
    if (!m_provider || m_conversationId.isEmpty())
        return;
    // A refresh already waiting covers this one.
    if (!change && !m_pending.isEmpty() && !m_pending.constLast())
        return;
    m_pending << change;
    next();
}

void FollowUpQueueController::next()
{
    // One request at a time: the running one's answer calls next() again. (Its answer
    // schedules next() for later, so a change asked for in between has already started.)
    if (m_waiting)
        return;
    if (m_pending.isEmpty() || !m_provider) {
        m_pending.clear();
        emit busyChanged(false);
        return;
    }
    const std::optional<FollowUpChange> change = m_pending.takeFirst();
    const quint64 generation = m_generation;
    auto done = [this, generation, wasChange = change.has_value()](Result<FollowUpQueue> r) {
        onAnswer(generation, wasChange, std::move(r));
    };
    emit busyChanged(true);
    m_waiting = true;
    m_request = change ? m_provider->changeFollowUps(m_conversationId, *change, this, done)
                       : m_provider->fetchFollowUps(m_conversationId, this, done);
}

void FollowUpQueueController::onAnswer(quint64 generation, bool wasChange,
                                       Result<FollowUpQueue> result)
{
    if (generation != m_generation)
        return;
    m_waiting = false;
    if (result.ok()) {
        m_model->setQueue(result.value());
        if (m_error) {
            m_error = {};
            emit errorChanged();
        }
        if (wasChange)
            emit changed();
    } else if (result.error().kind != ApiError::Kind::Canceled) {
        m_error = result.error();
        emit errorChanged();
        // A queued message that is gone (the agent took it): show the queue as it is.
        if (m_error.kind == ApiError::Kind::NotFound && wasChange)
            m_pending.prepend(std::nullopt);
    }
    QTimer::singleShot(0, this, &FollowUpQueueController::next);
}

QString FollowUpQueueController::errorText() const
{
    if (!m_error)
        return {};
    if (m_error.reason == ApiError::Reason::QueueFull) {
        const int max = m_model->maxItems();
        return tr("The queue is full: the platform keeps at most %1 follow-ups per "
                  "conversation. Wait until the agent takes the next one, or edit or delete a "
                  "queued message.")
            .arg(max > 0 ? QString::number(max) : tr("a few"));
    }
    if (m_error.reason == ApiError::Reason::QueueClosed)
        return tr("The conversation is not running, so nothing would take a queued message: "
                  "send it as a normal message instead. (%1)")
            .arg(m_error.message());
    return m_error.message();
}

} // namespace parley
