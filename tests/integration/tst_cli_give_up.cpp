// A platform that never answers is reported within a minute by default, retries included
// (issue 12 §4): the real parley-cli, with none of its timing options, against the sandbox's
// `hang` fault over real HTTP. Without the shared limit the default retries (3) of a 30 s
// request timeout would take over two minutes. Labelled heavy: it waits that minute.
#include "cli/ExitCode.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "tst_cli_support.h"

#include <QElapsedTimer>

using namespace clitest;
using namespace Qt::StringLiterals;

class TestCliGiveUp : public QObject
{
    Q_OBJECT

private slots:
    void silentPlatformIsReportedWithinAMinute()
    {
        const QByteArray key = "give-up-key";
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
        const auto sandbox = startSandbox(key, 3, 5);
        QVERIFY(sandbox);
        QVERIFY(sandbox->server()->setFaults(u"hang"_s));

        QElapsedTimer clock;
        clock.start();
        const CliRun run = runCli(where(u"posthog"_s, *sandbox) << u"list"_s, key, {}, 150000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(run.exitCode == int(parley::cli::ExitCode::Unavailable),
                 run.describe().constData());
        QVERIFY2(elapsed <= 62000, qPrintable(u"reported after %1 ms"_s.arg(elapsed)));
        QVERIFY2(elapsed >= 55000, qPrintable(u"gave up early, after %1 ms"_s.arg(elapsed)));
        QVERIFY2(sandbox->server()->requestCount() >= 2, "it was not tried again");
        QVERIFY2(run.err.contains("did not answer"), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliGiveUp)
#include "tst_cli_give_up.moc"
