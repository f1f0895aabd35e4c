#include "EchoSandbox.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

SandboxReply fault(int status, const QString &reason, const QString &text)
{
    return SandboxReply::json(
        QJsonObject{{u"fault"_s, QJsonObject{{u"reason"_s, reason}, {u"text"_s, text}}}}, status);
}

// A whole number in [low, high] from the query, `fallback` when absent; nullopt when bad.
std::optional<int> number(const SandboxRequest &request, const QString &key, int fallback, int low,
                          int high)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString text = request.query(key);
    if (!digits.match(text).hasMatch() || text.toInt() < low || text.toInt() > high)
        return std::nullopt;
    return text.toInt();
}

const QString kThreads = u"/echo/v1/rooms/([a-z][a-z0-9-]{0,39})/threads"_s;

} // namespace

EchoSandbox::EchoSandbox(const SandboxOptions &options)
    : SandboxPlatform(options, u"echo"_s)
    , m_threads(options.seed, options.conversations)
{}

QMap<QString, QString> EchoSandbox::demoParams(const std::function<QUrl(const QString &)> &) const
{
    return {{u"room"_s, u"demo-room"_s}};
}

void EchoSandbox::install(SandboxServer &server)
{
    server.route("GET", kThreads, this, &EchoSandbox::list);
    server.route("GET", kThreads + u"/([^/]+)"_s, this, &EchoSandbox::open);
    server.route("POST", kThreads + u"/([^/]+)/lines"_s, this, &EchoSandbox::append);
}

std::optional<SandboxReply> EchoSandbox::rejectKey(const SandboxRequest &request) const
{
    const QByteArray key = request.header("x-echo-key");
    if (key.isEmpty())
        return fault(401, u"no_key"_s, u"Send your key in X-Echo-Key."_s);
    if (key != options().key)
        return fault(401, u"bad_key"_s, u"That key opens no room here."_s);
    return std::nullopt;
}

SandboxReply EchoSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectKey(request))
        return *rejected;
    const auto from = number(request, u"from"_s, 0, 0, 100000000);
    const auto count = number(request, u"count"_s, kDefaultCount, 1, kMaxCount);
    if (!from || !count)
        return fault(400, u"bad_paging"_s,
                     u"from is 0 or more; count is 1 to %1."_s.arg(kMaxCount));
    const QString mood = request.query(u"mood"_s);
    if (request.hasQuery(u"mood"_s) && mood != "happy"_L1 && mood != "grumpy"_L1)
        return fault(400, u"bad_mood"_s, u"mood is happy or grumpy."_s);

    // Newest first: larger indices first; the filter applies before paging.
    QJsonArray threads;
    int matching = 0;
    for (int index = m_threads.count() - 1; index >= 0; --index) {
        if (!mood.isEmpty() && m_threads.mood(index) != mood)
            continue;
        if (matching >= *from && threads.size() < *count)
            threads.append(m_threads.thread(index));
        ++matching;
    }
    return SandboxReply::json(QJsonObject{{u"threads"_s, threads}, {u"available"_s, matching}});
}

SandboxReply EchoSandbox::open(const SandboxRequest &request) const
{
    if (auto rejected = rejectKey(request))
        return *rejected;
    const int index = m_threads.indexOf(request.args.value(1));
    if (index < 0)
        return fault(404, u"no_thread"_s, u"No thread has that ref."_s);
    QJsonArray lines;
    for (const QJsonObject &line : m_threads.lines(index))
        lines.append(line);
    return SandboxReply::json(
        QJsonObject{{u"thread"_s, m_threads.thread(index)}, {u"lines"_s, lines}});
}

SandboxReply EchoSandbox::append(const SandboxRequest &request)
{
    if (auto rejected = rejectKey(request))
        return *rejected;
    const int index = m_threads.indexOf(request.args.value(1));
    if (index < 0)
        return fault(404, u"no_thread"_s, u"No thread has that ref."_s);
    bool ok = false;
    const QString said = request.json(&ok).value(u"said"_s).toString().trimmed();
    if (!ok || said.isEmpty())
        return fault(422, u"nothing_said"_s, u"A line needs {\"said\": text}."_s);
    return SandboxReply::json(QJsonObject{{u"line"_s, m_threads.append(index, said)}}, 201);
}

} // namespace parley::sandbox

PARLEY_REGISTER_SANDBOX(&parley::sandbox::SandboxRegistry::addOne<parley::sandbox::EchoSandbox>)
