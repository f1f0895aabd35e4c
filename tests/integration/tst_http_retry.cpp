// The retry policy as HttpClient applies it, over real HTTP on loopback: what is sent again,
// when, how often, and how a wait ends (cancel, give up, the caller going away).

#include "net/HttpClient.h"
#include "net/TransportCode.h"
#include "sandbox/SandboxServer.h"
#include "support/LocalTcpServer.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QLocale>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

namespace {

// Fast retries so the tests take milliseconds; jitter pinned to the top of the range.
RetryPolicy quickPolicy(int maxRetries = 3)
{
    RetryPolicy p;
    p.maxRetries = maxRetries;
    p.baseDelayMs = 20;
    p.minDelayMs = 10;
    p.maxDelayMs = 100;
    p.maxRetryAfterSeconds = 2;
    p.jitter = [] { return 1.0; };
    return p;
}

// quickPolicy() waiting `delayMs` before every retry: long enough to watch or end the wait.
RetryPolicy waitingPolicy(int delayMs)
{
    RetryPolicy p = quickPolicy();
    p.baseDelayMs = p.minDelayMs = p.maxDelayMs = delayMs;
    return p;
}

} // namespace

class TestHttpRetry : public QObject
{
    Q_OBJECT

    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    quint16 m_port = 0;
    int m_hits = 0;
    QList<qint64> m_hitTimes; // ms since the test began, per request
    QElapsedTimer m_clock;
    // What the route answers for hit n (0-based); the last entry repeats.
    QList<SandboxReply> m_answers;

    Endpoint endpoint(quint16 port = 0) const
    {
        Endpoint e;
        e.baseUrl = QUrl(u"http://127.0.0.1:%1/api"_s.arg(port ? port : m_port));
        e.authHeader = "Authorization";
        e.authPrefix = "Bearer ";
        e.secret = "retry-test-key";
        return e;
    }

    static SandboxReply page(int status, QByteArray body, QByteArray type = "text/html")
    {
        return SandboxReply::text(std::move(body), status, std::move(type));
    }

    static SandboxReply ok() { return SandboxReply::json(QJsonObject{{u"ok"_s, true}}); }

    static SandboxReply tooMany(QByteArray retryAfter)
    {
        SandboxReply r = SandboxReply::json(QJsonObject{{u"detail"_s, u"slow down"_s}}, 429);
        if (!retryAfter.isEmpty())
            r.headers.append({"Retry-After", retryAfter});
        return r;
    }

    // Sends `request` and waits for its one answer.
    std::optional<HttpResponse> run(const HttpRequest &request, QObject *context = nullptr)
    {
        QObject local;
        std::optional<HttpResponse> answer;
        int calls = 0;
        m_http->send(endpoint(), request, context ? context : &local, [&](const HttpResponse &r) {
            ++calls;
            answer = r;
        });
        if (!QTest::qWaitFor([&] { return calls > 0; }, 10000))
            return std::nullopt;
        QTest::qWait(50); // a second answer would arrive here; none may
        if (calls != 1)
            return std::nullopt;
        return answer;
    }

private slots:
    void initTestCase()
    {
        m_clock.start();
        m_server = std::make_unique<SandboxServer>();
        auto answer = [this](const SandboxRequest &) {
            m_hitTimes.append(m_clock.elapsed());
            const int n = m_hits++;
            return m_answers.value(qMin(n, int(m_answers.size()) - 1), ok());
        };
        for (const QByteArray method : {"GET", "POST", "PATCH", "DELETE"})
            m_server->route(method, u"/api/thing"_s, answer);
        m_server->route("GET", u"/api/stream"_s, [this](const SandboxRequest &) {
            ++m_hits;
            return SandboxReply::stream(
                "text/event-stream",
                {"data: one\n\n", "data: two\n\n", "data: three\n\n", "data: four\n\n"}, 20);
        });
        m_port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
        m_http = std::make_unique<HttpClient>();
    }

    void init()
    {
        m_hits = 0;
        m_hitTimes.clear();
        m_answers.clear();
        m_http->setRetryPolicy(quickPolicy());
    }

