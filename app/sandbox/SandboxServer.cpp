#include "sandbox/SandboxServer.h"

#include "core/Logging.h"
#include "sandbox/BodyFaults.h"

#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <mutex>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace parley::sandbox {

namespace {

// QHttpServer logs every request it reads at debug level under "qt.httpserver", with all
// its headers: Authorization and x-api-key included. Whatever the logging rules say
// (QT_LOGGING_RULES="*.debug=true" turns it on), that category stays off at debug level.
QLoggingCategory::CategoryFilter g_previousLogFilter = nullptr;

void noRequestDumps(QLoggingCategory *category)
{
    if (g_previousLogFilter)
        g_previousLogFilter(category);
    if (qstrcmp(category->categoryName(), "qt.httpserver") == 0)
        category->setEnabled(QtDebugMsg, false);
}

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
    case 303:
        return "See Other";
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
    case 504:
        return "Gateway Timeout";
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

// A TCP reset instead of an orderly close: linger on with a zero timeout, then abort.
void resetConnection(QTcpSocket *socket)
{
    if (!socket)
        return;
#ifdef Q_OS_UNIX
    const qintptr fd = socket->socketDescriptor();
    if (fd != -1) {
        struct linger lg = {1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
#endif
    socket->abort();
}

QByteArray httpDate(const QDateTime &utc)
{
    return QLocale::c()
        .toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

QByteArray htmlPage(int status)
{
    const QByteArray line = QByteArray::number(status) + ' ' + reasonPhrase(status);
    return "<!DOCTYPE html>\n<html>\n<head><title>" + line +
           "</title></head>\n<body>\n<center><h1>" + line +
           "</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";
}

// The reply as the fault wants it (status, body, type, redirect); transport faults
// (reset, hang, truncated, drip, oversize, cut-stream) are the writer's business.
void reshape(SandboxReply &reply, const FaultSpec &f, const QByteArray &location)
{
    auto plain = [&reply] {
        reply.streamed = false;
        reply.frames.clear();
        reply.headers.clear();
    };
    if (f.status != 0) {
        plain();
        reply.status = f.status;
        reply.contentType = "application/json";
        reply.body = "{\"detail\":\"Injected fault: " + reasonPhrase(f.status) + " (HTTP " +
                     QByteArray::number(f.status) + ")\"}";
        if (f.retryAfterSeconds >= 0)
            reply.headers.append({"Retry-After", QByteArray::number(f.retryAfterSeconds)});
        else if (f.retryAfterDate)
            reply.headers.append(
                {"Retry-After", httpDate(QDateTime::currentDateTimeUtc().addSecs(3))});
    } else if (f.htmlStatus != 0) {
        plain();
        reply.status = f.htmlStatus;
        reply.contentType = "text/html";
        reply.body = htmlPage(f.htmlStatus);
    }
    if (f.redirectOtherHost) {
        plain();
        reply.status = 307;
        reply.contentType.clear();
        reply.body.clear();
        reply.headers.append({"Location", location});
    }
    if (f.deepJson > 0) {
        plain();
        reply.status = 200;
        reply.contentType = "application/json";
        reply.body = QByteArray(f.deepJson, '[') + QByteArray(f.deepJson, ']');
    }
    if (f.malformedJson && !reply.streamed) {
        // A byte cut out of the middle may leave valid JSON (inside a string); the stray
        // '}' after the end never does.
        if (!reply.body.isEmpty())
            reply.body.remove((reply.body.size() - 1) / 2, 1);
        reply.body += '}';
    }
    if (f.brokenItem && !reply.streamed)
        reply.body = bodyfaults::withBrokenItem(reply.body);
    if (f.invalidUtf8 && !reply.streamed)
        reply.body = bodyfaults::withInvalidUtf8(reply.body);
    if (!f.contentType.isEmpty())
        reply.contentType = f.contentType;
}

// Writes the frames of one streamed reply at their pace; stops when the client leaves.
class StreamWriter : public QObject
{
public:
    // `cut`: after half the frames, write part of the next frame and reset the connection.
    StreamWriter(QTcpSocket *socket, SandboxReply reply, bool cut = false)
        : QObject(socket)
        , m_socket(socket)
        , m_reply(std::move(reply))
        , m_cutAt(cut ? m_reply.frames.size() / 2 : -1)
    {
        m_socket->write(head(m_reply, true));
        if (m_reply.frameDueInMs) {
            m_timer.setSingleShot(true);
            connect(&m_timer, &QTimer::timeout, this, &StreamWriter::nextDue);
            m_timer.start(0);
            return;
        }
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
    bool gone() const { return !m_socket || m_socket->state() != QAbstractSocket::ConnectedState; }

    // The cut-stream fault: half of the frame due now, then a reset.
    void cut()
    {
        m_timer.stop();
        const QByteArray whole = m_index < m_reply.frames.size()
                                     ? m_reply.frames.at(m_index)
                                     : QByteArray("data: {\"cut\": true}\n\n");
        m_socket->write(QByteArray::number(whole.size(), 16) + "\r\n" +
                        whole.left(qMax<qsizetype>(1, whole.size() / 2)));
        m_socket->flush();
        // As with the reset fault, the run ends with the connection: the fault matrix sends
        // again at once, and a run still writing would refuse that as busy.
        if (m_reply.endNow) {
            std::exchange(m_reply.endNow, nullptr)();
            m_reply.onFinished = nullptr;
        }
        resetConnection(m_socket);
        deleteLater();
    }

    // The end of the stream: the stop frame when it ends early, the last chunk, onFinished.
    void end()
    {
        m_timer.stop();
        if (m_index < m_reply.frames.size() && m_reply.stopFrame) {
            const QByteArray last = m_reply.stopFrame(m_index);
            if (!last.isEmpty())
                m_socket->write(chunk(last));
        }
        m_socket->write("0\r\n\r\n");
        auto onFinished = std::move(m_reply.onFinished);
        m_reply.onFinished = nullptr;
        if (onFinished)
            onFinished();
        deleteLater();
    }

    void next()
    {
        if (gone()) {
            m_timer.stop();
            deleteLater();
            return;
        }
        if (m_index == m_cutAt) {
            cut();
            return;
        }
        const bool more =
            m_index < m_reply.frames.size() && (!m_reply.keepGoing || m_reply.keepGoing());
        if (!more) {
            end();
            return;
        }
        m_socket->write(chunk(m_reply.frames.at(m_index++)));
    }

    // The reply's own pace: every frame due now, then a wait for the next one.
    void nextDue()
    {
        if (gone()) {
            deleteLater();
            return;
        }
        qint64 wait = 0;
        while (m_index < m_reply.frames.size()) {
            if (m_index == m_cutAt) {
                cut();
                return;
            }
            wait = m_reply.frameDueInMs(m_index);
            if (wait != 0)
                break;
            m_socket->write(chunk(m_reply.frames.at(m_index++)));
        }
        if (m_index == m_cutAt) {
            cut();
            return;
        }
        if (m_index >= m_reply.frames.size() || wait < 0 ||
            (m_reply.keepGoing && !m_reply.keepGoing())) {
            end();
            return;
        }
        m_timer.start(int(qBound(qint64(1), wait, qint64(SandboxReply::kPollMs))));
    }

    QPointer<QTcpSocket> m_socket;
    SandboxReply m_reply;
    QTimer m_timer;
    qsizetype m_index = 0;
    qsizetype m_cutAt = -1;
};

// Ends the run behind a streamed reply that a hang keeps from being written: its
// `onFinished` runs when the client gives up (this goes away with the socket). Without it
// the emulation would keep the run going forever and refuse the next message as a conflict.
class RunEnder : public QObject
{
public:
    RunEnder(QTcpSocket *socket, std::function<void()> ended)
        : QObject(socket)
        , m_ended(std::move(ended))
    {
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }
    ~RunEnder() override
    {
        if (m_ended)
            m_ended();
    }

private:
    std::function<void()> m_ended;
};

// Writes a body of `total` bytes in pieces as the socket drains, never holding it whole.
class OversizeWriter : public QObject
{
public:
    OversizeWriter(QTcpSocket *socket, qint64 total)
        : QObject(socket)
        , m_socket(socket)
        , m_left(total)
    {
        SandboxReply r;
        QByteArray h = head(r, false);
        h.replace(QByteArray("Content-Length: 0"),
                  QByteArray("Content-Length: " + QByteArray::number(total)));
        m_socket->write(h);
        m_filler.fill('a', 64 * 1024);
        const QByteArray open = "{\"pad\":\"";
        m_socket->write(open);
        m_left -= open.size() + 2; // and "\"}" at the end
        connect(socket, &QTcpSocket::bytesWritten, this, &OversizeWriter::more);
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        more();
    }

private:
    void more()
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
            deleteLater();
            return;
        }
        while (m_left > 0 && m_socket->bytesToWrite() < 256 * 1024) {
            const qint64 n = qMin<qint64>(m_left, m_filler.size());
            m_socket->write(m_filler.constData(), n);
            m_left -= n;
        }
        if (m_left <= 0) {
            m_socket->write("\"}");
            deleteLater();
        }
    }

    QPointer<QTcpSocket> m_socket;
    qint64 m_left;
    QByteArray m_filler;
};

// Writes a ready response a few bytes at a time, `intervalMs` apart.
class DripWriter : public QObject
{
public:
    DripWriter(QTcpSocket *socket, QByteArray bytes, int intervalMs)
        : QObject(socket)
        , m_socket(socket)
        , m_bytes(std::move(bytes))
        , m_slice(qMax<qsizetype>(8, (m_bytes.size() + 39) / 40))
    {
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, &DripWriter::next);
        m_timer.start();
    }

private:
    void next()
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState ||
            m_pos >= m_bytes.size()) {
            m_timer.stop();
            deleteLater();
            return;
        }
        m_socket->write(m_bytes.mid(m_pos, m_slice));
        m_pos += m_slice;
    }

