#pragma once

// Pieces of the contract test: Prism processes, a recording proxy between the provider
// and Prism, and the sequence of provider calls checked against the spec.

#include "core/ApiError.h"
#include "providers/Capabilities.h"
#include "providers/Provider.h"
#include "sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <sys/types.h>

namespace contracttest {

using namespace Qt::StringLiterals;
using parley::sandbox::SandboxReply;
using parley::sandbox::SandboxRequest;
using parley::sandbox::SandboxServer;

inline QString contractsToolsDir()
{
    const QByteArray env = qgetenv("PARLEY_CONTRACTS_DIR");
    return (env.isEmpty() ? QStringLiteral(PARLEY_CONTRACTS_DIR) : QString::fromLocal8Bit(env)) +
           u"/tools"_s;
}

inline bool prismInstalled()
{
    return QFileInfo(qEnvironmentVariable("PRISM_HOME") + u"/node_modules/.bin/prism"_s)
        .isExecutable();
}

inline bool npmAvailable()
{
    return !QStandardPaths::findExecutable(u"npm"_s).isEmpty();
}

// One `prism mock -d` process started through tools/prism-mock, killed by its PID. The
// static-example pass asks it per request with `Prefer: dynamic=false` (see PrismProxy),
// so one process serves both modes.
class PrismInstance
{
public:
    explicit PrismInstance(QString spec)
        : m_spec(std::move(spec))
    {}
    ~PrismInstance() { stop(); }
    PrismInstance(const PrismInstance &) = delete;
    PrismInstance &operator=(const PrismInstance &) = delete;

    void begin(quint16 port)
    {
        m_port = port;
        m_begun = true;
        m_process.start(contractsToolsDir() + u"/prism-mock"_s,
                        {m_spec, QString::number(port), u"-d"_s});
    }
    // Waits for prism-mock to report the PID of a listening Prism (tests may block).
    bool finishStart(QString *error)
    {
        if (m_pid > 0)
            return true;
        // The first run may install Prism with npm.
        if (m_process.state() != QProcess::NotRunning &&
            !m_process.waitForFinished(prismInstalled() ? 120000 : 300000)) {
            *error = u"prism-mock did not finish: "_s + m_process.errorString();
            m_process.kill();
            return false;
        }
        const QByteArray out = m_process.readAllStandardOutput().trimmed();
        bool ok = false;
        m_pid = out.toLongLong(&ok);
        if (m_process.exitCode() != 0 || !ok || m_pid <= 0) {
            m_pid = 0;
            *error = u"prism-mock %1 failed (exit %2): %3"_s.arg(
                m_spec, QString::number(m_process.exitCode()),
                QString::fromUtf8(m_process.readAllStandardError().right(3000)));
            return false;
        }
        return true;
    }
    quint16 port() const { return m_port; }
    void stop()
    {
        if (m_pid <= 0 && m_begun) {
            // Never asked for: let prism-mock report the PID, so that Prism is killed too.
            if (m_process.state() != QProcess::NotRunning)
                m_process.waitForFinished(120000);
            m_pid = m_process.readAllStandardOutput().trimmed().toLongLong();
        }
        if (m_pid > 0)
            ::kill(pid_t(m_pid), SIGTERM);
        m_pid = 0;
    }

private:
    QString m_spec;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    bool m_begun = false;
    QProcess m_process;
};

// `count` distinct free loopback ports (all held while choosing, so they differ).
inline QList<quint16> freePorts(int count)
{
    std::vector<std::unique_ptr<QTcpServer>> servers;
    QList<quint16> ports;
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0))
            return {};
        ports << server->serverPort();
        servers.push_back(std::move(server));
    }
    return ports;
}

// One request the provider sent and what Prism answered.
struct Exchange
{
    QByteArray method;
    QByteArray target; // path and query as sent
    QList<QByteArray> headerNames;
    int status = 0;
    QByteArray contentType;
    QByteArray violations; // Prism's sl-violations header
    QByteArray body;
    QString transportError;

