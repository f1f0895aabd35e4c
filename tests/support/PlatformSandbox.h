#pragma once

#include "core/Workspace.h"
#include "net/HttpClient.h"
#include "providers/Provider.h"
#include "sandbox/Sandbox.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace parley {
class WorkspaceSession;
}

namespace parley::test {

// The in-process sandbox on 127.0.0.1 and one HTTP client, as the integration tests use
// them: start it, make a platform's demo workspace (DemoWorkspaces, with what the emulation
// declares) and a provider for it through the registry.
class PlatformSandbox
{
public:
    PlatformSandbox() = default;
    ~PlatformSandbox();
    PlatformSandbox(const PlatformSandbox &) = delete;
    PlatformSandbox &operator=(const PlatformSandbox &) = delete;

    // Starts the sandbox with `options`; false with `error` set when it cannot listen.
    bool start(const sandbox::SandboxOptions &options, QString *error);
    // Starts it with `conversations` per platform, the default key and seed, and streamed
    // frames `streamIntervalMs` apart (the default pace when 0).
    bool start(int conversations, int streamIntervalMs, QString *error);
    void stop();

    sandbox::Sandbox &sandbox() const { return *m_sandbox; }
    HttpClient &http() const { return *m_http; }
    QByteArray key() const { return m_sandbox->options().key; }
    // Requests the sandbox has answered so far.
    int requests() const;

    // The demo workspace of `platform` on this sandbox (empty platform when there is none).
    Workspace workspace(const QString &platform) const;
    // A provider for `workspace`, or for `platform`'s demo workspace, with `key` (default: the
    // key the sandbox accepts) on `http` (default: this sandbox's client).
    std::unique_ptr<Provider> provider(const Workspace &workspace) const;
    std::unique_ptr<Provider> provider(const Workspace &workspace, const QByteArray &key,
                                       HttpClient *http = nullptr) const;
    std::unique_ptr<Provider> provider(const QString &platform) const;
    // `platform`'s demo workspace as the window opens it: a session on this sandbox's client,
    // opened with the key the sandbox accepts.
    std::unique_ptr<WorkspaceSession> session(const QString &platform) const;

private:
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<HttpClient> m_http;
};

} // namespace parley::test
