// parley-cli with -v (and with every logging category on): list, show, send (streamed),
// append, a queue change, a wrong key, a redirect to another host and an unreachable
// platform, all against the in-process sandbox with a random key made for this run. Nothing
// any run prints, on stdout or stderr, holds the key in any form (plain, base64, percent,
// hex, UTF-16), and nothing is left in the HOME and XDG folders the runs were given.
// tst_cli and tst_cli_workspace check runs without -v.
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "support/SecretScan.h"
#include "tst_cli_support.h"

#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace clitest;
using namespace Qt::StringLiterals;

class TstCliVerboseHygiene : public QObject
{
    Q_OBJECT

private:
    QByteArray m_key;
    SecretForms m_forms;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    QTemporaryDir m_home;
    QMap<QString, QString> m_env;
    QList<std::pair<QStringList, CliRun>> m_runs;

    // Verbose runs against `platform`'s emulation with the workspace setting `param`.
    QStringList verboseAt(const QString &platform, const QString &param) const
    {
        return {u"-v"_s,
                u"--provider"_s,
                platform,
                u"--base-url"_s,
                m_sandbox->baseUrl(platform).toString(),
                u"--param"_s,
                param};
    }
    QStringList posthog() const { return verboseAt(u"posthog"_s, u"project_id=1"_s); }
    QStringList dynamiq() const
    {
        return verboseAt(u"dynamiq"_s,
                         u"app_host="_s + m_sandbox->baseUrl(u"dynamiq-app"_s).toString());
    }

    // Runs and keeps the run for the final check; the key in PARLEY_API_KEY.
    CliRun cli(const QStringList &args, const QByteArray &key,
               const QMap<QString, QString> &extraEnv = {})
    {
        QMap<QString, QString> env = m_env;
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        const CliRun run = runCli(args, key, env, 30000);
        m_runs.append({args, run});
        return run;
    }

    QString firstId(const QStringList &where)
    {
        const CliRun run = cli(QStringList(where) << u"list"_s << u"--limit"_s << u"1"_s, m_key);
        QString error;
        const QList<QJsonObject> rows = parseNdjson(run.out, &error);
        return rows.isEmpty() ? QString() : rows.constFirst().value(u"id"_s).toString();
    }

    QString idleId(const QStringList &where)
    {
        const CliRun run = cli(QStringList(where) << u"list"_s, m_key);
        QString error;
        for (const QJsonObject &row : parseNdjson(run.out, &error)) {
            if (row.value(u"status"_s).toString() == u"idle"_s)
                return row.value(u"id"_s).toString();
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
        m_key = distinctiveSecret("cli_");
        m_forms = secretForms(m_key);
        m_sandbox = startSandbox(m_key, 10, 5, 5);
        QVERIFY(m_sandbox);
        QVERIFY(m_home.isValid());
        for (const auto &[name, sub] :
             {std::pair{u"HOME"_s, u"home"_s}, std::pair{u"XDG_CONFIG_HOME"_s, u"config"_s},
              std::pair{u"XDG_DATA_HOME"_s, u"data"_s}, std::pair{u"XDG_CACHE_HOME"_s, u"cache"_s},
              std::pair{u"XDG_STATE_HOME"_s, u"state"_s}, std::pair{u"TMPDIR"_s, u"tmp"_s}}) {
            QVERIFY(QDir().mkpath(m_home.filePath(sub)));
            m_env.insert(name, m_home.filePath(sub));
        }
    }

    void verboseReadsAndWrites()
    {
        // PostHog: list, show, send (streamed), append, queue.
        const QString id = idleId(posthog());
        QVERIFY(!id.isEmpty());
        CliRun run = cli(posthog() << u"show"_s << id, m_key);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        // -v logs the requests: the check below looks at real log lines.
        QVERIFY2(run.err.contains("parley.net") && run.err.contains("/posthog/"),
                 run.describe().constData());
        run = cli(posthog() << u"send"_s << id << u"How many sign-ups?"_s, m_key);
        QVERIFY2(run.exitCode == 0 && !run.out.isEmpty(), run.describe().constData());
        run = cli(posthog() << u"send"_s << id << u"More detail"_s << u"--format"_s << u"ndjson"_s,
                  m_key);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        run = cli(posthog() << u"append"_s << id << u"A note from support"_s, m_key);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        run = cli(posthog() << u"queue"_s << id << u"list"_s, m_key);
        QVERIFY2(run.exitCode == 0, run.describe().constData());

        // Dynamiq: list, show, send (a streamed run), requirements.
        const QString dyn = firstId(dynamiq());
        QVERIFY(!dyn.isEmpty());
        run = cli(dynamiq() << u"show"_s << dyn << u"--format"_s << u"json"_s, m_key);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        run = cli(dynamiq() << u"send"_s << dyn << u"What can you do?"_s, m_key);
        QVERIFY2(run.exitCode == 0 && !run.out.isEmpty(), run.describe().constData());
        run = cli(dynamiq() << u"requirements"_s << u"customer-12"_s, m_key);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.describe().constData());
    }

