#include "sandbox/orq/OrqSandbox.h"

#include "sandbox/orq/OrqUlid.h"

#include <QDateTime>

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
    : GeneratedSandboxPlatform(options, u"orq"_s)
{}

void OrqSandbox::install(SandboxServer &server)
{
    // SandboxOptions::onlyForms: both paths list in the one revision served.
    const QString only = options().onlyForms.value(prefix());
    const bool onlyCamel = only.startsWith("2026-02"_L1);
    const bool one = !only.isEmpty();
    server.route("GET", u"/orq/v2/conversations"_s,
                 [this, one, onlyCamel](const SandboxRequest &r) {
                     return list(r, one ? onlyCamel : false);
                 });
    server.route("GET", u"/orq/v2/conversations/"_s,
                 [this, one, onlyCamel](const SandboxRequest &r) {
                     return list(r, one ? onlyCamel : true);
                 });
    server.route("GET", u"/orq/v2/conversations/([^/]+)"_s, this, &OrqSandbox::retrieve);
    server.route("POST", u"/orq/v2/conversations/?"_s, this, &OrqSandbox::create);
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
    // Serving one revision only, the other's parameters are ignored, as a platform ignores
    // parameters it does not know; otherwise the emulation is strict.
    const bool strict = options().onlyForms.value(prefix()).isEmpty();
    for (const auto &[key, value] : request.http.query().queryItems()) {
        Q_UNUSED(value);
        if (strict && !known.contains(key))
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
    // The newer revision lists standalone conversations unless an entity is named.
    const QString entity = camel ? request.query(u"entityId"_s) : QString();
    const QList<QJsonObject> created = createdFor(camel, entity);
    int anchor = -1;
    int createdAnchor = -1; // position in `created` (newest first)
    if (hasAfter || hasBefore) {
        const QString id = request.query(hasAfter ? after : before);
        if (!OrqSandboxData::looksLikeId(id))
            return badRequest(
                u"%1 must be a conversation ID (conv_…)."_s.arg(hasAfter ? after : before));
        for (int i = 0; i < created.size() && createdAnchor < 0; ++i) {
            if (created.at(i).value(u"_id"_s).toString() == id)
                createdAnchor = i;
        }
        anchor = createdAnchor >= 0 ? data().count() : data().indexOf(id);
        if (createdAnchor < 0 && anchor < 0)
            return notFound();
    }
    auto matches = [this, camel, &entity](int index) {
        return !camel || data().entityAt(index) == entity;
    };

    // Newest first: walking the list means walking indices downwards.
    QJsonArray page;
    bool more = false;
    if (hasBefore && createdAnchor >= 0) {
        // Newer than a created conversation: only created ones are.
        const int from = qMax(0, createdAnchor - limit);
        for (int i = from; i < createdAnchor; ++i)
            page.append(created.at(i));
        more = from > 0;
    } else if (hasBefore) {
        // The `limit` conversations just newer than the anchor, still newest first.
        QList<int> picked;
        int index = anchor + 1;
        for (; index < data().count() && picked.size() < limit; ++index) {
            if (matches(index))
                picked.prepend(index);
        }
        for (; index < data().count() && !more; ++index)
            more = matches(index);
        if (picked.size() < limit) {
            // Past the newest generated one: the oldest created ones, newest first.
            int c = int(created.size()) - 1;
            for (; c >= 0 && picked.size() + page.size() < limit; --c)
                page.prepend(created.at(c));
            more = c >= 0;
        } else {
            more = more || !created.isEmpty();
        }
        for (int i : picked)
            page.append(data().summary(i));
    } else {
        // Created conversations first (newest first), then the generated ones.
        int c = hasAfter ? createdAnchor + 1 : 0;
        if (hasAfter && createdAnchor < 0)
            c = int(created.size());
        for (; c < created.size() && page.size() < limit; ++c)
            page.append(created.at(c));
        int index = hasAfter && createdAnchor < 0 ? anchor - 1 : data().count() - 1;
        if (page.size() == limit && c < created.size()) {
            more = true; // more created ones follow
            index = -1;
        }
        for (; index >= 0 && page.size() < limit; --index) {
            if (matches(index))
                page.append(data().summary(index));
        }
        for (; index >= 0 && !more; --index)
            more = matches(index);
    }
    return SandboxReply::json(
        QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, page}, {u"has_more"_s, more}});
}

QList<QJsonObject> OrqSandbox::createdFor(bool camel, const QString &entity) const
{
    QList<QJsonObject> out;
    for (auto it = m_created.crbegin(); it != m_created.crend(); ++it) {
        const QJsonValue owner = it->value(u"metadata"_s).toObject().value(u"entityId"_s);
        if (!camel || owner.toString() == entity)
            out << *it;
    }
    return out;
}

int OrqSandbox::createdIndexOf(const QString &id) const
{
    for (int i = 0; i < m_created.size(); ++i) {
        if (m_created.at(i).value(u"_id"_s).toString() == id)
            return i;
    }
    return -1;
}

SandboxReply OrqSandbox::create(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return badRequest(u"The request body must be a JSON object."_s);
    const QJsonValue name = body.value(u"displayName"_s);
    if (!name.isUndefined() && !name.isNull() && !name.isString())
        return badRequest(u"displayName must be a string."_s);
    if (name.toString().size() > 100)
        return badRequest(u"displayName must be at most 100 characters."_s);
    const QJsonValue meta = body.value(u"metadata"_s);
    if (!meta.isUndefined() && !meta.isObject())
        return badRequest(u"metadata must be an object."_s);
    const QJsonObject in = meta.toObject();
    for (const QString &key : {u"entityId"_s, u"model"_s}) {
        const QJsonValue v = in.value(key);
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return badRequest(u"metadata.%1 must be a string."_s.arg(key));
    }
    const QString entity = in.value(u"entityId"_s).toString();
    const QString model = in.value(u"model"_s).toString();

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    OrqUlid ulid;
    ulid.timeMs = quint64(now);
    ulid.randomHi = quint16(0xc0de);
    ulid.randomLo = quint64(options().seed) << 32 | ++m_createdCount;
    QJsonObject metadata{{u"generatingTitle"_s, false}};
    metadata.insert(u"entityId"_s,
                    entity.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entity));
    metadata.insert(u"model"_s, model.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(model));
    const QJsonObject conversation{
        {u"_id"_s, QString(u"conv_"_s + ulid.toString())},
        {u"kind"_s, u"conversation"_s},
        {u"displayName"_s, name.toString().isEmpty() ? u"Untitled"_s : name.toString()},
        {u"createdAt"_s, double(now)},
        {u"updatedAt"_s, double(now)},
        {u"createdById"_s, u"user_parley_sandbox"_s},
        {u"updatedById"_s, u"user_parley_sandbox"_s},
        {u"metadata"_s, metadata},
    };
    m_created << conversation;
    while (m_created.size() > kMaxCreated)
        m_created.removeFirst();
    return SandboxReply::json(conversation, 200);
}

SandboxReply OrqSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    if (const int created = createdIndexOf(request.args.value(0)); created >= 0) {
        QJsonObject o = m_created.at(created);
        o.insert(u"messages"_s, QJsonArray());
        return SandboxReply::json(o);
    }
    const int index = data().indexOf(request.args.value(0));
    if (index < 0)
        return notFound();
    return SandboxReply::json(data().detail(index));
}

} // namespace parley::sandbox

PARLEY_REGISTER_SANDBOX(&parley::sandbox::SandboxRegistry::addOne<parley::sandbox::OrqSandbox>)
