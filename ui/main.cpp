// parley: the GUI composition root. Creates the long-lived services (HTTP client, keychain,
// settings, workspace store), optionally the in-process sandbox for --demo, and the window.
#include "Icons.h"

#include "MainWindow.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/TranscriptController.h"
#include "core/TranslationContext.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/FaultSpec.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxOptions.h"
#include "secrets/KeyStore.h"
#include "session/AppServices.h"
#include "session/DemoWorkspaces.h"
#include "session/SessionPool.h"
#include "store/Outbox.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace parley;

namespace {

const TranslationContext tr{"parley::main"};

// --demo: the sandbox on a free loopback port, one demo workspace per platform it emulates,
// their keys stored the way real keys are, then the first workspace and conversation open.
bool startDemo(MainWindow &window, const AppServices &services, sandbox::Sandbox &sandbox)
{
    QString error;
    if (!sandbox.start(&error)) {
        QTextStream(stderr) << "parley: the demo sandbox could not start: " << error << Qt::endl;
        return false;
    }
    const QList<Workspace> demo = DemoWorkspaces::create(sandbox);
    for (const Workspace &ws : demo)
        services.workspaces->add(ws); // demo workspaces are kept in memory only
    window.reloadWorkspaces();

    const QString note = tr("Demo mode: every platform is emulated on http://127.0.0.1:%1; "
                            "nothing you see is real and nothing is saved.")
                             .arg(sandbox.port());
    window.setStatusNote(note);
    if (demo.isEmpty())
        return true;

    // The demo opens at once: its keys are held in memory through the KeyStore first, then
    // written to the keychain in the background. A keychain that prompts (e.g. to create a
    // keyring) or is missing never holds up the window.
    const QByteArray key = sandbox.options().key;
    for (const Workspace &ws : demo)
        services.keys->holdInMemory(KeyStore::keyName(ws.platform, ws.id), key);
    // Open a workspace whose platform has transcripts, so the demo shows one straight away.
    QUuid open = demo.constFirst().id;
    for (const Workspace &ws : demo) {
        if (ProviderRegistry::capabilities(ws.platform).can(Capabilities::Transcript)) {
            open = ws.id;
            break;
        }
    }
    window.setOpenFirstConversation(true);
    window.selectWorkspace(open);
    DemoWorkspaces::storeKeys(
        services.keys, demo, key, &window, [&window, note](bool heldInMemory) {
            if (heldInMemory)
                window.setStatusNote(note + QLatin1Char(' ') +
                                     tr("No keychain is available: the demo keys are held "
                                        "in memory for this session."));
        });
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Parley"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("parley.io"));
    QCoreApplication::setApplicationName(QStringLiteral("Parley"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PARLEY_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Parley"));
    QGuiApplication::setDesktopFileName(QStringLiteral(PARLEY_APP_ID));
    QApplication::setWindowIcon(Icons::get(Icons::App));

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Desktop console for the conversations of AI agents on %1.")
                                         .arg(ProviderRegistry::displayNames()));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        tr("Start the built-in sandbox and open one demo workspace per platform. Your own "
           "workspaces are left untouched."));
    parser.addOption(demo);
    const QCommandLineOption demoFaults(
        QStringLiteral("demo-faults"),
        tr("With --demo: make the sandbox misbehave as SPEC says (for example "
           "\"html=503,first=2\" or \"hang,path=/posthog/.*\"; parley-sandbox --help lists "
           "every fault), to see how Parley copes."),
        QStringLiteral("SPEC"));
    parser.addOption(demoFaults);
    // For smoke tests: quit with 0 once the first transcript is on screen, 3 if none within
    // 60 s. Not shown in --help.
    QCommandLineOption smoke(QStringLiteral("smoke-test"),
                             QStringLiteral("Quit once the first transcript is shown."));
    smoke.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(smoke);
    parser.process(app);
    sandbox::SandboxOptions demoOptions;
    // As on a busy platform: three conversations per platform keep answering, to be followed.
    demoOptions.live = 3;
    if (parser.isSet(demoFaults)) {
        QString error;
        if (!parser.isSet(demo) ||
            !sandbox::FaultSpec::parse(parser.value(demoFaults), &error).has_value()) {
            QTextStream(stderr) << "parley: --demo-faults: "
                                << (parser.isSet(demo) ? error : tr("only with --demo"))
                                << Qt::endl;
            return 2;
        }
        demoOptions.faults = parser.value(demoFaults);
    }

    HttpClient http;
    KeyStore keys;
    Settings settings;
    WorkspaceStore workspaces;
    // Appended notes wait in the outbox until delivered. The demo's go to a throwaway file:
    // its workspaces do not outlive the run.
    std::unique_ptr<QTemporaryDir> demoDir;
    if (parser.isSet(demo))
        demoDir = std::make_unique<QTemporaryDir>();
    Outbox outbox(demoDir ? demoDir->filePath(QStringLiteral("outbox.sqlite"))
                          : Outbox::defaultPath());
    AppServices services{&http, &keys, &workspaces, &settings};
    // Every workspace's session: one key read and one provider each, for the window and the
    // outbox alike.
    SessionPool sessions(services);
    OutboxDelivery outboxDelivery(&outbox, sessions.outboxProviders());
    services.outboxDelivery = &outboxDelivery;
    services.sessions = &sessions;
    sessions.setOutboxDelivery(&outboxDelivery);

    std::unique_ptr<sandbox::Sandbox> sandbox;
    MainWindow window(services);
    if (parser.isSet(demo)) {
        sandbox = std::make_unique<sandbox::Sandbox>(demoOptions);
        if (!startDemo(window, services, *sandbox))
            return 1;
    } else {
        window.restoreLastWorkspace();
    }
    if (parser.isSet(smoke)) {
        QObject::connect(&window, &MainWindow::transcriptShown, &app,
                         [] { QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(0); }); });
        QTimer::singleShot(60000, &app, [] {
            QTextStream(stderr) << "parley: no transcript was shown within 60 s" << Qt::endl;
            QCoreApplication::exit(3);
        });
    }
    window.show();
    const int code = app.exec();
    if (sandbox)
        workspaces.removeDemoWorkspaces();
    return code;
}
