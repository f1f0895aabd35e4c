#include "session/SessionPool.h"

#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "session/WorkspaceSession.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QTimer>

#include <memory>

namespace parley {

SessionPool::SessionPool(const AppServices &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
    m_services.sessions = this;
}

SessionPool::~SessionPool()
{
    // Sessions go before the services they use (the caller's) are gone.
    qDeleteAll(m_sessions);
}

WorkspaceSession *SessionPool::session(const Workspace &workspace)
{
    if (WorkspaceSession *existing = find(workspace.id))
        return existing;
    auto *made = new WorkspaceSession(workspace, m_services, this);
    m_sessions.insert(workspace.id, made);
    return made;
}

WorkspaceSession *SessionPool::session(const QUuid &workspaceId)
{
    if (WorkspaceSession *existing = find(workspaceId))
        return existing;
    const std::optional<Workspace> stored =
        m_services.workspaces ? m_services.workspaces->findById(workspaceId) : std::nullopt;
    return stored ? session(*stored) : nullptr;
}

WorkspaceSession *SessionPool::find(const QUuid &workspaceId) const
{
    return m_sessions.value(workspaceId);
}

void SessionPool::close(const QUuid &workspaceId)
{
    if (m_services.outboxDelivery)
        m_services.outboxDelivery->resetProvider(workspaceId); // new settings or key
    WorkspaceSession *gone = m_sessions.take(workspaceId);
    if (!gone)
        return;
    emit sessionClosing(workspaceId);
    delete gone;
}

void SessionPool::removeWorkspace(const Workspace &workspace, QObject *context,
                                  std::function<void(const QString &)> keyProblem)
{
    close(workspace.id);
    if (m_services.keys) {
        m_services.keys->deleteKey(KeyStore::keyName(workspace.platform, workspace.id), context,
                                   [keyProblem](const KeyResult &r) {
                                       if (!r.ok() && keyProblem)
                                           keyProblem(r.message);
                                   });
    }
    if (m_services.workspaces)
        m_services.workspaces->remove(workspace.id);
    if (m_services.settings) {
        m_services.settings->removeListViewState(workspace.id);
        m_services.settings->removeDrafts(workspace.id);
    }
}

OutboxDelivery::ProviderSource SessionPool::outboxProviders()
{
    QPointer<SessionPool> pool(this);
    return [pool](const QUuid &workspaceId, QObject *context, OutboxDelivery::ProviderReady done) {
        WorkspaceSession *session = pool ? pool->session(workspaceId) : nullptr;
        if (!session) {
            // Never from inside the caller's own call.
            QTimer::singleShot(0, context, [done] {
                done(nullptr,
                     ApiError::make(ApiError::Kind::Config, tr("the workspace no longer exists")));
            });
            return;
        }
        auto answer = [session, done] {
            if (session->isOpen())
                done(session->sharedProvider(), {});
            else
                done(nullptr, ApiError::make(ApiError::Kind::Auth, session->problem()));
        };
        if (session->isOpen()) {
            QTimer::singleShot(0, context, answer);
            return;
        }
        // One answer, once the key is read; none if the session or the asker goes first.
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(
            session, &WorkspaceSession::stateChanged, context, [session, answer, connection] {
                if (session->state() == WorkspaceSession::State::ReadingKey)
                    return;
                QObject::disconnect(*connection);
                answer();
            });
        session->open(); // again after a failure: the key may have been fixed meanwhile
    };
}

std::function<void()> SessionPool::testConnection(const AppServices &services,
                                                  const Workspace &workspace, const QByteArray &key,
                                                  QObject *context,
                                                  std::function<void(ConnectionTest)> done)
{
    auto *trial = new WorkspaceSession(workspace, services, context);
    trial->openWithKey(key);
    if (!trial->isOpen()) {
        const ApiError error = ApiError::make(ApiError::Kind::Config, trial->problem());
        QTimer::singleShot(0, trial, [trial, done, error] {
            trial->deleteLater();
            done({error});
        });
        return [guard = QPointer<WorkspaceSession>(trial)] {
            if (guard)
                guard->deleteLater();
        };
    }
    // The trial session lives until the answer arrives (or `context` goes).
    RequestHandle handle =
        trial->provider()->probeConnection(trial, [trial, done](ConnectionTest result) {
            trial->deleteLater();
            done(std::move(result));
        });
    return [handle]() mutable { handle.cancel(); };
}

} // namespace parley
