#include "net/HttpClient.h"

#include "core/Logging.h"
#include "net/ErrorBody.h"
#include "net/Redaction.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <memory>

namespace parley {

namespace {

constexpr const char *kCanceledProperty = "parley_canceled";

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

ApiError configError(const QString &text)
{
    return ApiError::make(ApiError::Kind::Config, text);
}

// Per-request bookkeeping shared by the reply's handlers.
struct Flight
{
    QUrl origin; // the endpoint's base URL
    QPointer<QObject> context;
    HttpClient::ChunkFn onChunk;
    HttpClient::DoneFn done;
    qint64 maxBody = 0;
    bool streaming = false;
    bool tooLarge = false;
    QString refusedRedirect; // where a refused redirect pointed
    QByteArray errorBody;    // a streamed request's body when the status is an error
    QElapsedTimer clock;
    QByteArray method;
};

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

HttpResponse finish(QNetworkReply *reply, Flight &f)
{
    HttpResponse r;
    r.status = statusOf(reply);
    r.url = reply->url();
    r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    for (const auto &pair : reply->rawHeaderPairs())
        r.headers.append(pair);
    if (!f.streaming && !f.tooLarge)
        r.body = reply->readAll();
    else if (f.streaming && r.status >= 400)
        r.body = f.errorBody + reply->readAll();

    const QString host = f.origin.host();
    if (reply->property(kCanceledProperty).toBool()) {
        r.error = ApiError::make(ApiError::Kind::Canceled);
    } else if (!f.refusedRedirect.isEmpty()) {
        r.error = ApiError::make(
            ApiError::Kind::Config,
            QStringLiteral("the server redirected to %1, which is not %2; the request was "
                           "stopped and the key was not sent there")
                .arg(f.refusedRedirect, host),
            r.status);
    } else if (f.tooLarge) {
        r.body.clear();
        r.error = ApiError::make(ApiError::Kind::BadResponse,
                                 QStringLiteral("the response is larger than the %1 MB Parley "
                                                "accepts")
                                     .arg(f.maxBody / (1024 * 1024)),
                                 r.status);
    } else if (r.status >= 400) {
        r.error = ApiError::make(ApiError::kindForStatus(r.status), {}, r.status);
        ErrorBody::describe(r.error, r.body, r.contentType);
        if (r.status == 429 || r.status == 503) {
            r.error.retryAfterSeconds = ErrorBody::retryAfterSeconds(
                reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
        }
    } else if (reply->error() != QNetworkReply::NoError) {
        switch (reply->error()) {
        case QNetworkReply::OperationCanceledError: // aborted by the transfer timeout
        case QNetworkReply::TimeoutError:
            r.error = ApiError::make(ApiError::Kind::Timeout,
                                     QStringLiteral("no answer from %1 in time").arg(host));
            break;
        case QNetworkReply::SslHandshakeFailedError:
            r.error = ApiError::make(ApiError::Kind::Network,
                                     QStringLiteral("the secure connection to %1 could not be "
                                                    "verified (%2)")
                                         .arg(host, reply->errorString()));
            break;
        case QNetworkReply::ProtocolInvalidOperationError:
        case QNetworkReply::ProtocolFailure:
            r.error = ApiError::make(
                ApiError::Kind::BadResponse,
                QStringLiteral("%1 broke the HTTP protocol (%2)").arg(host, reply->errorString()),
                r.status);
            break;
        default:
            r.error = ApiError::make(ApiError::Kind::Network, reply->errorString(), r.status);
            break;
        }
    } else if (r.status == 0) {
        r.error = ApiError::make(ApiError::Kind::BadResponse,
                                 QStringLiteral("%1 sent no HTTP status").arg(host));
    } else if (r.status >= 300) {
        r.error = ApiError::make(ApiError::Kind::BadResponse,
                                 QStringLiteral("unexpected redirect without a usable location"),
                                 r.status);
    }
    return r;
}

} // namespace

RequestHandle::RequestHandle(QNetworkReply *reply)
    : m_reply(reply)
{}

void RequestHandle::cancel()
{
    if (m_reply && m_reply->isRunning()) {
        m_reply->setProperty(kCanceledProperty, true);
        m_reply->abort();
    }
}

bool RequestHandle::isRunning() const
{
    return m_reply && m_reply->isRunning();
}

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::UserVerifiedRedirectPolicy);
}

