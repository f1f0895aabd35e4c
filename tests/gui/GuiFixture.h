#pragma once

// Shared set-up for the GUI tests: the real services (HTTP client, a KeyStore on a test
// service name, Settings and WorkspaceStore in temporary files) and an in-process sandbox.

#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "secrets/KeyStore.h"
#include "session/AppServices.h"
#include "session/DemoWorkspaces.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace parley::test {

// Never the app's own keychain service: a developer's real keys are not touched.
inline const QString kTestService = QStringLiteral("io.parley.Parley.tests");
inline constexpr int kWaitMs = 15000;

// The descendant of `parent` named `name`; a warning names it when there is none.
template<typename T>
T *namedChild(const QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child named %s", name);
    return w;
}

// Collects one KeyStore answer; its context dies with it, so a late callback is dropped.
struct KeyAnswer
{
    QObject context;
    std::optional<KeyResult> result;
    KeyStore::Callback callback()
    {
        return [this](const KeyResult &r) { result = r; };
    }
};

class GuiFixture
{
public:
    GuiFixture()
    {
        QStandardPaths::setTestModeEnabled(true);
        settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("settings.ini")));
        store = std::make_unique<WorkspaceStore>(dir.filePath(QStringLiteral("workspaces.ini")));
    }

    bool start()
    {
        QString error;
        if (!sandbox.start(&error)) {
            qWarning("sandbox: %s", qPrintable(error));
            return false;
        }
        return dir.isValid();
    }

    AppServices services() { return {&http, &keys, store.get(), settings.get()}; }

    // A saved (not demo) workspace on the sandbox's PostHog, with the settings of its demo
    // workspace.
    Workspace posthogWorkspace(const QString &name) const
    {
        Workspace ws;
        for (const Workspace &demo : DemoWorkspaces::create(sandbox)) {
            if (demo.platform == QStringLiteral("posthog"))
                ws = demo;
        }
        ws.id = QUuid::createUuid();
        ws.name = name;
        ws.demo = false;
        return ws;
    }

    QByteArray goodKey() const { return sandbox.options().key; }

    // Stores `key` for `ws` the way the app does; where the keychain cannot (no backend
    // outside tests/run-headless.sh), holds it in memory. True when the key is available.
    bool storeKey(const Workspace &ws, const QByteArray &key)
    {
        const QString name = KeyStore::keyName(ws.platform, ws.id);
        KeyAnswer answer;
        keys.writeKey(name, key, &answer.context, answer.callback());
        if (!QTest::qWaitFor([&] { return answer.result.has_value(); }, kWaitMs))
            return false;
        if (!answer.result->ok())
            keys.holdInMemory(name, key);
        return true;
    }

    std::optional<KeyResult> readKey(const Workspace &ws)
    {
        KeyAnswer answer;
        keys.readKey(KeyStore::keyName(ws.platform, ws.id), &answer.context, answer.callback());
        if (!QTest::qWaitFor([&] { return answer.result.has_value(); }, kWaitMs))
            return std::nullopt;
        return answer.result;
    }

    QTemporaryDir dir;
    sandbox::Sandbox sandbox;
    HttpClient http;
    KeyStore keys{kTestService};
    std::unique_ptr<Settings> settings;
    std::unique_ptr<WorkspaceStore> store;
};

} // namespace parley::test
