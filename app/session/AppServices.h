#pragma once

#include <functional>
#include <memory>

class QByteArray;

namespace parley {

class OutboxDelivery;
class HttpClient;
class Provider;
class SessionPool;
struct Workspace;
class KeyStore;
class Settings;
class WorkspaceStore;

// The long-lived services, created by main() (or a test) and outliving every window and
// session. Plain pointers: nothing here owns them.
struct AppServices
{
    HttpClient *http = nullptr;
    KeyStore *keys = nullptr;
    WorkspaceStore *workspaces = nullptr;
    Settings *settings = nullptr;
    // Delivers appended notes from the local outbox; null where the outbox is unavailable.
    OutboxDelivery *outboxDelivery = nullptr;
    // Makes a workspace's provider from its key; empty = ProviderRegistry::create. GUI tests
    // put a scripted provider here.
    std::function<std::unique_ptr<Provider>(const Workspace &, const QByteArray &key, HttpClient *)>
        makeProvider = {};
    // Every workspace's session; null = the window makes a pool of its own from the above.
    SessionPool *sessions = nullptr;
};

} // namespace parley
