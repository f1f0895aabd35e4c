#pragma once

#include "net/HttpClient.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace parley {

// One request from the caller's point of view, across the redirects it follows and the
// retries its policy allows: owns the callbacks, follows same-origin redirects itself (Qt
// 6.4's own redirect following re-sends requests and can finish with a bogus status 100 on
// keep-alive connections), enforces the body limit, maps the outcome to an HttpResponse,
// waits and sends the request again as first built when the policy says so, and answers
// once, only while the context lives. Internal to the HTTP layer: use HttpClient and
// RequestHandle.
class HttpFlight : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRedirects = 10;

    HttpFlight(QNetworkAccessManager *nam, const Endpoint &endpoint, const HttpRequest &request,
               QNetworkRequest prototype, RetryPolicy policy, QObject *context,
               HttpClient::ChunkFn onChunk, HttpClient::DoneFn done, QObject *parent);
    ~HttpFlight() override;

    void start();
    void cancel(); // ends with Canceled, on the wire or waiting to retry
    void giveUp(); // while waiting to retry: ends with the last attempt's error
    bool isRunning() const { return !m_completed; }
    bool isWaiting() const { return m_waiting; }
    QObject *contextKey() const { return m_contextKey; }
    HttpClient::PendingRetry pendingRetry() const;

signals:
    void retryScheduled(int seconds, const parley::ApiError &cause);
    void retryEnded();

private:
    void send();
    void finish(const HttpResponse &response); // retries or completes
    void scheduleRetry(const HttpResponse &response, int delayMs);
    void retryNow();
    void endWait();
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
    QUrl m_origin;                     // the endpoint's base URL
    const QNetworkRequest m_prototype; // as first built: each retry starts from it again
    const QByteArray m_firstMethod;
    const QByteArray m_firstBody;
    QNetworkRequest m_request; // the current hop (a redirect changes it)
    QByteArray m_method;
    QByteArray m_body;
    bool m_idempotent = true;
    bool m_expectJson = false; // the request accepts only JSON
    qint64 m_maxBody = 0;
    RetryPolicy m_policy;
    int m_retries = 0;            // retries sent so far
    bool m_waiting = false;       // a retry waits on m_retryTimer
    bool m_bodyDelivered = false; // a stream handed part of its body to the caller
    QTimer *m_retryTimer = nullptr;
    HttpResponse m_lastFailure; // while waiting
    QObject *m_contextKey;      // for the client's signals only, never dereferenced
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
