// parley-cli's actions, run as the real binary against the in-process sandbox over real
// HTTP: create and send on every platform that offers them (text streamed as it arrives,
// NDJSON events, TEXT from stdin), cancel, requirements and link (the test opens the
// printed link as a browser would), PostHog's append and queue (list/add/edit/delete/clear),
// conflicts (exit 7), unsupported actions, usage errors, per-command help and Ctrl+C.
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

bool offers(const QString &platform, Capabilities::Action action);

// A data row "platform" for each platform that offers `action`; the platforms in `documented`
// offer it by their documents, so one that stops offering it fails instead of losing its row.
void addPlatformsOffering(Capabilities::Action action, const QStringList &documented)
{
    QTest::addColumn<QString>("platform");
    for (const QString &platform : documented) {
        if (!offers(platform, action))
            QFAIL(qPrintable(u"%1 no longer offers what its documents do (action %2)"_s.arg(
                platform, QString::number(int(action)))));
    }
    for (const PlatformInfo &info : ProviderRegistry::platforms()) {
        if (offers(info.id, action))
            QTest::newRow(qPrintable(info.id)) << info.id;
    }
}

bool offers(const QString &platform, Capabilities::Action action)
{
    Workspace probe;
    probe.platform = platform;
    probe.params = sandboxParams(ProviderRegistry::platform(platform));
    const auto provider = ProviderRegistry::create(probe, kKey, nullptr);
    return provider && provider->capabilities().can(action);
}

// A sandbox of its own with five conversations, streaming a frame every `intervalMs`: its
// replies run for seconds while other commands are made. Null (the failure noted) when it
// cannot listen.
std::unique_ptr<Sandbox> startSlowSandbox(int intervalMs)
{
    return startSandbox(kKey, 5, intervalMs);
}

// An action a platform's documents say it offers, and its name in a failure message.
struct NamedAction
{
    Capabilities::Action action;
    const char *name;
};

// What of `actions` `platform` no longer offers, a sentence each; empty when it offers them all.
QString notOffered(const QString &platform, std::initializer_list<NamedAction> actions)
{
    QStringList missing;
    for (const NamedAction &a : actions) {
        if (!offers(platform, a.action))
            missing << u"%1 does not offer %2 any more."_s.arg(platform, QLatin1StringView(a.name));
    }
    return missing.join(u' ');
}

// A slow sandbox (startSlowSandbox) for `platform`, which must still offer `actions`: null,
// the failure noted, when it does not or the sandbox cannot listen.
std::unique_ptr<Sandbox> slowSandboxOffering(const QString &platform,
                                             std::initializer_list<NamedAction> actions,
                                             int intervalMs)
{
    const QString missing = notOffered(platform, actions);
    if (!missing.isEmpty()) {
        QTest::qFail(qPrintable(missing), __FILE__, __LINE__);
        return nullptr;
    }
    return startSlowSandbox(intervalMs);
}

// Starts parley-cli with `args` and the key in its environment, without waiting.
void startCli(QProcess &process, const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(kKey));
    process.setProcessEnvironment(env);
    process.start(cliPath(), args);
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
    void createRefusesWhatTheDialogRefuses_data();
    void createRefusesWhatTheDialogRefuses();
    void unsupportedActionNamesThePlatform();
    void usageErrors_data();
    void usageErrors();
    void requirementsListTheUnmetOnes();
    void linkWaitsUntilTheAccountIsLinked();
    void linkTimesOut();
    void ctrlCStopsWaiting();
    void posthogAppendAndQueue();
    void conflictsExitWithSeven();
    void queueEditDeleteClear();
    void textStreamsBeforeTheReplyEnds_data();
    void textStreamsBeforeTheReplyEnds();
    void createAndSendOnEveryPlatform_data();
    void createAndSendOnEveryPlatform();
    void textFromStdin();
    void cancelStopsTheRunningReply();
    void cancelWithoutRunSaysHow();
    void ctrlCDuringSendStopsListening();
    void notOfferedNamesThePlatform_data();
    void notOfferedNamesThePlatform();
    void commandHelp_data();
    void commandHelp();
    void usageErrorsShowTheUsageLine();