    QString describe() const
    {
        return u"%1 %2 (headers: %3) -> HTTP %4 %5%6: %7"_s.arg(
            QString::fromLatin1(method), QString::fromUtf8(target),
            QString::fromLatin1(headerNames.join(", ")), QString::number(status),
            QString::fromLatin1(contentType),
            violations.isEmpty() ? QString()
                                 : u" sl-violations: "_s + QString::fromUtf8(violations),
            transportError.isEmpty() ? QString::fromUtf8(body.left(2500)) : transportError);
    }
    // Prism says the request breaks the spec.
    bool rejectedByPrism() const
    {
        if (!transportError.isEmpty())
            return false;
        if (!violations.isEmpty())
            return true;
        if (status == 400 || status == 401 || status == 422)
            return true;
        return contentType.contains("problem+json") && body.contains("stoplight.io/prism/errors");
    }
};

// Decodes an HTTP/1.1 chunked body; empty on malformed input.
inline QByteArray dechunk(const QByteArray &raw)
{
    QByteArray out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype eol = raw.indexOf("\r\n", pos);
        if (eol < 0)
            return out;
        bool ok = false;
        const qsizetype size =
            raw.mid(pos, eol - pos).split(';').constFirst().trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0)
            return out;
        out += raw.mid(eol + 2, size);
        pos = eol + 2 + size + 2;
    }
}

// Between the provider and Prism: forwards each request (blocking: Prism is another
// process, so this thread may wait for it) and records the exchange.
class PrismProxy
{
public:
    explicit PrismProxy(quint16 prismPort)
        : m_prismPort(prismPort)
    {
        for (const QByteArray method : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
            m_server.route(method, u".*"_s, [this](const SandboxRequest &r) { return forward(r); });
        }
    }
    quint16 listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    // Prism's per-request mode: "dynamic=true" (random data) or "dynamic=false" (examples).
    void setPrefer(QByteArray prefer) { m_prefer = std::move(prefer); }
    const QList<Exchange> &exchanges() const { return m_exchanges; }

private:
    SandboxReply forward(const SandboxRequest &r)
    {
        Exchange e;
        e.method = r.method();
        const QUrl url = r.http.url();
        e.target = url.path(QUrl::FullyEncoded).toUtf8();
        if (url.hasQuery())
            e.target += '?' + url.query(QUrl::FullyEncoded).toUtf8();

        QByteArray request = e.method + ' ' + e.target +
                             " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_prismPort) +
                             "\r\n";
        for (const auto &[name, value] : r.http.headers()) {
            const QByteArray lower = name.toLower();
            if (lower == "host" || lower == "connection" || lower == "content-length" ||
                lower == "keep-alive" || lower == "accept-encoding" || lower == "prefer")
                continue;
            e.headerNames << name;
            request += name + ": " + value + "\r\n";
        }
        const QByteArray body = r.http.body();
        if (!body.isEmpty())
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (!m_prefer.isEmpty())
            request += "Prefer: " + m_prefer + "\r\n";
        request += "Connection: close\r\n\r\n" + body;

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_prismPort);
        QByteArray raw;
        if (!socket.waitForConnected(5000)) {
            e.transportError = u"cannot connect to Prism: "_s + socket.errorString();
        } else {
            socket.write(request);
            QElapsedTimer clock;
            clock.start();
            while (socket.state() == QAbstractSocket::ConnectedState && clock.elapsed() < 20000) {
                if (socket.waitForReadyRead(1000))
                    raw += socket.readAll();
            }
            raw += socket.readAll();
        }
        const qsizetype split = raw.indexOf("\r\n\r\n");
        if (e.transportError.isEmpty() && split < 0)
            e.transportError = u"Prism sent no complete HTTP response"_s;
        bool chunked = false;
        QList<QPair<QByteArray, QByteArray>> headers;
        if (split >= 0) {
            const QList<QByteArray> lines = raw.left(split).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            e.status = statusLine.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
                const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
                if (name == "content-type")
                    e.contentType = value;
                else if (name == "sl-violations")
                    e.violations = value;
                else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                    chunked = true;
                else if (name == "www-authenticate" || name == "retry-after")
                    headers.append({name, value});
            }
            e.body = chunked ? dechunk(raw.mid(split + 4)) : raw.mid(split + 4);
        }
        m_exchanges << e;

        if (!e.transportError.isEmpty())
            return SandboxReply::text(e.transportError.toUtf8(), 502);
        SandboxReply reply = SandboxReply::text(e.body, e.status ? e.status : 502, e.contentType);
        reply.headers = headers;
        return reply;
    }

    SandboxServer m_server;
    quint16 m_prismPort;
    QByteArray m_prefer;
    QList<Exchange> m_exchanges;
};

