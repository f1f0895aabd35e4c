#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <chrono>

class QTimer;

namespace parley {

class ConversationListModel;

// Refreshes one conversation list on its own, every interval (off by default): each tick
// asks the list to refresh in place (ConversationListModel::refresh()). A tick is skipped
// while a page the user asked for or the previous refresh is still in flight: refreshes
// never overlap. While paused (the window minimised or hidden, another workspace shown)
// nothing ticks; on resume a refresh that fell due meanwhile happens at once.
class ListRefresher : public QObject
{
    Q_OBJECT
public:
    // The intervals the window offers; 0 is off.
    static QList<int> choicesInSeconds() { return {0, 30, 120, 300}; }

    explicit ListRefresher(ConversationListModel *list, QObject *parent = nullptr);

    // 0 turns it off. Milliseconds so that tests can tick fast.
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // An interval is set and it is not paused.
    bool isRunning() const;

    // What a tick does: refreshes the list unless it is busy. True when a refresh started.
    bool tick();

Q_SIGNALS:
    // A tick started a refresh of the list.
    void refreshStarted();
    // A tick found the list busy (a page or a refresh in flight) and did nothing.
    void tickSkipped();
    void intervalChanged(std::chrono::milliseconds interval);

private:
    void restartTimer();

    QPointer<ConversationListModel> m_list;
    QTimer *m_timer;
    QElapsedTimer m_sinceTick; // since the last tick, or since the interval was set
    std::chrono::milliseconds m_interval{0};
    bool m_paused = false;
};

} // namespace parley
