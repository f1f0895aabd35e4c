// Redaction: header and URL redaction for logs never lets a key through, whatever the case
// of the header name or where in the URL the key hides.
#include "net/Redaction.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kSecret = "phx_s3cr3tV4lue";
const QByteArray kPlainSecret = "plain-value-0193"; // no key-like prefix: only the name says

bool anyContains(const QList<QPair<QByteArray, QByteArray>> &list, const QByteArray &needle)
{
    for (const auto &[name, value] : list) {
        if (name.contains(needle) || value.contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT

private slots:
    void secretHeaderNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("secret");
        for (const char *n : {"Authorization",
                              "authorization",
                              "AUTHORIZATION",
                              "x-api-key",
                              "X-API-KEY",
                              "X-Api-Key",
                              "X-TOKEN",
                              "x-token",
                              "Proxy-Authorization",
                              "Cookie",
                              "Set-Cookie",
                              "X-Auth-Token",
                              "api_key",
                              "X-Secret",
                              "X-Access-Token",
                              "X-Amz-Security-Token",
                              "X-Session-Token",
                              " Authorization ",
                              "x-goog-api-key",
                              "X-Password"})
            QTest::newRow(n) << QByteArray(n) << true;
        for (const char *n : {"Accept", "Content-Type", "User-Agent", "Content-Length",
                              "X-Request-Id", "Retry-After"})
            QTest::newRow(n) << QByteArray(n) << false;
    }

    void secretHeaderNames()
    {
        QFETCH(QByteArray, name);
        QFETCH(bool, secret);
        QCOMPARE(Redaction::isSecretHeader(name), secret);
    }

    void headersNeverLeakValues()
    {
        const QList<QPair<QByteArray, QByteArray>> in = {
            {"Authorization", "Bearer " + kPlainSecret},
            {"authorization", kPlainSecret},
            {"x-api-key", kPlainSecret},
            {"X-API-KEY", kPlainSecret},
            {"X-TOKEN", kPlainSecret},
            {"x-token", kPlainSecret},
            {"Cookie", "sessionid=" + kPlainSecret},
            {"X-Custom", kSecret},                     // a key-like value under any name
            {"X-Forwarded", "Bearer " + kPlainSecret}, // a bearer value under any name
            {"Accept", "application/json"},
        };
        const auto out = Redaction::headers(in);
        QCOMPARE(out.size(), in.size());
        QVERIFY(!anyContains(out, kPlainSecret));
        QVERIFY(!anyContains(out, kSecret));
        for (int i = 0; i < out.size(); ++i)
            QCOMPARE(out.at(i).first, in.at(i).first); // names and order kept
        QCOMPARE(out.last().second, QByteArray("application/json"));
        QCOMPARE(out.first().second, QByteArray("<redacted>"));
    }

    void urls_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("nothing secret")
            << u"https://api.example.com/v1/conversations?limit=50&offset=100"_s
            << u"https://api.example.com/v1/conversations?limit=50&offset=100"_s;
        QTest::newRow("user info")
            << u"https://user:pa55@api.example.com/x"_s << u"https://api.example.com/x"_s;
        QTest::newRow("api_key and token")
            << u"https://h/x?api_key=abc123&limit=5&token=t0k&Access_Token=zz"_s
            << u"https://h/x?api_key=redacted&limit=5&token=redacted&Access_Token=redacted"_s;
        QTest::newRow("encoded secret name")
            << u"https://h/x?api%5Fkey=abc123"_s
            << u"https://h/x?api_key=redacted"_s; // QUrl decodes "_"
        QTest::newRow("key-like value under an innocent name")
            << u"https://h/connect?u=ctok_abcdef&app=gmail"_s
            << u"https://h/connect?u=redacted&app=gmail"_s;
        QTest::newRow("jwt value") << u"https://h/x?state=eyJhbGciOiJIUzI1NiJ9.e30.sig"_s
                                   << u"https://h/x?state=redacted"_s;
        QTest::newRow("fragment dropped")
            << u"https://h/cb#access_token=abc123"_s << u"https://h/cb"_s;
        QTest::newRow("x-amz-signature")
            << u"https://h/f?X-Amz-Signature=abc123&X-Amz-Credential=AKIA&X-Amz-Date=1"_s
            << u"https://h/f?X-Amz-Signature=redacted&X-Amz-Credential=redacted&X-Amz-Date=1"_s;
        QTest::newRow("non-ascii kept encoded") << u"https://h/s?q=caf%C3%A9&secret=%C3%A9t%C3%A9"_s
                                                << u"https://h/s?q=caf%C3%A9&secret=redacted"_s;
    }

    void urls()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(Redaction::url(QUrl(in)), out);
    }

    void urlNeverContainsSecretValues()
    {
        const QString secret = QString::fromLatin1(kPlainSecret);
        for (const QString &name :
             {u"key"_s, u"apiKey"_s, u"API_KEY"_s, u"x-api-key"_s, u"token"_s, u"X-TOKEN"_s,
              u"auth"_s, u"authorization"_s, u"password"_s, u"client_secret"_s, u"sessionid"_s}) {
            const QUrl url(u"https://h/x?a=1&"_s + name + u'=' + secret + u"&b=2"_s);
            const QString redacted = Redaction::url(url);
            QVERIFY2(!redacted.contains(secret), qPrintable(redacted));
            QVERIFY2(redacted.contains(u"a=1"_s) && redacted.contains(u"b=2"_s),
                     qPrintable(redacted));
        }
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
