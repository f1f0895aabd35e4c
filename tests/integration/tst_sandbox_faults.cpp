// Fault injection in the SandboxServer, seen through parley::HttpClient over real loopback
// HTTP: each fault ends with the ApiError kind the app must cope with, and the server goes
// on serving normal requests afterwards. A tiny route on a bare SandboxServer plays the
// API; one PostHog route through the full Sandbox shows every emulation gets the faults.
#include "net/HttpClient.h"
#include "providers/JsonFields.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

namespace {

struct Call
{
    bool finished = false;
    HttpResponse response;
    QList<QByteArray> chunks;
};

const QByteArray kEchoBody = R"({"name":"Ada","items":[1,2,3],"note":"plain text here"})";
// A page of rows with the rows' messages inside: the rows are the first list of objects.
const QByteArray kRowsBody =
    R"({"next":null,"rows":[{"id":"a","title":"A"},)"
    R"({"id":"b","type":"t","title":"B","n":1,"ok":true,"tags":[],"msgs":[{"x":"y"}],"gone":null}]})";

} // namespace

class TestSandboxFaults : public QObject
{
    Q_OBJECT

private:
    SandboxServer m_api;
    QTcpServer m_other; // 127.0.0.2 on the API's port: redirects must never reach it
    int m_otherConnections = 0;
    quint16 m_port = 0;
    std::unique_ptr<HttpClient> m_http;

    Endpoint endpoint() const
    {
        Endpoint e;
        e.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
        return e;
    }

    HttpRequest faulted(const QString &path, const QByteArray &spec) const
    {
        HttpRequest r = HttpRequest::get(path);
        r.timeoutMs = 5000;
        if (!spec.isEmpty())
            r.withHeader("X-Parley-Fault", spec);
        return r;
    }

