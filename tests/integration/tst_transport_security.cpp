// Transport rules that keep a key on its own origin, over real sockets:
// - TLS errors are never ignored: servers with a self-signed, an expired and a wrongly named
//   certificate (made at test time with the openssl command) end the request with the
//   "tls" error before the server decrypts any HTTP request; the same server with a
//   certificate the client trusts (the test's own CA) answers, so the failures are the
//   certificates' doing.
// - A redirect from an https origin to plain http, to another port or to another host is
//   not followed: the targets record no connection at all.
// - The providers' real requests (a list, an appended message, a streamed reply) under the
//   sandbox's redirect-other-host fault never reach 127.0.0.2, for Authorization and
//   x-api-key platforms alike.
// - Plain http to an address of this machine that is not loopback is refused before any
//   connection (a listener there sees none; https to it does connect, proving it listens).
// Redirects between loopback origins, the URL rules and log redaction are covered by
// tst_httpclient, tst_httpresolve and tst_redaction.
#include "net/HttpClient.h"
#include "net/TransportCode.h"
#include "providers/Provider.h"
#include "providers/ProviderRegistry.h"
#include "providers/ReplyStream.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "support/LocalTcpServer.h"
#include "support/TextRows.h"
#include "support/WorkspaceDefaults.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using parley::test::addTextColumn;
using parley::test::LocalTcpServer;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kKey = "tls-probe-key-91c4e7";
constexpr int kWaitMs = 10000;

// An HTTPS server: counts handshakes begun and completed, keeps each request it decrypts
// and answers it with `answer`.
class TlsServer : public QObject
{
public:
    TlsServer(const QSslCertificate &certificate, const QSslKey &key)
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(certificate);
        config.setPrivateKey(key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
        m_server.setSslConfiguration(config);
        connect(&m_server, &QSslServer::startedEncryptionHandshake, this,
                [this](QSslSocket *) { ++handshakes; });
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++encrypted;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                read(socket);
            }
        });
    }
    bool listen(const QHostAddress &address = QHostAddress::LocalHost)
    {
        return m_server.listen(address, 0);
    }
    QUrl url(const QString &host = u"127.0.0.1"_s) const
    {
        QUrl u;
        u.setScheme(u"https"_s);
        u.setHost(host);
        u.setPort(m_server.serverPort());
        return u;
    }

    int handshakes = 0;
    int encrypted = 0;
    QList<QByteArray> requests; // head of each request decrypted
    QByteArray answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: 11\r\n\r\n{\"ok\":true}";

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        qsizetype end = buffer.indexOf("\r\n\r\n");
        while (end >= 0) {
            requests << buffer.left(end + 4);
            buffer.remove(0, end + 4);
            socket->write(answer);
            end = buffer.indexOf("\r\n\r\n");
        }
    }

    QSslServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

struct Outcome
{
    bool finished = false;
    HttpResponse response;
};

