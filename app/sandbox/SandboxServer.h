#pragma once

#include "sandbox/FaultSpec.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace parley::sandbox {

// What a route sees of a request: the request itself, the regex captures of the path,
// and easy access to headers, query and JSON body.
struct SandboxRequest
{
    const QHttpServerRequest &http;
    QStringList args; // captures of the route's pattern, in order

    QByteArray method() const;
    QByteArray header(const QByteArray &name) const; // case-insensitive, empty when absent
    bool hasQuery(const QString &key) const;
    QString query(const QString &key) const; // decoded value, empty when absent
    QStringList queryAll(const QString &key) const;
    // The body as a JSON object; `ok` false when the body is not a JSON object.
    QJsonObject json(bool *ok = nullptr) const;
};

// A route's answer. Non-streamed replies are written at once with Content-Length.
// Streamed replies (`frames` non-empty or `streamed` set) go out chunked, one chunk per
// frame, `frameIntervalMs` apart; `keepGoing` is asked before each frame (false ends the
// stream early, after the frame `stopFrame` gives for the number of frames already sent,
// if any) and `onFinished` runs when the stream ends or the client goes away.
// With `frameDueInMs` set, the pace is the reply's own instead (a ReplyClock): frame i goes
// out once frameDueInMs(i) is 0 (-1: never, the reply was stopped before it), every frame
// due is written at once, and `keepGoing` is asked while waiting, at least every
// kPollMs; a stream that waits on a frame that will never be due ends as a stopped one.
struct SandboxReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;

    bool streamed = false;
    QList<QByteArray> frames;
    int frameIntervalMs = 0;
    std::function<bool()> keepGoing;
    std::function<QByteArray(qsizetype framesSent)> stopFrame;
    std::function<void()> onFinished;
    std::function<qint64(qsizetype frame)> frameDueInMs;
    // Ends the reply's run at once, as written whole: a fault that answers instead of the
    // stream or resets it before it starts. Unset: onFinished.
    std::function<void()> endNow;
    static constexpr int kPollMs = 50;

    static SandboxReply json(const QJsonObject &object, int status = 200);
    static SandboxReply json(const QJsonDocument &document, int status = 200);
    static SandboxReply text(const QByteArray &text, int status,
                             QByteArray contentType = "text/plain");
    static SandboxReply noContent(int status = 204);
    static SandboxReply stream(QByteArray contentType, QList<QByteArray> frames, int intervalMs);
};

// A small HTTP server with regex routes, built on QAbstractHttpServer so that it keeps
// full control of the socket: streaming and fault injection live here once, so every
// platform emulation gets them. Faults come from setFaults() (requests whose path matches
// the spec's path qualifier) or, winning over it, from a request's X-Parley-Fault header
// (a bad header spec is answered with 400 and the parse error).
class SandboxServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<SandboxReply(const SandboxRequest &)>;

    explicit SandboxServer(QObject *parent = nullptr);

    // `pattern` is matched against the whole decoded path (anchored); captures become
    // SandboxRequest::args. Routes are tried in the order they were added.
    void route(QByteArray method, const QString &pattern, Handler handler);
    // The same with a member function of `object` as the handler.
    template<typename Object, typename Member>
    void route(QByteArray method, const QString &pattern, Object *object, Member member)
    {
        route(std::move(method), pattern,
              [object, member](const SandboxRequest &r) { return (object->*member)(r); });
    }

    // Faults for every matching request; an empty text clears them. False with `error` set
    // when the text is not a FaultSpec (the previous faults stay then).
    bool setFaults(const QString &text, QString *error = nullptr);
    void setFaults(std::optional<FaultSpec> spec);

    // Number of requests answered, for tests.
    int requestCount() const { return m_requestCount; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route
    {
        QByteArray method;
        QRegularExpression pattern;
        Handler handler;
    };
    void write(const QHttpServerRequest &request, QTcpSocket *socket, SandboxReply reply);
    // The fault for this request, if any: the header's, else the server's (counted).
    std::optional<FaultSpec> faultFor(const QHttpServerRequest &request, const QString &path,
                                      QString *headerError);
    std::vector<Route> m_routes;
    int m_requestCount = 0;
    std::optional<FaultSpec> m_faults;
    int m_faultMatches = 0;
    QHash<QString, QByteArray> m_repeatedBodies; // repeat-page: each path's first body
};

} // namespace parley::sandbox