    HttpResponse run(const Endpoint &e, const HttpRequest &request)
    {
        auto call = std::make_shared<Call>();
        m_http->send(e, request, this, [call](const HttpResponse &r) {
            call->response = r;
            call->finished = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(call->finished, 8000); }();
        return call->response;
    }

    HttpResponse get(const QByteArray &spec, const QString &path = u"/echo"_s)
    {
        return run(endpoint(), faulted(path, spec));
    }

    // The server still answers a plain request normally.
    void expectHealthy()
    {
        const HttpResponse r = get({});
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kEchoBody);
    }

private slots:
    void initTestCase()
    {
        m_api.route("GET", u"/echo"_s, [](const SandboxRequest &) {
            SandboxReply r;
            r.body = kEchoBody;
            return r;
        });
        m_api.route("GET", u"/rows"_s, [](const SandboxRequest &) {
            SandboxReply r;
            r.body = kRowsBody;
            return r;
        });
        m_api.route("GET", u"/page"_s, [](const SandboxRequest &request) {
            SandboxReply r;
            r.body = R"({"page":")" + request.query(u"p"_s).toUtf8() + R"("})";
            return r;
        });
        m_api.route("GET", u"/stream"_s, [](const SandboxRequest &) {
            QList<QByteArray> frames;
            for (int i = 0; i < 8; ++i)
                frames << "data: {\"n\":" + QByteArray::number(i) + ",\"pad\":\"abcdefgh\"}\n\n";
            return SandboxReply::stream("text/event-stream", frames, 5);
        });
        m_port = m_api.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
        connect(&m_other, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_other.nextPendingConnection()) {
                ++m_otherConnections;
                s->deleteLater();
            }
        });
        QVERIFY2(m_other.listen(QHostAddress(u"127.0.0.2"_s), m_port),
                 qPrintable(m_other.errorString()));
        m_http = std::make_unique<HttpClient>();
        // Each fault as one attempt sees it; retries over faults: tst_http_retry.
        m_http->setRetryPolicy(RetryPolicy::disabled());
    }

    void init() { expectHealthy(); }

    void reset()
    {
        const HttpResponse r = get("reset");
        QCOMPARE(r.error.kind, ApiError::Kind::Network);
        QCOMPARE(r.status, 0);
        expectHealthy();
    }

    void hang()
    {
        HttpRequest request = faulted(u"/echo"_s, "hang");
        request.timeoutMs = 300;
        const HttpResponse r = run(endpoint(), request);
        QCOMPARE(r.error.kind, ApiError::Kind::Timeout);
        expectHealthy();
    }

    void delay()
    {
        QElapsedTimer clock;
        clock.start();
        const HttpResponse r = get("delay=150");
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.body, kEchoBody);
        QVERIFY(clock.elapsed() >= 140);

        HttpRequest request = faulted(u"/echo"_s, "delay=2000");
        request.timeoutMs = 200; // nothing arrives in time
        QCOMPARE(run(endpoint(), request).error.kind, ApiError::Kind::Timeout);
        expectHealthy();
    }

    void statuses()
    {
        HttpResponse r = get("status=503");
        QCOMPARE(r.error.kind, ApiError::Kind::Server);
        QCOMPARE(r.error.httpStatus, 503);

        r = get("status=429;retry-after=3");
        QCOMPARE(r.error.kind, ApiError::Kind::RateLimited);
        QCOMPARE(r.error.retryAfterSeconds, 3);

        r = get("status=429;retry-after-date");
        QCOMPARE(r.error.kind, ApiError::Kind::RateLimited);
        QVERIFY2(r.error.retryAfterSeconds >= 1 && r.error.retryAfterSeconds <= 4,
                 qPrintable(QString::number(r.error.retryAfterSeconds)));
        expectHealthy();
    }

    void htmlErrorPage()
    {
        const HttpResponse r = get("html=502");
        QCOMPARE(r.error.kind, ApiError::Kind::Server);
        QCOMPARE(r.error.httpStatus, 502);
        QVERIFY(r.body.contains("<html>")); // what the server sent...
        const QString shown = r.error.message();
        QVERIFY(!shown.isEmpty());
        QVERIFY2(!shown.contains(u'<') && !r.error.detail.contains(u'<'),
                 qPrintable(shown)); // ...is not what the operator reads
        expectHealthy();
    }

    void truncated()
    {
        const HttpResponse r = get("truncated");
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.error.detail.contains(u"cut off"_s), qPrintable(r.error.message()));
        QVERIFY(r.body.isEmpty()); // half an answer is not handed on
        expectHealthy();
    }

    void oversize()
    {
        HttpRequest request = faulted(u"/echo"_s, "oversize=80");
        request.maxBodyBytes = 256 * 1024;
        const HttpResponse r = run(endpoint(), request);
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        expectHealthy();
    }

    void malformedJson()
    {
        const HttpResponse r = get("malformed-json");
        QVERIFY2(r.ok(), qPrintable(r.error.message())); // HTTP is fine...
        QVERIFY(r.body != kEchoBody);
        QJsonObject object;
        ApiError error;
        QVERIFY(!JsonFields::parseObject(r.body, &object, &error)); // ...the JSON is not
        QCOMPARE(error.kind, ApiError::Kind::BadResponse);
        expectHealthy();
    }

    void deepJson()
    {
        const HttpResponse r = get("deep-json=100000");
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.body.size(), 200000);
        QJsonArray array;
        ApiError error;
        QVERIFY(!JsonFields::parseArray(r.body, &array, &error));
        QCOMPARE(error.kind, ApiError::Kind::BadResponse);
        expectHealthy();
    }

    // broken-item: the second object of the first list of objects, every field but its id,
    // type and role of the wrong type; the rest of the body as it was.
    void brokenItem()
    {
        const HttpResponse r = get("broken-item", u"/rows"_s);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        const QJsonArray rows = body.value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).toObject(),
                 QJsonDocument::fromJson(R"({"id":"a","title":"A"})").object());
        const QJsonObject broken = rows.at(1).toObject();
        QCOMPARE(broken.value(u"id"_s).toString(), u"b"_s);
        QCOMPARE(broken.value(u"type"_s).toString(), u"t"_s);
        QCOMPARE(broken.value(u"title"_s).toInt(), 7);
        QCOMPARE(broken.value(u"n"_s).toString(), u"x"_s);
        QCOMPARE(broken.value(u"ok"_s).toString(), u"x"_s);
        QCOMPARE(broken.value(u"tags"_s).toString(), u"x"_s);
        QCOMPARE(broken.value(u"msgs"_s).toString(), u"x"_s);
        QVERIFY(broken.value(u"gone"_s).isNull());
        QVERIFY(body.value(u"next"_s).isNull());
        // A body without such a list goes out as it is.
        QCOMPARE(get("broken-item").body, kEchoBody);
        expectHealthy();
    }

    // repeat-page: every request of a path gets the body its first one got.
    void repeatPage()
    {
        const auto page = [this](const QString &p) {
            HttpRequest request = faulted(u"/page"_s, {});
            request.withQuery(u"p"_s, p);
            return run(endpoint(), request).body;
        };
        QVERIFY(m_api.setFaults(u"repeat-page,path=/page"_s));
        QCOMPARE(page(u"1"_s), QByteArray(R"({"page":"1"})"));
        QCOMPARE(page(u"2"_s), QByteArray(R"({"page":"1"})"));
        m_api.setFaults(QString());
        QCOMPARE(page(u"2"_s), QByteArray(R"({"page":"2"})"));
        expectHealthy();
    }

    void invalidUtf8AndContentType()
    {
        HttpResponse r = get("invalid-utf8");
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QVERIFY(r.body.contains("\xC3\x28"));
        QCOMPARE(r.body.size(), kEchoBody.size() + 2);
        // In a value, not a key: the field stays where a client looks for it.
        QVERIFY2(r.body.startsWith(QByteArray(QByteArray("{\"name\":\"\xC3\x28") + "Ada\"")),
                 r.body.constData());

        // A JSON endpoint answering with another type is refused by the client...
        r = get("content-type=text/html");
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.error.detail.contains(u"text/html"_s), qPrintable(r.error.detail));
        QVERIFY(r.contentType.startsWith("text/html"));
        // ...and taken as it is by a request that accepts anything.
        HttpRequest any = faulted(u"/echo"_s, "content-type=text/html");
        any.withAccept("*/*");
        r = run(endpoint(), any);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.body, kEchoBody);
        expectHealthy();
    }

    void drip()
    {
        const HttpResponse r = get("drip=10");
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.body, kEchoBody);
        expectHealthy();
    }

    void redirectOtherHost()
    {
        const int before = m_otherConnections;
        const HttpResponse r = get("redirect-other-host");
        QCOMPARE(r.error.kind, ApiError::Kind::Config);
        // Give a wrongly followed redirect the chance to connect before looking.
        expectHealthy();
        QCOMPARE(m_otherConnections, before);
    }

    void cutStream()
    {
        auto call = std::make_shared<Call>();
        HttpRequest request = faulted(u"/stream"_s, "cut-stream");
        request.withAccept("text/event-stream");
        m_http->stream(
            endpoint(), request, this, [call](const QByteArray &c) { call->chunks << c; },
            [call](const HttpResponse &r) {
                call->response = r;
                call->finished = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 8000);
        QVERIFY(call->response.error.isError());
        const QByteArray got = call->chunks.join();
        QVERIFY2(got.contains("\"n\":3"), got.constData()); // half the frames arrived...
        QVERIFY(!got.contains("\"n\":5"));                  // ...then the cut
        expectHealthy();
    }

    void badHeaderSpec()
    {
        const HttpResponse r = get("explode");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error.message().contains(u"unknown fault"_s), qPrintable(r.error.message()));
        expectHealthy();
    }

    void serverWideFaultsWithQualifiers()
    {
        QString error;
        QVERIFY(!m_api.setFaults(u"status=503,bogus"_s, &error));
        QVERIFY(error.contains(u"bogus"_s));
        QVERIFY2(m_api.setFaults(u"status=503,path=/echo,first=2"_s, &error), qPrintable(error));
        QCOMPARE(get({}).error.kind, ApiError::Kind::Server);
        QCOMPARE(get("status=429").error.kind, ApiError::Kind::RateLimited); // header wins
        QCOMPARE(get({}).error.kind, ApiError::Kind::Server);
        expectHealthy(); // first=2 used up
        QVERIFY(m_api.setFaults(u"reset,path=/stream"_s));
        expectHealthy(); // another path
        QVERIFY(m_api.setFaults(u"status=500,every=2"_s));
        expectHealthy();
        QCOMPARE(get({}).error.kind, ApiError::Kind::Server);
        expectHealthy();
        m_api.setFaults(std::nullopt);
    }

    void throughThePosthogEmulation()
    {
        SandboxOptions options;
        options.conversations = 5;
        options.faults = u"status=429;retry-after=2,path=/posthog/.*,first=1"_s;
        Sandbox sandbox(options);
        QString error;
        QVERIFY2(sandbox.start(&error), qPrintable(error));
        Endpoint e;
        e.baseUrl = sandbox.baseUrl(u"posthog"_s);
        e.authHeader = "Authorization";
        e.authPrefix = "Bearer ";
        e.secret = options.key;
        const QString list = u"/api/projects/1/conversations/"_s;

        HttpResponse r = run(e, faulted(list, {}));
        QCOMPARE(r.error.kind, ApiError::Kind::RateLimited);
        QCOMPARE(r.error.retryAfterSeconds, 2);

        r = run(e, faulted(list, "html=502"));
        QCOMPARE(r.error.kind, ApiError::Kind::Server);
        QVERIFY(!r.error.message().contains(u'<'));

        r = run(e, faulted(list, "malformed-json"));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QJsonObject object;
        ApiError parseError;
        QVERIFY(!JsonFields::parseObject(r.body, &object, &parseError));
        QCOMPARE(parseError.kind, ApiError::Kind::BadResponse);

        r = run(e, faulted(list, "reset"));
        QCOMPARE(r.error.kind, ApiError::Kind::Network);

        r = run(e, faulted(list, {})); // and the emulation goes on as before
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QVERIFY(JsonFields::parseObject(r.body, &object, &parseError));
        QCOMPARE(object.value(u"results"_s).toArray().size(), 5);
    }

    void badSandboxOption()
    {
        SandboxOptions options;
        options.faults = u"status=abc"_s;
        Sandbox sandbox(options);
        QString error;
        QVERIFY(!sandbox.start(&error));
        QVERIFY2(error.contains(u"status"_s), qPrintable(error));
    }
};

QTEST_MAIN(TestSandboxFaults)
#include "tst_sandbox_faults.moc"
