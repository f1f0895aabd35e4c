#include "sandbox/Sandbox.h"

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"

// One include and one line in makePlatforms() per emulated platform.
#include "sandbox/dynamiq/DynamiqSandbox.h"
#include "sandbox/fixie/FixieSandbox.h"
#include "sandbox/orq/OrqSandbox.h"
#include "sandbox/polyai/PolyaiSandbox.h"
#include "sandbox/posthog/PosthogSandbox.h"

#include <QHostAddress>

namespace parley::sandbox {

namespace {

std::vector<std::unique_ptr<SandboxPlatform>> makePlatforms(const SandboxOptions &options)
{
    std::vector<std::unique_ptr<SandboxPlatform>> list;
    // Dynamiq's two hosts share what write calls change (runs, tokens, met requirements).
    auto dynamiq = std::make_shared<DynamiqSandboxState>(options.seed);
    list.push_back(std::make_unique<DynamiqSandbox>(options, dynamiq));
    list.push_back(std::make_unique<DynamiqAppSandbox>(options, dynamiq));
    list.push_back(std::make_unique<FixieSandbox>(options));
    list.push_back(std::make_unique<PolyaiSandbox>(options));
    list.push_back(std::make_unique<OrqSandbox>(options));
    list.push_back(std::make_unique<PosthogSandbox>(options));
    return list;
}

} // namespace

Sandbox::Sandbox(SandboxOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_server(std::make_unique<SandboxServer>())
    , m_platforms(makePlatforms(m_options))
{
    for (const auto &p : m_platforms)
        p->install(*m_server);
}

Sandbox::~Sandbox()
{
    // The server first: closing its streams runs their end-of-stream callbacks, which
    // belong to the platform emulations, so those must still be there.
    m_server.reset();
    m_platforms.clear();
}

bool Sandbox::start(QString *error)
{
    QString why;
    if (!m_server->setFaults(m_options.faults, &why)) {
        if (error)
            *error = tr("bad fault spec: %1").arg(why);
        return false;
    }
    m_port = m_server->listen(QHostAddress::LocalHost, m_options.port);
    if (m_port == 0 && error)
        *error = tr("cannot listen on 127.0.0.1 port %1").arg(m_options.port);
    return m_port != 0;
}

QStringList Sandbox::prefixes() const
{
    QStringList out;
    for (const auto &p : m_platforms)
        out << p->prefix();
    return out;
}

QUrl Sandbox::baseUrl(const QString &prefix) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    url.setPath(QLatin1Char('/') + prefix);
    return url;
}

} // namespace parley::sandbox
