#pragma once

#include "net/Endpoint.h"
#include "net/HttpRequest.h"
#include "net/HttpResponse.h"
#include "net/RetryPolicy.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace parley {

class HttpFlight;

// A running request; cancel() ends it and its callback reports Kind::Canceled (synchronously,
// from inside cancel()) or, when its context object is gone, nothing at all. Cheap to copy;
// empty when nothing runs (also for a request refused before sending).
class RequestHandle
{
public:
    RequestHandle() = default;
    explicit RequestHandle(QNetworkReply *reply); // a bare reply: cancel() aborts it
    void cancel();
    bool isRunning() const;

private:
    friend class HttpClient;
    explicit RequestHandle(HttpFlight *flight);
    QPointer<QObject> m_target; // an HttpFlight, or a QNetworkReply
};

// The one QNetworkAccessManager of the process and everything every request needs:
// base URL resolution, auth injection (only on the endpoint's own origin), plain http
// refused except to loopback, transfer timeouts, a body size limit, error mapping,
// redacted logging under parley.net, no cookies. Callbacks run on the client's thread and
// are dropped once their context object is being destroyed (the request is canceled then).
// Redirects are followed only within the endpoint's origin (scheme, host and port); any
// other target stops the request with a Config error before anything is sent there.
//
// Failed idempotent requests are sent again as the RetryPolicy says (the client's, or the
// request's own): rebuilt as they were first sent, after a wait on a timer that
// RequestHandle::cancel() and cancelRetries() end at once. The callback runs once, with the
// last attempt's outcome. While a retry waits, retryScheduled/retryEnded tell the UI.
// A 2xx answer to a request that accepts only JSON must declare JSON (or no type at all);
// anything else is BadResponse. A body cut short of its Content-Length is BadResponse too.
class HttpClient : public QObject
{
    Q_OBJECT
public:
    using DoneFn = std::function<void(const HttpResponse &)>;
    using ChunkFn = std::function<void(const QByteArray &chunk)>;

    // A request waiting to be sent again.
    struct PendingRetry
    {
        QObject *context = nullptr; // the caller's context object, as a key
        qint64 remainingMs = 0;
        int retry = 0; // 1 for the first retry
        int maxRetries = 0;
        ApiError cause; // what the last attempt ended with
    };

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    RequestHandle send(const Endpoint &endpoint, const HttpRequest &request, QObject *context,
                       DoneFn done);
    // For SSE/NDJSON: `onChunk` gets each piece of the body as it arrives (only for 2xx
    // responses); `done` runs once at the end with an empty body.
    RequestHandle stream(const Endpoint &endpoint, const HttpRequest &request, QObject *context,
                         ChunkFn onChunk, DoneFn done);

    // The full URL a request would go to, or a Config error (bad base URL, plain http to a
    // non-loopback host, absolute path on another origin).
    static QUrl resolve(const Endpoint &endpoint, const HttpRequest &request, ApiError *error);
    static bool isLoopback(const QUrl &url);
    static bool sameOrigin(const QUrl &a, const QUrl &b);

    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    // The policy for requests that bring none of their own (default: RetryPolicy{}).
    void setRetryPolicy(RetryPolicy policy) { m_retryPolicy = std::move(policy); }
    const RetryPolicy &retryPolicy() const { return m_retryPolicy; }

    // The longest any request waits for bytes, whatever it asks for (0 = each request's own
    // timeout). For scripts that must not wait long (parley-cli --request-timeout) and tests.
    void setTimeoutLimitMs(int ms) { m_timeoutLimitMs = qMax(0, ms); }
    int timeoutLimitMs() const { return m_timeoutLimitMs; }

    QList<PendingRetry> pendingRetries() const;
    // Ends the waiting requests of `context` (nullptr: all of them) at once, each with the
    // error of its last attempt. Requests on the wire are left alone.
    void cancelRetries(QObject *context = nullptr);

signals:
    // A request of `context` failed with `cause` and goes out again in `seconds` (rounded
    // up). `context` is a key only: it may be on its way out when retryEnded() arrives.
    void retryScheduled(QObject *context, int seconds, const parley::ApiError &cause);
    // That wait is over: the request went out again, or was canceled or given up.
    void retryEnded(QObject *context);

private:
    RequestHandle start(const Endpoint &endpoint, const HttpRequest &request, QObject *context,
                        ChunkFn onChunk, DoneFn done);
    QNetworkAccessManager *m_nam;
    RetryPolicy m_retryPolicy;
    int m_timeoutLimitMs = 0;
};

} // namespace parley