// A value of the right kind for a filter, valid for the usual spec types (a UUID for
// text, as specs often declare ids with format uuid).
inline QString sampleFilterValue(const parley::FilterSpec &filter)
{
    switch (filter.kind) {
    case parley::FilterSpec::Kind::Choice:
        return filter.choices.value(0, u"x"_s);
    case parley::FilterSpec::Kind::Bool:
        return u"true"_s;
    case parley::FilterSpec::Kind::DateTime:
        return u"2026-01-01T00:00:00Z"_s;
    case parley::FilterSpec::Kind::Text:
        break;
    }
    return u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s;
}

// A well-formed id: a UUID (specs declare ids with format uuid), a plain path segment.
inline const QString kSampleId = u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s;

// Runs the provider calls of one Prism mode and collects every failure as a sentence.
class ContractRunner
{
public:
    using Factory = std::function<std::unique_ptr<parley::Provider>()>;

    ContractRunner(Factory factory, PrismProxy *proxy, QString mode, bool random,
                   QStringList *failures)
        : m_factory(std::move(factory))
        , m_proxy(proxy)
        , m_mode(std::move(mode))
        , m_random(random)
        , m_failures(failures)
    {}

    // BadResponse messages holding one of these texts are accepted (and logged).
    void setAcceptedBadResponses(QStringList texts) { m_accepted = std::move(texts); }