HttpClient::~HttpClient() = default;

bool HttpClient::isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool HttpClient::sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && defaultPort(a) == defaultPort(b);
}

QUrl HttpClient::resolve(const Endpoint &endpoint, const HttpRequest &request, ApiError *error)
{
    const QUrl &base = endpoint.baseUrl;
    const QString scheme = base.scheme().toLower();
    if (!base.isValid() || base.isRelative() || base.host().isEmpty()) {
        *error = configError(QStringLiteral("the base URL “%1” is not a full address such as "
                                            "https://api.example.com")
                                 .arg(base.toString()));
        return {};
    }
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http")) {
        *error =
            configError(QStringLiteral("the base URL must start with https:// (it starts with %1:)")
                            .arg(scheme));
        return {};
    }
    if (scheme == QLatin1String("http") && !isLoopback(base)) {
        *error = configError(QStringLiteral("plain http is allowed only to this computer "
                                            "(loopback); use https:// for %1")
                                 .arg(base.host()));
        return {};
    }

    QUrl url;
    if (request.path.startsWith(QLatin1String("http://")) ||
        request.path.startsWith(QLatin1String("https://"))) {
        url = QUrl(request.path);
        if (!url.isValid() || !sameOrigin(url, base)) {
            *error = configError(QStringLiteral("the server pointed to %1, which is not %2")
                                     .arg(url.host(), base.host()));
            return {};
        }
    } else {
        url = base;
        QString basePath = base.path(QUrl::FullyEncoded);
        while (basePath.endsWith(QLatin1Char('/')))
            basePath.chop(1);
        QString path = request.path;
        if (!path.isEmpty() && !path.startsWith(QLatin1Char('/')))
            path.prepend(QLatin1Char('/'));
        url.setPath(basePath + path, QUrl::TolerantMode);
        url.setQuery(QString());
        url.setFragment(QString());
    }
    if (!request.query.isEmpty()) {
        QUrlQuery q(url);
        for (const auto &[key, value] : request.query.queryItems(QUrl::FullyEncoded))
            q.addQueryItem(key, value);
        url.setQuery(q);
    }
    return url;
}

RequestHandle HttpClient::send(const Endpoint &endpoint, const HttpRequest &request,
                               QObject *context, DoneFn done)
{
    return start(endpoint, request, context, nullptr, std::move(done));
}

RequestHandle HttpClient::stream(const Endpoint &endpoint, const HttpRequest &request,
                                 QObject *context, ChunkFn onChunk, DoneFn done)
{
    return start(endpoint, request, context, std::move(onChunk), std::move(done));
}

