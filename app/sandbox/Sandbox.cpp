#include "sandbox/Sandbox.h"

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"

#include <QHostAddress>

#include <algorithm>

namespace parley::sandbox {

namespace SandboxRegistry {

namespace {

std::vector<Factory> &factories()
{
    static std::vector<Factory> list; // filled before main(), read-only after
    return list;
}

} // namespace

bool add(Factory factory)
{
    if (std::find(factories().begin(), factories().end(), factory) == factories().end())
        factories().push_back(factory);
    return true;
}

SandboxPlatforms make(const SandboxOptions &options)
{
    SandboxPlatforms list;
    for (const Factory factory : factories())
        factory(options, list);
    std::sort(list.begin(), list.end(),
              [](const auto &a, const auto &b) { return a->prefix() < b->prefix(); });
    return list;
}

} // namespace SandboxRegistry

Sandbox::Sandbox(SandboxOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_server(std::make_unique<SandboxServer>())
    , m_platforms(SandboxRegistry::make(m_options))
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

QMap<QString, QString> Sandbox::demoParams(const QString &prefix) const
{
    for (const auto &p : m_platforms) {
        if (p->prefix() == prefix)
            return p->demoParams([this](const QString &other) { return baseUrl(other); });
    }
    return {};
}

QUrl Sandbox::baseUrl(quint16 port, const QString &prefix)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(QLatin1Char('/') + prefix);
    return url;
}

} // namespace parley::sandbox
