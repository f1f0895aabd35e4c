#include "support/RawHttp.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrlQuery>

namespace parley::test {

QByteArray RawAnswer::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QUrl urlWith(QUrl base, const QString &path, const Query &query)
{
    base.setPath(base.path() + path);
    QUrlQuery q;
    for (const auto &[k, v] : query)
        q.addQueryItem(k, v);
    if (!q.isEmpty())
        base.setQuery(q);
    return base;
}

RawAnswer RawHttp::get(const QUrl &url, const QByteArray &auth, const QByteArray &authHeader)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!auth.isEmpty())
        headers.append({authHeader, auth});
    return send("GET", url, {}, headers);
}

RawAnswer RawHttp::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QBuffer *data = nullptr;
    if (!body.isNull()) {
        data = new QBuffer;
        data->setData(body);
        data->open(QIODevice::ReadOnly);
    }
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, data);
    if (data)
        data->setParent(reply);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        (void)finished.wait(10000); // no answer: status 0 says so
    RawAnswer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    a.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    a.json = QJsonDocument::fromJson(a.body).object();
    for (const auto &pair : reply->rawHeaderPairs())
        a.headers.append(pair);
    reply->deleteLater();
    return a;
}

} // namespace parley::test
