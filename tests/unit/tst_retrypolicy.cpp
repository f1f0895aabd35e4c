// RetryPolicy: which failures are sent again, how soon, and when it stops. Every branch,
// with an injected jitter so that every delay is exact.
#include "net/RetryPolicy.h"
#include "net/TransportCode.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

using Kind = ApiError::Kind;

ApiError status(int httpStatus, int retryAfter = -1)
{
    ApiError e = ApiError::make(ApiError::kindForStatus(httpStatus), {}, httpStatus);
    e.retryAfterSeconds = retryAfter;
    return e;
}

ApiError network(QLatin1String code)
{
    return ApiError::make(Kind::Network, u"detail"_s, 0, code);
}

RetryPolicy fixedJitter(double value)
{
    RetryPolicy p;
    p.jitter = [value] { return value; };
    return p;
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void transientFailures_data()
    {
        QTest::addColumn<ApiError>("error");
        QTest::addColumn<bool>("transient");
        QTest::newRow("500") << status(500) << true;
        QTest::newRow("502") << status(502) << true;
        QTest::newRow("503") << status(503) << true;
        QTest::newRow("504") << status(504) << true;
        QTest::newRow("501 not implemented") << status(501) << false;
        QTest::newRow("505") << status(505) << false;
        QTest::newRow("507") << status(507) << false;
        QTest::newRow("429") << status(429) << true;
        QTest::newRow("408") << status(408) << true;
        QTest::newRow("transfer timeout") << ApiError::make(Kind::Timeout) << true;
        QTest::newRow("refused") << network(TransportCode::ConnectionRefused) << true;
        QTest::newRow("reset") << network(TransportCode::ConnectionReset) << true;
        QTest::newRow("closed") << network(TransportCode::ConnectionClosed) << true;
        QTest::newRow("network down") << network(TransportCode::TemporaryFailure) << true;
        QTest::newRow("tls") << network(TransportCode::Tls) << false;
        QTest::newRow("unknown host") << network(TransportCode::HostNotFound) << false;
        QTest::newRow("write not sent again") << network(TransportCode::NotResent) << false;
        QTest::newRow("other network error") << ApiError::make(Kind::Network) << false;
        QTest::newRow("400") << status(400) << false;
        QTest::newRow("401") << status(401) << false;
        QTest::newRow("402") << status(402) << false;
        QTest::newRow("403") << status(403) << false;
        QTest::newRow("404") << status(404) << false;
        QTest::newRow("409") << status(409) << false;
        QTest::newRow("422") << status(422) << false;
        QTest::newRow("bad response") << ApiError::make(Kind::BadResponse) << false;
        QTest::newRow("cut off") << ApiError::make(Kind::BadResponse, {}, 200,
                                                   TransportCode::CutOff)
                                 << false;
        QTest::newRow("config") << ApiError::make(Kind::Config) << false;
        QTest::newRow("canceled") << ApiError::make(Kind::Canceled) << false;
        QTest::newRow("no error") << ApiError() << false;
    }

    void transientFailures()
    {
        QFETCH(ApiError, error);
        QFETCH(bool, transient);
        QCOMPARE(RetryPolicy::isTransient(error), transient);
        const RetryPolicy::Decision d = fixedJitter(1.0).decide(0, error, true);
        QCOMPARE(d.retry, transient);
        QCOMPARE(bool(d), transient);
        QVERIFY(!d.tooLong);
        if (transient)
            QCOMPARE(d.delayMs, 1000);
    }

    void writesAreNeverRetried_data() { transientFailures_data(); }

    void writesAreNeverRetried()
    {
        QFETCH(ApiError, error);
        const RetryPolicy p = fixedJitter(1.0);
        for (int done = 0; done < 3; ++done)
            QVERIFY(!p.decide(done, error, false).retry);
        ApiError asked = status(429, 1);
        QVERIFY(!p.decide(0, asked, false).retry);
    }

    void streamsOnlyBeforeTheirBody()
    {
        const RetryPolicy p = fixedJitter(1.0);
        QVERIFY(p.decide(0, network(TransportCode::ConnectionReset), true, false).retry);
        QVERIFY(!p.decide(0, network(TransportCode::ConnectionReset), true, true).retry);
        QVERIFY(!p.decide(0, status(503), true, true).retry);
        QVERIFY(!p.decide(0, ApiError::make(Kind::Timeout), true, true).retry);
    }

    void boundedNumberOfRetries()
    {
        RetryPolicy p = fixedJitter(1.0);
        const ApiError e = status(503);
        QVERIFY(p.decide(0, e, true).retry);
        QVERIFY(p.decide(2, e, true).retry);
        QVERIFY(!p.decide(3, e, true).retry);
        QVERIFY(!p.decide(10, e, true).retry);
        p.maxRetries = 1;
        QVERIFY(p.decide(0, e, true).retry);
        QVERIFY(!p.decide(1, e, true).retry);
        const RetryPolicy off = RetryPolicy::disabled();
        QCOMPARE(off.maxRetries, 0);
        QVERIFY(!off.decide(0, e, true).retry);
        QVERIFY(!off.decide(0, status(429, 1), true).retry);
        QVERIFY(!off.decide(0, status(429, 1000), true).tooLong); // nothing to wait for
    }

    void exponentialBackoffWithCap()
    {
        const RetryPolicy p = fixedJitter(1.0);
        const ApiError e = ApiError::make(Kind::Timeout);
        QCOMPARE(p.decide(0, e, true).delayMs, 1000);
        QCOMPARE(p.decide(1, e, true).delayMs, 2000);
        QCOMPARE(p.decide(2, e, true).delayMs, 4000);
        QCOMPARE(p.backoffMs(3, 1.0), 8000);
        QCOMPARE(p.backoffMs(4, 1.0), 16000);
        QCOMPARE(p.backoffMs(5, 1.0), 30000); // 32 s capped
        QCOMPARE(p.backoffMs(40, 1.0), 30000);
        QCOMPARE(p.backoffMs(5000, 1.0), 30000); // no overflow
        QCOMPARE(p.backoffMs(-3, 1.0), 1000);
    }

    void fullJitterWithAFloor()
    {
        const RetryPolicy p;
        QCOMPARE(p.backoffMs(0, 0.5), 500);
        QCOMPARE(p.backoffMs(2, 0.25), 1000);
        QCOMPARE(p.backoffMs(0, 0.0), 250); // never at once
        QCOMPARE(p.backoffMs(0, 0.1), 250);
        QCOMPARE(p.backoffMs(0, -4.0), 250); // out-of-range jitter is clamped
        QCOMPARE(p.backoffMs(0, 7.0), 1000);
        QCOMPARE(p.backoffMs(9, 0.5), 15000);

        int calls = 0;
        RetryPolicy counted;
        counted.jitter = [&calls] {
            ++calls;
            return 0.75;
        };
        QCOMPARE(counted.decide(1, status(502), true).delayMs, 1500);
        QCOMPARE(calls, 1);
        QVERIFY(!counted.decide(1, status(404), true).retry);
        QCOMPARE(calls, 1); // only asked when backing off
    }

    void defaultJitterStaysInRange()
    {
        const RetryPolicy p;
        const ApiError e = status(500);
        bool varied = false;
        int first = -1;
        for (int i = 0; i < 200; ++i) {
            const int ms = p.decide(2, e, true).delayMs;
            QVERIFY2(ms >= 250 && ms <= 4000, qPrintable(QString::number(ms)));
            if (first < 0)
                first = ms;
            varied = varied || ms != first;
        }
        QVERIFY(varied);
    }

    void retryAfterIsHonoured()
    {
        const RetryPolicy p = fixedJitter(0.0);
        RetryPolicy::Decision d = p.decide(0, status(429, 7), true);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, 7000); // exactly: no jitter, no backoff
        d = p.decide(2, status(429, 60), true);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, 60000);
        d = p.decide(0, status(429, 0), true);
        QCOMPARE(d.delayMs, 250); // "now" still waits the floor
        d = p.decide(0, status(503, 3), true);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, 3000);
        // Only 429 and 503 carry a meaningful Retry-After; others back off.
        d = fixedJitter(1.0).decide(0, status(500, 9), true);
        QCOMPARE(d.delayMs, 1000);
        // Still bounded in number.
        QVERIFY(!p.decide(3, status(429, 1), true).retry);
    }

    void retryAfterTooLongGivesUpAtOnce()
    {
        RetryPolicy p = fixedJitter(1.0);
        RetryPolicy::Decision d = p.decide(0, status(429, 61), true);
        QVERIFY(!d.retry);
        QVERIFY(d.tooLong);
        d = p.decide(0, status(503, 3600), true);
        QVERIFY(!d.retry);
        QVERIFY(d.tooLong);
        p.maxRetryAfterSeconds = 5;
        QVERIFY(p.decide(0, status(429, 5), true).retry);
        QVERIFY(p.decide(0, status(429, 6), true).tooLong);
        QVERIFY(!p.decide(0, status(429, 6), false).tooLong); // a write is never retried anyway
    }

    void rateLimitWithoutRetryAfterBacksOff()
    {
        const RetryPolicy p = fixedJitter(1.0);
        QCOMPARE(p.decide(0, status(429), true).delayMs, 1000);
        QCOMPARE(p.decide(1, status(429), true).delayMs, 2000);
        QCOMPARE(p.decide(2, status(429), true).delayMs, 4000);
    }

    void shortPoliciesForTests()
    {
        RetryPolicy p = fixedJitter(1.0);
        p.baseDelayMs = 10;
        p.minDelayMs = 0;
        p.maxDelayMs = 25;
        QCOMPARE(p.decide(0, status(503), true).delayMs, 10);
        QCOMPARE(p.decide(1, status(503), true).delayMs, 20);
        QCOMPARE(p.decide(2, status(503), true).delayMs, 25);
        p.jitter = [] { return 0.0; };
        QCOMPARE(p.decide(0, status(503), true).delayMs, 0);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
