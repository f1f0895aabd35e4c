// The Dynamiq emulation's write side on the wire, spoken to with a bare
// QNetworkAccessManager: status codes and Dynamiq's error bodies for create, the SSE frames
// of a reply (event names, envelopes, sequences, heartbeat, terminal run object), and the
// connect routes' credentials (connect token only).
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley::sandbox;
using namespace Qt::StringLiterals;

namespace {

constexpr int kCount = 12;
constexpr quint32 kSeed = 9;
const QByteArray kKey = "test-key-9";

struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json;
};

} // namespace

class TestDynamiqSandboxWriteHttp : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Sandbox> m_sandbox;
    QNetworkAccessManager m_nam;
    DynamiqSandboxData m_data{kSeed, kCount};

    QUrl url(const QString &prefix, const QString &path) const
    {
        QUrl u = m_sandbox->baseUrl(prefix);
        u.setPath(u.path() + path);
        return u;
    }

    Answer send(const QByteArray &method, const QUrl &target, const QByteArray &bearer,
                const QByteArray &body = {})
    {
        QNetworkRequest request(target);
        if (!bearer.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + bearer);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(15000);
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        a.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        a.json = QJsonDocument::fromJson(a.body).object();
        reply->deleteLater();
        return a;
    }

    Answer create(const QJsonObject &body, const QByteArray &bearer = kKey)
    {
        return send("POST", url(u"dynamiq"_s, u"/v1/conversations"_s), bearer,
                    QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    static QJsonObject errorOf(const Answer &a) { return a.json.value(u"error"_s).toObject(); }

    // The `event:` name and `data:` JSON of each event of an SSE body; comments counted.
    static QList<QPair<QString, QJsonObject>> events(const QByteArray &body, int *comments)
    {
        QList<QPair<QString, QJsonObject>> out;
        *comments = 0;
        for (const QByteArray &block : body.split('\n')) {
            if (block.startsWith(':'))
                ++*comments;
            else if (block.startsWith("event: "))
                out.append({QString::fromUtf8(block.mid(7)), {}});
            else if (block.startsWith("data: ") && !out.isEmpty())
                out.last().second = QJsonDocument::fromJson(block.mid(6)).object();
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        SandboxOptions options;
        options.seed = kSeed;
        options.conversations = kCount;
        options.key = kKey;
        options.streamIntervalMs = 2;
        m_sandbox = std::make_unique<Sandbox>(options);
        QString error;
        QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    }

    void createAnswersTheConversation()
    {
        const auto &app = m_data.apps().at(2);
        const Answer a = create(
            QJsonObject{{u"title"_s, u"Hello"_s}, {u"app_id"_s, app.id}, {u"model_id"_s, {}}});
        QCOMPARE(a.status, 201);
        const QJsonObject c = a.json.value(u"data"_s).toObject();
        QCOMPARE(c.value(u"title"_s).toString(), u"Hello"_s);
        QCOMPARE(c.value(u"app_id"_s).toString(), app.id);
        QVERIFY(c.value(u"model_id"_s).isNull());
        QCOMPARE(c.value(u"app"_s).toObject().value(u"name"_s).toString(), app.name);
        QCOMPARE(c.value(u"org_id"_s).toString(), m_data.orgIds().at(0));
        QCOMPARE(c.value(u"user_id"_s).toString(), m_data.userId());
        for (const QString &key : {u"id"_s, u"created_at"_s, u"updated_at"_s, u"sandbox_id"_s})
            QVERIFY2(c.contains(key), qPrintable(key));

        const Answer got = send(
            "GET", url(u"dynamiq"_s, u"/v1/conversations/"_s + c.value(u"id"_s).toString()), kKey);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json.value(u"data"_s).toObject(), c);
    }

    void createValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        const QString app = DynamiqSandboxData(kSeed, kCount).apps().at(0).id;
        const QString model = DynamiqSandboxData(kSeed, kCount).models().at(0).id;
        auto body = [](const QJsonObject &o) { return QJsonDocument(o).toJson(); };
        QTest::newRow("neither") << body({{u"title"_s, u"x"_s}}) << 400 << u"app_id"_s;
        QTest::newRow("both") << body({{u"app_id"_s, app}, {u"model_id"_s, model}}) << 400
                              << u"model_id"_s;
        QTest::newRow("not uuid") << body({{u"app_id"_s, u"copilot"_s}}) << 400 << u"app_id"_s;
        QTest::newRow("number id") << body({{u"model_id"_s, 7}}) << 400 << u"model_id"_s;
        QTest::newRow("title number")
            << body({{u"app_id"_s, app}, {u"title"_s, 3}}) << 400 << u"title"_s;
        QTest::newRow("bad org") << body({{u"app_id"_s, app}, {u"org_id"_s, u"o"_s}}) << 400
                                 << u"org_id"_s;
        QTest::newRow("not json") << QByteArray("{title") << 400 << u"body"_s;
        QTest::newRow("unknown app")
            << body({{u"app_id"_s, u"00000000-0000-4000-8000-000000000001"_s}}) << 404 << QString();
        QTest::newRow("unknown org")
            << body({{u"model_id"_s, model},
                     {u"org_id"_s, u"00000000-0000-4000-8000-000000000001"_s}})
            << 404 << QString();
    }

    void createValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        const Answer a = send("POST", url(u"dynamiq"_s, u"/v1/conversations"_s), kKey, body);
        QCOMPARE(a.status, status);
        const QJsonObject e = errorOf(a);
        QCOMPARE(e.value(u"code"_s).toString(), status == 400 ? u"bad_request"_s : u"not_found"_s);
        QCOMPARE(e.value(u"message"_s).toString(),
                 status == 400 ? u"Bad Request"_s : u"Not Found"_s);
        if (!field.isEmpty())
            QVERIFY2(e.value(u"details"_s).toObject().contains(field), a.body.constData());
    }

    void createNeedsTheKey()
    {
        const Answer a = create(QJsonObject{{u"app_id"_s, m_data.apps().at(0).id}}, "nope");
        QCOMPARE(a.status, 401);
        QCOMPARE(errorOf(a).value(u"code"_s).toString(), u"unauthorized"_s);
    }

    void replyFrames()
    {
        const Answer a = send(
            "POST", url(u"dynamiq"_s, u"/v3/conversations/"_s + m_data.idAt(4) + u"/messages"_s),
            kKey, R"({"content": [{"type": "text", "text": "Can you find my invoice?"}]})");
        QCOMPARE(a.status, 200);
        QVERIFY(a.contentType.startsWith("text/event-stream"));
        int comments = 0;
        const auto list = events(a.body, &comments);
        QCOMPARE(comments, 1); // one heartbeat
        QVERIFY(list.size() > 6);
        QCOMPARE(list.constFirst().first, u"run.started"_s);
        QCOMPARE(list.constLast().first, u"run.completed"_s);
        const QString runId =
            list.constFirst().second.value(u"data"_s).toObject().value(u"id"_s).toString();
        QCOMPARE(runId.size(), 36);

        qint64 sequence = 0;
        QString text;
        int reasoning = 0;
        int tools = 0;
        for (const auto &[name, envelope] : list) {
            QCOMPARE(envelope.value(u"type"_s).toString(), name);
            QVERIFY(envelope.value(u"id"_s).toString().startsWith(u"evt-"_s));
            QVERIFY(envelope.value(u"timestamp"_s).toString().endsWith(u'Z'));
            const qint64 s = envelope.value(u"sequence"_s).toInteger();
            QVERIFY2(s == sequence + 1, qPrintable(name)); // 1, 2, 3, ...
            sequence = s;
            const QJsonObject data = envelope.value(u"data"_s).toObject();
            if (name == "agent.response.delta"_L1) {
                QCOMPARE(data.value(u"object"_s).toString(), name);
                text += data.value(u"delta"_s).toString();
            }
            reasoning += name == "agent.reasoning.delta"_L1 ? 1 : 0;
            tools += name == "agent.tool_call.completed"_L1 ? 1 : 0;
        }
        QVERIFY(reasoning >= 2);
        QCOMPARE(tools, 1); // "find" asks for one
        const QJsonObject run = list.constLast().second.value(u"data"_s).toObject();
        QCOMPARE(run.value(u"id"_s).toString(), runId);
        QCOMPARE(run.value(u"object"_s).toString(), u"run"_s);
        QCOMPARE(run.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(run.value(u"output"_s).toObject().value(u"content"_s).toString(), text);
        QVERIFY(!text.isEmpty());

        // Canceling it now (over) is fine; an unknown run is not.
        const Answer cancel =
            send("POST", url(u"dynamiq-app"_s, u"/v1/runs/"_s + runId + u"/cancel"_s), kKey);
        QCOMPARE(cancel.status, 200);
        QCOMPARE(cancel.json, (QJsonObject{{u"message"_s, u"canceled"_s}}));
        QCOMPARE(
            send("POST",
                 url(u"dynamiq-app"_s, u"/v1/runs/00000000-0000-4000-8000-000000000009/cancel"_s),
                 kKey)
                .status,
            404);
    }

    void messageValidation()
    {
        const QUrl target =
            url(u"dynamiq"_s, u"/v3/conversations/"_s + m_data.idAt(1) + u"/messages"_s);
        for (const auto &[body, field] :
             {std::pair{QByteArray(R"({"content": []})"), u"content"_s},
              std::pair{QByteArray(R"({})"), u"content"_s},
              std::pair{QByteArray(R"({"content": [{"type": "text", "text": " "}]})"),
                        u"content[0].text"_s},
              std::pair{QByteArray(R"({"content": [{"type": "audio"}]})"), u"content[0].type"_s},
              std::pair{QByteArray("[1]"), u"body"_s}}) {
            const Answer a = send("POST", target, kKey, body);
            QCOMPARE(a.status, 400);
            QVERIFY2(errorOf(a).value(u"details"_s).toObject().contains(field), a.body.constData());
        }
        const Answer missing = send(
            "POST",
            url(u"dynamiq"_s, u"/v3/conversations/00000000-0000-4000-8000-000000000009/messages"_s),
            kKey, R"({"content": [{"type": "text", "text": "hi"}]})");
        QCOMPARE(missing.status, 404);
        QCOMPARE(
            send("POST", target, "nope", R"({"content": [{"type": "text", "text": "hi"}]})").status,
            401);
    }

    void connectRoutesTakeOnlyAConnectToken()
    {
        // The workspace key is refused on /v1/connect.
        const Answer listed = send("GET", url(u"dynamiq"_s, u"/v1/connect/requirements"_s), kKey);
        QCOMPARE(listed.status, 401);
        QCOMPARE(errorOf(listed).value(u"code"_s).toString(), u"unauthorized"_s);

        const Answer blank = send("POST", url(u"dynamiq-app"_s, u"/v1/connect/tokens"_s), kKey,
                                  R"({"user_id": ""})");
        QCOMPARE(blank.status, 400);
        QCOMPARE(errorOf(blank).value(u"details"_s).toObject().value(u"user_id"_s).toString(),
                 u"cannot be blank"_s);

        const Answer token = send("POST", url(u"dynamiq-app"_s, u"/v1/connect/tokens"_s), kKey,
                                  R"({"user_id": "customer-3"})");
        QCOMPARE(token.status, 200);
        const QByteArray connect = token.json.value(u"token"_s).toString().toLatin1();
        QCOMPARE(connect.count('.'), 2);
        QVERIFY(token.json.value(u"expires_at"_s).toString().endsWith(u'Z'));
        QVERIFY(token.json.value(u"url"_s).toString().contains(u"/dynamiq-app/connect?token="_s));

        const Answer ok = send("GET", url(u"dynamiq"_s, u"/v1/connect/requirements"_s), connect);
        QCOMPARE(ok.status, 200);
        const QJsonArray data = ok.json.value(u"data"_s).toArray();
        QCOMPARE(data.size(), 2);
        for (const QJsonValue &v : data) {
            for (const QString &key : {u"id"_s, u"type"_s, u"title"_s, u"description"_s, u"spec"_s})
                QVERIFY2(v.toObject().contains(key), qPrintable(key));
        }
        // The connect token is no workspace key.
        QCOMPARE(send("GET", url(u"dynamiq"_s, u"/v1/conversations"_s), connect).status, 401);

        const QString gmail = data.at(0).toObject().value(u"id"_s).toString();
        QCOMPARE(send("POST",
                      url(u"dynamiq"_s, u"/v1/connect/requirements/nope/pipedream/authorize"_s),
                      connect)
                     .status,
                 404);
        const Answer link = send(
            "POST",
            url(u"dynamiq"_s, u"/v1/connect/requirements/"_s + gmail + u"/pipedream/authorize"_s),
            connect);
        QCOMPARE(link.status, 200);
        const QUrl page(link.json.value(u"data"_s).toObject().value(u"url"_s).toString());
        QCOMPARE(page.host(), u"127.0.0.1"_s);
        QCOMPARE(page.port(), int(m_sandbox->port()));
        QCOMPARE(page.path(), u"/dynamiq-app/connect/visit"_s);

        // A made-up or mismatched link is refused with a page, not a JSON error.
        QUrl forged = page;
        forged.setQuery(u"token=ctok_forged&requirement="_s + gmail);
        const Answer refused = send("GET", forged, {});
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.contentType.startsWith("text/html"));
    }
};

QTEST_GUILESS_MAIN(TestDynamiqSandboxWriteHttp)
#include "tst_dynamiq_sandbox_write_http.moc"
