#include "net/HttpFlight.h"

#include "core/Logging.h"
#include "net/ErrorBody.h"
#include "net/Redaction.h"
#include "net/TransportCode.h"

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <cstring>

namespace parley {

namespace {

constexpr qsizetype kMaxErrorBody = 64 * 1024;

// The body of a request that must not run twice, readable once. Qt sends a request again
// when its connection drops before the answer (even a POST the server may have carried
// out); it cannot rewind this device, so it reports ContentReSendError instead.
class OneShotBody final : public QIODevice
{
public:
    explicit OneShotBody(QByteArray data, QObject *parent)
        : QIODevice(parent)
        , m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override
    {
        return m_data.size() - m_pos + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = qMin(max, qint64(m_data.size()) - m_pos);
        if (n > 0)
            std::memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += qMax<qint64>(n, 0);
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// "https://host:port" of a URL, for messages: no user info, path or query.
QString originText(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

// Reads what is left of a reply; an aborted reply is closed and has nothing to give.
QByteArray rest(QNetworkReply *reply)
{
    return reply->isOpen() ? reply->readAll() : QByteArray();
}

ApiError networkError(const QString &detail, QLatin1String code, int status = 0)
{
    return ApiError::make(ApiError::Kind::Network, detail, status, code);
}

// The status line came, then the connection closed before the whole body (fewer bytes than
// Content-Length, or a chunked body without its end).
ApiError cutOff(const QString &host, int status)
{
    return ApiError::make(ApiError::Kind::BadResponse,
                          QStringLiteral("the answer from %1 was cut off").arg(host), status,
                          TransportCode::CutOff)
        .because(ApiError::Reason::CutOff);
}

ApiError transportError(QNetworkReply *reply, const QString &host, int status)
{
    switch (reply->error()) {
    case QNetworkReply::OperationCanceledError: // aborted by the transfer timeout
    case QNetworkReply::TimeoutError:
        // The kind already says "did not answer in time": the detail names the server.
        return ApiError::make(ApiError::Kind::Timeout, host);
    case QNetworkReply::SslHandshakeFailedError:
        return networkError(QStringLiteral("the secure connection to %1 could not be verified (%2)")
                                .arg(host, reply->errorString()),
                            TransportCode::Tls);
    case QNetworkReply::ContentReSendError: // a request that must not run twice (OneShotBody)
        // Qt wants to send it again when the connection closes mid-answer; with the status
        // line in, the request was carried out and its answer cut short, as for a read.
        if (status > 0 && !isRedirect(status))
            return cutOff(host, status);
        return networkError(
            QStringLiteral("the connection to %1 was lost after the request was sent; it was "
                           "not sent again")
                .arg(host),
            TransportCode::NotResent, status);
    case QNetworkReply::ConnectionRefusedError:
        return networkError(QStringLiteral("%1 refused the connection").arg(host),
                            TransportCode::ConnectionRefused);
    case QNetworkReply::RemoteHostClosedError:
        if (status > 0)
            return cutOff(host, status);
        return networkError(QStringLiteral("%1 closed the connection without answering").arg(host),
                            TransportCode::ConnectionClosed);
    case QNetworkReply::HostNotFoundError:
        return networkError(QStringLiteral("the host %1 was not found").arg(host),
                            TransportCode::HostNotFound);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return networkError(reply->errorString(), TransportCode::TemporaryFailure, status);
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
        return ApiError::make(
            ApiError::Kind::BadResponse,
            QStringLiteral("%1 broke the HTTP protocol (%2)").arg(host, reply->errorString()),
            status);
    default:
        return ApiError::make(ApiError::Kind::Network, reply->errorString(), status);
    }
}

} // namespace

HttpFlight::HttpFlight(QNetworkAccessManager *nam, const Endpoint &endpoint,
                       const HttpRequest &request, QNetworkRequest prototype, RetryPolicy policy,
                       QObject *context, HttpClient::ChunkFn onChunk, HttpClient::DoneFn done,
                       QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_origin(endpoint.baseUrl)
    , m_prototype(std::move(prototype))
    , m_firstMethod(request.method)
    , m_firstBody(request.body)
    , m_request(m_prototype)
    , m_method(m_firstMethod)
    , m_body(m_firstBody)
    , m_idempotent(request.idempotent)
    , m_expectJson(request.accept.trimmed().compare("application/json", Qt::CaseInsensitive) == 0)
    , m_maxBody(request.maxBodyBytes)
    , m_policy(std::move(policy))
    , m_retryTimer(new QTimer(this))
    , m_contextKey(context)
    , m_context(context)
    , m_onChunk(std::move(onChunk))
    , m_done(std::move(done))
    , m_firstUrl(m_request.url())
    , m_streaming(bool(m_onChunk))
{
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setTimerType(Qt::PreciseTimer); // a Retry-After is a lower bound
    connect(m_retryTimer, &QTimer::timeout, this, &HttpFlight::retryNow);
    // A caller that goes away cancels its request and hears nothing more.
    connect(context, &QObject::destroyed, this, [this] {
        m_contextGone = true;
        cancel();
    });
}

HttpFlight::~HttpFlight()
{
    // Only when the client itself goes away mid-request: nobody is told anything.
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpFlight::start()
{
    m_clock.start();
    send();
}

void HttpFlight::send()
{
    // A plain request's attempts share the policy's time: none waits past it.
    if (m_policy.giveUpAfterMs > 0 && !m_streaming && m_prototype.transferTimeout() > 0) {
        const qint64 left = qMax<qint64>(1, m_policy.giveUpAfterMs - m_clock.elapsed());
        m_request.setTransferTimeout(int(qMin<qint64>(m_prototype.transferTimeout(), left)));
    }
    qCDebug(lcNet).noquote() << m_method << Redaction::url(m_request.url());
    QNetworkReply *reply = nullptr;
    if (m_method == "GET")
        reply = m_nam->get(m_request);
    else if (m_method == "HEAD")
        reply = m_nam->head(m_request);
    else if (m_body.isEmpty() && m_method != "POST" && m_method != "PATCH" && m_method != "PUT")
        reply = m_nam->sendCustomRequest(m_request, m_method);
    else if (m_idempotent) // with a body, or with Content-Length: 0 where servers insist on one
        reply = m_nam->sendCustomRequest(m_request, m_method, m_body);
    else
        reply = sendOnce();
    m_reply = reply;
    m_errorBody.clear();

    connect(reply, &QNetworkReply::downloadProgress, this, &HttpFlight::onProgress);
    if (m_streaming)
        connect(reply, &QNetworkReply::readyRead, this, &HttpFlight::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &HttpFlight::onFinished);
}

QNetworkReply *HttpFlight::sendOnce()
{
    QNetworkRequest request = m_request;
    request.setHeader(QNetworkRequest::ContentLengthHeader, m_body.size());
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    auto *body = new OneShotBody(m_body, nullptr);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, m_method, body);
    body->setParent(reply);
    return reply;
}

void HttpFlight::cancel()
{
    if (m_completed)
        return;
    m_canceled = true;
    if (m_waiting) {
        endWait();
        if (!m_completed) {
            HttpResponse r;
            r.error = ApiError::make(ApiError::Kind::Canceled);
            complete(r);
        }
        return;
    }
    stop();
}

void HttpFlight::giveUp()
{
    if (!m_waiting || m_completed)
        return;
    endWait();
    if (!m_completed) {
        qCInfo(lcNet).noquote() << m_firstMethod << Redaction::url(m_firstUrl)
                                << "retry given up by the user";
        complete(m_lastFailure);
    }
}

void HttpFlight::endWait()
{
    m_retryTimer->stop();
    m_waiting = false;
    emit retryEnded();
}

HttpClient::PendingRetry HttpFlight::pendingRetry() const
{
    HttpClient::PendingRetry p;
    p.context = m_contextKey;
    p.remainingMs = m_waiting ? qMax(0, m_retryTimer->remainingTime()) : 0;
    p.retry = m_retries;
    p.maxRetries = m_policy.maxRetries;
    p.cause = m_lastFailure.error;
    return p;
}

void HttpFlight::finish(const HttpResponse &r)
{
    if (r.error && !m_canceled && !m_contextGone && m_context) {
        const RetryPolicy::Decision d =
            m_policy.decide(m_retries, r.error, m_idempotent, m_bodyDelivered,
                            m_streaming ? -1 : m_clock.elapsed());
        if (d) {
            scheduleRetry(r, d.delayMs);
            return;
        }
        if (d.tooLong) {
            qCInfo(lcNet).noquote()
                << m_firstMethod << Redaction::url(m_firstUrl)
                << "not retried: the server asks to wait" << r.error.retryAfterSeconds << "s";
        }
    }
    complete(r);
}

void HttpFlight::scheduleRetry(const HttpResponse &r, int delayMs)
{
    m_lastFailure = r;
    ++m_retries;
    m_waiting = true;
    qCInfo(lcNet).noquote() << m_firstMethod << Redaction::url(m_firstUrl) << "->" << r.status
                            << ApiError::kindName(r.error.kind) << "retry" << m_retries << "of"
                            << m_policy.maxRetries << "in" << delayMs << "ms";
    m_retryTimer->start(delayMs);
    emit retryScheduled((delayMs + 999) / 1000, r.error); // may cancel() right here
}

void HttpFlight::retryNow()
{
    if (!m_waiting || m_completed)
        return;
    m_retryTimer->stop();
    m_waiting = false;
    // Built again as first sent: same URL, headers and body, whatever redirects did.
    m_request = m_prototype;
    m_method = m_firstMethod;
    m_body = m_firstBody;
    m_redirects = 0;
    m_tooLarge = false;
    m_refusedRedirect.clear();
    m_redirectLoop = false;
    send();
    emit retryEnded(); // after send(): a cancel() from a slot aborts the new attempt
}

void HttpFlight::stop()
{
    if (m_reply && m_reply->isRunning())
        m_reply->abort(); // finished() follows synchronously
}

void HttpFlight::onProgress(qint64 received, qint64 total)
{
    if (m_maxBody > 0 && !m_tooLarge && (received > m_maxBody || total > m_maxBody)) {
        m_tooLarge = true;
        stop();
    }
}

void HttpFlight::onReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_tooLarge || m_completed)
        return;
    const int status = statusOf(reply);
    if (status >= 200 && status < 300) {
        const QByteArray chunk = reply->readAll();
        if (m_context && !m_contextGone && !chunk.isEmpty() && m_onChunk) {
            m_bodyDelivered = true;
            m_onChunk(chunk); // may cancel() and so complete the flight right here
        }
    } else if (status >= 400 && m_errorBody.size() < kMaxErrorBody) {
        m_errorBody += reply->read(kMaxErrorBody - m_errorBody.size());
    } else {
        reply->readAll(); // a redirect's body, or error text beyond what we keep
    }
}

void HttpFlight::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || sender() != reply)
        return;
    reply->deleteLater();
    m_reply = nullptr;
    const int status = statusOf(reply);
    // Qt rewinds the body on a 307/308 even when it follows no redirects; a OneShotBody
    // refuses, which is no error here: the redirect is followed with a fresh body below.
    const bool oneShotRedirect =
        reply->error() == QNetworkReply::ContentReSendError && (status == 307 || status == 308);
    if (!m_canceled && !m_tooLarge &&
        (reply->error() == QNetworkReply::NoError || oneShotRedirect) && isRedirect(status) &&
        followRedirect(reply, status))
        return;
    finish(outcome(reply));
}

bool HttpFlight::followRedirect(QNetworkReply *reply, int status)
{
    const QByteArray location = reply->rawHeader("Location");
    if (location.isEmpty())
        return false; // reported as an unusable redirect
    const QUrl target = reply->url().resolved(QUrl::fromEncoded(location));
    // Same scheme, host and port only: no https -> http downgrade, no other host, so the
    // key (and anything else in the request) never goes anywhere else.
    if (!target.isValid() || !HttpClient::sameOrigin(target, m_origin)) {
        m_refusedRedirect =
            target.host().isEmpty() ? QStringLiteral("an invalid address") : originText(target);
        qCWarning(lcNet).noquote() << "refused redirect from" << Redaction::url(reply->url())
                                   << "to" << Redaction::url(target);
        return false;
    }
    if (++m_redirects > kMaxRedirects) {
        m_redirectLoop = true;
        return false;
    }
    // 303, and 301/302 after a POST, continue as a GET without the body (what every HTTP
    // client does); 307/308 repeat the request as it was.
    if (status == 303 || ((status == 301 || status == 302) && m_method == "POST")) {
        if (m_method != "HEAD")
            m_method = "GET";
        m_body.clear();
        m_request.setHeader(QNetworkRequest::ContentTypeHeader, QVariant());
    }
    m_request.setUrl(target.adjusted(QUrl::RemoveFragment));
    m_tooLarge = false;
    send();
    return true;
}

HttpResponse HttpFlight::outcome(QNetworkReply *reply)
{
    HttpResponse r;
    r.status = statusOf(reply);
    r.url = reply->url();
    r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    for (const auto &pair : reply->rawHeaderPairs())
        r.headers.append(pair);
    if (!m_streaming && !m_tooLarge)
        r.body = rest(reply);
    else if (m_streaming && r.status >= 400)
        r.body = m_errorBody + rest(reply).left(kMaxErrorBody - m_errorBody.size());

    const QString host = m_origin.host();
    if (m_canceled) {
        r.body.clear();
        r.error = ApiError::make(ApiError::Kind::Canceled);
    } else if (!m_refusedRedirect.isEmpty()) {
        r.body.clear();
        r.error = ApiError::make(
            ApiError::Kind::Config,
            QStringLiteral("the server redirected to %1, outside %2; the request was "
                           "stopped there and the key was not sent")
                .arg(m_refusedRedirect, originText(m_origin)),
            r.status);
    } else if (m_redirectLoop) {
        r.body.clear();
        r.error =
            ApiError::make(ApiError::Kind::BadResponse,
                           QStringLiteral("%1 redirected more than %2 times (a redirect loop)")
                               .arg(host)
                               .arg(kMaxRedirects),
                           r.status);
    } else if (m_tooLarge) {
        r.body.clear();
        r.error = ApiError::make(
            ApiError::Kind::BadResponse,
            m_maxBody >= 1024 * 1024
                ? QStringLiteral("the response is larger than the %1 MB Parley accepts")
                      .arg(m_maxBody / (1024 * 1024))
                : QStringLiteral("the response is larger than the %1 bytes Parley accepts")
                      .arg(m_maxBody),
            r.status);
    } else if (r.status >= 400) {
        r.error = ApiError::make(ApiError::kindForStatus(r.status), {}, r.status);
        ErrorBody::describe(r.error, r.body, r.contentType);
        if (r.status == 429 || r.status == 503) {
            r.error.retryAfterSeconds = ErrorBody::retryAfterSeconds(
                reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
        }
    } else if (reply->error() != QNetworkReply::NoError) {
        r.error = transportError(reply, host, r.status);
        r.body.clear(); // a part of an answer is no answer
    } else if (r.status < 200) {
        r.error =
            ApiError::make(ApiError::Kind::BadResponse,
                           QStringLiteral("%1 sent no final HTTP status").arg(host), r.status);
    } else if (r.status >= 300) {
        r.error = ApiError::make(ApiError::Kind::BadResponse,
                                 QStringLiteral("unexpected redirect without a usable location"),
                                 r.status);
    } else if (m_expectJson && !m_streaming && !r.contentType.isEmpty() &&
               !HttpResponse::isJsonType(r.contentType) && !r.body.trimmed().isEmpty()) {
        r.error = ApiError::make(
            ApiError::Kind::BadResponse,
            QStringLiteral("%1 answered with %2 where JSON was expected")
                .arg(host, QString::fromLatin1(HttpResponse::mediaType(r.contentType).left(80))),
            r.status, TransportCode::NotJson);
    }
    return r;
}

void HttpFlight::complete(const HttpResponse &r)
{
    m_completed = true;
    const qint64 ms = m_clock.elapsed();
    const QString url = Redaction::url(m_firstUrl);
    const QString retries =
        m_retries > 0 ? QStringLiteral(" after %1 retries").arg(m_retries) : QString();
    if (r.error && r.error.kind != ApiError::Kind::Canceled)
        qCInfo(lcNet).noquote() << m_method << url << "->" << r.status
                                << ApiError::kindName(r.error.kind) << "in" << ms
                                << QStringLiteral("ms") + retries;
    else
        qCDebug(lcNet).noquote() << m_method << url << "->" << r.status
                                 << (r.error ? "canceled" : "") << "in" << ms
                                 << QStringLiteral("ms") + retries;
    deleteLater();
    // The callbacks stay until the flight is deleted: this may run inside m_onChunk (a
    // cancel() from a chunk callback), which must not be destroyed while it runs.
    if (m_context && !m_contextGone && m_done) {
        const HttpClient::DoneFn done = std::exchange(m_done, nullptr);
        done(r);
    }
}

} // namespace parley
