// HttpClient over real HTTP on 127.0.0.1: URL building, auth confinement (redirects
// included), plain-http refusal, error mapping with each platform's body, timeouts, the
// body limit, cancellation, dead contexts, streaming, cookies and log redaction.
// A SandboxServer plays the API; raw QTcpServers play a server that never answers, a
// second origin that must never be reached, and a server that breaks HTTP.
#include "net/HttpClient.h"
#include "sandbox/SandboxServer.h"
#include "support/LocalTcpServer.h"
#include "support/TextRows.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kKey = "phx_TestKey_4f9a1c";

// What the API server saw of one request.
struct Seen
{
    QByteArray method;
    QString path;         // decoded
    QString encodedPath;  // as sent
    QString encodedQuery; // as sent
    QUrlQuery query;
    QByteArray authorization;
    QByteArray apiKey;
    QByteArray cookie;
    QByteArray contentType;
    QByteArray contentLength;
    QByteArray body;
};

// Form decoding as most server frameworks do it ('+' is a space): a query value must
// survive it unchanged, so '+' has to travel as %2B.
QString formDecoded(QString encodedValue)
{
    encodedValue.replace(u'+', u' ');
    return QUrl::fromPercentEncoding(encodedValue.toUtf8());
}

QString formValue(const QString &encodedQuery, const QString &key)
{
    for (const QString &pair : encodedQuery.split(u'&')) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq > 0 && formDecoded(pair.left(eq)) == key)
            return formDecoded(pair.mid(eq + 1));
    }
    return u"<absent>"_s;
}

QByteArray httpDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
}

struct Call
{
    bool finished = false;
    int doneCalls = 0;
    HttpResponse response;
    QList<QByteArray> chunks;
    bool finishedBeforeFirstChunk = false;
};

QList<QString> g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log.append(QString::fromLatin1(context.category ? context.category : "") + u' ' + message);
    if (g_previousHandler && type != QtDebugMsg)
        g_previousHandler(type, context, message);
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxServer> m_api;
    quint16 m_port = 0;
    LocalTcpServer m_silent;
    LocalTcpServer m_other; // the "other host": nothing may ever reach it
    LocalTcpServer m_raw{LocalTcpServer::Answer::Reply};
    std::unique_ptr<HttpClient> m_http;
    QList<Seen> m_seen;

    // Replies of /prefix/status/<n>, set by each test.
    QByteArray m_statusBody;
    QByteArray m_statusType = "application/json";
    QList<QPair<QByteArray, QByteArray>> m_statusHeaders;
    int m_framesWritten = 0;

    QUrl apiUrl(const QString &path = u"/prefix"_s) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
    }

    Endpoint endpoint(const QString &basePath = u"/prefix"_s, const QByteArray &key = kKey) const
    {
        Endpoint e;
        e.baseUrl = apiUrl(basePath);
        e.authHeader = "Authorization";
        e.authPrefix = "Bearer ";
        e.secret = key;
        return e;
    }

    // endpoint() on the server that reads every request and never answers.
    Endpoint silentEndpoint(const QString &basePath = {}) const
    {
        Endpoint e = endpoint();
        e.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(m_silent.serverPort()) + basePath);
        return e;
    }

    void record(const SandboxRequest &r)
    {
        Seen s;
        s.method = r.method();
        s.path = r.http.url().path(QUrl::FullyDecoded);
        s.encodedPath = r.http.url().path(QUrl::FullyEncoded);
        s.encodedQuery = r.http.url().query(QUrl::FullyEncoded);
        s.query = QUrlQuery(r.http.url());
        s.authorization = r.header("authorization");
        s.apiKey = r.header("x-api-key");
        s.cookie = r.header("cookie");
        s.contentType = r.header("content-type");
        s.contentLength = r.header("content-length");
        s.body = r.http.body();
        m_seen.append(s);
    }

    // Runs one request to its end, processing events (never sleeping) until it finishes.
    std::shared_ptr<Call> start(const Endpoint &e, const HttpRequest &request,
                                QObject *context = nullptr, bool streamed = false,
                                RequestHandle *handle = nullptr)
    {
        auto call = std::make_shared<Call>();
        auto done = [call](const HttpResponse &r) {
            ++call->doneCalls;
            call->finished = true;
            call->response = r;
        };
        RequestHandle h;
        if (streamed) {
            h = m_http->stream(
                e, request, context ? context : this,
                [call](const QByteArray &chunk) {
                    if (call->finished)
                        call->finishedBeforeFirstChunk = true;
                    call->chunks.append(chunk);
                },
                done);
        } else {
            h = m_http->send(e, request, context ? context : this, done);
        }
        if (handle)
            *handle = h;
        return call;
    }

    HttpResponse run(const Endpoint &e, const HttpRequest &request)
    {
        auto call = start(e, request);
        if (!QTest::qWaitFor([&] { return call->finished; }, 10000))
            qWarning("request did not finish");
        return call->response;
    }

    const Seen &last() const { return m_seen.last(); }

