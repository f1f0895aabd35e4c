#include "net/HttpClient.h"

#include "core/Logging.h"
#include "net/HttpFlight.h"
#include "net/Redaction.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace parley {

namespace {

// Characters left as they are in a request path; everything else ('?', '#', '%', spaces,
// non-ASCII) is data and gets percent-encoded.
constexpr char kPathSafe[] = "/:@!$&'()*+,;=~";

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

ApiError configError(const QString &text)
{
    return ApiError::make(ApiError::Kind::Config, text);
}

// "https://host:port" of a URL, for messages: no user info, path or query.
QString originText(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

QString encoded(const QString &text, const QByteArray &safe = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, safe));
}

} // namespace

RequestHandle::RequestHandle(QNetworkReply *reply)
    : m_target(reply)
{}

RequestHandle::RequestHandle(HttpFlight *flight)
    : m_target(flight)
{}

void RequestHandle::cancel()
{
    if (auto *flight = qobject_cast<HttpFlight *>(m_target.data()))
        flight->cancel();
    else if (auto *reply = qobject_cast<QNetworkReply *>(m_target.data());
             reply && reply->isRunning())
        reply->abort();
}

bool RequestHandle::isRunning() const
{
    if (auto *flight = qobject_cast<HttpFlight *>(m_target.data()))
        return flight->isRunning();
    auto *reply = qobject_cast<QNetworkReply *>(m_target.data());
    return reply && reply->isRunning();
}

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    // Redirects are followed by HttpFlight, which checks each target before anything is
    // sent there (and avoids Qt 6.4's own redirect handling, see HttpFlight.h).
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
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
                                 .arg(base.toDisplayString(QUrl::RemoveUserInfo)));
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
    if (request.path.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
        request.path.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)) {
        // A link the server gave (DRF `next`): already encoded, must stay on the origin.
        url = QUrl(request.path, QUrl::StrictMode);
        if (!url.isValid() || !sameOrigin(url, base)) {
            *error = configError(
                QStringLiteral("the server pointed to %1, outside %2")
                    .arg(url.isValid() ? originText(url) : QStringLiteral("an invalid address"),
                         originText(base)));
            return {};
        }
        url = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    } else {
        // The path is text: '?', '#', '%' and spaces in it are data, not URL syntax.
        QString path = encoded(request.path, kPathSafe);
        QString basePath = base.path(QUrl::FullyEncoded);
        if (!path.isEmpty()) {
            while (basePath.endsWith(QLatin1Char('/')))
                basePath.chop(1);
            if (!path.startsWith(QLatin1Char('/')))
                path.prepend(QLatin1Char('/'));
            basePath += path;
        }
        url = base.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
        url.setPath(basePath, QUrl::StrictMode);
    }
    // Query items are text too: '&', '=', '+', '%' and '#' in them are encoded, so that a
    // server decoding forms ('+' = space) reads exactly what was given.
    const auto items = request.query.queryItems(QUrl::FullyDecoded);
    if (!items.isEmpty()) {
        QString query = url.query(QUrl::FullyEncoded);
        for (const auto &[key, value] : items) {
            if (!query.isEmpty())
                query += QLatin1Char('&');
            query += encoded(key) + QLatin1Char('=') + encoded(value);
        }
        url.setQuery(query, QUrl::StrictMode);
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
    req.setTransferTimeout(m_timeoutLimitMs > 0 && request.timeoutMs > 0
                               ? qMin(request.timeoutMs, m_timeoutLimitMs)
                               : request.timeoutMs);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    req.setHeader(QNetworkRequest::UserAgentHeader,
                  QByteArray("Parley/" PARLEY_VERSION " (+" PARLEY_APP_ID ")"));
    if (!request.accept.isEmpty())
        req.setRawHeader("Accept", request.accept);
    if (!request.contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    for (const auto &[name, value] : request.headers)
        req.setRawHeader(name, value);
    // No cookies: a key is the only credential, and two workspaces on one host must not
    // share a session through the process-wide cookie jar.
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!endpoint.authHeader.isEmpty() && !endpoint.secret.isEmpty() &&
        sameOrigin(url, endpoint.baseUrl))
        req.setRawHeader(endpoint.authHeader, endpoint.authPrefix + endpoint.secret);

    auto *flight =
        new HttpFlight(m_nam, endpoint, request, req, request.retry.value_or(m_retryPolicy),
                       context, std::move(onChunk), std::move(done), this);
    connect(flight, &HttpFlight::retryScheduled, this,
            [this, context](int seconds, const ApiError &cause) {
                emit retryScheduled(context, seconds, cause);
            });
    connect(flight, &HttpFlight::retryEnded, this, [this, context] { emit retryEnded(context); });
    flight->start();
    return RequestHandle(flight);
}

QList<HttpClient::PendingRetry> HttpClient::pendingRetries() const
{
    QList<PendingRetry> list;
    const auto flights = findChildren<HttpFlight *>(Qt::FindDirectChildrenOnly);
    for (const HttpFlight *flight : flights) {
        if (flight->isWaiting())
            list.append(flight->pendingRetry());
    }
    return list;
}

void HttpClient::cancelRetries(QObject *context)
{
    QList<QPointer<HttpFlight>> waiting;
    const auto flights = findChildren<HttpFlight *>(Qt::FindDirectChildrenOnly);
    for (HttpFlight *flight : flights) {
        if (flight->isWaiting() && (!context || flight->contextKey() == context))
            waiting.append(flight);
    }
    // The callback of one may end others or start new ones: each is looked at in its turn.
    for (const QPointer<HttpFlight> &flight : std::as_const(waiting)) {
        if (flight && flight->isWaiting())
            flight->giveUp();
    }
}

} // namespace parley
