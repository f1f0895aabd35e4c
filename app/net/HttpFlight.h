#pragma once

#include "net/HttpClient.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace parley {

// One request from the caller's point of view, across the redirects it follows: owns the
// callbacks, follows same-origin redirects itself (Qt 6.4's own redirect following re-sends
// requests and can finish with a bogus status 100 on keep-alive connections), enforces the
// body limit, maps the outcome to an HttpResponse and answers once, only while the
// context lives. Internal to the HTTP layer: use HttpClient and RequestHandle.
class HttpFlight : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRedirects = 10;

    HttpFlight(QNetworkAccessManager *nam, const Endpoint &endpoint, const HttpRequest &request,
               QNetworkRequest prototype, QObject *context, HttpClient::ChunkFn onChunk,
               HttpClient::DoneFn done, QObject *parent);
    ~HttpFlight() override;

    void start();
    void cancel();
    bool isRunning() const { return !m_completed; }

private:
    void send();
    // A request that is not idempotent, from a body Qt cannot rewind: never sent twice.
    QNetworkReply *sendOnce();
    void onReadyRead();
    void onProgress(qint64 received, qint64 total);
    void onFinished();
    bool followRedirect(QNetworkReply *reply, int status);
    HttpResponse outcome(QNetworkReply *reply);
    void complete(const HttpResponse &response);
    void stop(); // aborts the current reply; its finished() completes the flight

    QNetworkAccessManager *m_nam;
    QUrl m_origin; // the endpoint's base URL
    QNetworkRequest m_request;
    QByteArray m_method;
    QByteArray m_body;
    bool m_idempotent = true;
    qint64 m_maxBody = 0;
    QPointer<QObject> m_context;
    HttpClient::ChunkFn m_onChunk;
    HttpClient::DoneFn m_done;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_clock;
    QUrl m_firstUrl;
    int m_redirects = 0;
    bool m_streaming = false;
    bool m_contextGone = false; // its destroyed() was seen (QWidget emits it while QPointers
                                // to it are still set)
    bool m_canceled = false;
    bool m_tooLarge = false;
    bool m_completed = false;
    QString m_refusedRedirect; // the origin a refused redirect pointed to
    bool m_redirectLoop = false;
    QByteArray m_errorBody; // a streamed request's body when the status is an error
};

} // namespace parley
