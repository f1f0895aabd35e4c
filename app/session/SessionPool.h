#pragma once

#include "controllers/OutboxDelivery.h"
#include "core/ApiError.h"
#include "core/Workspace.h"
#include "providers/Provider.h"
#include "session/AppServices.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUuid>

#include <functional>

namespace parley {

class WorkspaceSession;

// The sessions of every workspace, and the only place that makes them: the window asks for
// the one it shows, the outbox for the one a note goes to, the CLI for the one it runs on,
// and each workspace gets one provider and one keychain read, whoever asks first.
class SessionPool : public QObject
{
    Q_OBJECT
public:
    explicit SessionPool(const AppServices &services, QObject *parent = nullptr);
    ~SessionPool() override;

    const AppServices &services() const { return m_services; }
    // The outbox made after the pool (it takes outboxProviders()); close() resets its
    // provider for the workspace.
    void setOutboxDelivery(OutboxDelivery *outbox) { m_services.outboxDelivery = outbox; }

    // The session of `workspace`, made (not opened) on first use.
    WorkspaceSession *session(const Workspace &workspace);
    // The session of a stored workspace; null when the store has no such workspace.
    WorkspaceSession *session(const QUuid &workspaceId);
    // The session already made for `workspaceId`, or null.
    WorkspaceSession *find(const QUuid &workspaceId) const;
    // Ends a workspace's session (its settings or key changed, or it was removed): the
    // outbox lets go of its provider, sessionClosing() is emitted, then it is deleted.
    void close(const QUuid &workspaceId);

    // Removes a workspace for good: its session, its key in the keychain, its stored
    // settings, list state and drafts. `keyProblem` runs if the key could not be removed.
    void removeWorkspace(const Workspace &workspace, QObject *context,
                         std::function<void(const QString &keyProblem)> keyProblem);

    // The outbox's ProviderSource: the provider of the workspace's session, opened if need be.
    OutboxDelivery::ProviderSource outboxProviders();

    // Tests a workspace that may not be saved yet, with `key`, by one cheap authenticated
    // request on a session of its own (outside any pool: the settings being tried are not
    // the workspace's yet), finding the API form of each setting left on automatic
    // (Provider::probeConnection). `done` runs once, unless `context` goes first; the
    // returned function cancels the test.
    static std::function<void()> testConnection(const AppServices &services,
                                                const Workspace &workspace, const QByteArray &key,
                                                QObject *context,
                                                std::function<void(ConnectionTest)> done);

Q_SIGNALS:
    // `workspaceId`'s session is about to be deleted: let go of its models.
    void sessionClosing(const QUuid &workspaceId);

private:
    AppServices m_services;
    QHash<QUuid, WorkspaceSession *> m_sessions;
};

} // namespace parley
