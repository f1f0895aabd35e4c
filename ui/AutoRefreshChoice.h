#pragma once

#include <QObject>
#include <QPointer>

class QActionGroup;
class QWidget;

namespace parley {

class Settings;
class WorkspaceSession;

// The View menu's "Refresh List Automatically" choice over the shown workspace: checks the
// interval its list refreshes at, sets the one the user picks (and remembers it in the
// workspace's ListViewState), and lets only the shown list refresh, only while the window
// is seen (paused while minimised or hidden, resumed when shown again).
class AutoRefreshChoice : public QObject
{
    Q_OBJECT
public:
    // `actions` hold the seconds (0 = off) as data; `window` is watched for minimising.
    AutoRefreshChoice(QActionGroup *actions, QWidget *window, Settings *settings);

    // The session shown (null: none); the one shown before is paused.
    void bind(WorkspaceSession *session);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void choose(int seconds);
    void showChoice();
    void updatePause();

    QActionGroup *m_actions;
    QWidget *m_window;
    Settings *m_settings;
    QPointer<WorkspaceSession> m_session;
};

} // namespace parley
