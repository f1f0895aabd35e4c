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

// One test row: a body, the code (for HTML bodies: the content type) and the detail.
struct Row
{
    const char *name;
    const char *body;
    const char *code;
    const char *detail;
};

// Every platform's documented error shapes, and generic ones.
const Row kShapes[] = {
    {"posthog drf auth",
     R"({"type": "authentication_error", "code": "authentication_failed", "detail": "Personal )"
     R"(API key found in request Authorization header is invalid.", "attr": null})",
     "authentication_failed", "Personal API key found in request Authorization header is invalid."},
    {"posthog drf validation with attr",
     R"({"type":"validation_error","code":"required","detail":"This field is required.",)"
     R"("attr":"content"})",
     "required", "This field is required. (field “content”)"},
    {"posthog queue_full",
     R"({"error": "queue_full", "detail": "Only two messages can be queued at a time."})",
     "queue_full", "Only two messages can be queued at a time."},
    {"posthog ad-hoc error sentence", R"({"error": "Cannot access other users' conversations"})",
     "", "Cannot access other users' conversations"},
    {"posthog detail only", R"({"detail": "Queue message not found."})", "",
     "Queue message not found."},
    {"dynamiq not_found", R"({"error": {"code": "not_found", "message": "Not Found"}})",
     "not_found", "Not Found"},
    {"dynamiq bad_request with details",
     R"({"error": {"code": "bad_request", "message": "Bad Request", "details": {"input": )"
     R"("cannot be blank"}}})",
     "bad_request", "Bad Request (input: cannot be blank)"},
    {"orq current",
     R"({"error": {"code": "invalid_api_key", "message": "The API key provided is invalid.", )"
     R"("doc_url": "https://docs.orq.ai/x"}})",
     "invalid_api_key", "The API key provided is invalid."},
    {"orq legacy",
     R"({"id": "e7b3", "code": 502, "error": "Upstream model returned an error", )"
     R"("source": "provider"})",
     "502", "Upstream model returned an error"},
    {"message only", R"({"message": "Conversation not found"})", "", "Conversation not found"},
    {"polyai v1", R"({"error_message": "Invalid client_env"})", "", "Invalid client_env"},
    {"polyai v3",
     R"({"success": false, "error": "Project ID does not exist.", )"
     R"("error_code": "PROJECT_NOT_FOUND"})",
     "PROJECT_NOT_FOUND", "Project ID does not exist."},
    {"fastapi validation list",
     R"({"detail": [{"loc": ["query", "limit"], "msg": "ensure this value is less than or )"
     R"(equal to 100", "type": "x"}]})",
     "", "limit: ensure this value is less than or equal to 100"},
    {"plain drf field errors", R"({"content": ["This field may not be blank."]})", "",
     "content: This field may not be blank."},
    {"error code without text", R"({"code": "throttled"})", "throttled", "throttled"},
    {"json without anything readable", R"({"ok": false, "n": [1, 2]})", "", ""},
};

const Row kHtmlBodies[] = {
    {"nginx 502",
     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
     "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
     "text/html", "502 Bad Gateway"},
    {"title with entities",
     "<!DOCTYPE html><html><head><TITLE lang=en>Error &mdash; Service &amp; API &lt;down&gt; "
     "&#8230;</TITLE></head></html>",
     "text/html; charset=utf-8", "Error \u2014 Service & API <down> \u2026"},
    {"no title",
     "<html><head><style>body{color:red}</style><script>var a = '<b>';</script></head><body>"
     "<!-- <p>hidden</p> --><h1>Internal Server Error</h1><p>The server\nencountered an "
     "<b>error</b>.</p></body></html>",
     "text/html", "Internal Server Error The server encountered an error ."},
    {"html served as text/plain", "  <h1>Oops</h1>", "text/plain", "Oops"},
    {"cut inside a tag", R"(<body><p>Gateway timeout</p><a href="https://x)", "text/html",
     "Gateway timeout"},
};

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
        for (const Row &row : kShapes)
            QTest::newRow(row.name) << QByteArray(row.body) << QString::fromUtf8(row.code)
                                    << QString::fromUtf8(row.detail);
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
        // The content type stands where the other tables have the code.
        for (const Row &row : kHtmlBodies)
            QTest::newRow(row.name)
                << QByteArray(row.body) << QByteArray(row.code) << QString::fromUtf8(row.detail);
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