private:
    QStringList dynamiq() const;
    QStringList posthog() const;
    QString anAppId() const;
    QString aDynamiqConversation() const;
    // --provider PLATFORM with the sandbox's settings (Dynamiq: dynamiq()).
    QStringList at(const QString &platform, const Sandbox &sandbox) const;
    QString firstConversation(const QStringList &where) const;
    // The id of `user`'s unmet Pipedream account requirement on Dynamiq (empty when there is
    // none); `run` gets the requirements command's run.
    QString accountRequirement(const QString &user, CliRun *run = nullptr) const;

    std::unique_ptr<Sandbox> m_sandbox;
};

void TestCliWrite::initTestCase()
{
    m_sandbox = startSandbox(kKey, 30, 5, 11);
    QVERIFY(m_sandbox);
    QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
}

QStringList TestCliWrite::dynamiq() const
{
    return at(u"dynamiq"_s, *m_sandbox);
}

QStringList TestCliWrite::posthog() const
{
    return at(u"posthog"_s, *m_sandbox);
}

QString TestCliWrite::aDynamiqConversation() const
{
    return firstConversation(dynamiq());
}

QString TestCliWrite::accountRequirement(const QString &user, CliRun *run) const
{
    const CliRun requirements = runCli(dynamiq() << u"requirements"_s << user, kKey);
    if (run)
        *run = requirements;
    QString error;
    QString requirement;
    for (const QJsonObject &r : parseNdjson(requirements.out, &error)) {
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1)
            requirement = r.value(u"id"_s).toString();
    }
    return requirement;
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

// The fields of a new conversation are checked as the New Conversation dialog checks them
// (InputRules): pattern, one of two that exclude each other. Nothing is sent.
void TestCliWrite::createRefusesWhatTheDialogRefuses_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("says");
    const QString uuid = u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s;
    QTest::newRow("orq/model is provider/model")
        << u"orq"_s << QStringList{u"--param"_s, u"model=gpt-4o"_s}
        << QByteArray("--param model: This is not a valid Model");
    QTest::newRow("orq/agent id without spaces")
        << u"orq"_s << QStringList{u"--param"_s, u"entityId=agent 01"_s}
        << QByteArray("--param entityId: This is not a valid");
    QTest::newRow("dynamiq/app id is a UUID")
        << u"dynamiq"_s << QStringList{u"--param"_s, u"app_id=42"_s, u"Hi"_s}
        << QByteArray("--param app_id: This is not a valid App ID");
    QTest::newRow("dynamiq/app id or model id, not both")
        << u"dynamiq"_s
        << QStringList{u"--param"_s, u"app_id="_s + uuid, u"--param"_s, u"model_id="_s + uuid,
                       u"Hi"_s}
        << QByteArray("--param model_id: Give the App ID or the Model ID, not both.");
    QTest::newRow("dynamiq/app id or model id")
        << u"dynamiq"_s << QStringList{u"Hi"_s}
        << QByteArray("--param app_id: Enter the App ID or the Model ID.");
}

void TestCliWrite::createRefusesWhatTheDialogRefuses()
{
    QFETCH(QString, platform);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, says);
    const CliRun run = runCli(at(platform, *m_sandbox) << u"create"_s << args, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.out.isEmpty(), run.describe().constData());
    QVERIFY2(run.err.contains(says), run.describe().constData());
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
    CliRun before;
    const QString requirement = accountRequirement(user, &before);
    QVERIFY2(!requirement.isEmpty(), before.describe().constData());

    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    startCli(process, dynamiq() << u"link"_s << requirement << u"--user"_s << user << u"--timeout"_s
                                << u"60"_s);
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
    const QString requirement = accountRequirement(u"cli-user-3"_s);
    QVERIFY(!requirement.isEmpty());
    const CliRun run = runCli(dynamiq() << u"link"_s << requirement << u"--user"_s
                                        << u"cli-user-3"_s << u"--timeout"_s << u"1"_s,
                              kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::TimedOut));
    QVERIFY2(run.out.startsWith("http"), run.describe().constData()); // the link was still printed
}

void TestCliWrite::ctrlCStopsWaiting()
{
    const QString requirement = accountRequirement(u"cli-user-4"_s);
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    startCli(process, dynamiq() << u"link"_s << requirement << u"--user"_s << u"cli-user-4"_s);
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 20000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit); // handled, not killed
    QCOMPARE(process.exitCode(), code(cli::ExitCode::Interrupted));
}

