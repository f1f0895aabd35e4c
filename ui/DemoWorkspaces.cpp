#include "DemoWorkspaces.h"

#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "secrets/KeyStore.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimer>

#include <memory>

namespace parley::DemoWorkspaces {

namespace {

// Values the sandbox emulations expect where a field's default would not do.
struct KnownParam
{
    const char *platform;
    const char *key;
    const char *value;
};
constexpr KnownParam kKnown[] = {
    {"posthog", "project_id", "1"},
};

bool fits(const WorkspaceField &field, const QString &value)
{
    if (value.isEmpty())
        return false;
    if (!field.choices.isEmpty())
        return field.choices.contains(value);
    if (field.pattern.isEmpty())
        return true;
    return QRegularExpression(QRegularExpression::anchoredPattern(field.pattern))
        .match(value)
        .hasMatch();
}

} // namespace

QMap<QString, QString> paramsFor(const QString &platform)
{
    QMap<QString, QString> params;
    const PlatformInfo info = ProviderRegistry::platform(platform);
    for (const WorkspaceField &field : info.fields) {
        QString value;
        for (const KnownParam &k : kKnown) {
            if (platform == QLatin1String(k.platform) && field.key == QLatin1String(k.key))
                value = QLatin1String(k.value);
        }
        if (value.isEmpty() && fits(field, field.defaultValue))
            value = field.defaultValue;
        if (value.isEmpty() && !field.required)
            continue; // optional: leave it unset rather than invent a value
        if (value.isEmpty() && fits(field, field.placeholder))
            value = field.placeholder;
        if (value.isEmpty() && !field.choices.isEmpty())
            value = field.choices.constFirst();
        if (value.isEmpty())
            value = QStringLiteral("demo");
        params.insert(field.key, value);
    }
    return params;
}

QList<Workspace> create(const sandbox::Sandbox &sandbox)
{
    // A fixed namespace for the demo workspaces' name-based UUIDs.
    static const QUuid ns(QStringLiteral("{5b0f7a52-1c55-4f3e-9a0e-6d1f3e0a9c11}"));
    QList<Workspace> out;
    for (const QString &prefix : sandbox.prefixes()) {
        const PlatformInfo info = ProviderRegistry::platform(prefix);
        if (info.id.isEmpty())
            continue; // a sandbox helper route (e.g. a second host), not a platform
        Workspace ws;
        ws.id = QUuid::createUuidV5(ns, prefix);
        ws.name = QCoreApplication::translate("parley::DemoWorkspaces", "%1 (demo)")
                      .arg(info.displayName);
        ws.platform = info.id;
        ws.baseUrl = sandbox.baseUrl(prefix);
        ws.params = paramsFor(info.id);
        // A platform's second host (Dynamiq's deployed-app host) is served by the sandbox
        // under "<platform>-app"; the demo points the workspace's app_host there.
        const QString appPrefix = prefix + QStringLiteral("-app");
        if (sandbox.prefixes().contains(appPrefix)) {
            for (const WorkspaceField &field : info.fields) {
                if (field.key == QLatin1String("app_host"))
                    ws.params.insert(field.key, sandbox.baseUrl(appPrefix).toString());
            }
        }
        ws.demo = true;
        out << ws;
    }
    return out;
}

void storeKeys(KeyStore *keys, const QList<Workspace> &workspaces, const QByteArray &key,
               QObject *context, std::function<void(bool heldInMemory)> done)
{
    struct Progress
    {
        int pending = 0;
        bool heldInMemory = false;
        std::function<void(bool)> done;
    };
    auto progress = std::make_shared<Progress>();
    progress->pending = int(workspaces.size());
    progress->done = std::move(done);
    if (workspaces.isEmpty()) {
        QTimer::singleShot(0, context, [progress] { progress->done(false); });
        return;
    }
    for (const Workspace &ws : workspaces) {
        const QString name = KeyStore::keyName(ws.platform, ws.id);
        keys->writeKey(name, key, context, [keys, name, key, progress](const KeyResult &r) {
            if (!r.ok()) {
                keys->holdInMemory(name, key);
                progress->heldInMemory = true;
            }
            if (--progress->pending == 0)
                progress->done(progress->heldInMemory);
        });
    }
}

} // namespace parley::DemoWorkspaces
