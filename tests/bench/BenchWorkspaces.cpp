#include "BenchWorkspaces.h"

#include "providers/ProviderRegistry.h"

#include <QMap>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace parley::bench {

Workspace sandboxWorkspace(const QString &platform, const QUrl &baseUrl)
{
    static const QMap<QString, QMap<QString, QString>> known{
        {u"posthog"_s, {{u"project_id"_s, u"1"_s}}},
    };
    const PlatformInfo info = ProviderRegistry::platform(platform);
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.name = info.displayName + u" (bench)"_s;
    ws.platform = platform;
    ws.baseUrl = baseUrl;
    ws.demo = true;
    const QMap<QString, QString> preset = known.value(platform);
    for (const WorkspaceField &field : info.fields) {
        QString value = preset.value(field.key);
        if (value.isEmpty())
            value = field.defaultValue;
        if (value.isEmpty() && !field.choices.isEmpty())
            value = field.choices.constFirst();
        if (value.isEmpty())
            value = field.placeholder;
        if (!value.isEmpty())
            ws.params.insert(field.key, value);
    }
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
