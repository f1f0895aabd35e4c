// HttpClient's pure URL rules: loopback detection, same-origin checks and request URL
// resolution (path joining, encoding, absolute links, refusals), without any network.
#include "net/HttpClient.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

class TestHttpResolve : public QObject
{
    Q_OBJECT

private slots:
    void loopback_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1") << u"http://127.0.0.1:8080/x"_s << true;
        QTest::newRow("127.8.9.10") << u"http://127.8.9.10/"_s << true;
        QTest::newRow("localhost") << u"http://localhost:1/"_s << true;
        QTest::newRow("LOCALHOST") << u"http://LOCALHOST/"_s << true;
        QTest::newRow("ipv6") << u"http://[::1]:9/"_s << true;
        QTest::newRow("ipv4-mapped ipv6") << u"http://[::ffff:127.0.0.1]/"_s << true;
        QTest::newRow("look-alike name") << u"http://127.0.0.1.example.com/"_s << false;
        QTest::newRow("localhost suffix") << u"http://localhost.example.com/"_s << false;
        QTest::newRow("sub of localhost") << u"http://evil.localhost.example/"_s << false;
        QTest::newRow("any address") << u"http://0.0.0.0/"_s << false;
        QTest::newRow("private") << u"http://192.168.1.2/"_s << false;
        QTest::newRow("public") << u"http://api.example.com/"_s << false;
        QTest::newRow("ipv6 public") << u"http://[2001:db8::1]/"_s << false;
    }

    void loopback()
    {
        QFETCH(QString, url);
        QFETCH(bool, loopback);
        QCOMPARE(HttpClient::isLoopback(QUrl(url)), loopback);
    }

    void sameOrigin_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("paths differ")
            << u"https://api.x.com/a"_s << u"https://api.x.com/b?c"_s << true;
        QTest::newRow("default port spelled")
            << u"https://api.x.com/"_s << u"https://api.x.com:443/"_s << true;
        QTest::newRow("host case") << u"https://API.x.com/"_s << u"https://api.X.com/"_s << true;
        QTest::newRow("downgrade") << u"https://api.x.com/"_s << u"http://api.x.com/"_s << false;
        QTest::newRow("upgrade") << u"http://127.0.0.1/"_s << u"https://127.0.0.1/"_s << false;
        QTest::newRow("port") << u"https://api.x.com/"_s << u"https://api.x.com:8443/"_s << false;
        QTest::newRow("http port 80")
            << u"http://localhost:80/"_s << u"http://localhost/"_s << true;
        QTest::newRow("subdomain")
            << u"https://api.x.com/"_s << u"https://evil.api.x.com/"_s << false;
        QTest::newRow("parent") << u"https://api.x.com/"_s << u"https://x.com/"_s << false;
        QTest::newRow("user info ignored")
            << u"https://api.x.com/"_s << u"https://someone@api.x.com/"_s << true;
    }

    void sameOrigin()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(HttpClient::sameOrigin(QUrl(a), QUrl(b)), same);
        QCOMPARE(HttpClient::sameOrigin(QUrl(b), QUrl(a)), same);
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QList<QPair<QString, QString>>>("query");
        QTest::addColumn<QString>("expected"); // empty: a Config error
        using Q = QList<QPair<QString, QString>>;
        QTest::newRow("prefix + path")
            << u"https://us.posthog.com/base"_s << u"/api/projects/1/conversations/"_s << Q{}
            << u"https://us.posthog.com/base/api/projects/1/conversations/"_s;
        QTest::newRow("base slash + path")
            << u"https://h.com/base/"_s << u"/x"_s << Q{} << u"https://h.com/base/x"_s;
        QTest::newRow("empty path")
            << u"https://h.com/base/"_s << QString() << Q{} << u"https://h.com/base/"_s;
        QTest::newRow("base query and fragment dropped")
            << u"https://h.com/b?x=1#f"_s << u"/y"_s << Q{} << u"https://h.com/b/y"_s;
        QTest::newRow("path text encoded") << u"https://h.com"_s << u"/a b/c?d#e%f/é"_s << Q{}
                                           << u"https://h.com/a%20b/c%3Fd%23e%25f/%C3%A9"_s;
        QTest::newRow("scheme-relative path stays on the origin")
            << u"https://h.com"_s << u"//evil.com/x"_s << Q{} << u"https://h.com//evil.com/x"_s;
        QTest::newRow("query encoded")
            << u"https://h.com"_s << u"/s"_s
            << Q{{u"q"_s, u"c++ & co"_s}, {u"e"_s, u"é=#"_s}, {u"lit"_s, u"%41"_s}}
            << u"https://h.com/s?q=c%2B%2B%20%26%20co&e=%C3%A9%3D%23&lit=%2541"_s;
        QTest::newRow("absolute link on the origin")
            << u"https://h.com/base"_s << u"https://h.com/base/list/?offset=100&limit=100"_s
            << Q{{u"x"_s, u"1"_s}} << u"https://h.com/base/list/?offset=100&limit=100&x=1"_s;
        QTest::newRow("absolute link, upper-case scheme")
            << u"https://h.com"_s << u"HTTPS://h.com/next"_s << Q{} << u"https://h.com/next"_s;
        QTest::newRow("absolute link elsewhere")
            << u"https://h.com"_s << u"https://other.com/next"_s << Q{} << QString();
        QTest::newRow("absolute link downgraded")
            << u"https://h.com"_s << u"http://h.com/next"_s << Q{} << QString();
        QTest::newRow("plain http remote") << u"http://h.com"_s << u"/x"_s << Q{} << QString();
        QTest::newRow("plain http loopback")
            << u"http://127.0.0.1:5000/p"_s << u"/x"_s << Q{} << u"http://127.0.0.1:5000/p/x"_s;
        QTest::newRow("plain http ipv6 loopback")
            << u"http://[::1]:5000"_s << u"/x"_s << Q{} << u"http://[::1]:5000/x"_s;
        QTest::newRow("no scheme") << u"h.com/api"_s << u"/x"_s << Q{} << QString();
        QTest::newRow("ftp") << u"ftp://h.com"_s << u"/x"_s << Q{} << QString();
        QTest::newRow("empty base") << QString() << u"/x"_s << Q{} << QString();
    }

    void resolve()
    {
        QFETCH(QString, base);
        QFETCH(QString, path);
        using Q = QList<QPair<QString, QString>>;
        QFETCH(Q, query);
        QFETCH(QString, expected);
        Endpoint e;
        e.baseUrl = QUrl(base);
        HttpRequest request = HttpRequest::get(path);
        for (const auto &[k, v] : query)
            request.withQuery(k, v);
        ApiError error;
        const QUrl url = HttpClient::resolve(e, request, &error);
        if (expected.isEmpty()) {
            QCOMPARE(error.kind, ApiError::Kind::Config);
            QVERIFY(!error.detail.isEmpty());
            QVERIFY(url.isEmpty());
        } else {
            QVERIFY2(!error, qPrintable(error.message()));
            QCOMPARE(url.toString(QUrl::FullyEncoded), expected);
        }
    }

    void withQueryKeepsLiteralText()
    {
        HttpRequest r = HttpRequest::get(u"/x"_s);
        r.withQuery(u"a+b"_s, u"%41 & +"_s);
        const auto items = r.query.queryItems(QUrl::FullyDecoded);
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.at(0).first, u"a+b"_s);
        QCOMPARE(items.at(0).second, u"%41 & +"_s);
    }

    void passwordInABaseUrlStaysOutOfMessages()
    {
        Endpoint e;
        e.baseUrl = QUrl(u"http://user:hunter2@api.example.com/x"_s);
        ApiError error;
        HttpClient::resolve(e, HttpRequest::get(u"/y"_s), &error);
        QCOMPARE(error.kind, ApiError::Kind::Config);
        QVERIFY(!error.message().contains(u"hunter2"_s));
        e.baseUrl = QUrl(u"https://user:hunter2@h.com"_s);
        HttpClient::resolve(e, HttpRequest::get(u"https://other.com/"_s), &error);
        QCOMPARE(error.kind, ApiError::Kind::Config);
        QVERIFY(!error.message().contains(u"hunter2"_s));
    }
};

QTEST_GUILESS_MAIN(TestHttpResolve)
#include "tst_httpresolve.moc"