// A certificate authority, leaf certificates and keys made with the openssl command.
class Certificates
{
public:
    bool make(QString *error)
    {
        if (!m_dir.isValid()) {
            *error = u"no temporary folder"_s;
            return false;
        }
        const QStringList ec{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                             u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
        // The test's CA, and leaves it signs: for 127.0.0.1, for another name (in the
        // subject too: Qt also accepts a matching common name), and expired; then a
        // self-signed leaf for 127.0.0.1.
        return run(QStringList{u"req"_s, u"-x509"_s} + ec +
                       QStringList{u"-keyout"_s, path(u"ca.key"_s), u"-out"_s, path(u"ca.crt"_s),
                                   u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=Parley Test CA"_s},
                   error) &&
               run(QStringList{u"req"_s, u"-new"_s} + ec +
                       QStringList{u"-keyout"_s, path(u"leaf.key"_s), u"-out"_s,
                                   path(u"leaf.csr"_s), u"-subj"_s, u"/CN=127.0.0.1"_s},
                   error) &&
               run(QStringList{u"req"_s, u"-new"_s, u"-key"_s, path(u"leaf.key"_s), u"-out"_s,
                               path(u"other.csr"_s), u"-subj"_s, u"/CN=elsewhere.invalid"_s},
                   error) &&
               sign(u"leaf"_s, u"leaf.csr"_s, u"IP:127.0.0.1"_s, u"2"_s, error) &&
               sign(u"other-name"_s, u"other.csr"_s, u"DNS:elsewhere.invalid"_s, u"2"_s, error) &&
               sign(u"expired"_s, u"leaf.csr"_s, u"IP:127.0.0.1"_s, u"-1"_s, error) &&
               run(QStringList{u"req"_s, u"-x509"_s} + ec +
                       QStringList{u"-keyout"_s, path(u"self.key"_s), u"-out"_s,
                                   path(u"self-signed.crt"_s), u"-days"_s, u"2"_s, u"-subj"_s,
                                   u"/CN=127.0.0.1"_s, u"-addext"_s,
                                   u"subjectAltName=IP:127.0.0.1"_s},
                   error);
    }

    QSslCertificate certificate(const QString &name) const
    {
        const auto list = QSslCertificate::fromPath(path(name + u".crt"_s));
        return list.isEmpty() ? QSslCertificate() : list.constFirst();
    }
    QSslKey key(const QString &name) const
    {
        QFile f(path(name == u"self-signed"_s ? u"self.key"_s : u"leaf.key"_s));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QSslKey(f.readAll(), QSsl::Ec);
    }

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool sign(const QString &name, const QString &csr, const QString &altName, const QString &days,
              QString *error)
    {
        const QString ext = path(name + u".ext"_s);
        QFile f(ext);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=" +
                altName.toLatin1() + "\n");
        f.close();
        return run({u"x509"_s, u"-req"_s, u"-in"_s, path(csr), u"-CA"_s, path(u"ca.crt"_s),
                    u"-CAkey"_s, path(u"ca.key"_s), u"-CAcreateserial"_s, u"-out"_s,
                    path(name + u".crt"_s), u"-days"_s, days, u"-extfile"_s, ext},
                   error);
    }

    bool run(const QStringList &args, QString *error)
    {
        QProcess openssl;
        openssl.setWorkingDirectory(m_dir.path());
        openssl.start(u"openssl"_s, args);
        if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
            openssl.exitCode() != 0) {
            *error = u"openssl %1: %2"_s.arg(
                args.join(u' '), QString::fromLocal8Bit(openssl.readAllStandardError()));
            return false;
        }
        return true;
    }

    QTemporaryDir m_dir;
};

} // namespace

class TstTransportSecurity : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Certificates> m_certs;
    std::unique_ptr<HttpClient> m_http;

    Endpoint endpoint(const QUrl &base) const
    {
        Endpoint e;
        e.baseUrl = base;
        e.authHeader = "Authorization";
        e.authPrefix = "Bearer ";
        e.secret = kKey;
        return e;
    }

    std::shared_ptr<Outcome> start(const Endpoint &e, const HttpRequest &request, bool stream)
    {
        auto outcome = std::make_shared<Outcome>();
        auto done = [outcome](const HttpResponse &r) {
            outcome->response = r;
            outcome->finished = true;
        };
        if (stream)
            m_http->stream(
                e, request, this, [](const QByteArray &) {}, done);
        else
            m_http->send(e, request, this, done);
        return outcome;
    }

    HttpResponse run(const Endpoint &e, const HttpRequest &request, bool stream = false)
    {
        auto outcome = start(e, request, stream);
        if (!QTest::qWaitFor([&] { return outcome->finished; }, kWaitMs))
            qWarning("request did not finish");
        return outcome->response;
    }

    std::unique_ptr<TlsServer> tlsServer(const QString &certificate,
                                         const QHostAddress &address = QHostAddress::LocalHost)
    {
        auto server = std::make_unique<TlsServer>(m_certs->certificate(certificate),
                                                  m_certs->key(certificate));
        if (!server->listen(address))
            return {};
        return server;
    }

    // A loopback round trip, so that a connection wrongly made elsewhere has arrived.
    void settle()
    {
        LocalTcpServer echo{LocalTcpServer::Answer::HangUp};
        QVERIFY(echo.listen(QHostAddress::LocalHost));
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, echo.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(echo.accepted == 1, kWaitMs);
        s.write("x");
        QTRY_COMPARE_WITH_TIMEOUT(echo.received, QByteArray("x"), kWaitMs);
    }

