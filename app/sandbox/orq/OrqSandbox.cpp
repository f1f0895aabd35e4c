#include "sandbox/orq/OrqSandbox.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

// orq's error body (docs.orq.ai "API Error Codes").
SandboxReply orqError(int status, const QString &code, const QString &message)
{
    return SandboxReply::json(
        QJsonObject{{u"error"_s,
                     QJsonObject{{u"code"_s, code},
                                 {u"message"_s, message},
                                 {u"doc_url"_s, u"https://docs.orq.ai/errors/%1"_s.arg(code)}}}},
        status);
}

SandboxReply badRequest(const QString &message)
{
    return orqError(400, u"invalid_request_body"_s, message);
}

// The 404 body the conversation endpoints document.
SandboxReply notFound()
{
    return SandboxReply::json(
        QJsonObject{{u"message"_s, u"Conversation not found. The specified conversation ID does "
                                   "not exist in the workspace or you do not have permission to "
                                   "access it."_s}},
        404);
}

} // namespace

OrqSandbox::OrqSandbox(const SandboxOptions &options)
    : SandboxPlatform(options)
    , m_data(options.seed, options.conversations)
{}

QString OrqSandbox::prefix() const
{
    return u"orq"_s;
}

void OrqSandbox::install(SandboxServer &server)
{
    server.route("GET", u"/orq/v2/conversations"_s,
                 [this](const SandboxRequest &r) { return list(r, false); });
    server.route("GET", u"/orq/v2/conversations/"_s,
                 [this](const SandboxRequest &r) { return list(r, true); });
    server.route("GET", u"/orq/v2/conversations/([^/]+)"_s,
                 [this](const SandboxRequest &r) { return retrieve(r); });
}

std::optional<SandboxReply> OrqSandbox::rejectAuth(const SandboxRequest &request) const
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.isEmpty())
        return orqError(401, u"authentication_required"_s,
                        u"Authentication is required: send an API key as a Bearer token."_s);
    if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != options().key)
        return orqError(401, u"invalid_api_key"_s, u"The API key provided is invalid."_s);
    return std::nullopt;
}

SandboxReply OrqSandbox::list(const SandboxRequest &request, bool camel) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QString after = camel ? u"startingAfter"_s : u"starting_after"_s;
    const QString before = camel ? u"endingBefore"_s : u"ending_before"_s;
    QStringList known{u"limit"_s, after, before};
    if (camel)
        known << u"entityId"_s;
    for (const auto &[key, value] : request.http.query().queryItems()) {
        Q_UNUSED(value);
        if (!known.contains(key))
            return badRequest(u"Unknown query parameter '%1'; this endpoint accepts %2."_s.arg(
                key, known.join(u", "_s)));
    }

    int limit = kDefaultLimit;
    if (request.hasQuery(u"limit"_s)) {
        static const QRegularExpression digits(u"^-?[0-9]{1,9}$"_s);
        const QString text = request.query(u"limit"_s);
        if (!digits.match(text).hasMatch() || text.toInt() < 1 || text.toInt() > kMaxLimit)
            return badRequest(u"limit must be an integer between 1 and %1."_s.arg(kMaxLimit));
        limit = text.toInt();
    }
    const bool hasAfter = request.hasQuery(after);
    const bool hasBefore = request.hasQuery(before);
    if (hasAfter && hasBefore)
        return badRequest(u"Use either %1 or %2, not both."_s.arg(after, before));
    int anchor = -1;
    if (hasAfter || hasBefore) {
        const QString id = request.query(hasAfter ? after : before);
        if (!OrqSandboxData::looksLikeId(id))
            return badRequest(
                u"%1 must be a conversation ID (conv_…)."_s.arg(hasAfter ? after : before));
        anchor = m_data.indexOf(id);
        if (anchor < 0)
            return notFound();
    }
    // The newer revision lists standalone conversations unless an entity is named.
    const QString entity = camel ? request.query(u"entityId"_s) : QString();
    auto matches = [this, camel, &entity](int index) {
        return !camel || m_data.entityAt(index) == entity;
    };

    // Newest first: walking the list means walking indices downwards.
    QJsonArray data;
    bool more = false;
    if (hasBefore) {
        // The `limit` conversations just newer than the anchor, still newest first.
        QList<int> picked;
        int index = anchor + 1;
        for (; index < m_data.count() && picked.size() < limit; ++index) {
            if (matches(index))
                picked.prepend(index);
        }
        for (; index < m_data.count() && !more; ++index)
            more = matches(index);
        for (int i : picked)
            data.append(m_data.summary(i));
    } else {
        int index = hasAfter ? anchor - 1 : m_data.count() - 1;
        for (; index >= 0 && data.size() < limit; --index) {
            if (matches(index))
                data.append(m_data.summary(index));
        }
        for (; index >= 0 && !more; --index)
            more = matches(index);
    }
    return SandboxReply::json(
        QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"has_more"_s, more}});
}

SandboxReply OrqSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const int index = m_data.indexOf(request.args.value(0));
    if (index < 0)
        return notFound();
    return SandboxReply::json(m_data.detail(index));
}

} // namespace parley::sandbox
