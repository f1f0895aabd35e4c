#include "controllers/ListRefresher.h"

#include "models/ConversationListModel.h"

#include <QTimer>

namespace parley {

ListRefresher::ListRefresher(ConversationListModel *list, QObject *parent)
    : QObject(parent)
    , m_list(list)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::CoarseTimer);
    connect(m_timer, &QTimer::timeout, this, &ListRefresher::tick);
}

void ListRefresher::setInterval(std::chrono::milliseconds interval)
{
    interval = std::max(interval, std::chrono::milliseconds(0));
    if (interval == m_interval)
        return;
    m_interval = interval;
    m_sinceTick.start();
    restartTimer();
    emit intervalChanged(interval);
}

void ListRefresher::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused && isRunning() && m_sinceTick.isValid() &&
        std::chrono::milliseconds(m_sinceTick.elapsed()) >= m_interval)
        tick(); // fell due while paused
    restartTimer();
}

bool ListRefresher::isRunning() const
{
    return m_interval.count() > 0 && !m_paused;
}

bool ListRefresher::tick()
{
    m_sinceTick.start();
    if (!m_list || m_list->isLoading() || m_list->isRefreshing() || !m_list->refresh()) {
        emit tickSkipped();
        return false;
    }
    emit refreshStarted();
    return true;
}

void ListRefresher::restartTimer()
{
    if (!isRunning()) {
        m_timer->stop();
        return;
    }
    m_timer->start(m_interval);
}

} // namespace parley
