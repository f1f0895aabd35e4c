#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

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
    bool idempotent = true;           // GET/HEAD/PUT/DELETE; the retry policy uses it

    static HttpRequest get(QString path);
    static HttpRequest post(QString path, const QJsonDocument &json);
    static HttpRequest patch(QString path, const QJsonDocument &json = {});
    static HttpRequest del(QString path);

    // Key and value are literal text: '&', '=', '+', '%' and '#' reach the server as data.
    HttpRequest &withQuery(const QString &key, const QString &value);
    HttpRequest &withHeader(QByteArray name, QByteArray value);
    HttpRequest &withTimeout(int ms);
    HttpRequest &withAccept(QByteArray accept);
};

} // namespace parley
