#include "BenchWorkspaces.h"

#include "providers/ProviderRegistry.h"

#include <QMap>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace parley::bench {

Workspace sandboxWorkspace(const QList<Workspace> &demo, const QString &platform,
                           const QUrl &baseUrl)
{
    Workspace ws;
    for (const Workspace &d : demo) {
        if (d.platform == platform)
            ws = d;
    }
    ws.id = QUuid::createUuid();
    ws.name = ProviderRegistry::platform(platform).displayName + u" (bench)"_s;
    ws.platform = platform;
    ws.baseUrl = baseUrl;
    ws.demo = true;
    return ws;
}

QStringList benchPlatforms(const QStringList &sandboxPrefixes, const QStringList &wanted)
{
    QStringList out;
    for (const QString &prefix : sandboxPrefixes) {
        if (ProviderRegistry::platform(prefix).id.isEmpty())
            continue; // a sandbox helper route, not a platform
        if (!wanted.isEmpty() && !wanted.contains(prefix))
            continue;
        out << prefix;
    }
    return out;
}

} // namespace parley::bench