    void everyCategoryAtDebugLevel()
    {
        // QT_LOGGING_RULES wins over -v: Qt's own categories too.
        const CliRun run = cli(posthog() << u"list"_s << u"--limit"_s << u"3"_s, m_key,
                               {{u"QT_LOGGING_RULES"_s, u"*.debug=true"_s}});
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY2(run.err.contains("qt."), "expected Qt's own debug lines");
    }

    void failuresInVerboseMode()
    {
        // A wrong key: the platform's 401, with the key that was sent nowhere in the output.
        const QByteArray wrong = distinctiveSecret("wrong_");
        CliRun run = cli(posthog() << u"list"_s, wrong);
        QCOMPARE(run.exitCode, 3);
        for (const auto &[name, needle] : secretForms(wrong))
            QVERIFY2(!run.out.contains(needle) && !run.err.contains(needle), name.constData());

        // A redirect to another host: refused, said so.
        QVERIFY(m_sandbox->server()->setFaults(u"redirect-other-host"_s));
        run = cli(posthog() << u"list"_s, m_key);
        m_sandbox->server()->setFaults(QString());
        QVERIFY2(run.exitCode != 0 && run.err.contains("127.0.0.2"), run.describe().constData());

        // Nobody listening.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        run = cli({u"-v"_s, u"--provider"_s, u"posthog"_s, u"--base-url"_s,
                   u"http://127.0.0.1:%1"_s.arg(port), u"--param"_s, u"project_id=1"_s,
                   u"--retries"_s, u"0"_s, u"list"_s},
                  m_key);
        QCOMPARE(run.exitCode, 5);

        // Plain http to a remote host: refused before anything is sent.
        run = cli({u"-v"_s, u"--provider"_s, u"posthog"_s, u"--base-url"_s,
                   u"http://posthog.example.invalid"_s, u"--param"_s, u"project_id=1"_s, u"list"_s},
                  m_key);
        QCOMPARE(run.exitCode, 2);
    }

    // Last: no run printed the key, and no file holds it.
    void keyNeverPrintedOrSaved()
    {
        QVERIFY(m_runs.size() >= 12);
        for (const auto &[args, run] : std::as_const(m_runs)) {
            QVERIFY2(!run.crashed && !run.timedOut, run.describe().constData());
            const QList<QByteArray> found = formsIn(run.out + '\n' + run.err, m_forms);
            QVERIFY2(found.isEmpty(),
                     qPrintable(args.join(u' ') + u": "_s + QString::fromLatin1(found.join(", "))));
        }
        const QStringList hits = filesWithSecret(m_home.path(), m_forms);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TstCliVerboseHygiene)
#include "tst_cli_verbose_hygiene.moc"
