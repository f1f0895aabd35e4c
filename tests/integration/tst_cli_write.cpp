// parley-cli's actions, run as the real binary against the in-process sandbox over real
// HTTP: create, send (streamed), requirements and link (the test opens the printed link as
// a browser would), PostHog's append and queue, conflicts (exit 7), unsupported actions,
// usage errors and Ctrl+C.
#include "cli/ExitCode.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "tst_cli_support.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <csignal>
#include <memory>

using namespace parley;
using namespace clitest;
using namespace Qt::StringLiterals;
using parley::sandbox::Sandbox;
using parley::sandbox::SandboxOptions;

namespace {

const QByteArray kKey = "parley-demo-key";

int code(cli::ExitCode c)
{
    return int(c);
}

} // namespace

class TestCliWrite : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_sandbox.reset(); }

    void createPrintsTheIdThenStreamsTheReply();
    void sendStreamsEventsAsNdjson();
    void createRefusesUnknownFields();
    void unsupportedActionNamesThePlatform();
    void usageErrors_data();
    void usageErrors();
    void requirementsListTheUnmetOnes();
    void linkWaitsUntilTheAccountIsLinked();
    void linkTimesOut();
    void ctrlCStopsWaiting();
    void posthogAppendAndQueue();
    void conflictsExitWithSeven();

private:
    QStringList dynamiq() const;
    QStringList posthog() const;
    QString anAppId() const;
    QString aDynamiqConversation() const;

    std::unique_ptr<Sandbox> m_sandbox;
};

void TestCliWrite::initTestCase()
{
    SandboxOptions options;
    options.seed = 11;
    options.conversations = 30;
    options.key = kKey;
    options.streamIntervalMs = 5;
    m_sandbox = std::make_unique<Sandbox>(options);
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
}

QStringList TestCliWrite::dynamiq() const
{
    return {u"--provider"_s, u"dynamiq"_s,
            u"--base-url"_s, m_sandbox->baseUrl(u"dynamiq"_s).toString(),
            u"--param"_s,    u"app_host="_s + m_sandbox->baseUrl(u"dynamiq-app"_s).toString()};
}

QStringList TestCliWrite::posthog() const
{
    return {u"--provider"_s, u"posthog"_s,
            u"--base-url"_s, m_sandbox->baseUrl(u"posthog"_s).toString(),
            u"--param"_s,    u"project_id=1"_s};
}

QString TestCliWrite::aDynamiqConversation() const
{
    const CliRun run = runCli(dynamiq() << u"list"_s << u"--limit"_s << u"1"_s, kKey);
    QString error;
    const QList<QJsonObject> rows = parseNdjson(run.out, &error);
    return rows.isEmpty() ? QString() : rows.constFirst().value(u"id"_s).toString();
}

QString TestCliWrite::anAppId() const
{
    const CliRun run = runCli(
        dynamiq() << u"show"_s << aDynamiqConversation() << u"--format"_s << u"json"_s, kKey);
    const QJsonArray properties =
        QJsonDocument::fromJson(run.out).object().value(u"properties"_s).toArray();
    for (const QJsonValue &p : properties) {
        if (p.toObject().value(u"label"_s).toString() == "App ID"_L1)
            return p.toObject().value(u"value"_s).toString();
    }
    return {};
}

void TestCliWrite::createPrintsTheIdThenStreamsTheReply()
{
    const QString app = anAppId();
    QVERIFY(!app.isEmpty());
    const CliRun run =
        runCli(dynamiq() << u"create"_s << u"--title"_s << u"From the CLI"_s << u"--param"_s
                         << u"app_id="_s + app << u"Where is my invoice?"_s,
               kKey);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QVERIFY2(lines.size() >= 2, run.describe().constData());
    QVERIFY2(QUuid::fromString(QString::fromUtf8(lines.constFirst())).isNull() == false,
             run.describe().constData());
    QVERIFY2(lines.at(1).size() > 10, run.describe().constData()); // the assistant's text

    // The new conversation is there for the next command.
    const CliRun show =
        runCli(dynamiq() << u"show"_s << QString::fromUtf8(lines.constFirst()), kKey);
    QVERIFY2(show.exitCode == 0 && show.out.contains("From the CLI"), show.describe().constData());
}

