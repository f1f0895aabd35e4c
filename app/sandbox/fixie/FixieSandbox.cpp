#include "sandbox/fixie/FixieSandbox.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

SandboxReply textError(int status, const QByteArray &message)
{
    return SandboxReply::text(message, status, "text/plain; charset=utf-8");
}

// A non-negative integer parameter: `fallback` when absent, nullopt when malformed.
std::optional<int> integerParam(const SandboxRequest &request, const QString &key, int fallback)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString text = request.query(key).trimmed();
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    return text.toInt();
}

} // namespace

FixieSandbox::FixieSandbox(const SandboxOptions &options)
    : SandboxPlatform(options)
    , m_data(options.seed, options.conversations)
{}

QString FixieSandbox::prefix() const
{
    return u"fixie"_s;
}

void FixieSandbox::install(SandboxServer &server)
{
    const QString collection = u"/fixie/api/v1/agents/([^/]+)/conversations"_s;
    server.route("GET", collection, [this](const SandboxRequest &r) { return list(r); });
    server.route("GET", collection + u"/([^/]+)"_s,
                 [this](const SandboxRequest &r) { return retrieve(r); });
    // Last: routes added after this line would never be reached.
    server.route("GET", u"/fixie(?:/.*)?"_s,
                 [](const SandboxRequest &) { return textError(404, "Not Found"); });
}

std::optional<SandboxReply> FixieSandbox::rejectAuth(const SandboxRequest &request) const
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.isEmpty())
        return textError(401, "Unauthorized: no API key was sent.");
    if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != options().key)
        return textError(401, "Unauthorized: the API key is not valid.");
    return std::nullopt;
}

SandboxReply FixieSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const std::optional<int> limit = integerParam(request, u"limit"_s, kDefaultLimit);
    if (!limit || *limit < 1)
        return textError(400, "limit must be a positive integer.");
    if (*limit > kMaxLimit)
        return textError(400, "limit must not be greater than 100.");
    const std::optional<int> offset = integerParam(request, u"offset"_s, 0);
    if (!offset)
        return textError(400, "offset must be a non-negative integer.");

    QJsonArray conversations;
    for (qint64 position = *offset;
         position < m_data.count() && position < qint64(*offset) + *limit; ++position)
        conversations.append(m_data.conversation(m_data.indexAtPosition(int(position))));
    return SandboxReply::json(QJsonObject{
        {u"conversations"_s, conversations},
        {u"pageInfo"_s, QJsonObject{{u"requestedPageSize"_s, *limit},
                                    {u"requestedOffset"_s, *offset},
                                    {u"totalResultCount"_s, m_data.count()}}},
    });
}

SandboxReply FixieSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const int index = m_data.indexOf(request.args.value(1));
    if (index < 0)
        return textError(404, "Conversation not found.");
    return SandboxReply::json(m_data.conversation(index));
}

} // namespace parley::sandbox
