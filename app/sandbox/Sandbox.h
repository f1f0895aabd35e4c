#pragma once

#include "sandbox/SandboxOptions.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <vector>

namespace parley::sandbox {

class SandboxServer;
class SandboxPlatform;

// The embedded demo server: every platform's emulation on one loopback port, each under
// its own path prefix, so http://127.0.0.1:PORT/posthog is a PostHog base URL.
class Sandbox : public QObject
{
    Q_OBJECT
public:
    explicit Sandbox(SandboxOptions options = {}, QObject *parent = nullptr);
    ~Sandbox() override;

    // Listens on 127.0.0.1 (options.port, or a free one). False with `error` set on failure.
    bool start(QString *error = nullptr);
    quint16 port() const { return m_port; }
    const SandboxOptions &options() const { return m_options; }

    // Prefixes of the installed emulations, in order (one per platform, plus helper hosts
    // such as a platform's second host).
    QStringList prefixes() const;
    // What a demo workspace on `prefix` needs beyond its platform's defaults
    // (SandboxPlatform::demoParams).
    QMap<QString, QString> demoParams(const QString &prefix) const;
    // http://127.0.0.1:PORT/<prefix>
    QUrl baseUrl(const QString &prefix) const { return baseUrl(m_port, prefix); }
    // The same for a sandbox listening on `port` (one on another thread, say).
    static QUrl baseUrl(quint16 port, const QString &prefix);
    SandboxServer *server() const { return m_server.get(); }

private:
    SandboxOptions m_options;
    std::unique_ptr<SandboxServer> m_server;
    std::vector<std::unique_ptr<SandboxPlatform>> m_platforms;
    quint16 m_port = 0;
};

} // namespace parley::sandbox
