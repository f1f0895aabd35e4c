// The PostHog emulation over real HTTP on 127.0.0.1, spoken to with a bare
// QNetworkAccessManager: wire details a client depends on (status codes, DRF bodies,
// absolute next/previous links, the trailing slash, auth errors).
#include "support/SandboxHttpTestCase.h"
#include "support/TextRows.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestPosthogSandboxHttp : public SandboxHttpTestCase
{
    Q_OBJECT

private:
    QUrl url(const QString &path, const Query &query = {}) const
    {
        return urlAt(u"posthog"_s, path, query);
    }

    QString listPath() const { return u"/api/projects/4242/conversations/"_s; }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(startSandbox(&error), qPrintable(error));
        QVERIFY(m_sandbox->prefixes().contains(u"posthog"_s));
    }

    void listDefaultsToOnePageOfAll()
    {
        const RawAnswer a = get(url(listPath()), m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"count"_s).toInt(), kCount);
        QCOMPARE(a.json.value(u"results"_s).toArray().size(), kCount); // default limit is 100
        QVERIFY(a.json.value(u"next"_s).isNull());
        QVERIFY(a.json.value(u"previous"_s).isNull());
    }

    void linksAreAbsoluteAndWalkable()
    {
        const RawAnswer first = get(url(listPath(), {{u"limit"_s, u"10"_s}}), m_auth);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value(u"results"_s).toArray().size(), 10);
        const QUrl next(first.json.value(u"next"_s).toString());
        QCOMPARE(next.scheme(), u"http"_s);
        QCOMPARE(next.host(), u"127.0.0.1"_s);
        QCOMPARE(next.port(), int(m_sandbox->port()));
        QCOMPARE(next.path(), u"/posthog"_s + listPath());
        QCOMPARE(QUrlQuery(next).queryItemValue(u"offset"_s), u"10"_s);
        QCOMPARE(QUrlQuery(next).queryItemValue(u"limit"_s), u"10"_s);

        const RawAnswer second = get(next, m_auth);
        QCOMPARE(second.status, 200);
        const QUrl previous(second.json.value(u"previous"_s).toString());
        QVERIFY(!QUrlQuery(previous).hasQueryItem(u"offset"_s)); // DRF drops offset=0
        const RawAnswer third = get(QUrl(second.json.value(u"next"_s).toString()), m_auth);
        QCOMPARE(third.json.value(u"results"_s).toArray().size(), 3);
        QVERIFY(third.json.value(u"next"_s).isNull());
        QCOMPARE(
            QUrlQuery(QUrl(third.json.value(u"previous"_s).toString())).queryItemValue(u"offset"_s),
            u"10"_s);
    }

    // Every id exactly once across pages: conformance_posthog (everyRowOnceAtEveryPageSize).
    void newestFirst()
    {
        QString lastUpdated;
        for (int offset = 0; offset < kCount; offset += 4) {
            const RawAnswer a =
                get(url(listPath(), {{u"limit"_s, u"4"_s}, {u"offset"_s, QString::number(offset)}}),
                    m_auth);
            QCOMPARE(a.status, 200);
            for (const QJsonValue &v : a.json.value(u"results"_s).toArray()) {
                const QString updated = v.toObject().value(u"updated_at"_s).toString();
                if (!lastUpdated.isEmpty())
                    QVERIFY(updated < lastUpdated); // same format, so text order = time order
                lastUpdated = updated;
            }
        }
        QVERIFY(!lastUpdated.isEmpty());
    }

    void limitIsCappedAtOneHundred()
    {
        SandboxOptions options;
        options.conversations = 150;
        options.key = "k";
        Sandbox big(options);
        QVERIFY(big.start());
        QUrl u = big.baseUrl(u"posthog"_s);
        u.setPath(u.path() + listPath());
        u.setQuery(u"limit=1000"_s);
        const RawAnswer a = get(u, "Bearer k");
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"results"_s).toArray().size(), 100);
        QCOMPARE(QUrlQuery(QUrl(a.json.value(u"next"_s).toString())).queryItemValue(u"limit"_s),
                 u"100"_s);
    }

    void offsetPastTheEndIsEmpty()
    {
        const RawAnswer a = get(url(listPath(), {{u"offset"_s, u"500"_s}}), m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"count"_s).toInt(), kCount);
        QVERIFY(a.json.value(u"results"_s).toArray().isEmpty());
        QVERIFY(a.json.value(u"next"_s).isNull());
    }

    void badPagingIs400_data()
    {
        addTextRows("key", "value",
                    {{"limit text", "limit", "ten"},
                     {"limit zero", "limit", "0"},
                     {"limit negative", "limit", "-5"},
                     {"limit empty", "limit", nullptr},
                     {"offset negative", "offset", "-1"},
                     {"offset fraction", "offset", "1.5"}});
    }

    void badPagingIs400()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        const RawAnswer a = get(url(listPath(), {{key, value}}), m_auth);
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json.value(u"type"_s).toString(), u"validation_error"_s);
        QCOMPARE(a.json.value(u"code"_s).toString(), u"invalid"_s);
        QCOMPARE(a.json.value(u"attr"_s).toString(), key);
        QVERIFY(!a.json.value(u"detail"_s).toString().isEmpty());
    }

    void authErrors()
    {
        const RawAnswer missing = get(url(listPath()), {});
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.json.value(u"type"_s).toString(), u"authentication_error"_s);
        QCOMPARE(missing.json.value(u"code"_s).toString(), u"not_authenticated"_s);
        QVERIFY(missing.json.contains(u"attr"_s) && missing.json.value(u"attr"_s).isNull());
        QVERIFY(missing.header("WWW-Authenticate").startsWith("Bearer"));

        for (const QByteArray &wrong : {QByteArray("Bearer nope"), QByteArray("test-key-123"),
                                        QByteArray("Basic dGVzdC1rZXktMTIz")}) {
            const RawAnswer a = get(url(listPath()), wrong);
            QCOMPARE(a.status, 401);
            QCOMPARE(a.json.value(u"code"_s).toString(), u"authentication_failed"_s);
            QVERIFY(!a.json.value(u"detail"_s).toString().isEmpty());
        }
        // Auth is checked before anything else, like DRF does.
        QCOMPARE(get(url(listPath(), {{u"limit"_s, u"x"_s}}), "Bearer nope").status, 401);
        QCOMPARE(get(url(listPath() + u"00000000-0000-4000-8000-000000000000/"_s), {}).status, 401);
    }

    void queueItemDeleteIs204()
    {
        // A running conversation takes follow-ups; deleting one answers 204 without a body
        // (the API's documents), and the queue no longer holds it.
        QString running;
        const RawAnswer list = get(url(listPath()), m_auth);
        for (const QJsonValue &row : list.json.value(u"results"_s).toArray()) {
            if (row.toObject().value(u"status"_s).toString() == u"in_progress"_s)
                running = row.toObject().value(u"id"_s).toString();
        }
        QVERIFY2(!running.isEmpty(), "the generated data has a running conversation");
        const QUrl queue = url(listPath() + running + u"/queue/"_s);
        const QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", m_auth},
                                                           {"Content-Type", "application/json"}};
        const RawAnswer added =
            m_raw.send("POST", queue, R"({"content":"later, please"})", headers);
        QCOMPARE(added.status, 200);
        const QJsonArray items = added.json.value(u"messages"_s).toArray();
        QCOMPARE(items.size(), 1);
        const QString itemId = items.at(0).toObject().value(u"id"_s).toString();

        const RawAnswer deleted = m_raw.send(
            "DELETE", url(listPath() + running + u"/queue/"_s + itemId + u'/'), {}, headers);
        QCOMPARE(deleted.status, 204);
        QVERIFY(deleted.body.isEmpty());
        QVERIFY(get(queue, m_auth).json.value(u"messages"_s).toArray().isEmpty());
    }

    void retrieve()
    {
        const RawAnswer list = get(url(listPath(), {{u"limit"_s, u"1"_s}}), m_auth);
        const QJsonObject item = list.json.value(u"results"_s).toArray().at(0).toObject();
        const QString id = item.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());

        const RawAnswer a = get(url(listPath() + id + u'/'), m_auth);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(u"id"_s).toString(), id);
        QCOMPARE(a.json.value(u"title"_s), item.value(u"title"_s));
        QCOMPARE(a.json.value(u"updated_at"_s), item.value(u"updated_at"_s));
        QVERIFY(!a.json.value(u"messages"_s).toArray().isEmpty());
        QCOMPARE(a.json.value(u"agent_runtime"_s).toString(), u"langgraph"_s);
        QVERIFY(a.json.value(u"pending_approvals"_s).isArray());
        QVERIFY(a.json.value(u"has_unsupported_content"_s).isBool());

        // The seed's older alias path serves the same conversation.
        const RawAnswer alias =
            get(url(u"/api/environments/4242/conversations/"_s + id + u'/'), m_auth);
        QCOMPARE(alias.status, 200);
        QCOMPARE(alias.json, a.json);
    }

    void unknownIdIs404()
    {
        for (const QString &id : {u"00000000-0000-4000-8000-000000000000"_s, u"nope"_s}) {
            const RawAnswer a = get(url(listPath() + id + u'/'), m_auth);
            QCOMPARE(a.status, 404);
            QCOMPARE(a.json.value(u"code"_s).toString(), u"not_found"_s);
            QCOMPARE(a.json.value(u"detail"_s).toString(), u"Not found."_s);
        }
    }

    void trailingSlashIsRequired()
    {
        QString path = listPath();
        path.chop(1);
        QCOMPARE(get(url(path), m_auth).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestPosthogSandboxHttp)
#include "tst_posthog_sandbox_http.moc"
