#include "net/HttpRequest.h"

namespace parley {

HttpRequest HttpRequest::get(QString path)
{
    HttpRequest r;
    r.path = std::move(path);
    return r;
}

HttpRequest HttpRequest::post(QString path, const QJsonDocument &json)
{
    HttpRequest r;
    r.method = "POST";
    r.path = std::move(path);
    r.body = json.toJson(QJsonDocument::Compact);
    r.contentType = "application/json";
    r.idempotent = false;
    return r;
}

HttpRequest HttpRequest::patch(QString path, const QJsonDocument &json)
{
    HttpRequest r;
    r.method = "PATCH";
    r.path = std::move(path);
    if (!json.isNull()) {
        r.body = json.toJson(QJsonDocument::Compact);
        r.contentType = "application/json";
    }
    r.idempotent = false;
    return r;
}

HttpRequest HttpRequest::del(QString path)
{
    HttpRequest r;
    r.method = "DELETE";
    r.path = std::move(path);
    r.idempotent = false; // deleting twice is not the same as once for the person watching
    return r;
}

HttpRequest &HttpRequest::withQuery(const QString &key, const QString &value)
{
    // Stored encoded: QUrlQuery would otherwise read "%41" in a value as an escaped 'A'.
    query.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(key)),
                       QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return *this;
}

HttpRequest &HttpRequest::withHeader(QByteArray name, QByteArray value)
{
    headers.append({std::move(name), std::move(value)});
    return *this;
}

HttpRequest &HttpRequest::withTimeout(int ms)
{
    timeoutMs = ms;
    return *this;
}

HttpRequest &HttpRequest::withAccept(QByteArray value)
{
    accept = std::move(value);
    return *this;
}

HttpRequest &HttpRequest::withRetry(RetryPolicy policy)
{
    retry = std::move(policy);
    return *this;
}

} // namespace parley
