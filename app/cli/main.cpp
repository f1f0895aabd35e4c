// parley-cli: list and read conversations from the command line, with the same core as
// the desktop app and no widgets. See `parley-cli --help`.

#include "cli/CliOptions.h"
#include "cli/CliRunner.h"
#include "cli/CommandHelp.h"
#include "cli/Console.h"
#include "cli/ExitCode.h"
#include "cli/PlatformHelp.h"
#include "net/HttpClient.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::cli;

namespace {

// Ctrl+C reaches the event loop through a socket pair: the signal handler only writes a
// byte (all it may safely do), a QSocketNotifier turns it into a call on the GUI thread.
int g_signalFds[2] = {-1, -1};

void onSigint(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The same names as the desktop app, so that QSettings finds its workspaces.
    QCoreApplication::setOrganizationName(u"Parley"_s);
    QCoreApplication::setOrganizationDomain(u"parley.io"_s);
    QCoreApplication::setApplicationName(u"Parley"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(PARLEY_VERSION));

    Console console;
    const CliParseResult parsed = parseCliArguments(QCoreApplication::arguments());
    if (!parsed.error.isEmpty()) {
        // One line, as every error: what is wrong, then how the command is used.
        QString line = parsed.error + u" See parley-cli --help."_s;
        if (!parsed.usage.isEmpty())
            line = parsed.error + u' ' + parsed.usage + u". See parley-cli "_s + parsed.command +
                   u" --help."_s;
        console.error(line);
        return int(ExitCode::Usage);
    }
    // stderr carries the one-line error and nothing else, unless asked for more
    // (QT_LOGGING_RULES still overrides this).
    QLoggingCategory::setFilterRules(parsed.options.verbose
                                         ? u"parley.*.debug=true"_s
                                         : u"*.debug=false\n*.info=false\n*.warning=false"_s);

    switch (parsed.options.command) {
    case CliOptions::Command::Help: {
        HttpClient http;
        console.out()->write((parsed.options.helpTopic.isEmpty()
                                  ? cliHelpText() + u'\n' + platformHelpText(&http)
                                  : commandHelpText(parsed.options.helpTopic, &http))
                                 .toUtf8());
        return int(ExitCode::Ok);
    }
    case CliOptions::Command::Version:
        console.out()->write("parley-cli " PARLEY_VERSION "\n");
        return int(ExitCode::Ok);
    default:
        break;
    }

    CliRunner runner(parsed.options, &console);
    QObject::connect(&runner, &CliRunner::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) == 0) {
        auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &runner, [&runner]() {
            char byte = 0;
            [[maybe_unused]] const auto got = ::read(g_signalFds[1], &byte, 1);
            runner.interrupt();
        });
        struct sigaction action = {};
        action.sa_handler = onSigint;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
    }
    QTimer::singleShot(0, &runner, &CliRunner::start);
    return app.exec();
}
