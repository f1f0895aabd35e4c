#pragma once

#include "MainActions.h"
#include "session/AppServices.h"

#include <QMainWindow>
#include <QUuid>

class QLabel;
class QSplitter;

namespace parley {

class ComposerBar;
class ConversationListModel;
class FollowUpQueueEditor;
class ReplyController;
class RetryIndicator;
class WaitingIndicator;
class TranscriptController;
class WorkspaceModel;
class WorkspaceSession;
class WorkspaceSidebar;
class WorkspaceView;
struct Workspace;

// The one window: workspaces on the left, the current workspace's session on the right
// (WorkspaceView: its conversations, the open transcript and the composer). The window
// holds no per-workspace state: every workspace has a WorkspaceSession in the SessionPool,
// and the window forwards its actions to the one shown. It manages the workspaces
// themselves (add, edit, remove), the menus, the status bar and what is remembered of the
// window between runs.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const AppServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Re-reads the workspaces from the store into the sidebar.
    void reloadWorkspaces();
    // Selects the workspace last used (from the settings), else the first one.
    void restoreLastWorkspace();
    void selectWorkspace(const QUuid &id);
    QUuid currentWorkspaceId() const { return m_currentId; }
    // Opens the first conversation of the list as soon as it has one, at once if it already
    // has (--demo).
    void setOpenFirstConversation(bool open);
    // A lasting note in the status bar (demo mode, keys held in memory).
    void setStatusNote(const QString &text);

    void addWorkspace();
    void editWorkspace(const QUuid &id);
    void removeWorkspace(const QUuid &id);
    // F5: the list's first page again, and the open transcript.
    void reload();
    // Ctrl+N: the new-conversation dialog (where the platform can create conversations).
    void newConversation();
    // Ctrl+L: a conversation by its id, or an address that holds one, opened in the shown
    // workspace whether or not its list shows it.
    void openById();
    // The connector-linking dialog for the workspace's end users (Capabilities::Connectors).
    void linkConnector();
    // The open conversation's follow-up queue (Capabilities::FollowUps), in a window of its own.
    void openQueue();

    // The shown session and its parts (tests and main() look at them); the session's
    // objects change when another workspace is shown.
    ConversationListModel *conversationModel() const;
    TranscriptController *transcriptController() const;
    ReplyController *replyController() const;
    FollowUpQueueEditor *queueEditor() const;
    ComposerBar *composer() const;
    RetryIndicator *retryIndicator() const { return m_retryIndicator; }
    WaitingIndicator *waitingIndicator() const { return m_waitingIndicator; }
    WorkspaceModel *workspaceModel() const { return m_workspaces; }

Q_SIGNALS:
    // A transcript finished loading in the shown session (--smoke-test waits for it).
    void transcriptShown();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildLayout();
    void connectActions();
    void restoreWindowState();
    void saveWindowState();
    const Workspace *workspace(const QUuid &id) const;
    void activateWorkspace(const QUuid &id);
    void reopenCurrent();
    void updateEmptyState();
    void updateActions();
    void onWorkspaceSaved(const Workspace &workspace);
    void showAbout();

    AppServices m_services;
    SessionPool *m_pool;
    WorkspaceModel *m_workspaces;
    WorkspaceSidebar *m_sidebar = nullptr;
    WorkspaceView *m_view = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_statusNote = nullptr;
    RetryIndicator *m_retryIndicator = nullptr;
    WaitingIndicator *m_waitingIndicator = nullptr;
    MainActions m_actions;
    QUuid m_currentId;
};

} // namespace parley
