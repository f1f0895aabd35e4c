// The orq.ai emulation's generated data: ULIDs, ids that find their conversation without
// storage, newest-first order, entities, and bodies the real mapping accepts.
#include "providers/orq/OrqMapping.h"
#include "sandbox/orq/OrqSandboxData.h"
#include "sandbox/orq/OrqUlid.h"
#include "support/SandboxDataChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestOrqSandboxData : public QObject
{
    Q_OBJECT

private slots:
    void ulidRoundTrip()
    {
        const OrqUlid zero;
        QCOMPARE(zero.toString(), u"00000000000000000000000000"_s);
        OrqUlid max;
        max.timeMs = (quint64(1) << 48) - 1;
        max.randomHi = 0xFFFF;
        max.randomLo = ~quint64(0);
        QCOMPARE(max.toString(), u"7zzzzzzzzzzzzzzzzzzzzzzzzz"_s);

        OrqUlid u;
        u.timeMs = 1734789600000; // 2024-12-21T14:00:00Z
        u.randomHi = 0x1234;
        u.randomLo = 0x0123456789ABCDEFull;
        const QString text = u.toString();
        QCOMPARE(text.size(), 26);
        OrqUlid back;
        QVERIFY(OrqUlid::parse(text, &back));
        QCOMPARE(back.timeMs, u.timeMs);
        QCOMPARE(back.randomHi, u.randomHi);
        QCOMPARE(back.randomLo, u.randomLo);
        QVERIFY(OrqUlid::parse(text.toUpper(), &back)); // Crockford is case-insensitive
        QCOMPARE(back.randomLo, u.randomLo);
        // The documented example id decodes to a time in December 2025.
        QVERIFY(OrqUlid::parse(u"01kbmyap3tva7ktd11dt2xesma"_s, &back));
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(qint64(back.timeMs), Qt::UTC).date().year(), 2025);

        QVERIFY(!OrqUlid::parse(u"8zzzzzzzzzzzzzzzzzzzzzzzzz"_s, &back)); // > 128 bits
        QVERIFY(!OrqUlid::parse(u"0000000000000000000000000u"_s, &back)); // not base32
        QVERIFY(!OrqUlid::parse(u"000"_s, &back));
    }

    void idsFindTheirConversation()
    {
        verifyIdsFindTheirConversation<OrqSandboxData>(
            7, 991, [](const QString &id) { return OrqSandboxData::looksLikeId(id); });
    }

    void unknownIdsAreRejected()
    {
        // Ids carry the creation time, which depends on the set's size.
        verifyUnknownIdsAreRejected<OrqSandboxData>({u"conv_01jj1hdhn79xas7a01wb3hysdb"_s}, false);
        const OrqSandboxData data(42, 10);
        QCOMPARE(data.indexOf(data.idAt(3).toUpper()), -1);
        QCOMPARE(data.indexOf(u"msg_"_s + data.idAt(3).mid(5)), -1);
        QVERIFY(!OrqSandboxData::looksLikeId(u"conv_123"_s));
    }

    void idsSortLikeTheList()
    {
        const OrqSandboxData data(42, 3000);
        for (int i = 1; i < data.count(); ++i) {
            QVERIFY(data.createdAtMs(i) > data.createdAtMs(i - 1));
            QVERIFY(data.idAt(i) > data.idAt(i - 1));
            OrqUlid u;
            QVERIFY(OrqUlid::parse(data.idAt(i).mid(5), &u));
            QCOMPARE(qint64(u.timeMs), data.createdAtMs(i));
        }
        QCOMPARE(data.indexAtPosition(0), 2999);
    }

    void entities()
    {
        const OrqSandboxData data(42, 2000);
        QCOMPARE(data.agents().size(), 3);
        int standalone = 0;
        QSet<QString> seen;
        for (int i = 0; i < data.count(); ++i) {
            const QString e = data.entityAt(i);
            if (e.isEmpty())
                ++standalone;
            else
                seen.insert(e);
            const QJsonObject meta = data.summary(i).value(u"metadata"_s).toObject();
            QCOMPARE(meta.value(u"entityId"_s).toString(), e);
            QCOMPARE(meta.value(u"model"_s).isNull(), !e.isEmpty());
        }
        QVERIFY(standalone > 600 && standalone < 1000);
        QCOMPARE(seen.size(), 3);
        for (const QString &agent : data.agents())
            QVERIFY(agent.startsWith(u"agent_"_s));
    }

    void bodiesParseWithTheRealMapping()
    {
        const OrqSandboxData data(42, 400);
        QSet<int> fragmentKinds;
        int errors = 0;
        for (int i = 0; i < data.count(); ++i) {
            QJsonArray one{data.summary(i)};
            const QJsonObject list{
                {u"object"_s, u"list"_s}, {u"data"_s, one}, {u"has_more"_s, false}};
            const auto page = orq::parseListPage(QJsonDocument(list).toJson());
            QVERIFY2(page.ok(), qPrintable(page.error().message()));
            QCOMPARE(page.value().items.at(0).id, data.idAt(i));

            const QJsonObject detail = data.detail(i);
            QCOMPARE(data.detail(i), detail); // deterministic
            const auto d = orq::parseConversation(QJsonDocument(detail).toJson());
            QVERIFY2(d.ok(), qPrintable(d.error().message()));
            QVERIFY(d.value().turns.size() >= 2);
            QCOMPARE(d.value().turns.first().role, Turn::Role::User);
            QCOMPARE(d.value().turns.at(1).role, Turn::Role::Assistant);
            // Messages lie between creation and the last update, in order.
            QDateTime previous = d.value().summary.createdAt;
            for (const Turn &t : d.value().turns) {
                QVERIFY(t.timestamp >= previous);
                QVERIFY(t.timestamp <= d.value().summary.updatedAt);
                previous = t.timestamp;
                errors += t.state == Turn::State::Error ? 1 : 0;
                for (const Fragment &f : t.fragments)
                    fragmentKinds.insert(int(f.kind));
            }
        }
        QVERIFY(errors > 0);
        for (auto kind : {Fragment::Kind::Text, Fragment::Kind::File, Fragment::Kind::ToolResult,
                          Fragment::Kind::Error, Fragment::Kind::Other})
            QVERIFY2(fragmentKinds.contains(int(kind)), qPrintable(QString::number(int(kind))));
    }
};

QTEST_GUILESS_MAIN(TestOrqSandboxData)
#include "tst_orq_sandbox_data.moc"
