#pragma once

// The real MainWindow on one workspace whose provider is a ScriptedProvider (through
// AppServices::makeProvider), for GUI tests of the write side: the test drives the reply
// streams itself.

#include "gui/ConversationRows.h"
#include "gui/GuiFixture.h"

#include "MainWindow.h"
#include "models/ConversationListModel.h"
#include "session/DemoWorkspaces.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QPointer>
#include <QTest>

#include <functional>
#include <memory>

namespace parley::test {

class ScriptedWindow
{
public:
    using Tweak = std::function<void(ScriptedProvider &)>;

    explicit ScriptedWindow(GuiFixture &fx)
        : m_fx(fx)
    {}
    ~ScriptedWindow() { close(); }

    // Settings and workspaces back to a clean state (call from init()).
    void reset()
    {
        close();
        configure = {};
        outboxDelivery = nullptr;
        for (const Workspace &ws : m_fx.store->workspaces())
            m_fx.store->remove(ws.id);
        m_fx.store->removeDemoWorkspaces();
        for (Settings::Key key :
             {Settings::Key::MainWindowGeometry, Settings::Key::MainWindowState,
              Settings::Key::MainSplitterState, Settings::Key::DetailSplitterState,
              Settings::Key::LastWorkspaceId})
            m_fx.settings->reset(key);
    }

    // Closes the window; the workspace's drafts are forgotten.
    void close()
    {
        window.reset();
        if (!workspace.id.isNull())
            m_fx.settings->removeDrafts(workspace.id);
        workspace = {};
    }

    // A window on a scripted workspace with `actions` and five conversations (the first
    // with `turns` turns, the others with two); the first conversation is opened.
    bool open(Capabilities::Actions actions, int turns = 3, Tweak tweak = {})
    {
        configure = [actions, turns, tweak](ScriptedProvider &p) {
            p.actions = actions;
            for (int i = 0; i < p.conversations.size(); ++i) {
                const QString id = p.conversations.at(i).id;
                ConversationDetail d = makeDetail(id, i == 0 ? turns : 2);
                d.summary = p.conversations.at(i);
                p.details.insert(id, d);
            }
            if (tweak)
                tweak(p);
        };
        workspace = m_fx.posthogWorkspace(QStringLiteral("Scripted"));
        QString error;
        if (!m_fx.store->add(workspace, &error)) {
            qWarning("store refused: %s", qPrintable(error));
            return false;
        }
        if (!m_fx.storeKey(workspace, "scripted-key"))
            return false;
        show();
        window->selectWorkspace(workspace.id);
        if (!QTest::qWaitFor(
                [this] { return scripted && window->conversationModel()->loadedCount() == 5; },
                kWaitMs))
            return false;
        return selectRow(0);
    }

    // A window on the started sandbox's demo workspace of `platform`, saved with the
    // sandbox's key; true once its list shows conversations (a warning says what failed).
    bool openDemo(const QString &platform)
    {
        workspace = {};
        for (const Workspace &ws : DemoWorkspaces::create(m_fx.sandbox)) {
            if (ws.platform == platform)
                workspace = ws;
        }
        QString error;
        if (workspace.id.isNull() || !m_fx.store->add(workspace, &error)) {
            qWarning("no demo workspace of %s saved: %s", qPrintable(platform), qPrintable(error));
            return false;
        }
        if (!m_fx.storeKey(workspace, m_fx.goodKey()))
            return false;
        show();
        window->selectWorkspace(workspace.id);
        return QTest::qWaitFor([this] { return window->conversationModel()->loadedCount() > 0; },
                               kWaitMs);
    }

    // A new window with the same services (after the previous one was closed).
    void show()
    {
        AppServices services = m_fx.services();
        services.outboxDelivery = outboxDelivery;
        if (configure) {
            services.makeProvider = [this](const Workspace &, const QByteArray &, HttpClient *) {
                auto provider = std::make_unique<ScriptedProvider>(makeConversations(5));
                configure(*provider);
                scripted = provider.get();
                return std::unique_ptr<Provider>(std::move(provider));
            };
        }
        window = std::make_unique<MainWindow>(services);
        window->resize(1200, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
    }

    // Makes a row of the list current, as a click does, and waits for its transcript.
    bool selectRow(int row) { return selectConversationRow(*window, row); }

    template<typename T>
    T *child(const char *name) const
    {
        return namedChild<T>(window.get(), name);
    }

    std::unique_ptr<MainWindow> window;
    QPointer<ScriptedProvider> scripted;
    Workspace workspace;
    Tweak configure;
    OutboxDelivery *outboxDelivery = nullptr; // handed to the window when set

private:
    GuiFixture &m_fx;
};

} // namespace parley::test