void TestCliWrite::posthogAppendAndQueue()
{
    // PostHog documents append_message and the queue (app/providers/posthog/README.md).
    const QString missing = notOffered(
        u"posthog"_s, {{Capabilities::Append, "append"}, {Capabilities::FollowUps, "the queue"}});
    QVERIFY2(missing.isEmpty(), qPrintable(missing));

    const CliRun list = runCli(posthog() << u"list"_s << u"--limit"_s << u"1"_s, kKey);
    QString error;
    const QList<QJsonObject> rows = parseNdjson(list.out, &error);
    QVERIFY2(!rows.isEmpty(), list.describe().constData());
    const QString id = rows.constFirst().value(u"id"_s).toString();

    const CliRun appended =
        runCli(posthog() << u"append"_s << id << u"A note from support"_s, kKey);
    QVERIFY2(appended.exitCode == 0 && !appended.out.trimmed().isEmpty(),
             appended.describe().constData());
    const CliRun shown = runCli(posthog() << u"show"_s << id, kKey);
    QVERIFY2(shown.out.count("A note from support") == 1, shown.describe().constData());

    const CliRun queued = runCli(posthog() << u"queue"_s << id, kKey);
    QVERIFY2(queued.exitCode == 0, queued.describe().constData());
}

void TestCliWrite::conflictsExitWithSeven()
{
    // Its own sandbox with a slow stream (a word every 250 ms): the first reply runs for
    // seconds while the second message and the queue calls are made.
    const auto slow = slowSandboxOffering(
        u"posthog"_s, {{Capabilities::Send, "send"}, {Capabilities::FollowUps, "the queue"}}, 250);
    QVERIFY(slow);
    const QStringList where = at(u"posthog"_s, *slow);

    QProcess first;
    QSignalSpy firstDone(&first, &QProcess::finished);
    startCli(first, QStringList(where) << u"create"_s << u"Tell me everything about signups"_s);
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

QStringList TestCliWrite::at(const QString &platform, const Sandbox &sandbox) const
{
    return clitest::where(platform, sandbox);
}

QString TestCliWrite::firstConversation(const QStringList &where) const
{
    return clitest::firstConversation(where, kKey);
}

void TestCliWrite::queueEditDeleteClear()
{
    // A slow reply keeps the conversation running while its queue is changed.
    const auto slow = slowSandboxOffering(
        u"posthog"_s, {{Capabilities::FollowUps, "the queue"}, {Capabilities::Create, "create"}},
        250);
    QVERIFY(slow);
    const QStringList where = at(u"posthog"_s, *slow);

    LiveCli first(QStringList(where) << u"create"_s << u"Tell me everything about churn"_s, kKey);
    QVERIFY2(first.waitFor([&] { return first.out().contains('\n'); }),
             first.describe().constData());
    const QString id = QString::fromUtf8(first.out().left(first.out().indexOf('\n')));

    auto queue = [&](const QStringList &args, QList<QJsonObject> *rows) {
        const CliRun run = runCli(QStringList(where) << u"queue"_s << id << args, kKey);
        QString problem;
        *rows = parseNdjson(run.out, &problem);
        if (run.exitCode != 0 || !problem.isEmpty())
            qWarning("%s", run.describe().constData());
        return run.exitCode == 0 && problem.isEmpty();
    };
    auto contents = [](const QList<QJsonObject> &rows) {
        QStringList out;
        for (const QJsonObject &r : rows)
            out << r.value(u"content"_s).toString();
        return out;
    };
    QList<QJsonObject> rows;
    QVERIFY(queue({u"add"_s, u"First follow-up"_s}, &rows));
    QCOMPARE(contents(rows), QStringList{u"First follow-up"_s});
    QVERIFY(queue({u"add"_s, u"Second follow-up"_s}, &rows));
    QCOMPARE(contents(rows), (QStringList{u"First follow-up"_s, u"Second follow-up"_s}));
    for (const QJsonObject &r : rows) {
        QVERIFY(!r.value(u"id"_s).toString().isEmpty());
        QVERIFY(r.contains(u"created_at"_s));
    }
    const QString firstId = rows.at(0).value(u"id"_s).toString();
    const QString secondId = rows.at(1).value(u"id"_s).toString();

    QVERIFY(queue({u"edit"_s, firstId, u"First, reworded"_s}, &rows));
    QCOMPARE(contents(rows), (QStringList{u"First, reworded"_s, u"Second follow-up"_s}));
    QVERIFY(queue({u"delete"_s, secondId}, &rows));
    QCOMPARE(contents(rows), QStringList{u"First, reworded"_s});
    QVERIFY(queue({}, &rows)); // list is the default
    QCOMPARE(contents(rows), QStringList{u"First, reworded"_s});
    QVERIFY(queue({u"clear"_s}, &rows));
    QVERIFY(rows.isEmpty());
    QVERIFY(queue({u"list"_s}, &rows));
    QVERIFY(rows.isEmpty());
    QVERIFY2(first.running(), "the reply ended before the queue calls were made");

    // The queue as CSV, for spreadsheets.
    const CliRun csv = runCli(QStringList(where) << u"queue"_s << id << u"add"_s << u"Third"_s
                                                 << u"--format"_s << u"csv"_s,
                              kKey);
    QVERIFY2(csv.exitCode == 0 && csv.out.startsWith("id,created_at,content\r\n") &&
                 csv.out.contains(",Third\r\n"),
             csv.describe().constData());
}

void TestCliWrite::textStreamsBeforeTheReplyEnds_data()
{
    addPlatformsOffering(Capabilities::Send, {u"dynamiq"_s, u"fixie"_s, u"posthog"_s});
}

void TestCliWrite::textStreamsBeforeTheReplyEnds()
{
    QFETCH(QString, platform);
    const auto slow = startSlowSandbox(120);
    QVERIFY(slow);
    const QStringList where = at(platform, *slow);
    const QString id = firstConversation(where);
    QVERIFY(!id.isEmpty());

    LiveCli send(QStringList(where) << u"send"_s << id << u"Where is my parcel?"_s, kKey);
    // Text appears, then more of it, while the process still runs.
    QVERIFY2(send.waitFor([&] { return !send.out().isEmpty(); }), send.describe().constData());
    QVERIFY2(send.running(), "stdout stayed empty until the reply was over");
    const qsizetype firstSeen = send.out().size();
    QVERIFY2(send.waitFor([&] { return send.out().size() > firstSeen; }),
             send.describe().constData());
    QVERIFY2(send.running(), "stdout grew only once before the end");
    QCOMPARE(send.finish(), 0);
    QVERIFY(send.out().endsWith('\n'));
    QVERIFY(!send.out().contains("Where is my parcel?")); // the user's message is not echoed

    if (!offers(platform, Capabilities::Transcript))
        return; // no transcript to compare with
    // The last text printed is the stored reply (a draft replaced by a different final
    // text is followed by a line break and the final text).
    const CliRun show =
        runCli(QStringList(where) << u"show"_s << id << u"--format"_s << u"json"_s, kKey);
    const QJsonArray turns = QJsonDocument::fromJson(show.out).object().value(u"turns"_s).toArray();
    QVERIFY(!turns.isEmpty());
    const QString stored = turns.last().toObject().value(u"text"_s).toString();
    QVERIFY(!stored.isEmpty());
    const QString printed = QString::fromUtf8(send.out());
    QVERIFY2(printed == stored + u'\n' || printed.endsWith(u'\n' + stored + u'\n'),
             send.describe().constData());
}

void TestCliWrite::createAndSendOnEveryPlatform_data()
{
    addPlatformsOffering(Capabilities::Create, {u"dynamiq"_s, u"fixie"_s, u"orq"_s, u"posthog"_s});
}

void TestCliWrite::createAndSendOnEveryPlatform()
{
    QFETCH(QString, platform);
    const QStringList where = at(platform, *m_sandbox);
    QStringList create = QStringList(where) << u"create"_s;
    if (platform == "dynamiq"_L1)
        create << u"--param"_s << u"app_id="_s + anAppId();
    // With a first message where the platform takes messages at all.
    Workspace probe;
    probe.platform = platform;
    const bool needsText =
        ProviderRegistry::create(probe, kKey, nullptr)->capabilities().createNeedsText;
    if (needsText || offers(platform, Capabilities::Send))
        create << u"Hello from a script"_s;
    const CliRun created = runCli(create, kKey);
    QVERIFY2(created.exitCode == 0, created.describe().constData());
    const QString id = QString::fromUtf8(created.out.left(created.out.indexOf('\n')));
    QVERIFY2(!id.isEmpty() && !id.contains(u' '), created.describe().constData());

    const CliRun shown = runCli(QStringList(where) << u"show"_s << id, kKey);
    QVERIFY2(shown.exitCode == 0, shown.describe().constData());

    if (!offers(platform, Capabilities::Send))
        return;
    const CliRun sent = runCli(QStringList(where) << u"send"_s << id << u"And a follow-up"_s, kKey);
    QVERIFY2(sent.exitCode == 0 && !sent.out.trimmed().isEmpty(), sent.describe().constData());
}

void TestCliWrite::textFromStdin()
{
    const QString id = aDynamiqConversation();
    LiveCli send(dynamiq() << u"send"_s << id << u"-"_s << u"--format"_s << u"ndjson"_s, kKey,
                 "First line of a long message\nand its second line\n");
    QCOMPARE(send.finish(), 0);
    bool sawUser = false;
    for (const QJsonObject &e : send.events()) {
        if (e.value(u"event"_s).toString() == "turn"_L1 &&
            e.value(u"role"_s).toString() == "user"_L1)
            sawUser = e.value(u"text"_s).toString() ==
                      "First line of a long message\nand its second line"_L1;
    }
    QVERIFY2(sawUser, send.describe().constData());
    // The last event says how it ended.
    QCOMPARE(send.events().last().value(u"event"_s).toString(), u"finished"_s);
    QCOMPARE(send.events().last().value(u"ok"_s).toBool(), true);

    LiveCli empty(dynamiq() << u"send"_s << id << u"-"_s, kKey, "  \n");
    QCOMPARE(empty.finish(), code(cli::ExitCode::Usage));
    QVERIFY2(empty.describe().contains("empty"), empty.describe().constData());
}

void TestCliWrite::cancelStopsTheRunningReply()
{
    for (const QString &platform : {u"fixie"_s, u"dynamiq"_s, u"posthog"_s}) {
        // Each of them documents a way to stop a running reply.
        const auto slow = slowSandboxOffering(
            platform, {{Capabilities::Cancel, "cancel"}, {Capabilities::Send, "send"}}, 300);
        QVERIFY(slow);
        const QStringList where = at(platform, *slow);
        const QString id = firstConversation(where);
        QVERIFY(!id.isEmpty());

        LiveCli send(QStringList(where) << u"send"_s << id << u"Tell me a long story"_s
                                        << u"--format"_s << u"ndjson"_s,
                     kKey);
        // Under way: a run to stop, or (platforms that stop a conversation) the reply's text.
        QVERIFY2(send.waitFor([&] {
            return !send.event(u"run"_s, u"id"_s).isEmpty() ||
                   (platform == "posthog"_L1 && send.out().contains("\"role\":\"assistant\""));
        }),
                 QByteArray(platform.toUtf8() + ": " + send.describe()).constData());
        const QString run = send.event(u"run"_s, u"id"_s).value(u"id"_s).toString();

        QStringList args = QStringList(where) << u"cancel"_s << id;
        if (!run.isEmpty())
            args << u"--run"_s << run;
        const CliRun cancel = runCli(args, kKey);
        QVERIFY2(cancel.exitCode == 0 && cancel.err.contains("cancel accepted"),
                 QByteArray(platform.toUtf8() + ": " + cancel.describe()).constData());

        // The reply ends, stopped, long before its natural end.
        QCOMPARE(send.finish(), 0);
        QString lastState;
        for (const QJsonObject &e : send.events()) {
            if (e.value(u"event"_s).toString() == "turn"_L1 &&
                e.value(u"role"_s).toString() == "assistant"_L1)
                lastState = e.value(u"state"_s).toString();
        }
        QVERIFY2(lastState == "stopped"_L1,
                 QByteArray(platform.toUtf8() + ": " + send.describe()).constData());
    }
}

void TestCliWrite::cancelWithoutRunSaysHow()
{
    const CliRun run = runCli(dynamiq() << u"cancel"_s << aDynamiqConversation(), kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains("--run") && run.err.count('\n') == 1, run.describe().constData());
}

void TestCliWrite::ctrlCDuringSendStopsListening()
{
    const auto slow = startSlowSandbox(300);
    QVERIFY(slow);
    const QStringList where = at(u"dynamiq"_s, *slow);
    const QString id = firstConversation(where);
    for (const QString &format : {u"text"_s, u"ndjson"_s}) {
        LiveCli send(QStringList(where)
                         << u"send"_s << id << u"Tell me a long story"_s << u"--format"_s << format,
                     kKey);
        QVERIFY2(send.waitFor([&] { return !send.out().isEmpty(); }), send.describe().constData());
        QVERIFY(send.running());
        ::kill(pid_t(send.pid()), SIGINT);
        QCOMPARE(send.finish(10000), code(cli::ExitCode::Interrupted));
        QVERIFY(send.out().endsWith('\n')); // the line it was writing is ended
        if (format == "ndjson"_L1) {
            const QJsonObject last = send.events().last();
            QCOMPARE(last.value(u"event"_s).toString(), u"finished"_s);
            QCOMPARE(last.value(u"error"_s).toString(), u"canceled"_s);
        }
    }
}

void TestCliWrite::notOfferedNamesThePlatform_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QStringList>("args");
    const QList<std::pair<Capabilities::Action, QStringList>> actions{
        {Capabilities::Create, {u"create"_s, u"Hi"_s}},
        {Capabilities::Send, {u"send"_s, u"c1"_s, u"Hi"_s}},
        {Capabilities::Append, {u"append"_s, u"c1"_s, u"Hi"_s}},
        {Capabilities::Cancel, {u"cancel"_s, u"c1"_s}},
        {Capabilities::FollowUps, {u"queue"_s, u"c1"_s}},
        {Capabilities::Connectors, {u"requirements"_s, u"u1"_s}},
        {Capabilities::Connectors, {u"link"_s, u"r1"_s, u"--user"_s, u"u1"_s}},
        {Capabilities::Approvals, {u"approve"_s, u"c1"_s, u"p1"_s, u"--decision"_s, u"approve"_s}},
    };
    for (const PlatformInfo &info : ProviderRegistry::platforms()) {
        for (const auto &[action, args] : actions) {
            if (!offers(info.id, action))
                QTest::addRow("%s %s", qPrintable(info.id), qPrintable(args.constFirst()))
                    << info.id << args;
        }
    }
}

