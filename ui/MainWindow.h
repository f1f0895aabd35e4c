#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/Workspace.h"
#include "secrets/KeyResult.h"
#include "session/AppServices.h"

#include <QMainWindow>
#include <QPointer>
#include <QUuid>

#include <memory>

class QAction;
class QDialog;
class QLabel;
class QSplitter;

namespace parley {

class ComposerBar;
class ConversationFilterProxy;
class ConversationListModel;
class ConversationListView;
class NewConversationDialog;
class Provider;
class FollowUpQueueEditor;
class ReplyController;
class RetryIndicator;
class TailFollower;
class TranscriptController;
class TranscriptView;
class WorkspaceModel;
class WorkspaceSidebar;

// The one window: workspaces on the left, their conversations in the centre, the open
// transcript on the right. It owns the models and the provider of the selected workspace;
// the services (HTTP, keychain, stores, settings) are the caller's.
//
// Selecting a workspace reads its key from the KeyStore, makes its provider and loads the
// first page; selecting a row opens that conversation. Request errors appear in a banner
// over the pane they concern, with Retry; nothing here opens a modal for them.
//
// Under the transcript, the composer writes to the open conversation where the platform
// takes messages; replies stream into the transcript (ReplyController), which follows
// their end while the reader is there. Ctrl+N starts a conversation where the platform
// allows it.
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
    // The connector-linking dialog for the workspace's end users (Capabilities::Connectors).
    void linkConnector();
    // The open conversation's follow-up queue (Capabilities::FollowUps), in a window of its own.
    void openQueue();
    FollowUpQueueEditor *queueEditor() const;

    ReplyController *replyController() const { return m_replies; }
    ComposerBar *composer() const { return m_composer; }
    RetryIndicator *retryIndicator() const { return m_retryIndicator; }
    WorkspaceModel *workspaceModel() const { return m_workspaces; }
    ConversationListModel *conversationModel() const { return m_list; }
    TranscriptController *transcriptController() const { return m_transcript; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildLayout();
    void restoreWindowState();
    void saveWindowState();
    void saveListViewState();
    void restoreListViewState(const QUuid &id);

    const Workspace *workspace(const QUuid &id) const;
    void activateWorkspace(const QUuid &id);
    void onKeyRead(const Workspace &workspace, const KeyResult &result);
    void openFirstIfAsked();
    void onListStateChanged();
    void onTranscriptStateChanged();
    void onTranscriptLoaded();
    void retryList();
    void updateEmptyState();
    void onWorkspaceSaved(const Workspace &workspace);
    void showAbout();
    void updateComposer();
    void onReplyStateChanged();
    void onConversationStarted(const Conversation &summary);
    void onReplyFinished(const QString &conversationId, const QString &text, const ApiError &error,
                         bool accepted);
    void queueMessage(const QString &conversationId, const QString &text);
    void selectStartedConversation();

    AppServices m_services;
    WorkspaceModel *m_workspaces;
    ConversationListModel *m_list;
    ConversationFilterProxy *m_proxy;
    TranscriptController *m_transcript;
    ReplyController *m_replies;
    std::unique_ptr<Provider> m_provider;

    WorkspaceSidebar *m_sidebar = nullptr;
    ConversationListView *m_listView = nullptr;
    TranscriptView *m_transcriptView = nullptr;
    ComposerBar *m_composer = nullptr;
    TailFollower *m_follower = nullptr;
    QSplitter *m_detailSplitter = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_statusNote = nullptr;
    RetryIndicator *m_retryIndicator = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_newConversationAction = nullptr;
    QAction *m_linkConnectorAction = nullptr;
    QAction *m_queueAction = nullptr;
    QPointer<QDialog> m_connectorDialog;
    QPointer<FollowUpQueueEditor> m_queueEditor;
    QPointer<NewConversationDialog> m_startDialog; // waiting for its conversation

    QUuid m_currentId;
    quint64 m_keyTicket = 0;   // drops key answers for a workspace the user has left
    bool m_keyProblem = false; // the banner is about the key, not a request
    bool m_listErrorShown = false;
    bool m_openFirst = false;
    QString m_startedId;     // the conversation started last (its first message may fail)
    QString m_selectStarted; // selected in the list once a page holds it
    quint64 m_queueTicket = 0;
};

} // namespace parley