private slots:
    void initTestCase()
    {
        m_api = std::make_unique<SandboxServer>();
        QVERIFY(m_other.listen(QHostAddress::LocalHost, 0));
        QVERIFY(m_silent.listen(QHostAddress::LocalHost, 0));
        QVERIFY(m_raw.listen(QHostAddress::LocalHost, 0));

        m_api->route("GET", u"/prefix/status/(\\d+)"_s, [this](const SandboxRequest &r) {
            record(r);
            SandboxReply reply =
                SandboxReply::text(m_statusBody, r.args.at(0).toInt(), m_statusType);
            reply.headers = m_statusHeaders;
            return reply;
        });
        m_api->route("GET", u"/prefix/redirect/([a-z-]+)"_s, [this](const SandboxRequest &r) {
            record(r);
            const QString kind = r.args.at(0);
            const QString other = QString::number(m_other.serverPort());
            QString location;
            if (kind == "same"_L1)
                location = u"/prefix/api/target"_s;
            else if (kind == "same-absolute"_L1)
                location = apiUrl(u"/prefix/api/target?from=absolute"_s).toString();
            else if (kind == "other-port"_L1)
                location = u"http://127.0.0.1:"_s + other + u"/steal?api_key=stolen"_s;
            else if (kind == "other-host"_L1)
                location = u"http://localhost:"_s + other + u"/steal"_s;
            else if (kind == "https"_L1)
                location = u"https://127.0.0.1:"_s + other + u"/steal"_s;
            else if (kind == "loop"_L1)
                location = u"/prefix/redirect/loop"_s;
            SandboxReply reply = SandboxReply::text("moved", 302);
            reply.headers.append({"Location", location.toUtf8()});
            return reply;
        });
        m_api->route("GET", u"/prefix/chain/(\\d+)"_s, [this](const SandboxRequest &r) {
            record(r);
            const int n = r.args.at(0).toInt();
            if (n == 0)
                return SandboxReply::json(QJsonObject{{u"ok"_s, true}});
            SandboxReply reply = SandboxReply::text("moved", 302);
            reply.headers.append(
                {QByteArray("Location"), "/prefix/chain/" + QByteArray::number(n - 1)});
            return reply;
        });
        m_api->route("POST", u"/prefix/post-redirect/(\\d+)"_s, [this](const SandboxRequest &r) {
            record(r);
            SandboxReply reply = SandboxReply::text("see there", r.args.at(0).toInt());
            reply.headers.append({QByteArray("Location"), QByteArray("/prefix/api/landed")});
            return reply;
        });
        m_api->route("GET", u"/prefix/big/(\\d+)"_s, [this](const SandboxRequest &r) {
            record(r);
            return SandboxReply::json(
                QJsonObject{{u"x"_s, QString(r.args.at(0).toInt() - 8, u'x')}});
        });
        m_api->route("GET", u"/prefix/stream/(\\d+)/(\\d+)"_s, [this](const SandboxRequest &r) {
            record(r);
            QList<QByteArray> frames;
            for (int i = 0; i < r.args.at(0).toInt(); ++i)
                frames << "data: {\"n\":" + QByteArray::number(i) + "}\n\n";
            m_framesWritten = 0;
            SandboxReply reply =
                SandboxReply::stream("text/event-stream", frames, r.args.at(1).toInt());
            reply.keepGoing = [this] {
                ++m_framesWritten;
                return true;
            };
            return reply;
        });
        m_api->route("GET", u"/prefix/cookie"_s, [this](const SandboxRequest &r) {
            record(r);
            SandboxReply reply = SandboxReply::json(QJsonObject{{u"ok"_s, true}});
            reply.headers.append(
                {QByteArray("Set-Cookie"), QByteArray("sessionid=abc; Path=/; HttpOnly")});
            return reply;
        });
        for (const QByteArray method : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
            m_api->route(method, u"/(.*)"_s, [this](const SandboxRequest &r) {
                record(r);
                return SandboxReply::json(QJsonObject{{u"ok"_s, true}});
            });
        }
        m_port = m_api->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
        m_http = std::make_unique<HttpClient>();
        // One attempt per request here: retries have their own test (tst_http_retry).
        m_http->setRetryPolicy(RetryPolicy::disabled());
    }

    void init()
    {
        m_seen.clear();
        m_statusBody.clear();
        m_statusType = "application/json";
        m_statusHeaders.clear();
    }

    void cleanup()
    {
        // Whatever a test did, nothing ever reached the other origin.
        QCOMPARE(m_other.accepted, 0);
    }

    // --- URL building -------------------------------------------------------------------

    void pathJoining_data()
    {
        QTest::addColumn<QString>("basePath");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("seenPath");
        QTest::newRow("prefix + rooted, trailing slash kept")
            << u"/prefix"_s << u"/api/items/"_s << u"/prefix/api/items/"_s;
        QTest::newRow("prefix/ + rooted")
            << u"/prefix/"_s << u"/api/items"_s << u"/prefix/api/items"_s;
        QTest::newRow("prefix/ + relative")
            << u"/prefix/"_s << u"api/items/"_s << u"/prefix/api/items/"_s;
        QTest::newRow("prefix + relative")
            << u"/prefix"_s << u"api/items"_s << u"/prefix/api/items"_s;
        QTest::newRow("prefix// + rooted") << u"/prefix//"_s << u"/api"_s << u"/prefix/api"_s;
        QTest::newRow("empty path keeps base slash") << u"/prefix/"_s << QString() << u"/prefix/"_s;
        QTest::newRow("empty path, no slash") << u"/prefix"_s << QString() << u"/prefix"_s;
        QTest::newRow("no base path") << QString() << u"/prefix/api/x/"_s << u"/prefix/api/x/"_s;
        QTest::newRow("url syntax in a path is data")
            << u"/prefix"_s << u"/api/a b?c=1#d%41e"_s << u"/prefix/api/a b?c=1#d%41e"_s;
        QTest::newRow("unicode path")
            << u"/prefix"_s << u"/api/café/ü"_s << u"/prefix/api/café/ü"_s;
    }

    void pathJoining()
    {
        QFETCH(QString, basePath);
        QFETCH(QString, path);
        QFETCH(QString, seenPath);
        const HttpResponse r = run(endpoint(basePath), HttpRequest::get(path));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(m_seen.size(), 1);
        QCOMPARE(last().path, seenPath);
        QCOMPARE(last().encodedQuery, QString()); // '?' and '#' in the path did not leak out
    }

    void queryEncoding()
    {
        const QList<QPair<QString, QString>> items = {
            {u"q"_s, u"a b"_s},        {u"name"_s, u"café ü 日本"_s}, {u"amp"_s, u"x&y=z"_s},
            {u"plus"_s, u"c++ a+b"_s}, {u"pct"_s, u"100%"_s},         {u"literal"_s, u"%41%2B"_s},
            {u"hash"_s, u"a#b"_s},     {u"key with space"_s, u"v"_s}, {u"empty"_s, QString()},
            {u"slash"_s, u"a/b?c"_s},
        };
        HttpRequest request = HttpRequest::get(u"/api/search"_s);
        for (const auto &[k, v] : items)
            request.withQuery(k, v);
        const HttpResponse r = run(endpoint(), request);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(last().path, u"/prefix/api/search"_s);
        const QString raw = last().encodedQuery;
        QVERIFY2(!raw.contains(u'+'), qPrintable(raw)); // '+' travels as %2B, spaces as %20
        QVERIFY2(!raw.contains(u'#'), qPrintable(raw));
        for (const auto &[k, v] : items) {
            QCOMPARE(formValue(raw, k), v);
            QCOMPARE(last().query.queryItemValue(k, QUrl::FullyDecoded), v);
        }
        // Order kept, nothing added.
        QCOMPARE(raw.count(u'&'), items.size() - 1);
        QVERIFY(raw.startsWith(u"q=a%20b&name="_s));
    }

    void absoluteNextLinkOnSameOrigin()
    {
        // A DRF `next` link: already encoded, kept as it is, extra query items appended.
        HttpRequest request =
            HttpRequest::get(apiUrl(u"/prefix/api/list/?offset=50&q=a%2Bb"_s).toString());
        request.withQuery(u"limit"_s, u"25"_s);
        const HttpResponse r = run(endpoint(), request);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(last().path, u"/prefix/api/list/"_s);
        QCOMPARE(formValue(last().encodedQuery, u"offset"_s), u"50"_s);
        QCOMPARE(formValue(last().encodedQuery, u"q"_s), u"a+b"_s);
        QCOMPARE(formValue(last().encodedQuery, u"limit"_s), u"25"_s);
        QCOMPARE(last().authorization, "Bearer " + kKey);
    }

    void absoluteLinkToAnotherOriginIsRefused()
    {
        const QString other = u"http://127.0.0.1:%1/steal"_s.arg(m_other.serverPort());
        const HttpResponse r = run(endpoint(), HttpRequest::get(other));
        QCOMPARE(r.error.kind, ApiError::Kind::Config);
        QVERIFY2(r.error.detail.contains(QString::number(m_other.serverPort())),
                 qPrintable(r.error.detail));
        QCOMPARE(m_seen.size(), 0);
    }

    // --- auth ---------------------------------------------------------------------------

    void authOnSameOrigin()
    {
        HttpResponse r = run(endpoint(), HttpRequest::get(u"/api/me"_s));
        QVERIFY(r.ok());
        QCOMPARE(last().authorization, "Bearer " + kKey);

        Endpoint apiKey = endpoint();
        apiKey.authHeader = "x-api-key";
        apiKey.authPrefix.clear();
        r = run(apiKey, HttpRequest::get(u"/api/me"_s));
        QVERIFY(r.ok());
        QCOMPARE(last().apiKey, kKey);
        QVERIFY(last().authorization.isEmpty());
    }

    void noAuthHeaderForAnEmptyKey()
    {
        const HttpResponse r =
            run(endpoint(u"/prefix"_s, QByteArray()), HttpRequest::get(u"/api/me"_s));
        QVERIFY(r.ok());
        QCOMPARE(m_seen.size(), 1);
        QVERIFY(last().authorization.isEmpty());
        QVERIFY(!last().authorization.startsWith("Bearer"));

        Endpoint none = endpoint();
        none.authHeader.clear(); // a platform without auth (public apps)
        QVERIFY(run(none, HttpRequest::get(u"/api/me"_s)).ok());
        QVERIFY(last().authorization.isEmpty());
    }

    void redirectOutsideTheOriginStops_data()
    {
        addTextColumn("kind", {{"another port", "other-port"},
                               {"another host name", "other-host"},
                               {"another scheme", "https"}});
    }

    void redirectOutsideTheOriginStops()
    {
        QFETCH(QString, kind);
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/redirect/"_s + kind));
        QCOMPARE(r.error.kind, ApiError::Kind::Config);
        QCOMPARE(r.status, 302);
        QVERIFY2(r.error.detail.contains(u"redirected"_s), qPrintable(r.error.detail));
        QVERIFY2(r.error.detail.contains(QString::number(m_other.serverPort())),
                 qPrintable(r.error.detail));
        QVERIFY2(r.error.detail.contains(u"key was not sent"_s), qPrintable(r.error.detail));
        QVERIFY(!r.error.detail.contains(u"stolen"_s)); // no query (it could hold anything)
        QVERIFY(r.body.isEmpty());
        // The first hop was on the origin, with the key; the redirect went nowhere.
        QCOMPARE(m_seen.size(), 1);
        QCOMPARE(last().authorization, "Bearer " + kKey);
        // A full round trip later, still nothing arrived at the other server.
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/after"_s)).ok());
        QCOMPARE(m_other.accepted, 0);
    }

    void redirectWithinTheOriginIsFollowed_data()
    {
        addTextColumn("kind",
                      {{"relative location", "same"}, {"absolute location", "same-absolute"}});
    }

    void redirectWithinTheOriginIsFollowed()
    {
        QFETCH(QString, kind);
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/redirect/"_s + kind));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.url.path(), u"/prefix/api/target"_s);
        QCOMPARE(m_seen.size(), 2);
        QCOMPARE(last().path, u"/prefix/api/target"_s);
        QCOMPARE(last().authorization, "Bearer " + kKey);
    }

    void redirectChainsWithinLimits_data()
    {
        QTest::addColumn<int>("hops");
        QTest::addColumn<bool>("ok");
        for (const int hops : {2, 5, 10})
            QTest::newRow(qPrintable(u"%1 hops"_s.arg(hops))) << hops << true;
        QTest::newRow("11 hops") << 11 << false;
    }

    void redirectChainsWithinLimits()
    {
        QFETCH(int, hops);
        QFETCH(bool, ok);
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/chain/%1"_s.arg(hops)));
        if (ok) {
            QVERIFY2(r.ok(), qPrintable(r.error.message()));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.url.path(), u"/prefix/chain/0"_s);
            QCOMPARE(r.body, QByteArray("{\"ok\":true}"));
            // Each hop asked exactly once (Qt 6.4's own redirect code repeats requests).
            QCOMPARE(m_seen.size(), hops + 1);
        } else {
            QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
            QVERIFY2(r.error.detail.contains(u"redirect loop"_s), qPrintable(r.error.detail));
            QCOMPARE(m_seen.size(), 11);
        }
        for (const Seen &s : std::as_const(m_seen))
            QCOMPARE(s.authorization, "Bearer " + kKey);
    }

    void redirectOfAPost_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("bodyKept");
        QTest::newRow("303 see other") << 303 << QByteArray("GET") << false;
        QTest::newRow("302 found") << 302 << QByteArray("GET") << false;
        QTest::newRow("307 temporary") << 307 << QByteArray("POST") << true;
        QTest::newRow("308 permanent") << 308 << QByteArray("POST") << true;
    }

    void redirectOfAPost()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, method);
        QFETCH(bool, bodyKept);
        const HttpRequest post = HttpRequest::post(u"/post-redirect/%1"_s.arg(status),
                                                   QJsonDocument(QJsonObject{{u"n"_s, 1}}));
        const HttpResponse r = run(endpoint(), post);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(m_seen.size(), 2);
        QCOMPARE(m_seen.first().method, QByteArray("POST"));
        QCOMPARE(last().path, u"/prefix/api/landed"_s);
        QCOMPARE(last().method, method);
        QCOMPARE(last().body, bodyKept ? QByteArray("{\"n\":1}") : QByteArray());
        QCOMPARE(last().contentType.isEmpty(), !bodyKept);
    }

    void redirectLoopIsABadResponse()
    {
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/redirect/loop"_s));
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.error.detail.contains(u"redirect"_s), qPrintable(r.error.detail));
    }

    void plainHttpToARemoteHostIsRefusedBeforeAnyNetwork_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("invalid tld") << u"http://example.invalid/api"_s;
        QTest::newRow("public ip") << u"http://192.0.2.10"_s;
        QTest::newRow("loopback look-alike") << u"http://127.0.0.1.example.invalid"_s;
        QTest::newRow("not http") << u"ftp://127.0.0.1/x"_s;
        QTest::newRow("relative") << u"/just/a/path"_s;
    }

    void plainHttpToARemoteHostIsRefusedBeforeAnyNetwork()
    {
        QFETCH(QString, base);
        Endpoint e = endpoint();
        e.baseUrl = QUrl(base);
        auto call = start(e, HttpRequest::get(u"/api/me"_s));
        QVERIFY(!call->finished); // answered later, like every other outcome
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 1000);
        QCOMPARE(call->response.error.kind, ApiError::Kind::Config);
        QCOMPARE(call->response.status, 0);
        QVERIFY(!call->response.error.message().isEmpty());
        QCOMPARE(call->doneCalls, 1);
    }

    // --- errors -------------------------------------------------------------------------

    void errorMapping_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");

        const auto row = [](const char *name, int status, const char *type, const QByteArray &body,
                            ApiError::Kind kind, const QString &code, const QString &detail) {
            QTest::newRow(name) << status << QByteArray(type) << body << int(kind) << code
                                << detail;
        };
        row("401 posthog drf", 401, "application/json",
            "{\"type\":\"authentication_error\",\"code\":\"authentication_failed\",\"detail\":"
            "\"Personal API key found in request Authorization header is invalid.\",\"attr\":null}",
            ApiError::Kind::Auth, u"authentication_failed"_s,
            u"Personal API key found in request Authorization header is invalid."_s);
        row("403 posthog ad-hoc", 403, "application/json",
            "{\"error\": \"Cannot access other users' conversations\"}", ApiError::Kind::Forbidden,
            QString(), u"Cannot access other users' conversations"_s);
        row("404 dynamiq", 404, "application/json",
            "{\"error\": {\"code\": \"not_found\", \"message\": \"Not Found\"}}",
            ApiError::Kind::NotFound, u"not_found"_s, u"Not Found"_s);
        row("409 posthog queue_full", 409, "application/json",
            "{\"error\": \"queue_full\", \"detail\": \"Only two messages can be queued at a "
            "time.\"}",
            ApiError::Kind::Conflict, u"queue_full"_s,
            u"Only two messages can be queued at a time."_s);
        row("429 orq", 429, "application/json",
            "{\"error\": {\"code\": \"rate_limit_exceeded\", \"message\": \"Rate limit "
            "exceeded\", \"doc_url\": \"https://docs.orq.ai/errors\"}}",
            ApiError::Kind::RateLimited, u"rate_limit_exceeded"_s, u"Rate limit exceeded"_s);
        row("500 html", 500, "text/html",
            "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
            "<h1>Internal Server Error</h1><p>The server encountered an internal error.</p>"
            "</body></html>",
            ApiError::Kind::Server, QString(), u"500 Internal Server Error"_s);
        row("502 html without title", 502, "text/html; charset=utf-8",
            "<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
            "</body></html>",
            ApiError::Kind::Server, QString(), u"502 Bad Gateway nginx"_s);
        row("422 drf validation", 422, "application/json",
            "{\"type\":\"validation_error\",\"code\":\"invalid_input\",\"detail\":\"Content is "
            "too long.\",\"attr\":\"content\"}",
            ApiError::Kind::Invalid, u"invalid_input"_s,
            u"Content is too long. (field “content”)"_s);
        row("402 quota", 402, "application/json",
            "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"Out of credits\"}}",
            ApiError::Kind::Quota, u"quota_exceeded"_s, u"Out of credits"_s);
        row("503 plain text", 503, "text/plain", "upstream connect error", ApiError::Kind::Server,
            QString(), u"upstream connect error"_s);
        row("400 empty body", 400, "application/json", QByteArray(), ApiError::Kind::Invalid,
            QString(), QString());
    }

    void errorMapping()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        m_statusBody = body;
        m_statusType = contentType;
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/status/%1"_s.arg(status)));
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error.kind), kind);
        QCOMPARE(r.error.httpStatus, status);
        QCOMPARE(r.status, status);
        QCOMPARE(r.error.code, code);
        QCOMPARE(r.error.detail, detail);
        QCOMPARE(r.body, body); // kept for providers that read more of it
        const QString message = r.error.message();
        QVERIFY2(message.contains(u"HTTP %1"_s.arg(status)), qPrintable(message));
        QVERIFY2(!message.contains(u'<') && !message.contains(u'>'), qPrintable(message));
        QVERIFY2(detail.isEmpty() || message.contains(detail), qPrintable(message));
        QCOMPARE(r.error.retryAfterSeconds, -1);
    }

    void jsonEndpointAnsweringSomethingElse_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("accept");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("json") << QByteArray("application/json") << QByteArray() << true;
        QTest::newRow("json with charset")
            << QByteArray("Application/JSON; charset=utf-8") << QByteArray() << true;
        QTest::newRow("problem+json")
            << QByteArray("application/problem+json") << QByteArray() << true;
        QTest::newRow("no type") << QByteArray() << QByteArray() << true;
        QTest::newRow("html page")
            << QByteArray("text/html; charset=utf-8") << QByteArray() << false;
        QTest::newRow("xml") << QByteArray("application/xml") << QByteArray() << false;
        QTest::newRow("plain text") << QByteArray("text/plain") << QByteArray() << false;
        QTest::newRow("json+ in the wrong place") << QByteArray("+json") << QByteArray() << false;
        QTest::newRow("html where anything goes")
            << QByteArray("text/html") << QByteArray("*/*") << true;
    }

    void jsonEndpointAnsweringSomethingElse()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, accept);
        QFETCH(bool, accepted);
        m_statusBody = "{\"ok\": true}";
        m_statusType = contentType;
        HttpRequest request = HttpRequest::get(u"/status/200"_s);
        if (!accept.isEmpty())
            request.withAccept(accept);
        const HttpResponse r = run(endpoint(), request);
        QCOMPARE(r.status, 200);
        if (accepted) {
            QVERIFY2(r.ok(), qPrintable(r.error.message()));
            return;
        }
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QCOMPARE(r.error.httpStatus, 200);
        const QString type = QString::fromLatin1(HttpResponse::mediaType(contentType));
        QVERIFY2(r.error.detail.contains(type) && r.error.detail.contains(u"JSON"_s),
                 qPrintable(r.error.detail));
        QVERIFY(!r.error.message().isEmpty());
    }

    void emptyBodyOfAnyTypeIsFine()
    {
        m_statusBody.clear();
        m_statusType = "text/html";
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/status/200"_s));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
    }

    void retryAfter_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("asDate");
        QTest::newRow("429 seconds") << 429 << false;
        QTest::newRow("429 http date") << 429 << true;
        QTest::newRow("503 seconds") << 503 << false;
    }

    void retryAfter()
    {
        QFETCH(int, status);
        QFETCH(bool, asDate);
        m_statusBody = "{\"detail\": \"Request was throttled.\"}";
        m_statusHeaders = {
            {"Retry-After",
             asDate ? httpDate(QDateTime::currentDateTimeUtc().addSecs(120)) : QByteArray("7")}};
        const HttpResponse r = run(endpoint(), HttpRequest::get(u"/status/%1"_s.arg(status)));
        QCOMPARE(r.error.kind,
                 status == 429 ? ApiError::Kind::RateLimited : ApiError::Kind::Server);
        if (asDate) {
            // The date has whole seconds and the clock moved on a little since.
            QVERIFY2(r.error.retryAfterSeconds >= 110 && r.error.retryAfterSeconds <= 120,
                     qPrintable(QString::number(r.error.retryAfterSeconds)));
        } else {
            QCOMPARE(r.error.retryAfterSeconds, 7);
        }
        if (status == 429)
            QVERIFY(r.error.message().contains(QString::number(r.error.retryAfterSeconds)));
    }

    void timeoutWhenTheServerNeverAnswers()
    {
        const Endpoint e = silentEndpoint(u"/api"_s);
        const int closedBefore = m_silent.closedByClient;
        auto call = start(e, HttpRequest::get(u"/slow"_s).withTimeout(300));
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 10000);
        const HttpResponse &r = call->response;
        QCOMPARE(r.error.kind, ApiError::Kind::Timeout);
        QCOMPARE(r.status, 0);
        // Names the host and says "in time" once ("…did not answer in time: 127.0.0.1.").
        const QString message = r.error.message();
        QVERIFY2(message.contains(u"127.0.0.1"_s), qPrintable(message));
        QVERIFY2(message.count(u"in time"_s) == 1 && !message.contains(u"no answer"_s),
                 qPrintable(message));
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.closedByClient, closedBefore + 1, 5000);
    }

    void connectionRefusedIsANetworkError()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        Endpoint e = endpoint();
        e.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        const HttpResponse r = run(e, HttpRequest::get(u"/x"_s));
        QCOMPARE(r.error.kind, ApiError::Kind::Network);
        QVERIFY(!r.error.detail.isEmpty());
    }

    void brokenHttp_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<int>("kind");
        // Qt reports bytes that are not HTTP as a closed connection.
        QTest::newRow("not http at all")
            << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << int(ApiError::Kind::Network);
        // The status came, the body fell short of its Content-Length: an unusable answer.
        QTest::newRow("truncated body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: 1000\r\n\r\n{\"results\": [")
            << int(ApiError::Kind::BadResponse);
        QTest::newRow("closed without a reply") << QByteArray() << int(ApiError::Kind::Network);
    }

    void brokenHttp()
    {
        QFETCH(QByteArray, reply);
        QFETCH(int, kind);
        m_raw.reply = reply;
        Endpoint e = endpoint();
        e.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(m_raw.serverPort()));
        const HttpResponse r = run(e, HttpRequest::get(u"/x"_s));
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error.kind), kind);
        QVERIFY(r.body.isEmpty() || r.error.kind == ApiError::Kind::Network);
    }

    void bodyLimit()
    {
        // Announced by Content-Length.
        HttpRequest big = HttpRequest::get(u"/big/100000"_s);
        big.maxBodyBytes = 10000;
        HttpResponse r = run(endpoint(), big);
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QVERIFY(r.body.isEmpty());
        QVERIFY(!r.error.message().isEmpty());

        // Exactly at the limit is fine.
        HttpRequest exact = HttpRequest::get(u"/big/10000"_s);
        exact.maxBodyBytes = 10000;
        r = run(endpoint(), exact);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.body.size(), 10000);

        // Chunked, no length announced: counted as it arrives, streamed or not.
        for (const bool streamed : {false, true}) {
            HttpRequest chunked = HttpRequest::get(u"/stream/400/0"_s);
            chunked.maxBodyBytes = 2000;
            auto call = start(endpoint(), chunked, nullptr, streamed);
            QTRY_VERIFY_WITH_TIMEOUT(call->finished, 10000);
            QCOMPARE(call->response.error.kind, ApiError::Kind::BadResponse);
            QVERIFY(call->response.body.isEmpty());
            qsizetype received = 0;
            for (const QByteArray &c : std::as_const(call->chunks))
                received += c.size();
            QVERIFY(received <= 2000 + 64 * 1024); // stopped, not read to the end
        }
    }

    // --- cancellation and dead contexts -------------------------------------------------

    void cancel()
    {
        const Endpoint e = silentEndpoint();
        const int requests = m_silent.requests;
        const int closed = m_silent.closedByClient;
        RequestHandle handle;
        auto call = start(e, HttpRequest::get(u"/hang"_s), nullptr, false, &handle);
        QVERIFY(handle.isRunning());
        // The request is on the wire: aborting it now must close its connection.
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.requests, requests + 1, 5000);
        QVERIFY(!call->finished);
        handle.cancel();
        QVERIFY(call->finished); // reported from inside cancel()
        QCOMPARE(call->response.error.kind, ApiError::Kind::Canceled);
        QVERIFY(!handle.isRunning());
        handle.cancel();          // harmless twice
        RequestHandle().cancel(); // and on an empty handle
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.closedByClient, closed + 1, 5000);
        QCOMPARE(call->doneCalls, 1);
    }

    void deadContextNeverHearsBack()
    {
        const Endpoint e = silentEndpoint();
        const int requests = m_silent.requests;
        const int closed = m_silent.closedByClient;
        auto context = std::make_unique<QObject>();
        auto call = start(e, HttpRequest::get(u"/hang"_s), context.get());
        // The request is on the wire: aborting it now must close its connection.
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.requests, requests + 1, 5000);
        context.reset();
        // The request was dropped (its connection closes) and the callback never ran.
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.closedByClient, closed + 1, 5000);
        QVERIFY(!call->finished);
        // A later request on the same client works.
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/x"_s)).ok());
        QVERIFY(!call->finished);
    }

    void contextDyingBeforeAFastReplyIsProcessed()
    {
        // The reply is on its way; the context dies before the event loop delivers it.
        auto context = std::make_unique<QObject>();
        auto call = start(endpoint(), HttpRequest::get(u"/api/x"_s), context.get());
        context.reset();
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/y"_s)).ok());
        QVERIFY(!call->finished);
    }

    void contextAnnouncingItsDestructionEarly()
    {
        // QWidget emits destroyed() from its own destructor, while QPointers to it are still
        // set: the callback must not run into a half-destroyed object.
        auto context = std::make_unique<QObject>();
        auto call = start(endpoint(), HttpRequest::get(u"/api/x"_s), context.get());
        emit context->destroyed(context.get());
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/y"_s)).ok());
        QVERIFY(!call->finished);
    }

    void clientDestroyedMidRequest()
    {
        const Endpoint e = silentEndpoint();
        const int requests = m_silent.requests;
        const int closed = m_silent.closedByClient;
        auto client = std::make_unique<HttpClient>();
        bool called = false;
        RequestHandle handle = client->send(e, HttpRequest::get(u"/hang"_s), this,
                                            [&called](const HttpResponse &) { called = true; });
        // The request is on the wire: aborting it now must close its connection.
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.requests, requests + 1, 5000);
        client.reset();
        QVERIFY(!handle.isRunning());
        handle.cancel(); // harmless on a request whose client is gone
        QTRY_COMPARE_WITH_TIMEOUT(m_silent.closedByClient, closed + 1, 5000);
        QVERIFY(!called);
    }

    // --- streaming ----------------------------------------------------------------------

    void streamingDeliversChunksBeforeTheEnd()
    {
        constexpr int frames = 8;
        HttpRequest request = HttpRequest::get(u"/stream/%1/60"_s.arg(frames));
        request.withAccept("text/event-stream");
        auto call = start(endpoint(), request, nullptr, true);
        QTRY_VERIFY_WITH_TIMEOUT(!call->chunks.isEmpty(), 10000);
        // The first piece arrived while the server was still writing the stream.
        QVERIFY(!call->finished);
        QVERIFY2(m_framesWritten < frames, qPrintable(QString::number(m_framesWritten)));
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 10000);
        const HttpResponse &r = call->response;
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.contentType, QByteArray("text/event-stream"));
        QVERIFY(!call->finishedBeforeFirstChunk);
        QVERIFY2(call->chunks.size() >= 2, qPrintable(QString::number(call->chunks.size())));
        QByteArray expected;
        for (int i = 0; i < frames; ++i)
            expected += "data: {\"n\":" + QByteArray::number(i) + "}\n\n";
        QCOMPARE(call->chunks.join(), expected);
        QCOMPARE(last().authorization, "Bearer " + kKey);
    }

    void streamingErrorsGiveNoChunks()
    {
        m_statusBody = "{\"error\": {\"code\": \"not_found\", \"message\": \"Not Found\"}}";
        auto call = start(endpoint(), HttpRequest::get(u"/status/404"_s), nullptr, true);
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 10000);
        QVERIFY(call->chunks.isEmpty());
        QCOMPARE(call->response.error.kind, ApiError::Kind::NotFound);
        QCOMPARE(call->response.error.code, u"not_found"_s);
        QCOMPARE(call->response.body, m_statusBody);
    }

    void cancelFromInsideAChunkCallback()
    {
        auto call = std::make_shared<Call>();
        auto handle = std::make_shared<RequestHandle>();
        const QString marker = u"captured state that must outlive cancel()"_s;
        *handle = m_http->stream(
            endpoint(), HttpRequest::get(u"/stream/20/20"_s), this,
            [call, handle, marker](const QByteArray &chunk) {
                call->chunks.append(chunk);
                handle->cancel(); // ends the request from inside its own callback
                call->chunks.append(marker.toUtf8());
            },
            [call](const HttpResponse &r) {
                ++call->doneCalls;
                call->finished = true;
                call->response = r;
            });
        QTRY_VERIFY_WITH_TIMEOUT(call->finished, 10000);
        QCOMPARE(call->response.error.kind, ApiError::Kind::Canceled);
        QCOMPARE(call->chunks.size(), 2);
        QCOMPARE(call->chunks.at(1), marker.toUtf8());
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/after"_s)).ok());
        QCOMPARE(call->doneCalls, 1);
        QCOMPARE(call->chunks.size(), 2);
    }

    // --- request details ----------------------------------------------------------------

    void methodsAndBodies()
    {
        HttpResponse r = run(
            endpoint(), HttpRequest::post(u"/api/items/"_s,
                                          QJsonDocument(QJsonObject{{u"content"_s, u"héllo"_s}})));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(last().method, QByteArray("POST"));
        QCOMPARE(last().contentType, QByteArray("application/json"));
        QCOMPARE(QJsonDocument::fromJson(last().body).object().value(u"content"_s).toString(),
                 u"héllo"_s);

        // PostHog's cancel: PATCH with no body at all.
        r = run(endpoint(), HttpRequest::patch(u"/api/items/1/cancel/"_s));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(last().method, QByteArray("PATCH"));
        QVERIFY(last().body.isEmpty());
        QCOMPARE(last().contentLength, QByteArray("0"));

        r = run(endpoint(), HttpRequest::del(u"/api/items/1/"_s));
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(last().method, QByteArray("DELETE"));
        QCOMPARE(last().authorization, "Bearer " + kKey);
    }

    void noCookiesAreKeptOrSent()
    {
        QVERIFY(run(endpoint(), HttpRequest::get(u"/cookie"_s)).ok());
        QVERIFY(run(endpoint(), HttpRequest::get(u"/api/next"_s)).ok());
        QVERIFY2(last().cookie.isEmpty(), last().cookie.constData());
    }

    void logsNeverContainTheKey()
    {
        QLoggingCategory::setFilterRules(u"parley.net.debug=true"_s);
        g_log.clear();
        g_previousHandler = qInstallMessageHandler(captureLog);
        Endpoint e = endpoint();
        e.secret = "s3cr3t-log-probe";
        run(e, HttpRequest::get(u"/api/me"_s).withQuery(u"api_key"_s, u"s3cr3t-log-probe"_s));
        run(e, HttpRequest::get(u"/redirect/other-port"_s));
        m_statusBody = "{\"detail\": \"bad key s3cr3t-log-probe\"}";
        run(e, HttpRequest::get(u"/status/401"_s));
        Endpoint bad = e;
        bad.baseUrl = QUrl(u"http://user:s3cr3t-log-probe@example.invalid/"_s);
        run(bad, HttpRequest::get(u"/x"_s));
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY(g_log.size() >= 4); // the client did log these requests
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(u"s3cr3t-log-probe"_s), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
