#include "AutoRefreshChoice.h"

#include "controllers/ListRefresher.h"
#include "session/WorkspaceSession.h"
#include "store/Settings.h"

#include <QAction>
#include <QActionGroup>
#include <QEvent>
#include <QWidget>

namespace parley {

AutoRefreshChoice::AutoRefreshChoice(QActionGroup *actions, QWidget *window, Settings *settings)
    : QObject(window)
    , m_actions(actions)
    , m_window(window)
    , m_settings(settings)
{
    connect(actions, &QActionGroup::triggered, this,
            [this](QAction *action) { choose(action->data().toInt()); });
    window->installEventFilter(this);
}

void AutoRefreshChoice::bind(WorkspaceSession *session)
{
    if (m_session && m_session != session)
        m_session->refresher()->setPaused(true);
    m_session = session;
    showChoice();
    updatePause();
}

void AutoRefreshChoice::choose(int seconds)
{
    if (!m_session)
        return;
    m_session->refresher()->setInterval(std::chrono::seconds(seconds));
    if (m_settings) {
        ListViewState state = m_settings->listViewState(m_session->id());
        state.refreshSeconds = seconds;
        m_settings->setListViewState(m_session->id(), state);
    }
    showChoice();
}

void AutoRefreshChoice::showChoice()
{
    m_actions->setEnabled(m_session != nullptr);
    const qint64 seconds =
        m_session
            ? std::chrono::duration_cast<std::chrono::seconds>(m_session->refresher()->interval())
                  .count()
            : 0;
    for (QAction *action : m_actions->actions()) {
        if (action->data().toInt() == seconds)
            action->setChecked(true);
    }
}

bool AutoRefreshChoice::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window) {
        switch (event->type()) {
        case QEvent::Show:
        case QEvent::Hide:
        case QEvent::WindowStateChange:
            updatePause();
            break;
        default:
            break;
        }
    }
    return QObject::eventFilter(watched, event);
}

void AutoRefreshChoice::updatePause()
{
    if (m_session)
        m_session->refresher()->setPaused(!m_window->isVisible() || m_window->isMinimized());
}

} // namespace parley
