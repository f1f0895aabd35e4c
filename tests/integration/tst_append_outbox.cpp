// Appends delivered exactly once over real HTTP on 127.0.0.1.
//
// First the transport: Qt sends a request again when its connection drops before the
// answer, which for a POST the server already carried out means a duplicate. HttpClient
// sends requests that are not idempotent from a body Qt cannot rewind, so the drop is
// reported instead (and GETs keep Qt's retry).
#include "net/HttpClient.h"
#include "sandbox/SandboxServer.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

class TestAppendOutbox : public QObject
{
    Q_OBJECT

private slots:
    void postIsNotSentAgainAfterAReset_data();
    void postIsNotSentAgainAfterAReset();
    void getIsStillRetriedAfterAReset();

private:
    HttpResponse run(HttpClient &http, const Endpoint &endpoint, const HttpRequest &request);
};

HttpResponse TestAppendOutbox::run(HttpClient &http, const Endpoint &endpoint,
                                   const HttpRequest &request)
{
    bool done = false;
    HttpResponse response;
    http.send(endpoint, request, this, [&](const HttpResponse &r) {
        response = r;
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
    return response;
}

void TestAppendOutbox::postIsNotSentAgainAfterAReset_data()
{
    QTest::addColumn<bool>("warm");
    QTest::newRow("fresh connection") << false;
    QTest::newRow("kept-alive connection") << true;
}

void TestAppendOutbox::postIsNotSentAgainAfterAReset()
{
    QFETCH(bool, warm);
    SandboxServer server;
    int posts = 0;
    server.route("POST", u"/x/"_s, [&](const SandboxRequest &) {
        ++posts;
        return SandboxReply::json(QJsonObject{{u"id"_s, posts}}, 201);
    });
    server.route("GET", u"/g/"_s,
                 [](const SandboxRequest &) { return SandboxReply::json(QJsonObject{}); });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    // The handler runs, then the connection is reset instead of answering.
    QVERIFY(server.setFaults(u"reset,path=/x/,first=1"_s));

    HttpClient http;
    Endpoint endpoint;
    endpoint.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    if (warm)
        QVERIFY(run(http, endpoint, HttpRequest::get(u"/g/"_s)).ok());

    const HttpRequest post =
        HttpRequest::post(u"/x/"_s, QJsonDocument(QJsonObject{{u"content"_s, u"once"_s}}));
    const HttpResponse r = run(http, endpoint, post);
    QCOMPARE(posts, 1);
    QCOMPARE(r.error.kind, ApiError::Kind::Network);
    QVERIFY2(r.error.detail.contains(u"not sent again"_s), qPrintable(r.error.detail));

    // The next POST on the same client goes through normally, once.
    const HttpResponse next = run(http, endpoint, post);
    QVERIFY2(next.ok(), qPrintable(next.error.message()));
    QCOMPARE(next.status, 201);
    QCOMPARE(posts, 2);
}

void TestAppendOutbox::getIsStillRetriedAfterAReset()
{
    SandboxServer server;
    int gets = 0;
    server.route("GET", u"/g/"_s, [&](const SandboxRequest &) {
        ++gets;
        return SandboxReply::json(QJsonObject{{u"n"_s, gets}});
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QVERIFY(server.setFaults(u"reset,path=/g/,first=1"_s));
    HttpClient http;
    Endpoint endpoint;
    endpoint.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    const HttpResponse r = run(http, endpoint, HttpRequest::get(u"/g/"_s));
    QVERIFY2(r.ok(), qPrintable(r.error.message()));
    QCOMPARE(gets, 2);
}

QTEST_GUILESS_MAIN(TestAppendOutbox)
#include "tst_append_outbox.moc"
