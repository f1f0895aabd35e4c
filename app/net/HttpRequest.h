#pragma once

#include "net/RetryPolicy.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace parley {

// A request relative to an Endpoint, built fluently:
//   HttpRequest::get(u"/api/projects/%1/conversations/"_s.arg(id)).query("limit", 50)
struct HttpRequest
{
    QByteArray method = "GET";
    QString path;    // text appended to the endpoint's base path ('?', '#', '%', spaces are
                     // encoded as data); or an absolute, encoded URL on the same origin (DRF
                     // `next` links), checked by the client
    QUrlQuery query; // fill with withQuery(); read back with queryItems(QUrl::FullyDecoded)
    QByteArray body;
    QByteArray contentType;
    QByteArray accept = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 30000;            // transfer timeout: no bytes for this long = Timeout
    qint64 maxBodyBytes = 64ll << 20; // larger bodies are refused as BadResponse
    bool idempotent = true;           // false for writes: never sent twice, never retried
    std::optional<RetryPolicy> retry; // instead of the client's policy (disabled() = no retries)

    static HttpRequest get(QString path);
    static HttpRequest post(QString path, const QJsonDocument &json);
    static HttpRequest patch(QString path, const QJsonDocument &json = {});
    static HttpRequest del(QString path);

    // Key and value are literal text: '&', '=', '+', '%' and '#' reach the server as data.
    HttpRequest &withQuery(const QString &key, const QString &value);
    HttpRequest &withHeader(QByteArray name, QByteArray value);
    HttpRequest &withTimeout(int ms);
    HttpRequest &withAccept(QByteArray accept);
    HttpRequest &withRetry(RetryPolicy policy);
};

} // namespace parley
