#include "session/OutboxProviders.h"

#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "store/WorkspaceStore.h"

#include <QCoreApplication>
#include <QTimer>

namespace parley {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::OutboxProviders", text);
}

} // namespace

OutboxDelivery::ProviderSource outboxProviders(WorkspaceStore *workspaces, KeyStore *keys,
                                               HttpClient *http)
{
    return [workspaces, keys, http](const QUuid &workspaceId, QObject *context,
                                    OutboxDelivery::ProviderReady done) {
        const std::optional<Workspace> found =
            workspaces ? workspaces->findById(workspaceId) : std::nullopt;
        if (!found || !keys) {
            const ApiError error = ApiError::make(ApiError::Kind::Config,
                                                  found ? tr("no keychain is available")
                                                        : tr("the workspace no longer exists"));
            // Never from inside the caller's own call.
            QTimer::singleShot(0, context, [done, error] { done(nullptr, error); });
            return;
        }
        const Workspace ws = *found;
        keys->readKey(
            KeyStore::keyName(ws.platform, ws.id), context, [ws, http, done](const KeyResult &r) {
                if (!r.ok()) {
                    done(nullptr, ApiError::make(ApiError::Kind::Auth,
                                                 r.status == KeyResult::Status::NotFound
                                                     ? tr("no API key is stored for the "
                                                          "workspace “%1”")
                                                           .arg(ws.name)
                                                     : r.message));
                    return;
                }
                std::unique_ptr<Provider> provider = ProviderRegistry::create(ws, r.secret, http);
                if (!provider) {
                    done(nullptr,
                         ApiError::make(
                             ApiError::Kind::Config,
                             tr("Parley does not know the platform “%1”").arg(ws.platform)));
                    return;
                }
                done(std::move(provider), {});
            });
    };
}

} // namespace parley
