// The Dynamiq emulations (/dynamiq, /dynamiq-app) over real HTTP on 127.0.0.1, spoken to
// with a bare QNetworkAccessManager: the wire details a client depends on (status codes,
// Dynamiq's error bodies with details, pagination, parameter checks, the app host).
#include "sandbox/dynamiq/DynamiqSandboxData.h"
#include "support/SandboxHttpTestCase.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestDynamiqSandboxHttp : public SandboxHttpTestCase
{
    Q_OBJECT

private:
    DynamiqSandboxData m_data{kSeed, kCount};

    RawAnswer list(const Query &query, const QByteArray &auth = {})
    {
        return get(urlAt(u"dynamiq"_s, u"/v1/conversations"_s, query),
                   auth.isNull() ? m_auth : auth);
    }

    static QJsonObject error(const RawAnswer &a) { return a.json.value(u"error"_s).toObject(); }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(startSandbox(&error), qPrintable(error));
    }

    void defaultsAndEnvelope()
    {
        const RawAnswer a = list({});
        QCOMPARE(a.status, 200);
        QVERIFY(a.contentType.startsWith("application/json"));
        const QJsonArray data = a.json.value(u"data"_s).toArray();
        QCOMPARE(data.size(), 20); // the emulation's default page size
        const QJsonObject pagination = a.json.value(u"pagination"_s).toObject();
        QCOMPARE(pagination.value(u"page"_s).toInt(), 1);
        QCOMPARE(pagination.value(u"page_size"_s).toInt(), 20);
        QCOMPARE(pagination.value(u"page_count"_s).toInt(), 2);
        QCOMPARE(pagination.value(u"total_count"_s).toInt(), kCount);
        const QJsonObject first = data.first().toObject();
        for (const QString &key :
             {u"id"_s, u"title"_s, u"app_id"_s, u"model_id"_s, u"user_id"_s, u"org_id"_s,
              u"created_at"_s, u"updated_at"_s, u"sandbox_id"_s, u"app"_s, u"model"_s})
            QVERIFY2(first.contains(key), qPrintable(key));
        QCOMPARE(first.value(u"id"_s).toString(), m_data.idAt(kCount - 1)); // newest created
    }

    // Every id exactly once across pages: conformance_dynamiq (everyRowOnceAtEveryPageSize).
    void pageCountIsStable()
    {
        for (int page = 1; page <= 5; ++page) {
            const RawAnswer a =
                list({{u"page"_s, QString::number(page)}, {u"page_size"_s, u"5"_s}});
            QCOMPARE(a.status, 200);
            QCOMPARE(a.json.value(u"pagination"_s).toObject().value(u"page_count"_s).toInt(), 5);
            QCOMPARE(a.json.value(u"data"_s).toArray().size(), page < 5 ? 5 : kCount - 20);
        }
    }

    void pageBeyondTheLastIsEmpty()
    {
        const RawAnswer a = list({{u"page"_s, u"7"_s}, {u"page_size"_s, u"5"_s}});
        QCOMPARE(a.status, 200);
        QVERIFY(a.json.value(u"data"_s).toArray().isEmpty());
        const QJsonObject pagination = a.json.value(u"pagination"_s).toObject();
        QCOMPARE(pagination.value(u"page"_s).toInt(), 7);
        QCOMPARE(pagination.value(u"page_count"_s).toInt(), 5);
        QCOMPARE(pagination.value(u"total_count"_s).toInt(), kCount);
    }

    void largePageSizesAreServed()
    {
        // The spec sets only a minimum: a page larger than everything is one page.
        const RawAnswer a = list({{u"page_size"_s, u"1000"_s}});
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"data"_s).toArray().size(), kCount);
        QCOMPARE(a.json.value(u"pagination"_s).toObject().value(u"page_count"_s).toInt(), 1);
    }

    void badParametersAre400WithDetails_data()
    {
        QTest::addColumn<Query>("query");
        QTest::addColumn<QString>("field");
        QTest::newRow("page 0") << Query{{u"page"_s, u"0"_s}} << u"page"_s;
        QTest::newRow("page text") << Query{{u"page"_s, u"two"_s}} << u"page"_s;
        QTest::newRow("page_size 0") << Query{{u"page_size"_s, u"0"_s}} << u"page_size"_s;
        QTest::newRow("page_size negative") << Query{{u"page_size"_s, u"-5"_s}} << u"page_size"_s;
        QTest::newRow("unknown sort") << Query{{u"sort"_s, u"-name"_s}} << u"sort"_s;
        QTest::newRow("unknown sort after a known one")
            << Query{{u"sort"_s, u"started_at,-nope"_s}} << u"sort"_s;
        QTest::newRow("empty sort item") << Query{{u"sort"_s, u"title,,created_at"_s}} << u"sort"_s;
        QTest::newRow("app_id not a uuid") << Query{{u"app_id"_s, u"app-1"_s}} << u"app_id"_s;
        QTest::newRow("model_id not a uuid") << Query{{u"model_id"_s, u"42"_s}} << u"model_id"_s;
        QTest::newRow("org_id not a uuid") << Query{{u"org_id"_s, u"acme"_s}} << u"org_id"_s;
    }

    void badParametersAre400WithDetails()
    {
        QFETCH(Query, query);
        QFETCH(QString, field);
        const RawAnswer a = list(query);
        QCOMPARE(a.status, 400);
        QCOMPARE(error(a).value(u"code"_s).toString(), u"bad_request"_s);
        QCOMPARE(error(a).value(u"message"_s).toString(), u"Bad Request"_s);
        const QJsonObject details = error(a).value(u"details"_s).toObject();
        QCOMPARE(details.keys(), QStringList{field});
        QVERIFY(!details.value(field).toString().isEmpty());
    }

    void sortAscendingAndDescending()
    {
        const RawAnswer asc = list({{u"sort"_s, u"created_at"_s}, {u"page_size"_s, u"100"_s}});
        const RawAnswer desc = list({{u"sort"_s, u"-created_at"_s}, {u"page_size"_s, u"100"_s}});
        QCOMPARE(asc.status, 200);
        QCOMPARE(desc.status, 200);
        QJsonArray reversed;
        for (const QJsonValue &v : desc.json.value(u"data"_s).toArray())
            reversed.prepend(v);
        QCOMPARE(asc.json.value(u"data"_s).toArray(), reversed);

        // started_at, the reference's example, sorts as created_at.
        const RawAnswer started = list({{u"sort"_s, u"-started_at"_s}, {u"page_size"_s, u"100"_s}});
        QCOMPARE(started.status, 200);
        QCOMPARE(started.json.value(u"data"_s).toArray(), desc.json.value(u"data"_s).toArray());

        const RawAnswer byTitle = list({{u"sort"_s, u"-title"_s}, {u"page_size"_s, u"100"_s}});
        QString previous;
        for (const QJsonValue &v : byTitle.json.value(u"data"_s).toArray()) {
            const QString title = v.toObject().value(u"title"_s).toString();
            QVERIFY(previous.isEmpty() || previous >= title);
            previous = title;
        }
    }

    void filtersMatchTheirField()
    {
        const QString app = m_data.apps().at(0).id;
        const RawAnswer a = list({{u"app_id"_s, app}, {u"page_size"_s, u"100"_s}});
        QCOMPARE(a.status, 200);
        const QJsonArray data = a.json.value(u"data"_s).toArray();
        QVERIFY(!data.isEmpty());
        QCOMPARE(a.json.value(u"pagination"_s).toObject().value(u"total_count"_s).toInt(),
                 data.size());
        for (const QJsonValue &v : data)
            QCOMPARE(v.toObject().value(u"app_id"_s).toString(), app);
        const RawAnswer upper = list({{u"app_id"_s, app.toUpper()}, {u"page_size"_s, u"100"_s}});
        QCOMPARE(upper.json.value(u"data"_s).toArray(), data);
    }

    void authErrors_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::newRow("none") << QByteArray("");
        QTest::newRow("wrong key") << QByteArray("Bearer nope");
        QTest::newRow("no scheme") << QByteArray("test-key-123");
        QTest::newRow("basic") << QByteArray("Basic dGVzdC1rZXktMTIz");
    }

    void authErrors()
    {
        QFETCH(QByteArray, auth);
        for (const QUrl &target :
             {urlAt(u"dynamiq"_s, u"/v1/conversations"_s),
              urlAt(u"dynamiq"_s, u"/v1/conversations/"_s + m_data.idAt(0)),
              urlAt(u"dynamiq-app"_s, u"/v1/requirements/status"_s, {{u"user_id"_s, u"u1"_s}})}) {
            const RawAnswer a = get(target, auth);
            QCOMPARE(a.status, 401);
            QCOMPARE(a.json,
                     (QJsonObject{{u"error"_s, QJsonObject{{u"code"_s, u"unauthorized"_s},
                                                           {u"message"_s, u"Unauthorized"_s}}}}));
        }
    }

    void retrieve()
    {
        const RawAnswer a =
            get(urlAt(u"dynamiq"_s, u"/v1/conversations/"_s + m_data.idAt(4)), m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json, (QJsonObject{{u"data"_s, m_data.conversation(4)}}));

        const RawAnswer missing =
            get(urlAt(u"dynamiq"_s, u"/v1/conversations/00000000-0000-4000-8000-000000000000"_s),
                m_auth);
        QCOMPARE(missing.status, 404);
        QCOMPARE(error(missing).value(u"code"_s).toString(), u"not_found"_s);
        QCOMPARE(error(missing).value(u"message"_s).toString(), u"Not Found"_s);

        const RawAnswer malformed = get(urlAt(u"dynamiq"_s, u"/v1/conversations/abc"_s), m_auth);
        QCOMPARE(malformed.status, 400);
        QVERIFY(error(malformed).value(u"details"_s).toObject().contains(u"conversation_id"_s));
    }

    void unknownPathsAreDynamiq404s()
    {
        for (const QUrl &target :
             {urlAt(u"dynamiq"_s, u"/v1/apps"_s),
              urlAt(u"dynamiq"_s, u"/v1/conversations/a/messages"_s),
              urlAt(u"dynamiq-app"_s, u"/v1/runs"_s), urlAt(u"dynamiq-app"_s, {})}) {
            const RawAnswer a = get(target, m_auth);
            QCOMPARE(a.status, 404);
            QCOMPARE(error(a).value(u"code"_s).toString(), u"not_found"_s);
        }
    }

    void requirementsStatus()
    {
        const QUrl target = urlAt(u"dynamiq-app"_s, u"/v1/requirements/status"_s,
                                  {{u"user_id"_s, u"customer-7421"_s}});
        const RawAnswer a = get(target, m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"status"_s).toString(), u"incomplete"_s);
        const QJsonArray unsatisfied = a.json.value(u"unsatisfied"_s).toArray();
        QCOMPARE(unsatisfied.size(), 2);
        const QJsonObject gmail = unsatisfied.at(0).toObject();
        QCOMPARE(gmail.value(u"type"_s).toString(), u"pipedream_account"_s);
        QCOMPARE(gmail.value(u"spec"_s)
                     .toObject()
                     .value(u"data"_s)
                     .toObject()
                     .value(u"app_slug"_s)
                     .toString(),
                 u"gmail"_s);
        for (const QJsonValue &v : unsatisfied) {
            const QJsonObject r = v.toObject();
            for (const QString &key :
                 {u"id"_s, u"type"_s, u"form"_s, u"spec"_s, u"workflow_id"_s, u"name"_s})
                QVERIFY2(r.contains(key), qPrintable(key));
        }
        QCOMPARE(get(target, m_auth).json, a.json); // deterministic

        const RawAnswer blank = get(urlAt(u"dynamiq-app"_s, u"/v1/requirements/status"_s), m_auth);
        QCOMPARE(blank.status, 400);
        QCOMPARE(error(blank).value(u"details"_s).toObject().value(u"user_id"_s).toString(),
                 u"cannot be blank"_s);
    }
};

QTEST_GUILESS_MAIN(TestDynamiqSandboxHttp)
#include "tst_dynamiq_sandbox_http.moc"
