// What the Dynamiq emulations keep between write calls: runs and their cancellation,
// connect tokens and the links made from them (both expire), requirements met per user,
// conversations created through the API; all bounded.
#include "sandbox/SandboxText.h"
#include "sandbox/dynamiq/DynamiqSandboxState.h"

#include <QDateTime>
#include <QTest>

using namespace parley::sandbox;
using namespace Qt::StringLiterals;

class TestDynamiqSandboxState : public QObject
{
    Q_OBJECT

private slots:
    void runs()
    {
        DynamiqSandboxState s(3);
        const QString a = s.startRun(u"c1"_s);
        const QString b = s.startRun(u"c1"_s);
        QVERIFY(a != b);
        QCOMPARE(a.size(), 36);
        QCOMPARE(DynamiqSandboxState(3).startRun(u"c1"_s), a); // same seed, same ids
        QVERIFY(!s.isCanceled(a));
        QVERIFY(s.cancelRun(a));
        QVERIFY(s.isCanceled(a));
        QVERIFY(s.cancelRun(a)); // twice is fine
        s.finishRun(b);
        QVERIFY(s.cancelRun(b)); // over: no error, and it stays as it ended
        QVERIFY(!s.isCanceled(b));
        QVERIFY(!s.cancelRun(u"unknown"_s));

        for (int i = 0; i < DynamiqSandboxState::kMaxRuns; ++i)
            s.startRun(u"c2"_s);
        QVERIFY(!s.cancelRun(a)); // forgotten: only the last runs are kept
    }

    void tokensAndLinksExpire()
    {
        DynamiqSandboxState s(3);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto g = s.mintToken(u"customer-1"_s, now);
        QCOMPARE(g.token.count('.'), 2); // shaped like a JWT
        QCOMPARE(g.expiresAt, now.addSecs(24 * 3600));
        QVERIFY(s.grant(g.token, now));
        QCOMPARE(s.grant(g.token, now)->userId, u"customer-1"_s);
        QVERIFY(!s.grant(g.token, g.expiresAt));
        QVERIFY(!s.grant("forged", now));
        QVERIFY(s.mintToken(u"customer-1"_s, now).token != g.token);

        const QString gmail = s.requirements().at(0).value(u"id"_s).toString();
        const QString link = s.mintLink(g, gmail);
        QVERIFY(link.startsWith(u"ctok_"_s));
        QCOMPARE(s.link(link, now)->requirementId, gmail);
        QCOMPARE(s.link(link, now)->userId, u"customer-1"_s);
        QVERIFY(!s.link(link, g.expiresAt.addSecs(1)));

        s.setTokenLifetimeSecs(0); // expired as soon as made
        const auto dead = s.mintToken(u"customer-2"_s, now);
        QVERIFY(!s.grant(dead.token, now));
    }

    void tokensAreBounded()
    {
        DynamiqSandboxState s(3);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto first = s.mintToken(u"u0"_s, now);
        for (int i = 1; i <= DynamiqSandboxState::kMaxTokens; ++i)
            s.mintToken(u"u%1"_s.arg(i), now);
        QVERIFY(!s.grant(first.token, now));
    }

    void requirementsPerUser()
    {
        DynamiqSandboxState s(3);
        QCOMPARE(s.requirements().size(), 2);
        const QString crm = s.requirements().at(1).value(u"id"_s).toString();
        QVERIFY(s.requirement(crm));
        QVERIFY(!s.requirement(u"nope"_s));
        s.satisfy(u"a"_s, crm);
        QVERIFY(s.isSatisfied(u"a"_s, crm));
        QVERIFY(!s.isSatisfied(u"b"_s, crm));
        // Ids and content do not depend on anything but the seed.
        QCOMPARE(DynamiqSandboxState(3).requirements(), s.requirements());
        QVERIFY(DynamiqSandboxState(4).requirements() != s.requirements());
    }

    void createdConversations()
    {
        DynamiqSandboxState s(3);
        // Now (never before the generated conversations), and always later than the last.
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const qint64 t1 = s.nextCreatedSecs();
        QVERIFY(t1 >= before);
        QVERIFY(t1 > SandboxText::epoch().toSecsSinceEpoch());
        QVERIFY(t1 <= qMax(QDateTime::currentSecsSinceEpoch(),
                           SandboxText::epoch().toSecsSinceEpoch() + 1));
        qint64 last = t1;
        for (int i = 0; i < 5; ++i) {
            const qint64 t = s.nextCreatedSecs();
            QVERIFY(t > last);
            last = t;
        }
        DynamiqSandboxState::Created c;
        c.json = QJsonObject{{u"id"_s, u"x1"_s}};
        c.title = u"T"_s;
        QVERIFY(s.addConversation(c));
        QVERIFY(s.createdConversation(u"x1"_s));
        QCOMPARE(s.createdConversation(u"x1"_s)->title, u"T"_s);
        QVERIFY(!s.createdConversation(u"x2"_s));
        QCOMPARE(s.created().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDynamiqSandboxState)
#include "tst_dynamiq_sandbox_state.moc"