RequestHandle HttpClient::start(const Endpoint &endpoint, const HttpRequest &request,
                                QObject *context, ChunkFn onChunk, DoneFn done)
{
    Q_ASSERT(context);
    ApiError error;
    const QUrl url = resolve(endpoint, request, &error);
    if (error) {
        qCInfo(lcNet).noquote() << request.method << "refused:" << error.detail;
        HttpResponse r;
        r.error = error;
        // Answer asynchronously like every other outcome.
        QTimer::singleShot(0, context, [done = std::move(done), r] { done(r); });
        return {};
    }

    QNetworkRequest req(url);
    req.setTransferTimeout(request.timeoutMs);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::UserVerifiedRedirectPolicy);
    req.setHeader(QNetworkRequest::UserAgentHeader,
                  QByteArray("Parley/" PARLEY_VERSION " (+" PARLEY_APP_ID ")"));
    if (!request.accept.isEmpty())
        req.setRawHeader("Accept", request.accept);
    if (!request.contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    for (const auto &[name, value] : request.headers)
        req.setRawHeader(name, value);
    if (!endpoint.authHeader.isEmpty() && !endpoint.secret.isEmpty()
        && sameOrigin(url, endpoint.baseUrl))
        req.setRawHeader(endpoint.authHeader, endpoint.authPrefix + endpoint.secret);

    QNetworkReply *reply = nullptr;
    if (request.method == "GET")
        reply = m_nam->get(req);
    else if (request.body.isEmpty() && request.method != "POST" && request.method != "PATCH")
        reply = m_nam->sendCustomRequest(req, request.method);
    else
        reply = m_nam->sendCustomRequest(req, request.method, request.body);

    auto flight = std::make_shared<Flight>();
    flight->origin = endpoint.baseUrl;
    flight->context = context;
    flight->onChunk = std::move(onChunk);
    flight->done = std::move(done);
    flight->maxBody = request.maxBodyBytes;
    flight->streaming = bool(flight->onChunk);
    flight->method = request.method;
    flight->clock.start();

    qCDebug(lcNet).noquote() << request.method << Redaction::url(url);

    connect(reply, &QNetworkReply::redirected, reply, [reply, flight](const QUrl &target) {
        const bool downgrade = flight->origin.scheme() == QLatin1String("https") &&
                               target.scheme() != QLatin1String("https");
        if (sameOrigin(target, flight->origin) && !downgrade) {
            emit reply->redirectAllowed();
            return;
        }
        flight->refusedRedirect = target.host().isEmpty() ? target.toString() : target.host();
        qCWarning(lcNet).noquote() << "refused redirect to" << Redaction::url(target);
        reply->abort();
    });
    connect(reply, &QNetworkReply::downloadProgress, reply,
            [reply, flight](qint64 received, qint64 total) {
                if (flight->maxBody > 0 &&
                    (received > flight->maxBody || total > flight->maxBody) && !flight->tooLarge) {
                    flight->tooLarge = true;
                    reply->abort();
                }
            });
    if (flight->streaming) {
        connect(reply, &QNetworkReply::readyRead, reply, [reply, flight] {
            if (flight->tooLarge)
                return;
            const int status = statusOf(reply);
            if (status >= 200 && status < 300) {
                const QByteArray chunk = reply->readAll();
                if (flight->context && !chunk.isEmpty())
                    flight->onChunk(chunk);
            } else if (flight->errorBody.size() < 64 * 1024) {
                flight->errorBody += reply->read(64 * 1024 - flight->errorBody.size());
            } else {
                reply->readAll();
            }
        });
    }
    // Finished: always clean up the reply; answer only while the context lives.
    connect(reply, &QNetworkReply::finished, reply, [reply, flight] {
        reply->deleteLater();
        HttpResponse r = finish(reply, *flight);
        const qint64 ms = flight->clock.elapsed();
        if (r.error && r.error.kind != ApiError::Kind::Canceled)
            qCInfo(lcNet).noquote()
                << flight->method << Redaction::url(reply->url()) << "->" << r.status
                << ApiError::kindName(r.error.kind) << "in" << ms << "ms";
        else
            qCDebug(lcNet).noquote() << flight->method << Redaction::url(reply->url()) << "->"
                                     << r.status << "in" << ms << "ms";
        if (flight->context) {
            auto callback = std::move(flight->done);
            flight->onChunk = nullptr;
            callback(r);
        }
    });
    // A caller that goes away cancels its request.
    connect(context, &QObject::destroyed, reply, [reply] {
        if (reply->isRunning()) {
            reply->setProperty(kCanceledProperty, true);
            reply->abort();
        }
    });
    return RequestHandle(reply);
}

} // namespace parley