    void run(bool detail, int rounds)
    {
        const parley::Capabilities caps = m_factory()->capabilities();
        parley::ListQuery query;
        query.pageSize = qMin(caps.maxPageSize, 20);
        for (int round = 0; round < rounds; ++round) {
            const qsizetype sentBefore = m_proxy->exchanges().size();
            const auto first =
                list(u"list, first page"_s, query, parley::PageCursor::first(caps.paging));
            if (!m_random)
                checkExampleRowsKept(first, m_proxy->exchanges().mid(sentBefore));
            parley::PageCursor next;
            QString nextLabel = u"list, next page"_s;
            if (first && first->ok() && !first->value().next.atEnd) {
                next = first->value().next;
            } else {
                // The example says there is no more: ask for a second page anyway, the way
                // the provider would, so that its next-page request is checked too.
                next = parley::PageCursor::first(caps.paging);
                next.page = 2;
                next.offset = query.pageSize;
                next.token = first && first->ok() && !first->value().items.isEmpty()
                                 ? first->value().items.constLast().id
                                 : u"conv_01jj1hdhn79xas7a01wb3hysdb"_s;
                nextLabel += u" (made-up cursor)"_s;
            }
            list(nextLabel, query, next);

            if (round == 0)
                checkFilters(caps, query);
            if (detail) {
                QString id = kSampleId;
                if (first && first->ok() && !first->value().items.isEmpty() &&
                    !first->value().items.constFirst().id.isEmpty())
                    id = first->value().items.constFirst().id;
                fetch(id);
            }
        }
        qInfo("%s: %d request(s) sent, %d response(s) refused as BadResponse%s%s",
              qPrintable(m_mode), int(m_proxy->exchanges().size()), int(m_badResponses.size()),
              m_badResponses.isEmpty() ? "" : ": ", qPrintable(m_badResponses.join(u" | "_s)));
    }

private:
    template<typename T, typename Start>
    std::optional<parley::Result<T>> await(Start start)
    {
        std::optional<parley::Result<T>> out;
        QObject context;
        QEventLoop loop;
        start(&context, [&](parley::Result<T> r) {
            out.emplace(std::move(r));
            loop.quit();
        });
        if (!out) {
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return out;
    }

    std::optional<parley::Result<parley::ConversationPage>>
    list(const QString &label, const parley::ListQuery &query, const parley::PageCursor &cursor,
         QList<Exchange> *sent = nullptr, bool localRefusalOk = false)
    {
        const qsizetype before = m_proxy->exchanges().size();
        const auto provider = m_factory();
        auto result = await<parley::ConversationPage>([&](QObject *context, auto done) {
            provider->listConversations(query, cursor, context, done);
        });
        const QList<Exchange> exchanges = m_proxy->exchanges().mid(before);
        if (sent)
            *sent = exchanges;
        if (localRefusalOk && result && exchanges.isEmpty() &&
            result->error().kind == parley::ApiError::Kind::Invalid) {
            qInfo("%s: %s: refused by the provider before sending: %s", qPrintable(m_mode),
                  qPrintable(label), qPrintable(result->error().message()));
            return result;
        }
        check(label, result ? &result->error() : nullptr, before);
        return result;
    }

    // Each filter alone (a provider may refuse one that needs another, before sending),
    // then all that can go together; every filter must reach Prism in a valid request,
    // under its own name.
    void checkFilters(const parley::Capabilities &caps, const parley::ListQuery &query)
    {
        QSet<QString> delivered;
        auto note = [&](const QList<Exchange> &sent, const QStringList &keys) {
            for (const Exchange &e : sent) {
                if (e.rejectedByPrism() || !e.transportError.isEmpty())
                    continue;
                const QUrlQuery q(QUrl::fromEncoded(e.target).query());
                for (const QString &key : keys) {
                    if (q.hasQueryItem(key))
                        delivered.insert(key);
                }
            }
        };
        parley::ListQuery all = query;
        for (const parley::FilterSpec &filter : caps.filters) {
            parley::ListQuery one = query;
            one.filters.insert(filter.key, sampleFilterValue(filter));
            QList<Exchange> sent;
            list(u"list, filter %1=%2"_s.arg(filter.key, one.filters.value(filter.key)), one,
                 parley::PageCursor::first(caps.paging), &sent, true);
            note(sent, {filter.key});

            const bool clashes =
                (!filter.exclusiveWith.isEmpty() && all.filters.contains(filter.exclusiveWith)) ||
                std::any_of(all.filters.keyBegin(), all.filters.keyEnd(), [&](const QString &k) {
                    return std::any_of(caps.filters.cbegin(), caps.filters.cend(),
                                       [&](const parley::FilterSpec &f) {
                                           return f.key == k && f.exclusiveWith == filter.key;
                                       });
                });
            if (!clashes)
                all.filters.insert(filter.key, sampleFilterValue(filter));
        }
        if (all.filters.size() > 1) {
            QList<Exchange> sent;
            list(u"list, filters %1"_s.arg(QStringList(all.filters.keys()).join(u", "_s)), all,
                 parley::PageCursor::first(caps.paging), &sent);
            note(sent, all.filters.keys());
        }
        for (const parley::FilterSpec &filter : caps.filters) {
            if (!delivered.contains(filter.key))
                fail(u"filter %1"_s.arg(filter.key),
                     u"never reached Prism in a valid request under its own name"_s);
        }
        for (const QString &field : caps.sortFields) {
            parley::ListQuery sorted = query;
            sorted.sort = field;
            list(u"list, sort %1"_s.arg(field), sorted, parley::PageCursor::first(caps.paging));
        }
    }

    void fetch(const QString &id)
    {
        const qsizetype before = m_proxy->exchanges().size();
        const auto provider = m_factory();
        auto result = await<parley::ConversationDetail>(
            [&](QObject *context, auto done) { provider->fetchConversation(id, context, done); });
        // Random data makes ids such as "lorem ipsum dolor": a provider that will not put
        // that in a path is right. Then the detail call is checked with a well-formed id.
        if (m_random && id != kSampleId && result && m_proxy->exchanges().size() == before &&
            result->error().kind == parley::ApiError::Kind::Invalid) {
            qInfo("%s: random id “%s” refused before sending; trying %s", qPrintable(m_mode),
                  qPrintable(id), qPrintable(kSampleId));
            fetch(kSampleId);
            return;
        }
        check(u"detail %1"_s.arg(id), result ? &result->error() : nullptr, before);
    }

    // The rows of the spec's example page: the first list of objects at its top level.
    static qsizetype exampleRows(const QByteArray &body)
    {
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QJsonArray items = it.value().toArray();
            if (!items.isEmpty() && items.first().isObject())
                return items.size();
        }
        return -1;
    }

