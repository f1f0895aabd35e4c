// ErrorBody: every platform's documented error shape gives the right code and a readable
// detail (no markup, bounded length); Retry-After in all its forms.
#include "net/ErrorBody.h"

#include <QTest>
#include <QTimeZone>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

ApiError described(const QByteArray &body, const QByteArray &contentType = "application/json")
{
    ApiError e = ApiError::make(ApiError::Kind::Server, {}, 500);
    ErrorBody::describe(e, body, contentType);
    return e;
}

QDateTime at(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc());
}

} // namespace

class TestErrorBody : public QObject
{
    Q_OBJECT

private slots:
    void shapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");

        QTest::newRow("posthog drf auth")
            << QByteArray("{\"type\": \"authentication_error\", \"code\": "
                          "\"authentication_failed\", \"detail\": \"Personal API key found in "
                          "request Authorization header is invalid.\", \"attr\": null}")
            << u"authentication_failed"_s
            << u"Personal API key found in request Authorization header is invalid."_s;
        QTest::newRow("posthog drf validation with attr")
            << QByteArray("{\"type\":\"validation_error\",\"code\":\"required\","
                          "\"detail\":\"This field is required.\",\"attr\":\"content\"}")
            << u"required"_s << u"This field is required. (field “content”)"_s;
        QTest::newRow("posthog queue_full")
            << QByteArray("{\"error\": \"queue_full\", \"detail\": \"Only two messages can be "
                          "queued at a time.\"}")
            << u"queue_full"_s << u"Only two messages can be queued at a time."_s;
        QTest::newRow("posthog ad-hoc error sentence")
            << QByteArray("{\"error\": \"Cannot access other users' conversations\"}") << QString()
            << u"Cannot access other users' conversations"_s;
        QTest::newRow("posthog detail only")
            << QByteArray("{\"detail\": \"Queue message not found.\"}") << QString()
            << u"Queue message not found."_s;
        QTest::newRow("dynamiq not_found")
            << QByteArray("{\"error\": {\"code\": \"not_found\", \"message\": \"Not Found\"}}")
            << u"not_found"_s << u"Not Found"_s;
        QTest::newRow("dynamiq bad_request with details")
            << QByteArray("{\"error\": {\"code\": \"bad_request\", \"message\": \"Bad Request\","
                          " \"details\": {\"input\": \"cannot be blank\"}}}")
            << u"bad_request"_s << u"Bad Request (input: cannot be blank)"_s;
        QTest::newRow("orq current")
            << QByteArray("{\"error\": {\"code\": \"invalid_api_key\", \"message\": \"The API key "
                          "provided is invalid.\", \"doc_url\": \"https://docs.orq.ai/x\"}}")
            << u"invalid_api_key"_s << u"The API key provided is invalid."_s;
        QTest::newRow("orq legacy")
            << QByteArray("{\"id\": \"e7b3\", \"code\": 502, \"error\": \"Upstream model returned "
                          "an error\", \"source\": \"provider\"}")
            << u"502"_s << u"Upstream model returned an error"_s;
        QTest::newRow("message only") << QByteArray("{\"message\": \"Conversation not found\"}")
                                      << QString() << u"Conversation not found"_s;
        QTest::newRow("polyai v1") << QByteArray("{\"error_message\": \"Invalid client_env\"}")
                                   << QString() << u"Invalid client_env"_s;
        QTest::newRow("polyai v3")
            << QByteArray("{\"success\": false, \"error\": \"Project ID does not exist.\","
                          " \"error_code\": \"PROJECT_NOT_FOUND\"}")
            << u"PROJECT_NOT_FOUND"_s << u"Project ID does not exist."_s;
        QTest::newRow("fastapi validation list")
            << QByteArray("{\"detail\": [{\"loc\": [\"query\", \"limit\"], \"msg\": \"ensure this "
                          "value is less than or equal to 100\", \"type\": \"x\"}]}")
            << QString() << u"limit: ensure this value is less than or equal to 100"_s;
        QTest::newRow("plain drf field errors")
            << QByteArray("{\"content\": [\"This field may not be blank.\"]}") << QString()
            << u"content: This field may not be blank."_s;
        QTest::newRow("error code without text")
            << QByteArray("{\"code\": \"throttled\"}") << u"throttled"_s << u"throttled"_s;
        QTest::newRow("json without anything readable")
            << QByteArray("{\"ok\": false, \"n\": [1, 2]}") << QString() << QString();
    }

    void shapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        const ApiError e = described(body);
        QCOMPARE(e.code, code);
        QCOMPARE(e.detail, detail);
        QCOMPARE(e.kind, ApiError::Kind::Server); // describe() never changes the kind
        QCOMPARE(e.httpStatus, 500);
    }

    void emptyBodyLeavesErrorAlone()
    {
        ApiError e = ApiError::make(ApiError::Kind::Auth, u"kept"_s, 401, u"c"_s);
        ErrorBody::describe(e, "  \r\n", "application/json");
        QCOMPARE(e.detail, u"kept"_s);
        QCOMPARE(e.code, u"c"_s);
    }

    void htmlBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("detail");
        QTest::newRow("nginx 502")
            << QByteArray("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                          "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx"
                          "</center>\r\n</body>\r\n</html>\r\n")
            << QByteArray("text/html") << u"502 Bad Gateway"_s;
        QTest::newRow("title with entities")
            << QByteArray("<!DOCTYPE html><html><head><TITLE lang=en>Error &mdash; "
                          "Service &amp; API &lt;down&gt; &#8230;</TITLE></head></html>")
            << QByteArray("text/html; charset=utf-8")
            << u"Error \u2014 Service & API <down> \u2026"_s;
        QTest::newRow("no title")
            << QByteArray("<html><head><style>body{color:red}</style><script>var a = '<b>';"
                          "</script></head><body><!-- <p>hidden</p> --><h1>Internal Server "
                          "Error</h1><p>The server\nencountered an <b>error</b>.</p></body>"
                          "</html>")
            << QByteArray("text/html")
            << u"Internal Server Error The server encountered an error ."_s;
        QTest::newRow("html served as text/plain")
            << QByteArray("  <h1>Oops</h1>") << QByteArray("text/plain") << u"Oops"_s;
        QTest::newRow("cut inside a tag")
            << QByteArray("<body><p>Gateway timeout</p><a href=\"https://x")
            << QByteArray("text/html") << u"Gateway timeout"_s;
    }

    void htmlBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, detail);
        const ApiError e = described(body, contentType);
        QCOMPARE(e.detail, detail);
        QVERIFY(!e.detail.contains(u'<') || detail.contains(u'<'));
        QVERIFY(e.code.isEmpty());
        QVERIFY(e.message().contains(detail));
    }

    void plainTextIsClipped()
    {
        const QByteArray body =
            "upstream connect error or disconnect/reset before headers. " + QByteArray(5000, 'x');
        const ApiError e = described(body, "text/plain");
        QVERIFY(e.detail.startsWith(u"upstream connect error"_s));
        QCOMPARE(e.detail.size(), 200);
        QVERIFY(e.detail.endsWith(QChar(0x2026)));
    }

    void hugeHtmlBodyStaysBounded()
    {
        QByteArray body = "<html><body><p>" + QByteArray(2 << 20, 'a') + "</p></body></html>";
        const ApiError e = described(body, "text/html");
        QVERIFY(e.detail.size() <= 200);
        QVERIFY(!e.detail.contains(u'<'));
    }

    void longJsonDetailIsClipped()
    {
        const QByteArray body = "{\"detail\": \"" + QByteArray(1000, 'd') + "\"}";
        QCOMPARE(described(body).detail.size(), 200);
    }

    void retryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("seconds");
        QTest::newRow("delta") << QByteArray("120") << 120;
        QTest::newRow("delta with spaces") << QByteArray("  7 ") << 7;
        QTest::newRow("zero") << QByteArray("0") << 0;
        QTest::newRow("negative") << QByteArray("-5") << -1;
        QTest::newRow("fraction") << QByteArray("1.5") << -1;
        QTest::newRow("absurd delta capped") << QByteArray("99999999999") << 24 * 3600;
        QTest::newRow("empty") << QByteArray() << -1;
        QTest::newRow("garbage") << QByteArray("soon") << -1;
        QTest::newRow("imf-fixdate") << QByteArray("Sun, 01 Mar 2026 12:01:30 GMT") << 90;
        QTest::newRow("imf-fixdate wrong weekday is tolerated")
            << QByteArray("Mon, 01 Mar 2026 12:00:10 GMT") << 10;
        QTest::newRow("rfc 850") << QByteArray("Sunday, 01-Mar-26 12:00:45 GMT") << 45;
        QTest::newRow("asctime") << QByteArray("Sun Mar  1 12:02:00 2026") << 120;
        QTest::newRow("date in the past") << QByteArray("Sun, 01 Mar 2026 11:00:00 GMT") << 0;
        QTest::newRow("date far ahead capped")
            << QByteArray("Sun, 01 Mar 2027 12:00:00 GMT") << 24 * 3600;
        QTest::newRow("invalid day") << QByteArray("Sun, 31 Feb 2026 12:00:00 GMT") << -1;
        QTest::newRow("invalid time") << QByteArray("Sun, 01 Mar 2026 25:00:00 GMT") << -1;
        QTest::newRow("not GMT") << QByteArray("Sun, 01 Mar 2026 12:01:00 PST") << -1;
    }

    void retryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, seconds);
        QCOMPARE(ErrorBody::retryAfterSeconds(value, at(2026, 3, 1, 12, 0, 0)), seconds);
    }

    // An HTTP date has whole seconds and means "not before": a part second left counts as
    // a whole one, never as none.
    void retryAfterDateRoundsUp_data()
    {
        QTest::addColumn<int>("nowMs");
        QTest::addColumn<int>("seconds");
        QTest::newRow("on the second") << 0 << 2;
        QTest::newRow("just after") << 1 << 2;
        QTest::newRow("late in the second") << 950 << 2;
        QTest::newRow("50 ms left") << 1950 << 1;
        QTest::newRow("exactly then") << 2000 << 0;
        QTest::newRow("after") << 2500 << 0;
    }
    void retryAfterDateRoundsUp()
    {
        QFETCH(int, nowMs);
        QFETCH(int, seconds);
        const QDateTime now = at(2026, 3, 1, 12, 0, 0).addMSecs(nowMs);
        QCOMPARE(ErrorBody::retryAfterSeconds("Sun, 01 Mar 2026 12:00:02 GMT", now), seconds);
    }

    void retryAfterIgnoresLocalTime()
    {
        // `now` in another zone: the HTTP date is UTC either way.
        const QDateTime nowElsewhere =
            at(2026, 3, 29, 1, 30, 0).toTimeZone(QTimeZone(QByteArrayLiteral("Europe/Berlin")));
        QCOMPARE(ErrorBody::retryAfterSeconds("Sun, 29 Mar 2026 01:31:00 GMT", nowElsewhere), 60);
    }
};

QTEST_GUILESS_MAIN(TestErrorBody)
#include "tst_errorbody.moc"
