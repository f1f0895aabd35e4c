// The Fixie emulation (/fixie) over real HTTP on 127.0.0.1, spoken to with a bare
// QNetworkAccessManager: the wire details a client depends on (pageInfo, the limit of 100,
// plain-text errors, any agent id, detail bodies).
#include "sandbox/fixie/FixieSandboxData.h"
#include "support/SandboxHttpTestCase.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestFixieSandboxHttp : public SandboxHttpTestCase
{
    Q_OBJECT

private:
    FixieSandboxData m_data{kSeed, kCount};

    QUrl url(const QString &path, const Query &query = {}) const
    {
        return urlAt(u"fixie"_s, path, query);
    }

    RawAnswer list(const Query &query, const QString &agent = u"agent-1"_s)
    {
        return get(url(u"/api/v1/agents/%1/conversations"_s.arg(agent), query), m_auth);
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(startSandbox(&error), qPrintable(error));
        QVERIFY(m_sandbox->prefixes().contains(u"fixie"_s));
    }

    void defaultsAndPageInfo()
    {
        const RawAnswer a = list({});
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"conversations"_s).toArray().size(), 20); // default limit
        QCOMPARE(a.json.value(u"pageInfo"_s).toObject(),
                 (QJsonObject{{u"requestedPageSize"_s, 20},
                              {u"requestedOffset"_s, 0},
                              {u"totalResultCount"_s, kCount}}));
        const QJsonObject first = a.json.value(u"conversations"_s).toArray().first().toObject();
        QCOMPARE(first, m_data.conversation(kCount - 1)); // newest first, with full turns
    }

    // Every id exactly once across pages: conformance_fixie (everyRowOnceAtEveryPageSize).
    void offsetAndLimit()
    {
        for (int offset = 0; offset < kCount; offset += 6) {
            const RawAnswer a =
                list({{u"offset"_s, QString::number(offset)}, {u"limit"_s, u"6"_s}});
            QCOMPARE(a.status, 200);
            QCOMPARE(a.json.value(u"pageInfo"_s).toObject().value(u"requestedOffset"_s).toInt(),
                     offset);
            QCOMPARE(a.json.value(u"conversations"_s).toArray().size(), qMin(6, kCount - offset));
        }

        const RawAnswer past = list({{u"offset"_s, u"500"_s}, {u"limit"_s, u"100"_s}});
        QCOMPARE(past.status, 200);
        QVERIFY(past.json.value(u"conversations"_s).toArray().isEmpty());
        QCOMPARE(past.json.value(u"pageInfo"_s).toObject().value(u"totalResultCount"_s).toInt(),
                 kCount);
    }

    void anyAgentSeesTheSameConversations()
    {
        QCOMPARE(list({}, u"b2f1c0de-0000-4000-8000-000000000001"_s).json, list({}).json);
    }

    void badParametersAreTextErrors_data()
    {
        QTest::addColumn<Query>("query");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("limit 101")
            << Query{{u"limit"_s, u"101"_s}} << QByteArray("limit must not be greater than 100.");
        QTest::newRow("limit 0") << Query{{u"limit"_s, u"0"_s}}
                                 << QByteArray("limit must be a positive integer.");
        QTest::newRow("limit text")
            << Query{{u"limit"_s, u"ten"_s}} << QByteArray("limit must be a positive integer.");
        QTest::newRow("negative offset") << Query{{u"offset"_s, u"-1"_s}}
                                         << QByteArray("offset must be a non-negative integer.");
    }

    void badParametersAreTextErrors()
    {
        QFETCH(Query, query);
        QFETCH(QByteArray, text);
        const RawAnswer a = list(query);
        QCOMPARE(a.status, 400);
        QVERIFY(a.contentType.startsWith("text/plain"));
        QCOMPARE(a.body, text);
    }

    void limitOfOneHundredIsServed()
    {
        const RawAnswer a = list({{u"limit"_s, u"100"_s}});
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"conversations"_s).toArray().size(), kCount);
    }

    void authErrorsAreText_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("none") << QByteArray() << QByteArray("Unauthorized: no API key was sent.");
        QTest::newRow("wrong") << QByteArray("Bearer nope")
                               << QByteArray("Unauthorized: the API key is not valid.");
        QTest::newRow("no scheme")
            << QByteArray("test-key-123") << QByteArray("Unauthorized: the API key is not valid.");
    }

    void authErrorsAreText()
    {
        QFETCH(QByteArray, auth);
        QFETCH(QByteArray, text);
        for (const QUrl &target : {url(u"/api/v1/agents/a/conversations"_s),
                                   url(u"/api/v1/agents/a/conversations/"_s + m_data.idAt(3))}) {
            const RawAnswer a = get(target, auth);
            QCOMPARE(a.status, 401);
            QVERIFY(a.contentType.startsWith("text/plain"));
            QCOMPARE(a.body, text);
        }
    }

    void retrieve()
    {
        const RawAnswer a = get(url(u"/api/v1/agents/a/conversations/"_s + m_data.idAt(3)), m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json, m_data.conversation(3));

        for (const QString &id : {u"00000000-0000-4000-8000-000000000000"_s, u"nope"_s}) {
            const RawAnswer missing = get(url(u"/api/v1/agents/a/conversations/"_s + id), m_auth);
            QCOMPARE(missing.status, 404);
            QCOMPARE(missing.body, QByteArray("Conversation not found."));
        }
    }

    void unknownPathsAre404()
    {
        for (const QString &path :
             {u"/api/v1/agents"_s, u"/api/v1/agents/a/logs"_s, u"/api/v2/conversations"_s}) {
            const RawAnswer a = get(url(path), m_auth);
            QCOMPARE(a.status, 404);
            QCOMPARE(a.body, QByteArray("Not Found"));
        }
    }
};

QTEST_GUILESS_MAIN(TestFixieSandboxHttp)
#include "tst_fixie_sandbox_http.moc"
