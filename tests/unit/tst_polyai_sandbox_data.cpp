// The PolyAI emulation's generated data: ids that find their conversation without any
// storage, determinism, time order, cursors, and bodies the real mapping accepts.
#include "providers/polyai/PolyaiMapping.h"
#include "sandbox/SandboxText.h"
#include "sandbox/polyai/PolyaiSandbox.h"
#include "sandbox/polyai/PolyaiSandboxData.h"
#include "support/SandboxDataChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

QByteArray bodyOf(const QJsonObject &conversation)
{
    return QJsonDocument(QJsonObject{{u"conversations"_s, QJsonArray{conversation}}}).toJson();
}

} // namespace

class TestPolyaiSandboxData : public QObject
{
    Q_OBJECT

private slots:
    void idsFindTheirConversation()
    {
        verifyIdsFindTheirConversation<PolyaiSandboxData>(7, 997, [](const QString &id) {
            static const QRegularExpression shape(u"^CA[0-9a-f]{32}$"_s);
            return shape.match(id).hasMatch();
        });
    }

    void unknownIdsAreRejected()
    {
        verifyUnknownIdsAreRejected<PolyaiSandboxData>({u"CAabcd1234567abcdef1250065d4fc7389"_s});
        const PolyaiSandboxData data(42, 10);
        QCOMPARE(data.indexOf(data.idAt(3).toUpper()), -1);
        QString tampered = data.idAt(3);
        tampered[33] = tampered.at(33) == u'0' ? u'1' : u'0';
        QCOMPARE(data.indexOf(tampered), -1);
    }

    void deterministic()
    {
        const PolyaiSandboxData a(42, 200);
        const PolyaiSandboxData b(42, 200);
        for (int i : {0, 17, 199}) {
            QCOMPARE(a.idAt(i), b.idAt(i));
            QCOMPARE(a.listItem(i, PolyaiSandboxData::Shape::V3, u"a"_s, u"p"_s, false, true),
                     b.listItem(i, PolyaiSandboxData::Shape::V3, u"a"_s, u"p"_s, false, true));
            QCOMPARE(a.detail(i, u"a"_s, u"p"_s), b.detail(i, u"a"_s, u"p"_s));
        }
        const PolyaiSandboxData c(43, 200);
        QVERIFY(a.listItem(5, PolyaiSandboxData::Shape::V1, u"a"_s, u"p"_s, false, false) !=
                c.listItem(5, PolyaiSandboxData::Shape::V1, u"a"_s, u"p"_s, false, false));
    }

    void startTimesGrowAndSearchByTime()
    {
        const PolyaiSandboxData data(42, 5000);
        QDateTime previous;
        QSet<QString> environments;
        for (int i = 0; i < data.count(); ++i) {
            const auto f = data.facts(i);
            QVERIFY(!previous.isValid() || f.started > previous);
            previous = f.started;
            environments.insert(f.environment);
        }
        QCOMPARE(environments.size(), 3);
        QVERIFY(previous <= SandboxText::epoch().addSecs(3600));
        const QDateTime t = data.facts(1234).started;
        QCOMPARE(data.firstStartingAtOrAfter(t), 1234);
        QCOMPARE(data.firstStartingAtOrAfter(t.addMSecs(1)), 1235);
        QCOMPARE(data.firstStartingAtOrAfter(QDateTime(QDate(2000, 1, 1), QTime(), Qt::UTC)), 0);
        QCOMPARE(data.firstStartingAtOrAfter(QDateTime(QDate(2100, 1, 1), QTime(), Qt::UTC)), 5000);
        // The newest conversations are the ones still running.
        QVERIFY(data.facts(4999).inProgress);
        QVERIFY(!data.facts(0).inProgress);
    }

    void cursors()
    {
        for (int i : {0, 1, 49, 99999}) {
            const QString c = PolyaiSandbox::cursorAfter(i);
            QVERIFY(!c.contains(u'=') && !c.contains(u'+') && !c.contains(u'/'));
            QCOMPARE(PolyaiSandbox::indexFromCursor(c), std::optional<int>(i));
        }
        QVERIFY(!PolyaiSandbox::indexFromCursor(QString()));
        QVERIFY(!PolyaiSandbox::indexFromCursor(u"not a cursor"_s));
        QVERIFY(!PolyaiSandbox::indexFromCursor(u"cGMxOi0x"_s)); // "pc1:-1"
        QVERIFY(!PolyaiSandbox::indexFromCursor(u"eHl6OjE"_s));  // "xyz:1"
    }

    void bodiesParseWithTheRealMapping()
    {
        const PolyaiSandboxData data(42, 300);
        int turns = 0;
        int handoffs = 0;
        for (int i = 0; i < data.count(); ++i) {
            for (const auto shape : {PolyaiSandboxData::Shape::V1, PolyaiSandboxData::Shape::V3}) {
                const QJsonObject item =
                    data.listItem(i, shape, u"acme"_s, u"support"_s, true, true);
                const auto r = polyai::parseListPage(bodyOf(item),
                                                     shape == PolyaiSandboxData::Shape::V1
                                                         ? polyai::ApiVersion::V1
                                                         : polyai::ApiVersion::V3,
                                                     PageCursor{});
                QVERIFY2(r.ok(), qPrintable(r.error().message()));
                const ConversationDetail &d = polyai::detailFromRow(r.value().rows.at(0));
                QCOMPARE(d.summary.id, data.idAt(i));
                QVERIFY(!d.turns.isEmpty());
                QCOMPARE(d.turns.first().role, Turn::Role::Assistant); // the agent greets
                turns += int(d.turns.size());
                handoffs += d.summary.status == "handoff"_L1 ? 1 : 0;
            }
            const QByteArray detail =
                QJsonDocument(data.detail(i, u"acme"_s, u"support"_s)).toJson();
            const auto d = polyai::parseConversation(detail);
            QVERIFY2(d.ok(), qPrintable(d.error().message()));
            QCOMPARE(d.value().summary.id, data.idAt(i));
            QVERIFY(d.value().summary.title.startsWith(u"Caller"_s));
        }
        QVERIFY(turns > data.count() * 2);
        QVERIFY(handoffs > 0);
    }

    void v1LeavesEmptyTextsNull()
    {
        const PolyaiSandboxData data(42, 50);
        const QJsonObject v1 =
            data.listItem(0, PolyaiSandboxData::Shape::V1, u"a"_s, u"p"_s, false, false);
        const QJsonObject v3 =
            data.listItem(0, PolyaiSandboxData::Shape::V3, u"a"_s, u"p"_s, false, false);
        const QJsonObject first1 = v1.value(u"turns"_s).toArray().first().toObject();
        const QJsonObject first3 = v3.value(u"turns"_s).toArray().first().toObject();
        QVERIFY(first1.value(u"user_input"_s).isNull());
        QCOMPARE(first3.value(u"user_input"_s), QJsonValue(u""_s));
        QVERIFY(!first3.contains(u"latency"_s));
        QVERIFY(first3.contains(u"english_agent_response"_s));
        QVERIFY(!v1.contains(u"context_state"_s));
    }
};

QTEST_GUILESS_MAIN(TestPolyaiSandboxData)
#include "tst_polyai_sandbox_data.moc"
