// The Dynamiq emulation's generated data: ids that find their conversation without any
// storage, determinism, the facts filters use, and bodies the real mapping accepts.
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqQuery.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"
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

class TestDynamiqSandboxData : public QObject
{
    Q_OBJECT

private slots:
    void idsFindTheirConversation() { verifyIdsFindTheirConversation<DynamiqSandboxData>(7, 991); }

    void idsAreUuids()
    {
        static const QRegularExpression v4(
            u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
        const DynamiqSandboxData data(42, 200);
        for (int i = 0; i < data.count(); ++i) {
            QVERIFY2(v4.match(data.idAt(i)).hasMatch(), qPrintable(data.idAt(i)));
            QVERIFY(dynamiq::isUuid(data.idAt(i)));
        }
        QVERIFY(data.idAt(0).right(12) != data.idAt(1).right(12));
    }

    void unknownIdsAreRejected()
    {
        verifyUnknownIdsAreRejected<DynamiqSandboxData>(
            {u"not-a-uuid"_s, u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s});
        const DynamiqSandboxData data(42, 10);
        QCOMPARE(data.indexOf(data.idAt(3).toUpper()), -1); // ids are lower-case
        QString tampered = data.idAt(3);
        tampered[0] = tampered[0] == u'a' ? u'b' : u'a'; // same index code, other prefix
        QCOMPARE(data.indexOf(tampered), -1);
    }

    void deterministic()
    {
        const DynamiqSandboxData a(5, 300);
        const DynamiqSandboxData b(5, 300);
        const DynamiqSandboxData c(6, 300);
        QCOMPARE(a.conversation(17), b.conversation(17));
        QVERIFY(a.conversation(17) != c.conversation(17));
        QCOMPARE(a.userId(), b.userId());
        QCOMPARE(a.apps().at(0).id, b.apps().at(0).id);
        QVERIFY(a.apps().at(0).id != c.apps().at(0).id);
    }

    // Each conversation is bound to exactly one app or model; facts match the body.
    void factsMatchTheBody()
    {
        const DynamiqSandboxData data(42, 500);
        QSet<int> apps;
        QSet<int> models;
        QSet<int> orgs;
        for (int i = 0; i < data.count(); ++i) {
            const DynamiqSandboxData::Facts f = data.facts(i);
            const QJsonObject o = data.conversation(i);
            QVERIFY((f.app >= 0) != (f.model >= 0));
            if (f.app >= 0) {
                apps.insert(f.app);
                QCOMPARE(o.value(u"app_id"_s).toString(), data.apps().at(f.app).id);
                QVERIFY(o.value(u"model_id"_s).isNull());
                QCOMPARE(o.value(u"app"_s).toObject().value(u"name"_s).toString(),
                         data.apps().at(f.app).name);
            } else {
                models.insert(f.model);
                QCOMPARE(o.value(u"model_id"_s).toString(), data.models().at(f.model).id);
                QVERIFY(o.value(u"app_id"_s).isNull());
            }
            orgs.insert(f.org);
            QCOMPARE(o.value(u"org_id"_s).toString(), data.orgIds().at(f.org));
            QCOMPARE(o.value(u"user_id"_s).toString(), data.userId());
            QCOMPARE(o.value(u"title"_s).toString(), data.title(i));
            QVERIFY(f.updated >= f.created);
            if (i > 0)
                QVERIFY(f.created > data.facts(i - 1).created); // newest = highest index
        }
        QCOMPARE(apps.size(), data.apps().size());
        QCOMPARE(models.size(), data.models().size());
        QCOMPARE(orgs.size(), data.orgIds().size());
    }

    void bodiesParse()
    {
        const DynamiqSandboxData data(42, 60);
        QJsonArray rows;
        for (int i = 0; i < data.count(); ++i)
            rows.append(data.conversation(i));
        const QJsonObject list{{u"data"_s, rows},
                               {u"pagination"_s, QJsonObject{{u"page"_s, 1},
                                                             {u"page_size"_s, 60},
                                                             {u"page_count"_s, 1},
                                                             {u"total_count"_s, 60}}}};
        const auto page = dynamiq::parseListPage(QJsonDocument(list).toJson(), 1, 60);
        QVERIFY2(page.ok(), qPrintable(page.error().message()));
        QCOMPARE(page.value().items.size(), 60);
        for (int i = 0; i < data.count(); ++i) {
            const Conversation &c = page.value().items.at(i);
            QCOMPARE(c.id, data.idAt(i));
            QVERIFY(!c.title.isEmpty());
            QVERIFY(!c.kind.isEmpty());
            QCOMPARE(c.createdAt.toSecsSinceEpoch(), data.facts(i).created);
            QCOMPARE(c.updatedAt.toSecsSinceEpoch(), data.facts(i).updated);
        }
        const auto detail = dynamiq::parseConversation(
            QJsonDocument(QJsonObject{{u"data"_s, data.conversation(9)}}).toJson());
        QVERIFY2(detail.ok(), qPrintable(detail.error().message()));
        QCOMPARE(detail.value().summary.id, data.idAt(9));
        QVERIFY(!detail.value().hasTranscript);
    }

    void emptyDataSet()
    {
        const DynamiqSandboxData none(42, 0);
        QCOMPARE(none.count(), 0);
        QCOMPARE(none.indexOf(DynamiqSandboxData(42, 5).idAt(0)), -1);
        const DynamiqSandboxData negative(42, -3);
        QCOMPARE(negative.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDynamiqSandboxData)
#include "tst_dynamiq_sandbox_data.moc"
