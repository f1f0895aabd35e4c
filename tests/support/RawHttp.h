#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrl>

namespace parley::test {

using Query = QList<QPair<QString, QString>>;

// What the server answered to one raw request.
struct RawAnswer
{
    int status = 0; // 0 when no answer came
    QByteArray body;
    QByteArray contentType;
    QJsonObject json; // the body, when it is a JSON object
    QByteArray header(const QByteArray &name) const;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// `base` with `path` appended and `query` set.
QUrl urlWith(QUrl base, const QString &path, const Query &query = {});

// A bare QNetworkAccessManager, for the wire details of an emulation (the requests a
// provider would never make). Waits (tests only) up to 10 s for each answer.
class RawHttp
{
public:
    // `auth` goes into `authHeader` unless empty.
    RawAnswer get(const QUrl &url, const QByteArray &auth = {},
                  const QByteArray &authHeader = "Authorization");
    RawAnswer send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                   const QList<QPair<QByteArray, QByteArray>> &headers);

private:
    QNetworkAccessManager m_nam;
};

} // namespace parley::test
