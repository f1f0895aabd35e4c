#pragma once

#include "net/Endpoint.h"
#include "net/HttpRequest.h"
#include "net/HttpResponse.h"

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
class HttpClient : public QObject
{
    Q_OBJECT
public:
    using DoneFn = std::function<void(const HttpResponse &)>;
    using ChunkFn = std::function<void(const QByteArray &chunk)>;

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

private:
    RequestHandle start(const Endpoint &endpoint, const HttpRequest &request, QObject *context,
                        ChunkFn onChunk, DoneFn done);
    QNetworkAccessManager *m_nam;
};

} // namespace parley
