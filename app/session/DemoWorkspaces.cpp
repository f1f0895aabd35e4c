#include "session/DemoWorkspaces.h"

#include "providers/ProviderRegistry.h"
#include "rules/InputRules.h"
#include "sandbox/Sandbox.h"
#include "secrets/KeyStore.h"

#include <QCoreApplication>
#include <QTimer>

#include <memory>

namespace parley::DemoWorkspaces {

QMap<QString, QString> paramsFor(const QString &platform)
{
    QMap<QString, QString> params;
    const PlatformInfo info = ProviderRegistry::platform(platform);
    for (const WorkspaceField &field : info.fields) {
        QString value;
        if (InputRules::fits(field, field.defaultValue))
            value = field.defaultValue;
        if (value.isEmpty() && !field.required)
            continue; // optional: leave it unset rather than invent a value
        if (value.isEmpty() && InputRules::fits(field, field.placeholder))
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
        // What the emulation itself says its demo workspace needs.
        const QMap<QString, QString> own = sandbox.demoParams(prefix);
        for (auto it = own.cbegin(); it != own.cend(); ++it)
            ws.params.insert(it.key(), it.value());
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
