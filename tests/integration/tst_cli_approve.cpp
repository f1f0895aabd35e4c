// parley-cli approve and the message fields of send and queue, run as the real binary against
// the in-process sandbox over real HTTP: show lists the seeded approval (id, tool, preview,
// status); approve refuses an id the conversation does not have (exit 4, naming the pending
// one), answers a pending one (the reply streams, the new status on stderr) and refuses to
// answer it twice (exit 7); --param values of send are checked against PostHog's fields
// before anything is sent (exit 2 naming the field) and a good one reaches the platform.
#include "cli/ExitCode.h"
#include "sandbox/SandboxServer.h"
#include "tst_cli_support.h"

#include <QJsonArray>

using namespace parley;
using namespace clitest;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kKey = "parley-demo-key";

int code(cli::ExitCode c)
{
    return int(c);
}

} // namespace

class TestCliApprove : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_sandbox = startSandbox(kKey, 15, 5, 11);
        QVERIFY(m_sandbox);
        QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
        m_where = where(u"posthog"_s, *m_sandbox);
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void approveAnswersThePendingApproval()
    {
        QString id;
        QJsonObject approval;
        QVERIFY(findApproval(&id, &approval));
        const QString proposal = approval.value(u"id"_s).toString();
        QCOMPARE(approval.value(u"status"_s).toString(), u"pending"_s);

        // show --format markdown lists it.
        const CliRun shown = runCli(QStringList(m_where) << u"show"_s << id, kKey);
        QVERIFY2(shown.exitCode == 0, shown.describe().constData());
        QVERIFY2(shown.out.contains("## Approvals"), shown.describe().constData());
        const QByteArray line = '`' + proposal.toUtf8() + "` · **create_feature_flag** · pending";
        QVERIFY2(shown.out.contains(line), shown.describe().constData());
        QVERIFY2(shown.out.contains(approval.value(u"preview"_s).toString().toUtf8()),
                 shown.describe().constData());

        // An id the conversation does not have: not found, the pending one named.
        const CliRun unknown = runCli(QStringList(m_where) << u"approve"_s << id << u"nope"_s
                                                           << u"--decision"_s << u"approve"_s,
                                      kKey);
        QCOMPARE(unknown.exitCode, code(cli::ExitCode::NotFound));
        QVERIFY2(unknown.err.contains(proposal.toUtf8()), unknown.describe().constData());

        // Rejected with a note: the agent's reply streams, then the recorded status.
        const CliRun rejected =
            runCli(QStringList(m_where) << u"approve"_s << id << proposal << u"--decision"_s
                                        << u"reject"_s << u"--note"_s << u"Not on a Friday"_s,
                   kKey);
        QVERIFY2(rejected.exitCode == 0, rejected.describe().constData());
        QVERIFY2(rejected.out.contains("Not on a Friday"), rejected.describe().constData());
        QVERIFY2(rejected.err.contains(QByteArray("approval " + proposal.toUtf8() + ": rejected")),
                 rejected.describe().constData());

        QJsonObject after;
        QVERIFY(approvalOf(id, proposal, &after));
        QCOMPARE(after.value(u"status"_s).toString(), u"rejected"_s);

        // Answered already: a conflict, and nothing sent.
        const CliRun again = runCli(QStringList(m_where) << u"approve"_s << id << proposal
                                                         << u"--decision"_s << u"approve"_s,
                                    kKey);
        QCOMPARE(again.exitCode, code(cli::ExitCode::Conflict));
        QVERIFY2(again.err.contains("already answered"), again.describe().constData());
    }

    void approveUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("no decision")
            << QStringList{u"approve"_s, u"c1"_s, u"p1"_s} << QByteArray("--decision");
        QTest::newRow("bad decision")
            << QStringList{u"approve"_s, u"c1"_s, u"p1"_s, u"--decision"_s, u"maybe"_s}
            << QByteArray("maybe");
        QTest::newRow("no approval id")
            << QStringList{u"approve"_s, u"c1"_s, u"--decision"_s, u"approve"_s}
            << QByteArray("approval");
        QTest::newRow("note with approve")
            << QStringList{u"approve"_s, u"c1"_s,     u"p1"_s, u"--decision"_s,
                           u"approve"_s, u"--note"_s, u"x"_s}
            << QByteArray("--note");
        QTest::newRow("note elsewhere")
            << QStringList{u"send"_s, u"c1"_s, u"Hi"_s, u"--note"_s, u"x"_s}
            << QByteArray("--note");
    }
    void approveUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, says);
        const int before = m_sandbox->server()->requestCount();
        const CliRun run = runCli(m_where + args, kKey);
        QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
        QVERIFY2(run.err.contains(says), run.describe().constData());
        QCOMPARE(m_sandbox->server()->requestCount(), before);
    }

    void sendChecksItsFieldsBeforeSending_data()
    {
        QTest::addColumn<QString>("param");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("not JSON") << u"ui_context={dashboards"_s << QByteArray("ui_context");
        QTest::newRow("not an object")
            << u"contextual_tools=[1]"_s << QByteArray("contextual_tools");
        QTest::newRow("unknown field") << u"colour=blue"_s << QByteArray("colour");
        QTest::newRow("session id with spaces") << u"session_id=a b"_s << QByteArray("session_id");
    }
    void sendChecksItsFieldsBeforeSending()
    {
        QFETCH(QString, param);
        QFETCH(QByteArray, says);
        const QString id = firstConversation(m_where, kKey);
        QVERIFY(!id.isEmpty());
        const int before = m_sandbox->server()->requestCount();
        const CliRun run = runCli(
            QStringList(m_where) << u"send"_s << id << u"Hi"_s << u"--param"_s << param, kKey);
        QCOMPARE(run.exitCode, code(cli::ExitCode::Usage));
        QVERIFY2(run.err.contains(says), run.describe().constData());
        QCOMPARE(m_sandbox->server()->requestCount(), before);
    }

    void sendAndQueueTakeTheFields()
    {
        const QString id = firstConversation(m_where, kKey);
        QVERIFY(!id.isEmpty());
        const CliRun sent =
            runCli(QStringList(m_where) << u"send"_s << id << u"Write the query"_s << u"--param"_s
                                        << u"agent_mode=sql"_s << u"--param"_s
                                        << uR"(ui_context={"dashboards":[]})"_s << u"--param"_s
                                        << u"session_id=s-1"_s,
                   kKey);
        QVERIFY2(sent.exitCode == 0, sent.describe().constData());
        const CliRun shown =
            runCli(QStringList(m_where) << u"show"_s << id << u"--format"_s << u"json"_s, kKey);
        bool found = false;
        for (const QJsonValue &p :
             QJsonDocument::fromJson(shown.out).object().value(u"properties"_s).toArray()) {
            const QJsonObject o = p.toObject();
            if (o.value(u"label"_s).toString() == "Agent mode"_L1)
                found = o.value(u"value"_s).toString() == "sql"_L1;
        }
        QVERIFY2(found, shown.describe().constData());

        // queue takes the fields on add only.
        const CliRun listed = runCli(QStringList(m_where) << u"queue"_s << id << u"list"_s
                                                          << u"--param"_s << u"agent_mode=sql"_s,
                                     kKey);
        QCOMPARE(listed.exitCode, code(cli::ExitCode::Usage));
        QVERIFY2(listed.err.contains("queue add"), listed.describe().constData());
        // resume_payload is no field of a queued message.
        const CliRun resumed =
            runCli(QStringList(m_where) << u"queue"_s << id << u"add"_s << u"Later"_s
                                        << u"--param"_s << u"resume_payload={}"_s,
                   kKey);
        QCOMPARE(resumed.exitCode, code(cli::ExitCode::Usage));
        QVERIFY2(resumed.err.contains("resume_payload"), resumed.describe().constData());
    }

    void helpListsTheFields()
    {
        const CliRun send = runCli({u"send"_s, u"--help"_s}, {});
        QVERIFY2(send.out.contains("--param contextual_tools={}"), send.describe().constData());
        QVERIFY2(send.out.contains("--param session_id="), send.describe().constData());
        const CliRun queue = runCli({u"queue"_s, u"--help"_s}, {});
        QVERIFY2(queue.out.contains("--param agent_mode="), queue.describe().constData());
        QVERIFY2(!queue.out.contains("resume_payload"), queue.describe().constData());
        const CliRun all = runCli({u"--help"_s}, {});
        QVERIFY2(all.out.contains("approve ID APPROVAL_ID --decision approve|reject"),
                 all.describe().constData());
    }

