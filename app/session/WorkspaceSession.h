#pragma once

#include "core/ApiError.h"
#include "core/Workspace.h"
#include "net/HttpClient.h"
#include "providers/Capabilities.h"
#include "providers/Provider.h"
#include "session/AppServices.h"

#include <QObject>

#include <functional>
#include <memory>

namespace parley {

class ApprovalController;
class ConnectorLinker;
class ConversationListModel;
class FollowController;
class FollowUpQueueController;
class ListRefresher;
class ReplyController;
class TranscriptController;
class WaitWatch;
struct ConversationDetail;
struct KeyResult;

// One open workspace: its key (read once from the keychain), its provider (the only one
// for this workspace: the window, the outbox, the dialogs and the CLI all use it), its
// conversation list, its open transcript and running reply, and the rules of what can be
// done now. Widgets go through a session; they never call a provider themselves.
//
// A session is made by SessionPool and lives until its workspace is removed or changed.
// open() reads the key and makes the provider asynchronously; stateChanged() tells.
class WorkspaceSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Closed,     // open() not called yet
        ReadingKey, // waiting for the keychain
        Open,       // the provider is there
        Failed,     // no key, the keychain failed, or the platform is unknown: problem()
    };
    Q_ENUM(State)

    WorkspaceSession(Workspace workspace, const AppServices &services, QObject *parent = nullptr);
    ~WorkspaceSession() override;

    const Workspace &workspace() const { return m_workspace; }
    QUuid id() const { return m_workspace.id; }
    QString platformName() const;

    // Reads the key and makes the provider; does nothing while reading or once open. After a
    // failure it tries again (the key may have been fixed meanwhile).
    void open();
    // Opens with `key` instead of the keychain's (parley-cli --key-env); synchronous.
    void openWithKey(QByteArray key);
    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    // Why the session failed to open, in words for a banner; empty otherwise.
    QString problem() const { return m_problem; }

    // What the platform offers (empty until open).
    Capabilities capabilities() const;
    bool can(Capabilities::Action action) const { return capabilities().can(action); }

    ConversationListModel *list() const { return m_list; }
    // Loads the list's first page with `query`, the first time a view shows it; false (and
    // nothing changes) when the list has started already or the session is not open.
    bool startList(const ListQuery &query);
    bool hasStartedList() const;
    // Refreshes the list on its own at the interval chosen for this workspace (remembered in
    // its ListViewState; off by default). The window pauses it while the list is not seen.
    ListRefresher *refresher() const { return m_refresher; }
    TranscriptController *transcript() const { return m_transcript; }
    ReplyController *replies() const { return m_replies; }
    // Follows the open conversation while it runs, and stops it on request.
    FollowController *follow() const { return m_follow; }
    // The open conversation's approvals, and answering them.
    ApprovalController *approvals() const { return m_approvals; }
    // Says when the list or the transcript keeps waiting for the platform, and stops them.
    WaitWatch *waitWatch() const { return m_wait; }

    // The open transcript's conversation as shown: what the transcript fetched, completed by
    // what the list knows of it (fields a detail endpoint omits).
    ConversationDetail openConversation() const;

    // --- What can be done now (the window enables exactly this). ---
    bool canCreate() const { return isOpen() && can(Capabilities::Create); }
    bool canLinkConnectors() const { return isOpen() && can(Capabilities::Connectors); }
    // The composer is shown for the open conversation.
    bool canWrite() const;
    bool canEditFollowUps() const;

    // --- Calls widgets make through the session. ---
    // Values for the platform's create fields seen in what the list fetched.
    QList<FieldSuggestion> createSuggestions() const;
    // The conversation id in `text` (an id, or an address of the platform's that holds one;
    // Provider::conversationIdIn), or why there is none; a Config error while not open.
    Result<QString> conversationIdIn(const QString &text) const;
    // Adds `text` to the follow-up queue of `conversationId`.
    RequestHandle queueFollowUp(const QString &conversationId, const QString &text,
                                QObject *context, Provider::Done<FollowUpQueue> done);
    // An end user's connector requirements.
    RequestHandle fetchRequirements(const QString &userId, QObject *context,
                                    Provider::Done<RequirementStatus> done);
    // A linker for this workspace's connectors, owned by `parent`.
    ConnectorLinker *newConnectorLinker(QObject *parent) const;
    // Points `controller` at `conversationId`'s follow-up queue on this workspace.
    void bindFollowUps(FollowUpQueueController *controller, const QString &conversationId) const;

    // The provider, for app/ code (controllers, the outbox, the CLI); null until open.
    Provider *provider() const { return m_provider.get(); }
    std::shared_ptr<Provider> sharedProvider() const { return m_provider; }

Q_SIGNALS:
    void stateChanged();

private:
    void onKey(const KeyResult &result);
    void fail(const QString &problem);

    Workspace m_workspace;
    AppServices m_services;
    State m_state = State::Closed;
    QString m_problem;
    quint64 m_keyTicket = 0;
    std::shared_ptr<Provider> m_provider;
    ConversationListModel *m_list;
    ListRefresher *m_refresher;
    TranscriptController *m_transcript;
    ReplyController *m_replies;
    FollowController *m_follow;
    ApprovalController *m_approvals;
    WaitWatch *m_wait;
};

} // namespace parley
