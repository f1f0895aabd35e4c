#pragma once

#include "controllers/OutboxDelivery.h"

namespace parley {

class HttpClient;
class KeyStore;
class WorkspaceStore;

// The OutboxDelivery's ProviderSource for the app: the workspace from the store, its key from
// the keychain (asynchronously, dropped with the queue's context), then the registry's
// provider. A workspace that is gone, a key that cannot be read or an unknown platform is
// reported as the reason there is no provider. None of the pointers is owned; all must
// outlive the queue.
OutboxDelivery::ProviderSource outboxProviders(WorkspaceStore *workspaces, KeyStore *keys,
                                               HttpClient *http);

} // namespace parley