private:
    // The conversation with an approval, and that approval as show --format json gives it.
    bool findApproval(QString *id, QJsonObject *approval)
    {
        const CliRun list = runCli(QStringList(m_where) << u"list"_s, kKey);
        QString error;
        for (const QJsonObject &row : parseNdjson(list.out, &error)) {
            const QString candidate = row.value(u"id"_s).toString();
            const QJsonArray approvals = shownApprovals(candidate);
            if (!approvals.isEmpty()) {
                *id = candidate;
                *approval = approvals.at(0).toObject();
                return true;
            }
        }
        return false;
    }
    bool approvalOf(const QString &id, const QString &proposal, QJsonObject *out)
    {
        for (const QJsonValue &a : shownApprovals(id)) {
            if (a.toObject().value(u"id"_s).toString() == proposal) {
                *out = a.toObject();
                return true;
            }
        }
        return false;
    }
    QJsonArray shownApprovals(const QString &id)
    {
        const CliRun shown =
            runCli(QStringList(m_where) << u"show"_s << id << u"--format"_s << u"json"_s, kKey);
        return QJsonDocument::fromJson(shown.out).object().value(u"approvals"_s).toArray();
    }

    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;
    QStringList m_where;
};

QTEST_GUILESS_MAIN(TestCliApprove)
#include "tst_cli_approve.moc"
