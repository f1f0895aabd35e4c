#pragma once

#include <functional>
#include <memory>

class QByteArray;

namespace parley {

class OutboxDelivery;
class HttpClient;
class Provider;
struct Workspace;
class KeyStore;
class Settings;
class WorkspaceStore;

// The long-lived services the windows use, created by main() (or a test) and outliving
// every window. Plain pointers: nothing here owns them.
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
};

} // namespace parley
