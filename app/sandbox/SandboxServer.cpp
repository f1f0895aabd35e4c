#include "sandbox/SandboxServer.h"

#include "core/Logging.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace parley::sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray head(const SandboxReply &reply, bool chunked)
{
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    if (!reply.contentType.isEmpty() && reply.status != 204)
        out += "Content-Type: " + reply.contentType + "\r\n";
    for (const auto &[name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
    if (chunked)
        out += "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n";
    else if (reply.status != 204)
        out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    out += "\r\n";
    return out;
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

// Writes the frames of one streamed reply at their pace; stops when the client leaves.
class StreamWriter : public QObject
{
public:
    StreamWriter(QTcpSocket *socket, SandboxReply reply)
        : QObject(socket)
        , m_socket(socket)
        , m_reply(std::move(reply))
    {
        m_socket->write(head(m_reply, true));
        m_timer.setInterval(m_reply.frameIntervalMs);
        connect(&m_timer, &QTimer::timeout, this, &StreamWriter::next);
        m_timer.start();
    }
    ~StreamWriter() override
    {
        if (m_reply.onFinished)
            m_reply.onFinished();
    }

private:
    void next()
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
            m_timer.stop();
            deleteLater();
            return;
        }
        const bool more =
            m_index < m_reply.frames.size() && (!m_reply.keepGoing || m_reply.keepGoing());
        if (!more) {
            m_timer.stop();
            m_socket->write("0\r\n\r\n");
            auto onFinished = std::move(m_reply.onFinished);
            m_reply.onFinished = nullptr;
            if (onFinished)
                onFinished();
            deleteLater();
            return;
        }
        m_socket->write(chunk(m_reply.frames.at(m_index++)));
    }

    QPointer<QTcpSocket> m_socket;
    SandboxReply m_reply;
    QTimer m_timer;
    qsizetype m_index = 0;
};

} // namespace

QByteArray SandboxRequest::method() const
{
    return methodName(http.method());
}

QByteArray SandboxRequest::header(const QByteArray &name) const
{
    return http.value(name);
}

bool SandboxRequest::hasQuery(const QString &key) const
{
    return http.query().hasQueryItem(key);
}

QString SandboxRequest::query(const QString &key) const
{
    return http.query().queryItemValue(key, QUrl::FullyDecoded);
}

QStringList SandboxRequest::queryAll(const QString &key) const
{
    return http.query().allQueryItemValues(key, QUrl::FullyDecoded);
}

QJsonObject SandboxRequest::json(bool *ok) const
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(http.body(), &error);
    const bool good = error.error == QJsonParseError::NoError && doc.isObject();
    if (ok)
        *ok = good;
    return good ? doc.object() : QJsonObject{};
}

SandboxReply SandboxReply::json(const QJsonObject &object, int status)
{
    return json(QJsonDocument(object), status);
}

SandboxReply SandboxReply::json(const QJsonDocument &document, int status)
{
    SandboxReply r;
    r.status = status;
    r.body = document.toJson(QJsonDocument::Compact);
    return r;
}

SandboxReply SandboxReply::text(const QByteArray &text, int status, QByteArray contentType)
{
    SandboxReply r;
    r.status = status;
    r.body = text;
    r.contentType = std::move(contentType);
    return r;
}

SandboxReply SandboxReply::noContent(int status)
{
    SandboxReply r;
    r.status = status;
    r.contentType.clear();
    return r;
}

SandboxReply SandboxReply::stream(QByteArray contentType, QList<QByteArray> frames, int intervalMs)
{
    SandboxReply r;
    r.contentType = std::move(contentType);
    r.streamed = true;
    r.frames = std::move(frames);
    r.frameIntervalMs = intervalMs;
    return r;
}

SandboxServer::SandboxServer(QObject *parent)
    : QAbstractHttpServer(parent)
{}

void SandboxServer::route(QByteArray method, const QString &pattern, Handler handler)
{
    QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    Q_ASSERT_X(re.isValid(), "SandboxServer::route", qPrintable(re.errorString()));
    m_routes.push_back({std::move(method), std::move(re), std::move(handler)});
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path(QUrl::FullyDecoded);
    const QByteArray method = methodName(request.method());
    bool pathKnown = false;
    for (const Route &r : m_routes) {
        const QRegularExpressionMatch m = r.pattern.match(path);
        if (!m.hasMatch())
            continue;
        pathKnown = true;
        if (r.method != method)
            continue;
        SandboxRequest req{request, m.capturedTexts().mid(1)};
        ++m_requestCount;
        write(request, socket, r.handler(req));
        return true;
    }
    ++m_requestCount;
    QJsonObject body{{QStringLiteral("error"),
                      pathKnown ? QStringLiteral("method not allowed")
                                : QStringLiteral("no such endpoint in the Parley sandbox")}};
    write(request, socket, SandboxReply::json(body, pathKnown ? 405 : 404));
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    write(request, socket, SandboxReply::json(QJsonObject{}, 404));
}

void SandboxServer::write(const QHttpServerRequest &request, QTcpSocket *socket, SandboxReply reply)
{
    qCDebug(lcSandbox) << methodName(request.method()) << request.url().path() << reply.status;
    if (reply.streamed || !reply.frames.isEmpty()) {
        new StreamWriter(socket, std::move(reply));
        return;
    }
    // One write: head and body in separate writes leave the body waiting for the ACK of
    // the head (Nagle + delayed ACK), about 40 ms per response on loopback.
    socket->write(reply.status == 204 ? head(reply, false) : head(reply, false) + reply.body);
}

} // namespace parley::sandbox