void TestCliWrite::sendStreamsEventsAsNdjson()
{
    const QString id = aDynamiqConversation();
    const CliRun run = runCli(
        dynamiq() << u"send"_s << id << u"Any news?"_s << u"--format"_s << u"ndjson"_s, kKey);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString error;
    const QList<QJsonObject> events = parseNdjson(run.out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    int assistantUpdates = 0;
    QString lastText;
    QString lastState;
    bool sawUser = false;
    bool sawRun = false;
    for (const QJsonObject &e : events) {
        const QString kind = e.value(u"event"_s).toString();
        sawRun |= kind == "run"_L1;
        if (kind != "turn"_L1)
            continue;
        if (e.value(u"role"_s).toString() == "user"_L1) {
            sawUser = e.value(u"text"_s).toString() == "Any news?"_L1;
            continue;
        }
        ++assistantUpdates;
        const QString text = e.value(u"text"_s).toString();
        QVERIFY2(text.startsWith(lastText) || lastText.isEmpty() ||
                     e.value(u"state"_s).toString() == "done"_L1,
                 "the streamed text grows");
        lastText = text;
        lastState = e.value(u"state"_s).toString();
    }
    QVERIFY(sawUser);
    QVERIFY(sawRun);
    QVERIFY2(assistantUpdates > 1, "the reply arrives in pieces");
    QCOMPARE(lastState, u"done"_s);
}

void TestCliWrite::createRefusesUnknownFields()
{
    const CliRun run =
        runCli(dynamiq() << u"create"_s << u"--param"_s << u"colour=blue"_s << u"Hi"_s, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains("app_id") && run.err.contains("colour"), run.describe().constData());
}

void TestCliWrite::unsupportedActionNamesThePlatform()
{
    const CliRun run = runCli(dynamiq() << u"append"_s << aDynamiqConversation() << u"x"_s, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains("dynamiq does not offer"), run.describe().constData());
}

void TestCliWrite::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("send without text") << QStringList{u"send"_s, u"abc"_s} << QByteArray("text");
    QTest::newRow("queue unknown op")
        << QStringList{u"queue"_s, u"abc"_s, u"shuffle"_s} << QByteArray("shuffle");
    QTest::newRow("link without user") << QStringList{u"link"_s, u"req"_s} << QByteArray("--user");
    QTest::newRow("title outside create")
        << QStringList{u"send"_s, u"abc"_s, u"hi"_s, u"--title"_s, u"x"_s} << QByteArray("--title");
    QTest::newRow("blank message")
        << QStringList{u"send"_s, u"abc"_s, u"  "_s} << QByteArray("empty");
    QTest::newRow("bad timeout") << QStringList{u"link"_s, u"r"_s,         u"--user"_s,
                                                u"u"_s,    u"--timeout"_s, u"soon"_s}
                                 << QByteArray("--timeout");
}

void TestCliWrite::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, says);
    const CliRun run = runCli(dynamiq() + args, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains(says), run.describe().constData());
}

void TestCliWrite::requirementsListTheUnmetOnes()
{
    const CliRun run = runCli(dynamiq() << u"requirements"_s << u"cli-user-1"_s, kKey);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString error;
    const QList<QJsonObject> rows = parseNdjson(run.out, &error);
    QVERIFY2(!rows.isEmpty(), run.describe().constData());
    bool linkable = false;
    for (const QJsonObject &r : rows)
        linkable |= r.value(u"type"_s).toString() == "pipedream_account"_L1;
    QVERIFY(linkable);
}

void TestCliWrite::linkWaitsUntilTheAccountIsLinked()
{
    const QString user = u"cli-user-2"_s;
    const CliRun before = runCli(dynamiq() << u"requirements"_s << user, kKey);
    QString error;
    QString requirement;
    for (const QJsonObject &r : parseNdjson(before.out, &error)) {
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1)
            requirement = r.value(u"id"_s).toString();
    }
    QVERIFY2(!requirement.isEmpty(), before.describe().constData());

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(kKey));
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(cliPath(), dynamiq() << u"link"_s << requirement << u"--user"_s << user
                                       << u"--timeout"_s << u"60"_s);
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine() || finished.count() > 0, 20000);
    const QUrl url(QString::fromUtf8(process.readLine().trimmed()));
    QVERIFY2(url.isValid() && url.host() == "127.0.0.1"_L1, qPrintable(url.toString()));
    QVERIFY(finished.isEmpty()); // still waiting for the account

    // The browser's visit.
    QNetworkAccessManager browser;
    std::unique_ptr<QNetworkReply> page(browser.get(QNetworkRequest(url)));
    QTRY_VERIFY_WITH_TIMEOUT(page->isFinished(), 10000);
    QCOMPARE(page->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    QVERIFY(finished.count() > 0 || finished.wait(30000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardError().contains("linked"));
    const CliRun after = runCli(dynamiq() << u"requirements"_s << user, kKey);
    QVERIFY2(!after.out.contains(requirement.toUtf8()), after.describe().constData());
}

void TestCliWrite::linkTimesOut()
{
    const CliRun before = runCli(dynamiq() << u"requirements"_s << u"cli-user-3"_s, kKey);
    QString error;
    QString requirement;
    for (const QJsonObject &r : parseNdjson(before.out, &error)) {
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1)
            requirement = r.value(u"id"_s).toString();
    }
    QVERIFY(!requirement.isEmpty());
    const CliRun run = runCli(dynamiq() << u"link"_s << requirement << u"--user"_s
                                        << u"cli-user-3"_s << u"--timeout"_s << u"1"_s,
                              kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::TimedOut));
    QVERIFY2(run.out.startsWith("http"), run.describe().constData()); // the link was still printed
}

