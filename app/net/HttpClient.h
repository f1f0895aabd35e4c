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

// A running request; cancel() ends it and its callback reports Kind::Canceled... or,
// when its context object is gone, nothing at all. Cheap to copy; empty when nothing runs.
class RequestHandle
{
public:
    RequestHandle() = default;
    explicit RequestHandle(QNetworkReply *reply);
    void cancel();
    bool isRunning() const;

private:
    QPointer<QNetworkReply> m_reply;
};

// The one QNetworkAccessManager of the process and everything every request needs:
// base URL resolution, auth injection (only on the endpoint's own origin), plain http
// refused except to loopback, transfer timeouts, a body size limit, error mapping,
// redacted logging under parley.net. Callbacks run on the client's thread and are
// dropped when their context object has been destroyed.
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
