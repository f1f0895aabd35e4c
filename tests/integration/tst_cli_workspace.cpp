// parley-cli with saved workspaces: settings from WorkspaceStore, the key from the real
// keychain (gnome-keyring on the private session bus of tests/run-headless.sh).

#include "tst_cli_support.h"

#include "sandbox/Sandbox.h"
#include "secrets/KeyStore.h"
#include "store/WorkspaceStore.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {
const QByteArray kKey = "parley-demo-key";
}

class TestCliWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsSavedWorkspacesWithoutKeys();
    void listsThroughSavedWorkspace();
    void opensWorkspaceById();
    void unknownWorkspaceIsUsageError();
    void missingKeyIsAuthError();
    void keyEnvReplacesKeychain();
    void keyNeverPrinted();

private:
    CliRun cli(const QStringList &args, const QByteArray &key = {},
               const QMap<QString, QString> &env = {})
    {
        CliRun run = runCli(QStringList{u"--settings"_s, m_settingsFile} + args, key, env);
        m_runs << run;
        return run;
    }

    QTemporaryDir m_dir;
    QString m_settingsFile;
    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;
    parley::Workspace m_withKey;
    parley::Workspace m_withoutKey;
    QList<CliRun> m_runs;
};

void TestCliWorkspace::initTestCase()
{
    // Only inside tests/run-headless.sh: this writes to the keychain under the app's own
    // service name, which must be a throw-away keyring.
    if (qEnvironmentVariableIsEmpty("PARLEY_TEST_SCRATCH"))
        QSKIP("needs the private D-Bus session and gnome-keyring of tests/run-headless.sh "
              "(PARLEY_TEST_SCRATCH is unset): run it as tests/run-headless.sh BUILD_DIR "
              "-R tst_cli_workspace");
    QVERIFY(QFileInfo(cliPath()).isExecutable());
    QVERIFY(m_dir.isValid());
    m_settingsFile = m_dir.filePath(u"Parley.conf"_s);

    m_sandbox = std::make_unique<parley::sandbox::Sandbox>();
    QVERIFY(m_sandbox->start());
    QString platform;
    for (const parley::PlatformInfo &info : parley::ProviderRegistry::platforms()) {
        if (m_sandbox->prefixes().contains(info.id)) {
            platform = info.id;
            break;
        }
    }
    QVERIFY2(!platform.isEmpty(), "no registered platform has a sandbox emulation");
    const parley::PlatformInfo info = parley::ProviderRegistry::platform(platform);

    parley::WorkspaceStore store(m_settingsFile);
    for (parley::Workspace *w : {&m_withKey, &m_withoutKey}) {
        w->id = QUuid::createUuid();
        w->platform = platform;
        w->baseUrl = m_sandbox->baseUrl(platform);
        w->params = sandboxParams(info);
    }
    m_withKey.name = u"Support, EU"_s;
    m_withoutKey.name = u"No key yet"_s;
    QString error;
    QVERIFY2(store.add(m_withKey, &error), qPrintable(error));
    QVERIFY2(store.add(m_withoutKey, &error), qPrintable(error));

    parley::KeyStore keys;
    bool written = false;
    QString writeError;
    keys.writeKey(parley::KeyStore::keyName(platform, m_withKey.id), kKey, this,
                  [&](const parley::KeyResult &r) {
                      written = true;
                      writeError = r.ok() ? QString() : r.message;
                  });
    QTRY_VERIFY_WITH_TIMEOUT(written, 20000);
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));
    // The other workspace has no key: make sure no earlier run left one.
    bool deleted = false;
    keys.deleteKey(parley::KeyStore::keyName(platform, m_withoutKey.id), this,
                   [&](const parley::KeyResult &) { deleted = true; });
    QTRY_VERIFY_WITH_TIMEOUT(deleted, 20000);
}

void TestCliWorkspace::listsSavedWorkspacesWithoutKeys()
{
    const CliRun run = cli({u"workspaces"_s, u"--format"_s, u"json"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QJsonArray rows = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).toObject().value(u"name"_s).toString(), m_withKey.name);
    QCOMPARE(rows.at(0).toObject().value(u"id"_s).toString(),
             m_withKey.id.toString(QUuid::WithoutBraces));
    QCOMPARE(rows.at(0).toObject().value(u"platform"_s).toString(), m_withKey.platform);
    QCOMPARE(rows.at(0).toObject().value(u"base_url"_s).toString(), m_withKey.baseUrl.toString());

    const CliRun csv = cli({u"workspaces"_s, u"--format"_s, u"csv"_s});
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    QString problem;
    const QList<QStringList> records = parseCsv(csv.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(1).at(1), m_withKey.name); // "Support, EU" survives quoting
}

void TestCliWorkspace::listsThroughSavedWorkspace()
{
    const CliRun run = cli({u"--workspace"_s, m_withKey.name, u"list"_s, u"--limit"_s, u"3"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(run.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).value(u"platform"_s).toString(), m_withKey.platform);

    const CliRun show = cli({u"--workspace"_s, m_withKey.name, u"show"_s,
                             rows.at(0).value(u"id"_s).toString(), u"--format"_s, u"json"_s});
    QVERIFY2(show.exitCode == 0, show.describe().constData());
}

void TestCliWorkspace::opensWorkspaceById()
{
    const CliRun run = cli({u"--workspace"_s, m_withKey.id.toString(QUuid::WithoutBraces),
                            u"list"_s, u"--limit"_s, u"1"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(run.out.count('\n'), 1);
}

void TestCliWorkspace::unknownWorkspaceIsUsageError()
{
    const CliRun run = cli({u"--workspace"_s, u"Nowhere"_s, u"list"_s});
    QVERIFY2(run.exitCode == 2, run.describe().constData());
    QVERIFY(run.err.contains("Nowhere"));
    QCOMPARE(run.err.count('\n'), 1);
}

void TestCliWorkspace::missingKeyIsAuthError()
{
    const CliRun run = cli({u"--workspace"_s, m_withoutKey.name, u"list"_s});
    QVERIFY2(run.exitCode == 3, run.describe().constData());
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains("No key yet"), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
}

void TestCliWorkspace::keyEnvReplacesKeychain()
{
    // A wrong key in the named variable wins over the right one in the keychain...
    const CliRun wrong =
        cli({u"--workspace"_s, m_withKey.name, u"--key-env"_s, u"OTHER_KEY"_s, u"list"_s}, {},
            {{u"OTHER_KEY"_s, u"wrong-key-5c1d88e0aa"_s}});
    QVERIFY2(wrong.exitCode == 3, wrong.describe().constData());
    QVERIFY(!wrong.mentions("wrong-key-5c1d88e0aa"));
    // ...and the right one opens the workspace that has none stored.
    const CliRun right = cli({u"--workspace"_s, m_withoutKey.name, u"--key-env"_s, u"OTHER_KEY"_s,
                              u"list"_s, u"--limit"_s, u"2"_s},
                             {}, {{u"OTHER_KEY"_s, QString::fromLatin1(kKey)}});
    QVERIFY2(right.exitCode == 0, right.describe().constData());
    QCOMPARE(right.out.count('\n'), 2);
}

void TestCliWorkspace::keyNeverPrinted()
{
    QVERIFY(!m_runs.isEmpty());
    for (const CliRun &run : std::as_const(m_runs)) {
        QVERIFY2(!run.mentions(kKey), run.describe().constData());
        QVERIFY2(!run.crashed && !run.timedOut, run.describe().constData());
    }
}

QTEST_GUILESS_MAIN(TestCliWorkspace)
#include "tst_cli_workspace.moc"