    QPointer<QTcpSocket> m_socket;
    QByteArray m_bytes;
    qsizetype m_slice;
    qsizetype m_pos = 0;
    QTimer m_timer;
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
{
    // The sandbox runs inside parley --demo and the tests: its requests carry keys.
    static std::once_flag once;
    std::call_once(once,
                   [] { g_previousLogFilter = QLoggingCategory::installFilter(noRequestDumps); });
}

void SandboxServer::route(QByteArray method, const QString &pattern, Handler handler)
{
    QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    Q_ASSERT_X(re.isValid(), "SandboxServer::route", qPrintable(re.errorString()));
    m_routes.push_back({std::move(method), std::move(re), std::move(handler)});
}

bool SandboxServer::setFaults(const QString &text, QString *error)
{
    if (text.trimmed().isEmpty()) {
        setFaults(std::nullopt);
        return true;
    }
    std::optional<FaultSpec> spec = FaultSpec::parse(text, error);
    if (!spec)
        return false;
    setFaults(std::move(spec));
    return true;
}

void SandboxServer::setFaults(std::optional<FaultSpec> spec)
{
    m_faults = std::move(spec);
    m_faultMatches = 0;
    m_repeatedBodies.clear();
}

std::optional<FaultSpec> SandboxServer::faultFor(const QHttpServerRequest &request,
                                                 const QString &path, QString *headerError)
{
    const QByteArray header = request.value("x-parley-fault");
    if (!header.isEmpty())
        return FaultSpec::parse(QString::fromUtf8(header), headerError);
    if (!m_faults || !m_faults->matchesPath(path))
        return std::nullopt;
    const int n = ++m_faultMatches;
    if (m_faults->first > 0 && n > m_faults->first)
        return std::nullopt;
    if (m_faults->every > 0 && n % m_faults->every != 0)
        return std::nullopt;
    return m_faults;
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path(QUrl::FullyDecoded);
    const QByteArray method = methodName(request.method());
    ++m_requestCount;

    QString headerError;
    const std::optional<FaultSpec> fault = faultFor(request, path, &headerError);
    SandboxReply reply;
    if (!headerError.isEmpty()) {
        reply = SandboxReply::json(
            QJsonObject{{QStringLiteral("detail"),
                         QString(QStringLiteral("X-Parley-Fault: ") + headerError)}},
            400);
        write(request, socket, std::move(reply));
        return true;
    }

    bool pathKnown = false;
    bool found = false;
    for (const Route &r : m_routes) {
        const QRegularExpressionMatch m = r.pattern.match(path);
        if (!m.hasMatch())
            continue;
        pathKnown = true;
        if (r.method != method)
            continue;
        SandboxRequest req{request, m.capturedTexts().mid(1)};
        reply = r.handler(req);
        found = true;
        break;
    }
    if (!found) {
        QJsonObject body{{QStringLiteral("error"),
                          pathKnown ? QStringLiteral("method not allowed")
                                    : QStringLiteral("no such endpoint in the Parley sandbox")}};
        reply = SandboxReply::json(body, pathKnown ? 405 : 404);
    }
    if (!fault) {
        write(request, socket, std::move(reply));
        return true;
    }

    const FaultSpec f = *fault;
    qCDebug(lcSandbox) << method << request.url().path() << "fault injected";
    if (f.repeatPage && !reply.streamed && reply.status == 200) {
        // The first body this path gave under the fault, whatever the query asks now.
        const auto first = m_repeatedBodies.constFind(path);
        if (first == m_repeatedBodies.cend())
            m_repeatedBodies.insert(path, reply.body);
        else
            reply.body = *first;
    }
    QByteArray location = "http://127.0.0.2:" + QByteArray::number(socket->localPort()) +
                          request.url().path(QUrl::FullyEncoded).toLatin1();
    if (request.url().hasQuery())
        location += '?' + request.url().query(QUrl::FullyEncoded).toLatin1();
    // A stream's run ends when its writer does; a fault that replaces the stream (status,
    // html, redirect, deep-json) ends it with the reply.
    std::function<void()> runEnd = std::move(reply.onFinished);
    std::function<void()> runEndNow = reply.endNow ? std::move(reply.endNow) : runEnd;
    reply.onFinished = nullptr;
    reply.endNow = nullptr;
    reshape(reply, f, location);
    const bool streamed = reply.streamed || !reply.frames.isEmpty();
    if (streamed) {
        reply.onFinished = std::move(runEnd);
        reply.endNow = std::move(runEndNow);
    } else if (runEndNow) {
        runEndNow();
    }

    QPointer<QTcpSocket> guard(socket);
    auto deliver = [guard, f, streamed, reply = std::move(reply)]() mutable {
        QTcpSocket *s = guard.data();
        if (!s || s->state() != QAbstractSocket::ConnectedState) {
            if (reply.onFinished) // the client left before the stream began
                reply.onFinished();
            return;
        }
        if (f.hang) {
            if (reply.onFinished) // ended when the client gives up
                new RunEnder(s, std::exchange(reply.onFinished, nullptr));
            return; // keep the socket, say nothing
        }
        if (f.reset) {
            if (reply.endNow)
                reply.endNow();
            else if (reply.onFinished)
                reply.onFinished();
            resetConnection(s);
            return;
        }
        if (streamed) {
            new StreamWriter(s, std::move(reply), f.cutStream);
            return;
        }
        if (f.oversizeMb > 0) {
            new OversizeWriter(s, qint64(f.oversizeMb) << 20);
            return;
        }
        const QByteArray bytes =
            head(reply, false) + (reply.status == 204 ? QByteArray() : reply.body);
        if (f.truncated || f.cutStream) {
            const QByteArray headBytes = head(reply, false);
            s->write(headBytes + reply.body.left(reply.body.size() / 2));
            s->flush();
            if (f.cutStream)
                resetConnection(s);
            else
                s->disconnectFromHost();
            return;
        }
        if (f.dripMs > 0) {
            new DripWriter(s, bytes, f.dripMs);
            return;
        }
        s->write(bytes);
    };
    if (f.delayMs > 0)
        QTimer::singleShot(f.delayMs, socket, std::move(deliver));
    else
        deliver();
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