void TestCliWrite::notOfferedNamesThePlatform()
{
    QFETCH(QString, platform);
    QFETCH(QStringList, args);
    const CliRun run = runCli(at(platform, *m_sandbox) + args, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains((platform + u" does not offer"_s).toUtf8()),
             run.describe().constData());
    QVERIFY(run.out.isEmpty());
}

void TestCliWrite::commandHelp_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"list", "show", "workspaces", "create", "send", "append", "cancel",
                          "queue", "requirements", "link", "approve"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestCliWrite::commandHelp()
{
    QFETCH(QString, command);
    const CliRun help = runCli({command, u"--help"_s}, {});
    QVERIFY2(help.exitCode == 0, help.describe().constData());
    QVERIFY2(help.out.startsWith("Usage: parley-cli ") &&
                 help.out.left(help.out.indexOf('\n'))
                     .contains(QByteArray(" " + command.toUtf8() + " ")),
             help.describe().constData());
    const bool action = command != "list"_L1 && command != "show"_L1 && command != "workspaces"_L1;
    QCOMPARE(help.out.contains("Offered by: "), action);
    // The same through "help COMMAND".
    const CliRun same = runCli({u"help"_s, command}, {});
    QCOMPARE(same.exitCode, 0);
    QCOMPARE(same.out, help.out);
}

void TestCliWrite::usageErrorsShowTheUsageLine()
{
    const CliRun run = runCli(dynamiq() << u"send"_s << u"abc"_s, kKey);
    QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
    QVERIFY2(run.err.contains("Usage: parley-cli WHERE send ID TEXT|-") &&
                 run.err.contains("parley-cli send --help") && run.err.count('\n') == 1,
             run.describe().constData());
    const CliRun unknown = runCli({u"help"_s, u"frobnicate"_s}, {});
    QCOMPARE(unknown.exitCode, code(cli::ExitCode::Usage));
}

QTEST_GUILESS_MAIN(TestCliWrite)
#include "tst_cli_write.moc"