void TestCliWrite::ctrlCStopsWaiting()
{
    const CliRun before = runCli(dynamiq() << u"requirements"_s << u"cli-user-4"_s, kKey);
    QString error;
    QString requirement;
    for (const QJsonObject &r : parseNdjson(before.out, &error)) {
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1)
            requirement = r.value(u"id"_s).toString();
    }
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(kKey));
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(cliPath(), dynamiq()
                                 << u"link"_s << requirement << u"--user"_s << u"cli-user-4"_s);
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 20000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit); // handled, not killed
    QCOMPARE(process.exitCode(), code(cli::ExitCode::Interrupted));
}

void TestCliWrite::posthogAppendAndQueue()
{
    Workspace probe;
    probe.platform = u"posthog"_s;
    probe.params.insert(u"project_id"_s, u"1"_s);
    const Capabilities caps = ProviderRegistry::create(probe, kKey, nullptr)->capabilities();
    if (!caps.can(Capabilities::Append) || !caps.can(Capabilities::Queue))
        QSKIP("this build's PostHog provider offers no append or queue");

    const CliRun list = runCli(posthog() << u"list"_s << u"--limit"_s << u"1"_s, kKey);
    QString error;
    const QList<QJsonObject> rows = parseNdjson(list.out, &error);
    QVERIFY2(!rows.isEmpty(), list.describe().constData());
    const QString id = rows.constFirst().value(u"id"_s).toString();

    const CliRun appended =
        runCli(posthog() << u"append"_s << id << u"A note from support"_s, kKey);
    QVERIFY2(appended.exitCode == 0 && !appended.out.trimmed().isEmpty(), appended.describe().constData());
    const CliRun shown = runCli(posthog() << u"show"_s << id, kKey);
    QVERIFY2(shown.out.count("A note from support") == 1, shown.describe().constData());

    const CliRun queued = runCli(posthog() << u"queue"_s << id, kKey);
    QVERIFY2(queued.exitCode == 0, queued.describe().constData());
}

void TestCliWrite::conflictsExitWithSeven()
{

    Workspace probe;
    probe.platform = u"posthog"_s;
    probe.params.insert(u"project_id"_s, u"1"_s);
    const Capabilities caps = ProviderRegistry::create(probe, kKey, nullptr)->capabilities();
    if (!caps.can(Capabilities::Send) || !caps.can(Capabilities::Queue))
        QSKIP("this build's PostHog provider offers no send or queue");

    // Its own sandbox with a slow stream (a word every 250 ms): the first reply runs for
    // seconds while the second message and the queue calls are made.
    SandboxOptions options;
    options.key = kKey;
    options.conversations = 5;
    options.streamIntervalMs = 250;
    Sandbox slow(options);
    QString error;
    QVERIFY2(slow.start(&error), qPrintable(error));
    const QStringList where{u"--provider"_s, u"posthog"_s,
                            u"--base-url"_s, slow.baseUrl(u"posthog"_s).toString(),
                            u"--param"_s,    u"project_id=1"_s};

    QProcess first;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(kKey));
    first.setProcessEnvironment(env);
    QSignalSpy firstDone(&first, &QProcess::finished);
    first.start(cliPath(), QStringList(where)
                               << u"create"_s << u"Tell me everything about signups"_s);
    QTRY_VERIFY_WITH_TIMEOUT(first.canReadLine(), 20000);
    const QString id = QString::fromUtf8(first.readLine().trimmed());
    QVERIFY(!id.isEmpty());

    const CliRun busy = runCli(QStringList(where) << u"send"_s << id << u"And now?"_s, kKey);
    QCOMPARE(busy.exitCode, code(cli::ExitCode::Conflict));
    QVERIFY2(busy.err.contains("queue"), busy.describe().constData());

    QList<int> exits;
    for (int i = 0; i < 3; ++i)
        exits << runCli(QStringList(where)
                            << u"queue"_s << id << u"add"_s << u"Follow-up %1"_s.arg(i),
                        kKey)
                     .exitCode;
    QCOMPARE(exits, (QList<int>{0, 0, code(cli::ExitCode::Conflict)}));
    QVERIFY(firstDone.isEmpty()); // all of it happened while the first reply ran
    first.kill();
    QVERIFY(firstDone.wait(10000));
}

QTEST_GUILESS_MAIN(TestCliWrite)
#include "tst_cli_write.moc"
