// parley-cli follow and cancel without --run, run as the real binary against the in-process
// sandbox over real HTTP, with replies that take seconds to write: a reply started by one
// process's send is printed by another process's follow (PostHog re-attaches to its stream,
// Fixie is polled); a conversation that is not running, a platform with nothing to follow
// and --timeout end as documented; cancel finds Fixie's running turn itself.
#include "cli/ExitCode.h"
#include "sandbox/Sandbox.h"
#include "tst_cli_support.h"

#include <memory>

using namespace clitest;
using parley::sandbox::Sandbox;
using parley::sandbox::SandboxOptions;

namespace {

const QByteArray kKey = "parley-follow-key";

// The conversations `list` prints at `where`, as NDJSON rows.
QList<QJsonObject> rowsAt(const QStringList &where)
{
    const CliRun run = runCli(QStringList(where) << u"list"_s, kKey);
    QString error;
    return parseNdjson(run.out, &error);
}

// The first row whose status says it is running (or not, with `running` false).
QString conversationThatIs(const QStringList &where, bool running)
{
    for (const QJsonObject &row : rowsAt(where)) {
        const bool busy = row.value(u"status"_s).toString().contains(u"progress"_s);
        if (busy == running)
            return row.value(u"id"_s).toString();
    }
    return {};
}

// The texts an assistant turn had in the events printed, in order, without repeats.
QStringList assistantTexts(const QList<QJsonObject> &events)
{
    QStringList texts;
    for (const QJsonObject &e : events) {
        if (e.value(u"event"_s).toString() != "turn"_L1 ||
            e.value(u"role"_s).toString() != "assistant"_L1)
            continue;
        const QString text = e.value(u"text"_s).toString();
        if (texts.isEmpty() || texts.constLast() != text)
            texts << text;
    }
    return texts;
}

} // namespace

class TestCliFollow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_sandbox.reset(); }

    void followPrintsAReplyStartedElsewhere_data();
    void followPrintsAReplyStartedElsewhere();
    void followWhereNothingRunsSaysSo_data();
    void followWhereNothingRunsSaysSo();
    void followGivesUpAfterTheTimeout();
    void cancelWithoutRunStopsFixiesRunningTurn();

private:
    std::unique_ptr<Sandbox> m_sandbox;
};

void TestCliFollow::initTestCase()
{
    m_sandbox = std::make_unique<Sandbox>(
        SandboxOptions{.seed = 21, .conversations = 40, .key = kKey, .replySeconds = 4});
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
}

void TestCliFollow::followPrintsAReplyStartedElsewhere_data()
{
    QTest::addColumn<QString>("platform");
    QTest::newRow("posthog: re-attached to its stream") << u"posthog"_s;
    QTest::newRow("fixie: polled") << u"fixie"_s;
}

void TestCliFollow::followPrintsAReplyStartedElsewhere()
{
    QFETCH(QString, platform);
    const QStringList at = where(platform, *m_sandbox);
    const QString id = conversationThatIs(at, false);
    QVERIFY2(!id.isEmpty(), "the sandbox has no idle conversation to send to");

    LiveCli send(QStringList(at) << u"send"_s << id << u"Tell me about the weather"_s, kKey);
    QVERIFY2(send.waitFor([&] { return !send.out().isEmpty(); }), send.describe().constData());
    QVERIFY2(send.running(), "the reply was written before a second client could follow it");

    LiveCli follow(QStringList(at) << u"follow"_s << id << u"--format"_s << u"ndjson"_s, kKey);
    QCOMPARE(follow.finish(30000), 0);
    QCOMPARE(send.finish(30000), 0);

    const QList<QJsonObject> events = follow.events();
    QVERIFY2(!events.isEmpty(), follow.describe().constData());
    QCOMPARE(events.constLast().value(u"event"_s).toString(), u"finished"_s);
    QVERIFY(events.constLast().value(u"ok"_s).toBool());
    // It followed the reply as it grew, and ended with what the sender got.
    const QStringList texts = assistantTexts(events);
    QVERIFY2(texts.size() >= 2, follow.describe().constData());
    QVERIFY2(!texts.constLast().isEmpty() &&
                 send.out().trimmed().endsWith(texts.constLast().toUtf8()),
             QByteArray(send.describe() + " / " + follow.describe()).constData());
}

void TestCliFollow::followWhereNothingRunsSaysSo_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("posthog: an idle conversation") << u"posthog"_s << QByteArray("is not running");
    QTest::newRow("orq: no running state") << u"orq"_s << QByteArray("nothing to follow");
}

void TestCliFollow::followWhereNothingRunsSaysSo()
{
    QFETCH(QString, platform);
    QFETCH(QByteArray, says);
    const QStringList at = where(platform, *m_sandbox);
    const QString id = conversationThatIs(at, false);
    QVERIFY(!id.isEmpty());
    const CliRun run = runCli(QStringList(at) << u"follow"_s << id, kKey);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.isEmpty(), run.describe().constData());
    QVERIFY2(run.err.contains(says), run.describe().constData());
}

void TestCliFollow::followGivesUpAfterTheTimeout()
{
    // The sandbox's generated in-progress conversations stay busy until canceled.
    const QStringList at = where(u"posthog"_s, *m_sandbox);
    const QString id = conversationThatIs(at, true);
    QVERIFY2(!id.isEmpty(), "the sandbox generated no running PostHog conversation");
    const CliRun run =
        runCli(QStringList(at) << u"follow"_s << id << u"--timeout"_s << u"1"_s, kKey);
    QCOMPARE(run.exitCode, int(parley::cli::ExitCode::TimedOut));
    QVERIFY2(run.err.contains("1 second"), run.describe().constData());
}

void TestCliFollow::cancelWithoutRunStopsFixiesRunningTurn()
{
    const QStringList at = where(u"fixie"_s, *m_sandbox);
    const QString id = conversationThatIs(at, false);
    QVERIFY(!id.isEmpty());
    LiveCli send(QStringList(at) << u"send"_s << id << u"Write a long poem"_s, kKey);
    QVERIFY2(send.waitFor([&] { return !send.out().isEmpty(); }), send.describe().constData());

    // No --run: Parley asks Fixie which turn is being written and stops that one.
    const CliRun cancel = runCli(QStringList(at) << u"cancel"_s << id, kKey);
    QVERIFY2(cancel.exitCode == 0, cancel.describe().constData());
    QVERIFY(send.finish(30000) != -1);

    const CliRun show =
        runCli(QStringList(at) << u"show"_s << id << u"--format"_s << u"json"_s, kKey);
    QCOMPARE(show.exitCode, 0);
    const QJsonArray turns = QJsonDocument::fromJson(show.out).object().value(u"turns"_s).toArray();
    QVERIFY(!turns.isEmpty());
    QCOMPARE(turns.last().toObject().value(u"state"_s).toString(), u"stopped"_s);
}

QTEST_GUILESS_MAIN(TestCliFollow)
#include "tst_cli_follow.moc"
