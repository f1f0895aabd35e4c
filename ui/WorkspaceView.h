#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"

#include "session/WorkspaceSession.h"
#include <QMetaObject>

#include <QObject>
#include <QPointer>

#include <vector>

class QActionGroup;
class QSplitter;
class QWidget;

namespace parley {

class AutoRefreshChoice;
class WaitingIndicator;
class ComposerBar;
class ApprovalBar;
class RunningBar;
class ConversationFilterProxy;
class ConversationListView;
class Settings;
class OutboxDelivery;
class SessionDialogs;
class TailFollower;
class TranscriptView;
class WorkspaceSession;

// The conversations and the open transcript of one workspace session, with the composer
// under the transcript: what the window shows right of the sidebar. It is bound to one
// WorkspaceSession at a time (bind()), as the window forwards to it (KeePassXC's database
// widget); the session keeps its list, transcript and running reply when another is shown.
//
// Not a widget itself: its panes (listView(), detailSplitter()) sit in the window's
// splitter. Request errors appear in a banner over the pane they concern, with Retry; a
// session that cannot open (no key, unknown platform) says why, with Edit Workspace….
class WorkspaceView : public QObject
{
    Q_OBJECT
public:
    // The panes and dialogs belong to `window`.
    WorkspaceView(Settings *settings, OutboxDelivery *outbox, QWidget *window);
    ~WorkspaceView() override;

    // Shows `session` (null: nothing), opening it if it is not open yet.
    void bind(WorkspaceSession *session);
    WorkspaceSession *session() const { return m_session; }

    // F5: the list's first page again, and the open transcript.
    void reload();
    // The View menu's automatic refresh choice (radio actions, the seconds as data), applied
    // to the shown workspace's list.
    void setAutoRefreshActions(QActionGroup *actions);
    // Where the shown session's wait for its platform is said (not owned; may be null).
    void setWaitingIndicator(WaitingIndicator *indicator) { m_waiting = indicator; }
    // Opens the first conversation of the list as soon as it has one, at once if it already
    // has (--demo).
    void setOpenFirstConversation(bool open);
    // Remembers the list's filter text, server filters and sort for the bound workspace.
    void saveListViewState();
    // Before the window closes: drafts and list state.
    void saveState();

    ConversationListView *listView() const { return m_listView; }
    TranscriptView *transcriptView() const { return m_transcriptView; }
    ComposerBar *composer() const { return m_composer; }
    SessionDialogs *dialogs() const { return m_dialogs; }
    QSplitter *detailSplitter() const { return m_detailSplitter; }

Q_SIGNALS:
    // What the session offers changed (opened, failed, another conversation): the window
    // enables its actions again.
    void capabilitiesChanged();
    void editWorkspaceRequested();
    // The session cannot go on with its key (refused, or never read): make it anew.
    void reopenRequested();
    // A transcript finished loading and is shown.
    void transcriptShown();
    void addWorkspaceRequested();

private:
    void unbind();
    void onSessionStateChanged();
    void startList();
    void retryList();
    void onListStateChanged();
    void onListRefreshed(const ApiError &error);
    void onTranscriptStateChanged();
    void onTranscriptLoaded();
    void updateComposer();
    void onReplyStateChanged();
    void onConversationStarted(const Conversation &summary);
    void onReplyFinished(const QString &conversationId, const QString &text, const ApiError &error,
                         bool accepted);
    void openFirstIfAsked();
    void selectStartedConversation();
    void restoreListViewState();

    Settings *m_settings;
    QPointer<WorkspaceSession> m_session;
    std::vector<QMetaObject::Connection> m_bindings; // to the bound session's objects
    ConversationFilterProxy *m_proxy;
    ConversationListView *m_listView;
    TranscriptView *m_transcriptView;
    ComposerBar *m_composer;
    RunningBar *m_running;
    ApprovalBar *m_approvals;
    TailFollower *m_follower;
    QSplitter *m_detailSplitter;
    SessionDialogs *m_dialogs;
    AutoRefreshChoice *m_autoRefresh = nullptr;
    WaitingIndicator *m_waiting = nullptr;

    bool m_sessionProblem = false; // the list banner is about the session, not a request
    bool m_listErrorShown = false;
    bool m_openFirst = false;
    QString m_startedId;     // the conversation started last (its first message may fail)
    QString m_selectStarted; // selected in the list once a page holds it
};

} // namespace parley
