// What Provider gives every platform: the API root and endpoint from a small description,
// one send-and-parse call with the platform's error refinement, the checked call, the
// stream set-up (a Conflict there is ConversationBusy), and answers given without asking.
// A QHttpServer on 127.0.0.1 plays the platform.
#include "providers/Provider.h"

#include <QHttpServer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

using Reason = ApiError::Reason;

// A provider that only exposes the base's helpers.
class BareProvider final : public Provider
{
    Q_OBJECT
public:
    BareProvider(Workspace workspace, HttpClient *http, const Provider::ApiAccess &access,
                 const QByteArray &key)
        : Provider(std::move(workspace), http)
    {
        useApi(access, key);
        readErrorsWith(&refine);
    }
    QString platform() const override { return u"bare"_s; }
    Capabilities capabilities() const override { return {}; }
    RequestHandle listConversations(const ListQuery &, const PageCursor &cursor, QObject *context,
                                    Done<ConversationPage> done) override
    {
        return endOfList(cursor, context, std::move(done));
    }
    RequestHandle fetchConversation(const QString &, QObject *context,
                                    Done<ConversationDetail> done) override
    {
        return refuse(context, std::move(done),
                      ApiError::make(ApiError::Kind::NotFound).because(Reason::NotLoaded));
    }

    using Provider::ApiAccess;
    using Provider::apiRoot;
    using Provider::endpoint;
    using Provider::refuse;
    using Provider::sendChecked;

    // The body's "n" field, read as the platform's parse would.
    RequestHandle fetchNumber(const QString &path, QObject *context, Done<int> done)
    {
        return sendParsed(
            HttpRequest::get(path), context,
            [](const QByteArray &body) -> Result<int> {
                const QJsonObject o = QJsonDocument::fromJson(body).object();
                if (!o.contains(u"n"_s))
                    return ApiError::make(ApiError::Kind::BadResponse, u"no n"_s);
                return int(o.value(u"n"_s).toInt());
            },
            std::move(done));
    }
    ReplyStream *streamPath(const QString &path, QObject *context, QByteArray *received)
    {
        auto *stream = new ReplyStream(context);
        streamInto(
            http(), stream, route(), HttpRequest::post(path, QJsonDocument(QJsonObject())),
            [received](const QByteArray &chunk) { received->append(chunk); },
            [stream](const ApiError &error, const HttpResponse &) { stream->finish(error); });
        return stream;
    }
    Route checkedRoute() const { return route(); }

    // The platform's refinement: {"error": "queue_full"} is a full queue.
    static ApiError refine(const ApiError &error, const QByteArray &body)
    {
        ApiError e = error;
        if (QJsonDocument::fromJson(body).object().value(u"error"_s).toString() == "queue_full"_L1)
            e.reason = Reason::QueueFull;
        e.detail = u"refined"_s;
        return e;
    }
};

QHttpServerResponse json(const QByteArray &body, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse("application/json", body, status);
}

} // namespace

class TestProviderBase : public QObject
{
    Q_OBJECT

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_seenAuthorization;
    HttpClient m_http;
    std::unique_ptr<BareProvider> m_provider;

    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1/api/"_s.arg(m_port)); }

    template<typename T>
    std::optional<Result<T>> wait(std::function<RequestHandle(Provider::Done<T>)> call,
                                  bool *synchronous = nullptr)
    {
        std::optional<Result<T>> got;
        bool returned = false;
        call([&](Result<T> r) {
            if (synchronous)
                *synchronous = !returned;
            got = std::move(r);
        });
        returned = true;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000); }();
        return got;
    }