    // Static examples are placeholders ("string" where a date belongs): Parley keeps every
    // row of such a page (unreadable where it must be) rather than throwing the page away.
    void checkExampleRowsKept(const std::optional<parley::Result<parley::ConversationPage>> &page,
                              const QList<Exchange> &sent)
    {
        if (sent.isEmpty() || sent.constLast().status != 200)
            return; // no example page came back: check() has said why
        const qsizetype example = exampleRows(sent.constLast().body);
        if (example < 0)
            return; // an example without rows
        if (!page || !page->ok()) {
            fail(u"list, first page"_s,
                 u"the example's %1 row(s) were thrown away: %2"_s.arg(example).arg(
                     page ? page->error().message() : u"no answer"_s));
            return;
        }
        if (page->value().items.size() != example)
            fail(u"list, first page"_s,
                 u"the example has %1 row(s), Parley kept %2"_s.arg(example).arg(
                     page->value().items.size()));
        else
            qInfo("%s: the example page's %lld row(s) kept", qPrintable(m_mode),
                  qlonglong(example));
    }

    void fail(const QString &label, const QString &text)
    {
        m_failures->append(u"[%1] %2: %3"_s.arg(m_mode, label, text));
    }

    void check(const QString &label, const parley::ApiError *error, qsizetype before)
    {
        const QList<Exchange> sent = m_proxy->exchanges().mid(before);
        if (!error) {
            fail(label, u"no answer within 30 s"_s);
            return;
        }
        if (sent.isEmpty()) {
            fail(label,
                 u"no request was sent (%1)"_s.arg(error->isError() ? error->message() : u"ok"_s));
            return;
        }
        bool rejected = false;
        for (const Exchange &e : sent) {
            if (e.rejectedByPrism()) {
                rejected = true;
                fail(label, u"Prism rejected the request: "_s + e.describe());
            } else if (!e.transportError.isEmpty()) {
                fail(label, e.describe());
            }
        }
        if (rejected || !error->isError())
            return;
        const bool accepted =
            m_random || std::any_of(m_accepted.cbegin(), m_accepted.cend(),
                                    [&](const QString &t) { return error->message().contains(t); });
        if (error->kind == parley::ApiError::Kind::BadResponse && accepted) {
            m_badResponses << label + u": "_s + error->message();
            return;
        }
        fail(label, u"Parley could not use the response (%1: %2); last exchange: %3"_s.arg(
                        parley::ApiError::kindName(error->kind), error->message(),
                        sent.constLast().describe()));
    }

    Factory m_factory;
    PrismProxy *m_proxy;
    QString m_mode;
    bool m_random;
    QStringList *m_failures;
    QStringList m_badResponses;
    QStringList m_accepted;
};

} // namespace contracttest
