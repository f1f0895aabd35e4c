#include "MainActions.h"

#include "core/TranslationContext.h"

#include "Icons.h"
#include "WorkspaceSidebar.h"
#include "controllers/ListRefresher.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QMainWindow>
#include <QMenuBar>

namespace parley {

namespace {

const TranslationContext tr{"parley::MainWindow"};

QAction *makeAction(QMainWindow *window, const char *objectName, const QString &text,
                    const QKeySequence &shortcut = {}, const QIcon &icon = {})
{
    auto *action = new QAction(icon, text, window);
    action->setObjectName(QLatin1String(objectName));
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WindowShortcut);
    }
    return action;
}

QString intervalText(int seconds)
{
    if (seconds <= 0)
        return tr("&Off");
    if (seconds < 60)
        return tr("Every &%1 Seconds").arg(seconds);
    return tr("Every &%1 Minutes").arg(seconds / 60);
}

// The choice of how often the shown workspace's list refreshes itself, as radio actions.
QActionGroup *buildAutoRefresh(QMainWindow *window, QMenu *view)
{
    QMenu *menu = view->addMenu(tr("Refresh List &Automatically"));
    menu->setObjectName(QStringLiteral("autoRefreshMenu"));
    menu->setAccessibleName(tr("Refresh the conversation list automatically"));
    auto *group = new QActionGroup(window);
    group->setExclusive(true);
    for (const int seconds : ListRefresher::choicesInSeconds()) {
        QAction *action = menu->addAction(intervalText(seconds));
        action->setObjectName(QStringLiteral("autoRefresh%1").arg(seconds));
        action->setCheckable(true);
        action->setChecked(seconds == 0);
        action->setData(seconds);
        group->addAction(action);
    }
    group->setEnabled(false);
    return group;
}

} // namespace

MainActions MainActions::build(QMainWindow *window, WorkspaceSidebar *sidebar)
{
    MainActions a;
    a.reload = makeAction(window, "reloadAction", tr("&Reload"), QKeySequence::Refresh,
                          Icons::get(Icons::Reload));
    a.filter = makeAction(window, "filterAction", tr("&Filter Conversations"), QKeySequence::Find,
                          Icons::get(Icons::Search));
    a.newConversation = makeAction(window, "newConversationAction", tr("&New Conversation…"),
                                   QKeySequence::New, Icons::get(Icons::Add));
    a.newConversation->setEnabled(false);
    a.newConversation->setToolTip(tr("Start a conversation on the workspace's platform"));
    a.openById = makeAction(window, "openByIdAction", tr("Open by &ID…"),
                            QKeySequence(Qt::CTRL | Qt::Key_L));
    a.openById->setEnabled(false);
    a.openById->setToolTip(
        tr("Open a conversation by its ID or address, also one the list does not show"));
    a.linkConnector = makeAction(window, "linkConnectorAction", tr("&Link Connector Account…"));
    a.linkConnector->setEnabled(false);
    a.linkConnector->setToolTip(
        tr("Check what an end user must still link, and link their account"));
    a.followUps = makeAction(window, "queueAction", tr("Follow-up &Queue…"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    a.followUps->setEnabled(false);
    a.followUps->setToolTip(
        tr("The messages waiting for the open conversation's reply to end: add, edit, delete"));
    a.quit = makeAction(window, "quitAction", tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q));
    a.quit->setShortcutContext(Qt::ApplicationShortcut);
    a.quit->setMenuRole(QAction::QuitRole);

    QMenuBar *bar = window->menuBar();
    QMenu *workspace = bar->addMenu(tr("&Workspace"));
    workspace->addAction(sidebar->addWorkspaceAction());
    workspace->addAction(sidebar->editWorkspaceAction());
    workspace->addAction(sidebar->removeWorkspaceAction());
    workspace->addSeparator();
    workspace->addAction(a.linkConnector);
    workspace->addSeparator();
    workspace->addAction(a.quit);

    QMenu *conversation = bar->addMenu(tr("&Conversation"));
    conversation->addAction(a.newConversation);
    conversation->addAction(a.openById);
    conversation->addAction(a.followUps);

    QMenu *view = bar->addMenu(tr("&View"));
    view->addAction(a.reload);
    a.autoRefresh = buildAutoRefresh(window, view);
    view->addAction(a.filter);

    QMenu *help = bar->addMenu(tr("&Help"));
    a.about = help->addAction(tr("&About Parley"));
    a.about->setMenuRole(QAction::AboutRole);

    // Shortcuts work wherever the focus is in the window.
    window->addActions({a.reload, a.filter, a.quit, a.newConversation, a.openById, a.followUps,
                        sidebar->addWorkspaceAction()});
    return a;
}

} // namespace parley