private slots:
    void initTestCase()
    {
        // The TLS cases need a TLS backend and the openssl command for their certificates;
        // without them only those are skipped.
        if (!QSslSocket::supportsSsl() || QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            return;
        m_certs = std::make_unique<Certificates>();
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        for (const QString &name :
             {u"ca"_s, u"leaf"_s, u"other-name"_s, u"expired"_s, u"self-signed"_s})
            QVERIFY2(!m_certs->certificate(name).isNull(), qPrintable(name));
        QVERIFY(!m_certs->key(u"leaf"_s).isNull());
        QVERIFY(!m_certs->key(u"self-signed"_s).isNull());
        // The client trusts the test's CA (and nothing is ignored): exactly how a
        // company's own CA would be trusted through the system store.
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.addCaCertificate(m_certs->certificate(u"ca"_s));
        QSslConfiguration::setDefaultConfiguration(config);
    }

    void init()
    {
        const QByteArray name = QTest::currentTestFunction();
        const bool tls = name.startsWith("trusted") || name.startsWith("certificate") ||
                         name.startsWith("redirectFromHttps");
        if (tls && !m_certs)
            QSKIP("needs Qt's OpenSSL TLS backend (libssl3) and the openssl command for the test "
                  "certificates: apt-get install openssl libssl3");
        m_http = std::make_unique<HttpClient>();
        m_http->setRetryPolicy(RetryPolicy::disabled());
    }

    // The control: a certificate the client trusts, for the right name, works.
    void trustedCertificateIsAccepted_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("request") << false;
        QTest::newRow("stream") << true;
    }
    void trustedCertificateIsAccepted()
    {
        QFETCH(bool, stream);
        auto server = tlsServer(u"leaf"_s);
        QVERIFY(server);
        const HttpResponse r = run(endpoint(server->url()), HttpRequest::get(u"/api/me"_s), stream);
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        QCOMPARE(server->encrypted, 1);
        QCOMPARE(server->requests.size(), 1);
        QVERIFY(server->requests.constFirst().startsWith("GET /api/me HTTP/1.1\r\n"));
        QVERIFY(server->requests.constFirst().contains(QByteArray("Bearer " + kKey)));
    }

    void certificateErrorsEndTheRequest_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QByteArray>("method");
        for (const QString &cert : {u"self-signed"_s, u"expired"_s, u"other-name"_s}) {
            QTest::addRow("%s get", qPrintable(cert)) << cert << false << QByteArray("GET");
            QTest::addRow("%s post", qPrintable(cert)) << cert << false << QByteArray("POST");
            QTest::addRow("%s stream", qPrintable(cert)) << cert << true << QByteArray("POST");
        }
    }
    void certificateErrorsEndTheRequest()
    {
        QFETCH(QString, certificate);
        QFETCH(bool, stream);
        QFETCH(QByteArray, method);
        auto server = tlsServer(certificate);
        QVERIFY(server);
        const HttpRequest request =
            method == "GET"
                ? HttpRequest::get(u"/api/me"_s)
                : HttpRequest::post(u"/api/items/"_s, QJsonDocument(QJsonObject{{u"n"_s, 1}}));
        const HttpResponse r = run(endpoint(server->url()), request, stream);
        QCOMPARE(r.error.kind, ApiError::Kind::Network);
        QCOMPARE(r.error.code, QString(TransportCode::Tls));
        QVERIFY2(r.error.message().contains(u"could not be verified"_s),
                 qPrintable(r.error.message()));
        QCOMPARE(r.status, 0);
        QVERIFY(r.body.isEmpty());
        // The handshake began and was never completed: no HTTP request (no key, no body)
        // was ever decrypted by the server.
        QVERIFY(server->handshakes >= 1);
        QCOMPARE(server->encrypted, 0);
        QCOMPARE(server->requests.size(), 0);
    }

    void redirectFromHttpsGoesNowhereElse_data()
    {
        addTextColumn("target", {{"plain http, same host", "http"},
                                 {"https, another port", "port"},
                                 {"https, another host", "host"}});
    }
    void redirectFromHttpsGoesNowhereElse()
    {
        QFETCH(QString, target);
        auto origin = tlsServer(u"leaf"_s);
        QVERIFY(origin);
        LocalTcpServer plain{LocalTcpServer::Answer::HangUp};
        QVERIFY(plain.listen(QHostAddress::LocalHost));
        auto otherPort = tlsServer(u"leaf"_s);
        QVERIFY(otherPort);
        auto otherHost = tlsServer(u"leaf"_s, QHostAddress(u"127.0.0.2"_s));
        QVERIFY(otherHost);
        QUrl location;
        if (target == u"http"_s)
            location = QUrl(u"http://127.0.0.1:%1/steal"_s.arg(plain.serverPort()));
        else if (target == u"port"_s)
            location = otherPort->url().resolved(QUrl(u"/steal"_s));
        else
            location = otherHost->url(u"127.0.0.2"_s).resolved(QUrl(u"/steal"_s));
        origin->answer = "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location.toEncoded() +
                         "\r\nContent-Length: 0\r\n\r\n";

        const HttpResponse r = run(endpoint(origin->url()), HttpRequest::get(u"/api/me"_s));
        QCOMPARE(r.error.kind, ApiError::Kind::Config);
        QVERIFY2(r.error.detail.contains(u"key was not sent"_s), qPrintable(r.error.detail));
        QCOMPARE(origin->requests.size(), 1);
        QVERIFY(origin->requests.constFirst().contains(QByteArray("Bearer " + kKey)));
        settle();
        QCOMPARE(plain.accepted, 0);
        QCOMPARE(otherPort->handshakes, 0);
        QCOMPARE(otherHost->handshakes, 0);
    }

    void providersNeverFollowARedirectToAnotherHost_data()
    {
        addTextColumn("platform",
                      {{"posthog (Authorization)", "posthog"}, {"polyai (x-api-key)", "polyai"}});
    }
    void providersNeverFollowARedirectToAnotherHost()
    {
        QFETCH(QString, platform);
        sandbox::SandboxOptions options;
        options.key = kKey;
        options.conversations = 5;
        options.streamIntervalMs = 5;
        sandbox::Sandbox sandbox(options);
        QString error;
        QVERIFY2(sandbox.start(&error), qPrintable(error));
        // 127.0.0.2 on the sandbox's port: where the fault's 307 points.
        LocalTcpServer elsewhere{LocalTcpServer::Answer::HangUp};
        QVERIFY(elsewhere.listen(QHostAddress(u"127.0.0.2"_s), sandbox.port()));

        Workspace ws;
        ws.id = QUuid::createUuid();
        ws.platform = platform;
        ws.baseUrl = sandbox.baseUrl(platform);
        ws.params = test::defaultParams(ProviderRegistry::platform(platform));
        if (platform == u"posthog"_s)
            ws.params.insert(u"project_id"_s, u"1"_s);
        const auto provider = ProviderRegistry::create(ws, kKey, m_http.get());
        QVERIFY(provider);

        // Healthy first: the workspace works without the fault.
        std::optional<Result<ConversationPage>> page;
        provider->listConversations({}, PageCursor::first(provider->capabilities().paging), this,
                                    [&](Result<ConversationPage> r) { page = r; });
        QTRY_VERIFY_WITH_TIMEOUT(page.has_value(), kWaitMs);
        QVERIFY2(page->ok(), qPrintable(page->error().message()));
        QVERIFY(!page->value().items.isEmpty());
        const QString id = page->value().items.constFirst().id;

        QVERIFY(sandbox.server()->setFaults(u"redirect-other-host"_s, &error));
        page.reset();
        provider->listConversations({}, PageCursor::first(provider->capabilities().paging), this,
                                    [&](Result<ConversationPage> r) { page = r; });
        QTRY_VERIFY_WITH_TIMEOUT(page.has_value(), kWaitMs);
        QCOMPARE(page->error().kind, ApiError::Kind::Config);

        const Capabilities caps = provider->capabilities();
        if (caps.can(Capabilities::Append)) {
            std::optional<Result<QString>> appended;
            provider->appendMessage(id, u"a note"_s, this,
                                    [&](Result<QString> r) { appended = r; });
            QTRY_VERIFY_WITH_TIMEOUT(appended.has_value(), kWaitMs);
            QCOMPARE(appended->error().kind, ApiError::Kind::Config);
        }
        if (caps.can(Capabilities::Send)) {
            ReplyStream *stream = provider->sendMessage(id, u"hello"_s, this);
            QVERIFY(stream);
            QSignalSpy finished(stream, &ReplyStream::finished);
            QVERIFY(finished.count() == 1 || finished.wait(kWaitMs));
            QCOMPARE(finished.constFirst().constFirst().value<ApiError>().kind,
                     ApiError::Kind::Config);
        }
        settle();
        QCOMPARE(elsewhere.accepted, 0);
        QVERIFY(elsewhere.received.isEmpty());
    }

    void plainHttpToANonLoopbackAddressSendsNothing()
    {
        QHostAddress address;
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback()) {
                address = a;
                break;
            }
        }
        if (address.isNull())
            QSKIP("this machine has no IPv4 address other than loopback (no network interface "
                  "is up): run it where one is");
        LocalTcpServer listener{LocalTcpServer::Answer::HangUp};
        QVERIFY2(listener.listen(address), qPrintable(address.toString()));
        const QUrl plain(u"http://%1:%2/api"_s.arg(address.toString()).arg(listener.serverPort()));

        // The HTTP layer refuses it...
        const HttpResponse r = run(endpoint(plain), HttpRequest::get(u"/me"_s));
        QCOMPARE(r.error.kind, ApiError::Kind::Config);
        QVERIFY2(r.error.detail.contains(u"https://"_s), qPrintable(r.error.detail));
        // ...as does a provider of a workspace saved with it, and its validation.
        Workspace ws;
        ws.id = QUuid::createUuid();
        ws.platform = u"posthog"_s;
        ws.baseUrl = plain;
        ws.params.insert(u"project_id"_s, u"1"_s);
        QVERIFY(ProviderRegistry::validate(ws).contains(u"base_url"_s));
        if (const auto provider = ProviderRegistry::create(ws, kKey, m_http.get())) {
            std::optional<Result<ConversationPage>> page;
            provider->listConversations({}, PageCursor::first(provider->capabilities().paging),
                                        this, [&](Result<ConversationPage> p) { page = p; });
            QTRY_VERIFY_WITH_TIMEOUT(page.has_value(), kWaitMs);
            QCOMPARE(page->error().kind, ApiError::Kind::Config);
        }
        settle();
        QCOMPARE(listener.accepted, 0);

        // The control: https to the same listener does connect (and fails its handshake).
        if (!QSslSocket::supportsSsl())
            return;
        QUrl secure = plain;
        secure.setScheme(u"https"_s);
        const HttpResponse tls = run(endpoint(secure), HttpRequest::get(u"/me"_s));
        QVERIFY(tls.error.isError());
        QCOMPARE(listener.accepted, 1);
        QVERIFY(!listener.received.contains(kKey));
    }
};

QTEST_GUILESS_MAIN(TstTransportSecurity)
#include "tst_transport_security.moc"