private slots:
    void initTestCase()
    {
        m_server.route(u"/api/number"_s, [this](const QHttpServerRequest &req) {
            m_seenAuthorization = req.value("authorization");
            return json(R"({"n": 42})", QHttpServerResponse::StatusCode::Ok);
        });
        m_server.route(u"/api/full"_s, [] {
            return json(R"({"error": "queue_full", "detail": "Only two"})",
                        QHttpServerResponse::StatusCode::Conflict);
        });
        m_server.route(u"/api/busy"_s, [] {
            return json(R"({"detail": "still answering"})",
                        QHttpServerResponse::StatusCode::Conflict);
        });
        m_server.route(u"/api/empty"_s,
                       [] { return json("{}", QHttpServerResponse::StatusCode::Ok); });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
        m_http.setRetryPolicy(RetryPolicy::disabled());
    }

    void init()
    {
        Workspace w;
        w.baseUrl = serverUrl();
        m_provider = std::make_unique<BareProvider>(
            w, &m_http, BareProvider::ApiAccess(QUrl(u"https://api.example.com"_s)), " key-1 \n");
        m_seenAuthorization.clear();
    }

    void apiRootTrimsAndFallsBack()
    {
        const QUrl fallback(u"https://api.example.com/"_s);
        QCOMPARE(BareProvider::apiRoot(QUrl(u"https://proxy.example.com/x///"_s), fallback),
                 QUrl(u"https://proxy.example.com/x"_s));
        QCOMPARE(BareProvider::apiRoot(QUrl(), fallback), QUrl(u"https://api.example.com"_s));

        Workspace w;
        w.baseUrl = QUrl(u"https://eu.example.com/"_s);
        const BareProvider::ApiAccess plain(QUrl(u"https://us.example.com"_s));
        QCOMPARE(BareProvider::apiRoot(w, plain), QUrl(u"https://eu.example.com"_s));
        // A host the description says stands for the default gives way to it.
        const BareProvider::ApiAccess regional(
            QUrl(u"https://us.example.com"_s), "x-api-key", {},
            [](const QUrl &url) { return url.host() == "eu.example.com"_L1; });
        QCOMPARE(BareProvider::apiRoot(w, regional), QUrl(u"https://us.example.com"_s));
    }

    void useApiBuildsTheEndpoint()
    {
        const Endpoint &e = m_provider->endpoint();
        QCOMPARE(e.baseUrl, QUrl(u"http://127.0.0.1:%1/api"_s.arg(m_port)));
        QCOMPARE(e.authHeader, QByteArray("Authorization"));
        QCOMPARE(e.authPrefix, QByteArray("Bearer "));
        QCOMPARE(e.secret, QByteArray("key-1"));
    }

    void sendParsedDeliversTheParsedBody()
    {
        const auto r = wait<int>([this](Provider::Done<int> done) {
            return m_provider->fetchNumber(u"/number"_s, this, std::move(done));
        });
        QVERIFY(r && r->ok());
        QCOMPARE(r->value(), 42);
        QCOMPARE(m_seenAuthorization, QByteArray("Bearer key-1"));

        const auto unreadable = wait<int>([this](Provider::Done<int> done) {
            return m_provider->fetchNumber(u"/empty"_s, this, std::move(done));
        });
        QVERIFY(unreadable && !unreadable->ok());
        QCOMPARE(unreadable->error().kind, ApiError::Kind::BadResponse);
        QCOMPARE(unreadable->error().detail, u"no n"_s);
    }

    void sendParsedRefinesErrors()
    {
        const auto r = wait<int>([this](Provider::Done<int> done) {
            return m_provider->fetchNumber(u"/full"_s, this, std::move(done));
        });
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Conflict);
        QCOMPARE(r->error().reason, Reason::QueueFull);
        QCOMPARE(r->error().detail, u"refined"_s);
        QCOMPARE(r->error().httpStatus, 409);
    }

    void sendCheckedReportsOnlyTheError()
    {
        std::optional<ApiError> ok;
        m_provider->sendChecked(m_provider->checkedRoute(), HttpRequest::get(u"/number"_s), this,
                                [&](ApiError e) { ok = e; });
        QTRY_VERIFY_WITH_TIMEOUT(ok.has_value(), 10000);
        QVERIFY(!ok->isError());

        std::optional<ApiError> failed;
        m_provider->sendChecked(m_provider->checkedRoute(), HttpRequest::get(u"/busy"_s), this,
                                [&](ApiError e) { failed = e; });
        QTRY_VERIFY_WITH_TIMEOUT(failed.has_value(), 10000);
        QCOMPARE(failed->kind, ApiError::Kind::Conflict);
        QCOMPARE(failed->detail, u"refined"_s);
        QCOMPARE(failed->reason, Reason::None); // only a stream's Conflict means busy
    }

    void aStreamsConflictIsABusyConversation()
    {
        QByteArray received;
        ReplyStream *busy = m_provider->streamPath(u"/busy"_s, this, &received);
        QSignalSpy busyDone(busy, &ReplyStream::finished);
        QVERIFY(busyDone.wait(10000));
        QCOMPARE(busy->error().kind, ApiError::Kind::Conflict);
        QCOMPARE(busy->error().reason, Reason::ConversationBusy);
        QVERIFY(received.isEmpty());

        // The platform's own reason stands.
        ReplyStream *full = m_provider->streamPath(u"/full"_s, this, &received);
        QSignalSpy fullDone(full, &ReplyStream::finished);
        QVERIFY(fullDone.wait(10000));
        QCOMPARE(full->error().reason, Reason::QueueFull);

        ReplyStream *ok = m_provider->streamPath(u"/number"_s, this, &received);
        QSignalSpy okDone(ok, &ReplyStream::finished);
        QVERIFY(okDone.wait(10000));
        QVERIFY(!ok->error().isError());
        QCOMPARE(QJsonDocument::fromJson(received).object().value(u"n"_s).toInt(), 42);
    }

    void refusalsAndTheEndOfTheListComeLater()
    {
        bool synchronous = true;
        const auto refused = wait<ConversationDetail>(
            [this](Provider::Done<ConversationDetail> done) {
                return m_provider->fetchConversation(u"x"_s, this, std::move(done));
            },
            &synchronous);
        QVERIFY(!synchronous);
        QVERIFY(refused && !refused->ok());
        QCOMPARE(refused->error().reason, Reason::NotLoaded);

        PageCursor end = PageCursor::first(PageCursor::Style::Offset);
        end.atEnd = true;
        synchronous = true;
        const auto page = wait<ConversationPage>(
            [&](Provider::Done<ConversationPage> done) {
                return m_provider->listConversations({}, end, this, std::move(done));
            },
            &synchronous);
        QVERIFY(!synchronous);
        QVERIFY(page && page->ok());
        QVERIFY(page->value().items.isEmpty());
        QVERIFY(page->value().next.atEnd);

        std::optional<ApiError> error;
        bool returned = false;
        bool early = false;
        BareProvider::refuse(this, std::function<void(ApiError)>([&](ApiError e) {
                                 early = !returned;
                                 error = e;
                             }),
                             ApiError::make(ApiError::Kind::Config, u"no"_s));
        returned = true;
        QTRY_VERIFY(error.has_value());
        QVERIFY(!early);
        QCOMPARE(error->detail, u"no"_s);
    }

    void whatThePlatformDoesNotOfferSaysSo()
    {
        std::optional<ApiError> error;
        m_provider->cancelRun(u"c"_s, u"r"_s, this, [&](ApiError e) { error = e; });
        QTRY_VERIFY(error.has_value());
        QCOMPARE(error->kind, ApiError::Kind::Config);
        QCOMPARE(error->reason, Reason::NotOffered);

        const auto queue = wait<FollowUpQueue>([this](Provider::Done<FollowUpQueue> done) {
            return m_provider->fetchFollowUps(u"c"_s, this, std::move(done));
        });
        QVERIFY(queue && !queue->ok());
        QCOMPARE(queue->error().reason, Reason::NotOffered);
        QVERIFY(queue->error().message().contains(u"does not offer"_s));
    }
};

QTEST_GUILESS_MAIN(TestProviderBase)
#include "tst_provider_base.moc"
