#pragma once

#include "core/Workspace.h"
#include "sandbox/SandboxOptions.h"

#include <QStringList>
#include <QThread>
#include <QUrl>

#include <functional>

namespace parley::sandbox {
class Sandbox;
}

namespace parley::bench {

// The in-process sandbox on a thread of its own, so that it plays a server: the client
// side of the bench (Parley, plain QNAM) runs alone on the main thread, and curl can be
// timed against it while the main thread just waits. The server's own cost is the same for
// every client measured, so ratios compare the clients.
class SandboxThread
{
public:
    explicit SandboxThread(sandbox::SandboxOptions options);
    ~SandboxThread();
    SandboxThread(const SandboxThread &) = delete;
    SandboxThread &operator=(const SandboxThread &) = delete;

    // Creates the sandbox on its thread, runs `setup` there (extra routes), then listens.
    bool start(QString *error, const std::function<void(sandbox::Sandbox &)> &setup = {});

    // Valid after a successful start().
    QStringList prefixes() const { return m_prefixes; }
    QUrl baseUrl(const QString &prefix) const;
    quint16 port() const { return m_port; }
    // The demo workspaces on this sandbox (DemoWorkspaces::create), one per platform.
    const QList<Workspace> &demoWorkspaces() const { return m_demo; }
    const sandbox::SandboxOptions &options() const { return m_options; }

private:
    sandbox::SandboxOptions m_options;
    QThread m_thread;
    QObject *m_anchor = nullptr;           // lives on m_thread: target of invocations
    sandbox::Sandbox *m_sandbox = nullptr; // created and destroyed on m_thread
    QStringList m_prefixes;
    QList<Workspace> m_demo;
    quint16 m_port = 0;
};

} // namespace parley::bench