    void passingFailuresAreSentAgainUntilTheyWork_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("500") << 500;
        QTest::newRow("502") << 502;
        QTest::newRow("503") << 503;
        QTest::newRow("504") << 504;
        QTest::newRow("408") << 408;
    }

    void passingFailuresAreSentAgainUntilTheyWork()
    {
        QFETCH(int, status);
        m_answers = {page(status, "<html>down</html>"), page(status, "<html>down</html>"), ok()};
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        QSignalSpy ended(m_http.get(), &HttpClient::retryEnded);
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error.message()));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_hits, 3);
        QCOMPARE(scheduled.size(), 2);
        QCOMPARE(ended.size(), 2);
        QVERIFY(m_http->pendingRetries().isEmpty());
    }

    void retriesAreBoundedAndEndWithTheLastError()
    {
        m_http->setRetryPolicy(quickPolicy(2));
        m_answers = {page(503, "<html>first</html>"), page(500, "<html>last</html>")};
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QCOMPARE(m_hits, 3); // the first attempt and two retries
        QCOMPARE(r->error.kind, ApiError::Kind::Server);
        QCOMPARE(r->error.httpStatus, 500);
    }

    void backoffGrowsBetweenAttempts()
    {
        RetryPolicy p = quickPolicy(3);
        p.baseDelayMs = 60;
        p.maxDelayMs = 1000;
        m_http->setRetryPolicy(p);
        m_answers = {page(503, "x")};
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QCOMPARE(m_hitTimes.size(), 4);
        // Full jitter pinned at 1.0: 60, 120, 240 ms. Timers never fire early.
        QVERIFY2(m_hitTimes[1] - m_hitTimes[0] >= 60, qPrintable(QString::number(m_hitTimes[1])));
        QVERIFY(m_hitTimes[2] - m_hitTimes[1] >= 120);
        QVERIFY(m_hitTimes[3] - m_hitTimes[2] >= 240);
    }

    void writesAreNeverSentAgain_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::newRow("POST") << QByteArray("POST");
        QTest::newRow("PATCH") << QByteArray("PATCH");
        QTest::newRow("DELETE") << QByteArray("DELETE");
    }

    void writesAreNeverSentAgain()
    {
        QFETCH(QByteArray, method);
        m_answers = {page(503, "<html>down</html>"), ok()};
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        const HttpRequest request =
            method == "POST"    ? HttpRequest::post(u"/thing"_s, QJsonDocument(QJsonObject{}))
            : method == "PATCH" ? HttpRequest::patch(u"/thing"_s)
                                : HttpRequest::del(u"/thing"_s);
        const auto r = run(request);
        QVERIFY(r);
        QCOMPARE(m_hits, 1);
        QCOMPARE(r->error.kind, ApiError::Kind::Server);
        QCOMPARE(scheduled.size(), 0);
    }

    void finalErrorsAreNotSentAgain_data()
    {
        QTest::addColumn<int>("status");
        for (int status : {400, 401, 403, 404, 409, 422})
            QTest::addRow("%d", status) << status;
    }

    void finalErrorsAreNotSentAgain()
    {
        QFETCH(int, status);
        m_answers = {SandboxReply::json(QJsonObject{{u"detail"_s, u"no"_s}}, status), ok()};
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QCOMPARE(m_hits, 1);
        QVERIFY(r->error.isError());
    }

    void badResponsesAreNotSentAgain()
    {
        m_answers = {page(200, "<html>a login page</html>"), ok()};
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QCOMPARE(m_hits, 1);
        QCOMPARE(r->error.kind, ApiError::Kind::BadResponse);
    }

    void retryAfterIsHonoured_data()
    {
        QTest::addColumn<bool>("asDate");
        QTest::newRow("seconds") << false;
        QTest::newRow("http date") << true;
    }

    void retryAfterIsHonoured()
    {
        QFETCH(bool, asDate);
        // An IMF-fixdate two seconds ahead, or a number of seconds.
        const QByteArray retryAfter =
            asDate ? QLocale::c()
                         .toString(QDateTime::currentDateTimeUtc().addSecs(2),
                                   u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
                         .toLatin1()
                   : QByteArray("1");
        m_answers = {tooMany(retryAfter), ok()};
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error.message()));
        QCOMPARE(m_hits, 2);
        QCOMPARE(scheduled.size(), 1);
        const int announced = scheduled.at(0).at(1).toInt();
        QVERIFY2(announced >= 1 && announced <= 2, qPrintable(QString::number(announced)));
        // Never earlier than asked (an HTTP date has whole-second precision).
        QVERIFY2(m_hitTimes[1] - m_hitTimes[0] >= (announced - 1) * 1000 + 900,
                 qPrintable(QString::number(m_hitTimes[1] - m_hitTimes[0])));
    }

    void withoutRetryAfterA429BacksOff()
    {
        m_answers = {tooMany({}), tooMany({}), ok()};
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QVERIFY(r->ok());
        QCOMPARE(m_hits, 3);
    }

    void aWaitLongerThanAllowedIsNotWaited()
    {
        m_answers = {tooMany("120"), ok()};
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        const auto r = run(HttpRequest::get(u"/thing"_s));
        QVERIFY(r);
        QCOMPARE(m_hits, 1);
        QCOMPARE(scheduled.size(), 0);
        QCOMPARE(r->error.kind, ApiError::Kind::RateLimited);
        QCOMPARE(r->error.retryAfterSeconds, 120);
    }

    void refusedConnectionsAreTriedAgain()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        QObject context;
        std::optional<HttpResponse> answer;
        m_http->send(endpoint(closedPort), HttpRequest::get(u"/thing"_s), &context,
                     [&](const HttpResponse &r) { answer = r; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
        QCOMPARE(scheduled.size(), 3);
        QCOMPARE(answer->error.kind, ApiError::Kind::Network);
        QCOMPARE(answer->error.code, QString(TransportCode::ConnectionRefused));
        QVERIFY(!answer->error.message().isEmpty());
    }

    void cancelEndsTheWaitAtOnce()
    {
        m_http->setRetryPolicy(waitingPolicy(60000));
        m_answers = {page(503, "x"), ok()};
        QObject context;
        std::optional<HttpResponse> answer;
        RequestHandle handle = m_http->send(endpoint(), HttpRequest::get(u"/thing"_s), &context,
                                            [&](const HttpResponse &r) { answer = r; });
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        QVERIFY(scheduled.wait(5000));
        QCOMPARE(scheduled.at(0).at(1).toInt(), 60);
        QCOMPARE(scheduled.at(0).at(0).value<QObject *>(), &context);
        const auto pending = m_http->pendingRetries();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.at(0).retry, 1);
        QVERIFY(pending.at(0).remainingMs > 50000);
        QCOMPARE(pending.at(0).cause.httpStatus, 503);
        QVERIFY(handle.isRunning());
        handle.cancel();
        QVERIFY(answer.has_value()); // synchronously, like any cancel
        QCOMPARE(answer->error.kind, ApiError::Kind::Canceled);
        QVERIFY(m_http->pendingRetries().isEmpty());
        QTest::qWait(50);
        QCOMPARE(m_hits, 1);
    }

    void givingUpEndsWithTheLastError()
    {
        m_http->setRetryPolicy(waitingPolicy(60000));
        m_answers = {page(502, "<html>gateway</html>"), ok()};
        QObject a;
        QObject b;
        std::optional<HttpResponse> answerA;
        std::optional<HttpResponse> answerB;
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        m_http->send(endpoint(), HttpRequest::get(u"/thing"_s), &a,
                     [&](const HttpResponse &r) { answerA = r; });
        QVERIFY(scheduled.wait(5000));
        m_answers = {page(502, "<html>gateway</html>")};
        m_http->send(endpoint(), HttpRequest::get(u"/thing"_s), &b,
                     [&](const HttpResponse &r) { answerB = r; });
        QTRY_COMPARE(m_http->pendingRetries().size(), 2);
        QSignalSpy ended(m_http.get(), &HttpClient::retryEnded);
        m_http->cancelRetries(&a); // only a's
        QVERIFY(answerA.has_value());
        QCOMPARE(answerA->error.kind, ApiError::Kind::Server);
        QCOMPARE(answerA->error.httpStatus, 502);
        QVERIFY(!answerB.has_value());
        m_http->cancelRetries(); // everyone's
        QVERIFY(answerB.has_value());
        QCOMPARE(answerB->error.httpStatus, 502);
        QCOMPARE(ended.size(), 2);
        QCOMPARE(m_hits, 2);
    }

    void aSilentPlatformIsGivenUpOnInTime()
    {
        // Nothing ever answers: the attempts share giveUpAfterMs, retries included.
        test::LocalTcpServer silent(test::LocalTcpServer::Answer::Nothing);
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        RetryPolicy p = quickPolicy(3);
        p.giveUpAfterMs = 2500;
        m_http->setRetryPolicy(p);
        std::optional<HttpResponse> answer;
        QObject context;
        // 1 s per attempt: a retry after the first (then 1 s is no longer left for a third).
        m_http->send(endpoint(silent.serverPort()), HttpRequest::get(u"/x"_s).withTimeout(1000),
                     &context, [&](const HttpResponse &r) { answer = r; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
        QCOMPARE(answer->error.kind, ApiError::Kind::Timeout);
        QCOMPARE(silent.requests, 2); // without the limit: 4

        // An attempt's own timeout is cut to what is left: 1.5 s, not 20 s.
        const int before = silent.requests;
        p.giveUpAfterMs = 1500;
        m_http->setRetryPolicy(p);
        answer.reset();
        m_http->send(endpoint(silent.serverPort()), HttpRequest::get(u"/x"_s).withTimeout(20000),
                     &context, [&](const HttpResponse &r) { answer = r; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
        QCOMPARE(answer->error.kind, ApiError::Kind::Timeout);
        QCOMPARE(silent.requests, before + 1);
    }

    void aCallerThatGoesAwayEndsTheWaitSilently()
    {
        m_http->setRetryPolicy(waitingPolicy(200));
        m_answers = {page(503, "x"), ok()};
        auto context = std::make_unique<QObject>();
        int calls = 0;
        m_http->send(endpoint(), HttpRequest::get(u"/thing"_s), context.get(),
                     [&](const HttpResponse &) { ++calls; });
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        QVERIFY(scheduled.wait(5000));
        context.reset();
        QTest::qWait(400); // past the retry's time: nothing may go out
        QCOMPARE(calls, 0);
        QCOMPARE(m_hits, 1);
        QVERIFY(m_http->pendingRetries().isEmpty());
    }

    void aRequestMayRefuseRetries()
    {
        m_answers = {page(503, "x"), ok()};
        const auto r = run(HttpRequest::get(u"/thing"_s).withRetry(RetryPolicy::disabled()));
        QVERIFY(r);
        QCOMPARE(m_hits, 1);
        QCOMPARE(r->error.httpStatus, 503);
    }

    // Part of a stream already reached the caller: sending again would repeat it.
    void aStreamThatDeliveredTextIsNotSentAgain()
    {
        QObject context;
        QByteArray received;
        std::optional<HttpResponse> answer;
        QSignalSpy scheduled(m_http.get(), &HttpClient::retryScheduled);
        m_http->stream(
            endpoint(),
            HttpRequest::get(u"/stream"_s)
                .withAccept("text/event-stream")
                .withHeader("X-Parley-Fault", "cut-stream"), // half the frames, then a reset
            &context, [&](const QByteArray &chunk) { received += chunk; },
            [&](const HttpResponse &r) { answer = r; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
        QVERIFY(received.startsWith("data: one"));
        QVERIFY(!received.contains("four"));
        QVERIFY2(answer->error.isError(), "a cut stream is an error");
        QCOMPARE(m_hits, 1);
        QCOMPARE(scheduled.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpRetry)
#include "tst_http_retry.moc"
