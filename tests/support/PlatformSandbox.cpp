#include "support/PlatformSandbox.h"

#include "providers/ProviderRegistry.h"
#include "sandbox/SandboxServer.h"
#include "session/DemoWorkspaces.h"
#include "session/WorkspaceSession.h"

namespace parley::test {

PlatformSandbox::~PlatformSandbox()
{
    stop();
}

bool PlatformSandbox::start(const sandbox::SandboxOptions &options, QString *error)
{
    stop();
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    if (!m_sandbox->start(error))
        return false;
    m_http = std::make_unique<HttpClient>();
    return true;
}

bool PlatformSandbox::start(int conversations, int streamIntervalMs, QString *error)
{
    sandbox::SandboxOptions options;
    options.conversations = conversations;
    if (streamIntervalMs > 0)
        options.streamIntervalMs = streamIntervalMs;
    return start(options, error);
}

void PlatformSandbox::stop()
{
    // The client first: its replies' callbacks may still point into the test.
    m_http.reset();
    m_sandbox.reset();
}

int PlatformSandbox::requests() const
{
    return m_sandbox->server()->requestCount();
}

Workspace PlatformSandbox::workspace(const QString &platform) const
{
    for (const Workspace &ws : DemoWorkspaces::create(*m_sandbox)) {
        if (ws.platform == platform)
            return ws;
    }
    return {};
}

std::unique_ptr<WorkspaceSession> PlatformSandbox::session(const QString &platform) const
{
    AppServices services;
    services.http = m_http.get();
    auto made = std::make_unique<WorkspaceSession>(workspace(platform), services);
    made->openWithKey(key());
    return made;
}

std::unique_ptr<Provider> PlatformSandbox::provider(const Workspace &workspace) const
{
    return provider(workspace, key());
}

std::unique_ptr<Provider> PlatformSandbox::provider(const Workspace &workspace,
                                                    const QByteArray &key, HttpClient *http) const
{
    return ProviderRegistry::create(workspace, key, http ? http : m_http.get());
}

std::unique_ptr<Provider> PlatformSandbox::provider(const QString &platform) const
{
    return provider(workspace(platform));
}

} // namespace parley::test
