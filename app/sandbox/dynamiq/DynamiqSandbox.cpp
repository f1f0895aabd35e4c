#include "sandbox/dynamiq/DynamiqSandbox.h"

#include "sandbox/SandboxText.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

constexpr int kCachedOrders = 4;

// Dynamiq's error body: {"error": {"code", "message", "details"?}}.
SandboxReply dynamiqError(int status, const QString &code, const QString &message,
                          const QJsonObject &details = {})
{
    QJsonObject error{{u"code"_s, code}, {u"message"_s, message}};
    if (!details.isEmpty())
        error.insert(u"details"_s, details);
    return SandboxReply::json(QJsonObject{{u"error"_s, error}}, status);
}

SandboxReply badRequest(const QString &field, const QString &problem)
{
    return dynamiqError(400, u"bad_request"_s, u"Bad Request"_s, QJsonObject{{field, problem}});
}

SandboxReply notFound()
{
    return dynamiqError(404, u"not_found"_s, u"Not Found"_s);
}

bool isUuid(const QString &text)
{
    static const QRegularExpression re(
        u"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"_s);
    return re.match(text).hasMatch();
}

// A positive integer parameter: `fallback` when absent, or the problem with it.
std::optional<int> positive(const SandboxRequest &request, const QString &key, int fallback,
                            QString *problem)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^-?[0-9]{1,9}$"_s);
    const QString text = request.query(key).trimmed();
    if (!digits.match(text).hasMatch()) {
        *problem = u"must be an integer"_s;
        return std::nullopt;
    }
    if (text.toInt() < 1) {
        *problem = u"must be no less than 1"_s;
        return std::nullopt;
    }
    return text.toInt();
}

std::optional<SandboxReply> rejectAuthHeader(const SandboxRequest &request, const QByteArray &key)
{
    const QByteArray header = request.header("authorization").trimmed();
    if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != key)
        return dynamiqError(401, u"unauthorized"_s, u"Unauthorized"_s);
    return std::nullopt;
}

// A GET of any path under `prefix` that no route took: Dynamiq's 404 body. (Other methods
// keep the server's answers: 405 on a known path, 404 elsewhere.)
void installNotFound(SandboxServer &server, const QString &prefix)
{
    server.route("GET", u"/%1(?:/.*)?"_s.arg(prefix),
                 [](const SandboxRequest &) { return notFound(); });
}

} // namespace

DynamiqSandbox::DynamiqSandbox(const SandboxOptions &options)
    : SandboxPlatform(options)
    , m_data(options.seed, options.conversations)
{}

QString DynamiqSandbox::prefix() const
{
    return u"dynamiq"_s;
}

QStringList DynamiqSandbox::sortFields()
{
    return {u"created_at"_s, u"updated_at"_s, u"title"_s};
}

void DynamiqSandbox::install(SandboxServer &server)
{
    server.route("GET", u"/dynamiq/v1/conversations"_s,
                 [this](const SandboxRequest &r) { return list(r); });
    server.route("GET", u"/dynamiq/v1/conversations/([^/]+)"_s,
                 [this](const SandboxRequest &r) { return retrieve(r); });
    // Last: routes added after this line would never be reached.
    installNotFound(server, prefix());
}

std::optional<SandboxReply> DynamiqSandbox::rejectAuth(const SandboxRequest &request) const
{
    return rejectAuthHeader(request, options().key);
}

DynamiqSandbox::Order DynamiqSandbox::order(const QString &app, const QString &model,
                                            const QString &org, const QList<SortKey> &sort) const
{
    const bool defaultSort =
        sort.isEmpty() || (sort.first().field == "created_at"_L1 && sort.first().descending);
    const bool ascendingCreated =
        !sort.isEmpty() && sort.first().field == "created_at"_L1 && !sort.first().descending;
    if (app.isEmpty() && model.isEmpty() && org.isEmpty() && defaultSort)
        return nullptr;

    QString key = app + u'|' + model + u'|' + org + u'|';
    for (const SortKey &s : sort)
        key += (s.descending ? u"-"_s : QString()) + s.field + u',';
    for (qsizetype i = 0; i < m_orders.size(); ++i) {
        if (m_orders.at(i).key == key) {
            const Order found = m_orders.at(i).order;
            m_orders.move(i, 0);
            return found;
        }
    }

    // Which app, model and organization the filter values name (-2: none of ours).
    auto appIndex = [this](const QString &id) {
        for (int i = 0; i < m_data.apps().size(); ++i) {
            if (m_data.apps().at(i).id == id)
                return i;
        }
        return -2;
    };
    auto modelIndex = [this](const QString &id) {
        for (int i = 0; i < m_data.models().size(); ++i) {
            if (m_data.models().at(i).id == id)
                return i;
        }
        return -2;
    };
    const int wantApp = app.isEmpty() ? -3 : appIndex(app);
    const int wantModel = model.isEmpty() ? -3 : modelIndex(model);
    const int wantOrg = org.isEmpty() ? -3 : int(m_data.orgIds().indexOf(org));

    auto result = std::make_shared<QVector<int>>();
    for (int index = m_data.count() - 1; index >= 0; --index) {
        const DynamiqSandboxData::Facts f = m_data.facts(index);
        if ((wantApp != -3 && f.app != wantApp) || (wantModel != -3 && f.model != wantModel) ||
            (wantOrg != -3 && f.org != wantOrg))
            continue;
        result->append(index);
    }

    if (ascendingCreated) {
        std::reverse(result->begin(), result->end());
    } else if (!defaultSort) {
        // Keys computed once per conversation, titles only when a sort asks for them; the
        // positions are sorted, then mapped back to indices.
        struct Keys
        {
            qint64 created = 0;
            qint64 updated = 0;
            QString title;
        };
        bool needTitle = false;
        for (const SortKey &s : sort)
            needTitle = needTitle || s.field == "title"_L1;
        std::vector<Keys> keys;
        keys.reserve(size_t(result->size()));
        for (int index : std::as_const(*result)) {
            const DynamiqSandboxData::Facts f = m_data.facts(index);
            keys.push_back({f.created, f.updated, needTitle ? m_data.title(index) : QString()});
        }
        // The fields as numbers, so that the comparison compares no field names.
        std::vector<std::pair<int, bool>> fields; // 0 created, 1 updated, 2 title; descending
        for (const SortKey &s : sort)
            fields.emplace_back(s.field == "created_at"_L1   ? 0
                                : s.field == "updated_at"_L1 ? 1
                                                             : 2,
                                s.descending);
        std::vector<int> positions(keys.size());
        for (size_t i = 0; i < positions.size(); ++i)
            positions[i] = int(i);
        // Ties keep the unsorted list's order: newest created first.
        std::stable_sort(positions.begin(), positions.end(), [&](int a, int b) {
            const Keys &ka = keys[size_t(a)];
            const Keys &kb = keys[size_t(b)];
            for (const auto &[field, descending] : fields) {
                int c = 0;
                if (field == 0)
                    c = ka.created < kb.created ? -1 : ka.created > kb.created ? 1 : 0;
                else if (field == 1)
                    c = ka.updated < kb.updated ? -1 : ka.updated > kb.updated ? 1 : 0;
                else
                    c = ka.title.compare(kb.title);
                if (c != 0)
                    return descending ? c > 0 : c < 0;
            }
            return false;
        });
        const QVector<int> unsorted = *result;
        for (size_t i = 0; i < positions.size(); ++i)
            (*result)[qsizetype(i)] = unsorted.at(positions[i]);
    }

    m_orders.prepend({key, result});
    while (m_orders.size() > kCachedOrders)
        m_orders.removeLast();
    return result;
}

SandboxReply DynamiqSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;

    QString problem;
    const std::optional<int> page = positive(request, u"page"_s, 1, &problem);
    if (!page)
        return badRequest(u"page"_s, problem);
    const std::optional<int> pageSize =
        positive(request, u"page_size"_s, kDefaultPageSize, &problem);
    if (!pageSize)
        return badRequest(u"page_size"_s, problem);

    QString filters[3];
    const QString filterKeys[3] = {u"app_id"_s, u"model_id"_s, u"org_id"_s};
    for (int i = 0; i < 3; ++i) {
        const QString value = request.query(filterKeys[i]).trimmed();
        if (!value.isEmpty() && !isUuid(value))
            return badRequest(filterKeys[i], u"must be a valid UUID"_s);
        filters[i] = value.toLower();
    }

    QList<SortKey> sort;
    const QString sortText = request.query(u"sort"_s).trimmed();
    if (!sortText.isEmpty()) {
        for (const QString &part : sortText.split(u',')) {
            SortKey key;
            key.field = part.trimmed();
            if (key.field.startsWith(u'-')) {
                key.descending = true;
                key.field.remove(0, 1);
            }
            if (!sortFields().contains(key.field))
                return badRequest(u"sort"_s, u"unknown sort field \"%1\"; allowed: %2"_s.arg(
                                                 key.field.left(64), sortFields().join(u", "_s)));
            sort.append(key);
        }
    }

    const Order ordered = order(filters[0], filters[1], filters[2], sort);
    const qint64 total = ordered ? ordered->size() : m_data.count();
    const qint64 first = qint64(*page - 1) * *pageSize;
    QJsonArray data;
    for (qint64 position = first; position < total && position < first + *pageSize; ++position) {
        const int index = ordered ? ordered->at(position) : m_data.count() - 1 - int(position);
        data.append(m_data.conversation(index));
    }
    const qint64 pageCount = (total + *pageSize - 1) / *pageSize;
    return SandboxReply::json(QJsonObject{
        {u"data"_s, data},
        {u"pagination"_s, QJsonObject{{u"page"_s, *page},
                                      {u"page_size"_s, *pageSize},
                                      {u"page_count"_s, pageCount},
                                      {u"total_count"_s, total}}},
    });
}

SandboxReply DynamiqSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QString id = request.args.value(0);
    if (!isUuid(id))
        return badRequest(u"conversation_id"_s, u"must be a valid UUID"_s);
    const int index = m_data.indexOf(id.toLower());
    if (index < 0)
        return notFound();
    return SandboxReply::json(QJsonObject{{u"data"_s, m_data.conversation(index)}});
}

DynamiqAppSandbox::DynamiqAppSandbox(const SandboxOptions &options)
    : SandboxPlatform(options)
{}

QString DynamiqAppSandbox::prefix() const
{
    return u"dynamiq-app"_s;
}

void DynamiqAppSandbox::install(SandboxServer &server)
{
    server.route("GET", u"/dynamiq-app/v1/requirements/status"_s,
                 [this](const SandboxRequest &r) { return requirementsStatus(r); });
    // Last: routes added after this line would never be reached.
    installNotFound(server, prefix());
}

// Every end user starts with the app's requirements unmet; the flows that meet them
// (connect tokens, authorize, credentials) are not emulated yet.
SandboxReply DynamiqAppSandbox::requirementsStatus(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuthHeader(request, options().key))
        return *rejected;
    if (request.query(u"user_id"_s).trimmed().isEmpty())
        return badRequest(u"user_id"_s, u"cannot be blank"_s);

    QRandomGenerator rng = SandboxText::rng(options().seed, u"dynamiq-app/requirements"_s, 0);
    const QString workflow = SandboxText::uuid(rng);
    const QJsonObject gmail{
        {u"id"_s, SandboxText::uuid(rng)},
        {u"type"_s, u"pipedream_account"_s},
        {u"name"_s, u"gmail_account"_s},
        {u"workflow_id"_s, workflow},
        {u"form"_s, QJsonObject{{u"title"_s, u"Connect Gmail"_s},
                                {u"description"_s, u"Lets the agent read and send email on "
                                                   "your behalf."_s}}},
        {u"spec"_s, QJsonObject{{u"type"_s, u"pipedream_account"_s},
                                {u"data"_s, QJsonObject{{u"app_slug"_s, u"gmail"_s}}}}},
    };
    const QJsonObject apiKey{
        {u"id"_s, SandboxText::uuid(rng)},
        {u"type"_s, u"connection"_s},
        {u"name"_s, u"crm_api_key"_s},
        {u"workflow_id"_s, workflow},
        {u"form"_s, QJsonObject{{u"title"_s, u"CRM API key"_s},
                                {u"description"_s, u"An API key of your CRM account."_s}}},
        {u"spec"_s,
         QJsonObject{{u"type"_s, u"connection"_s},
                     {u"data"_s, QJsonObject{{u"type"_s, u"dynamiq.connections.HttpApiKey"_s}}}}},
    };
    return SandboxReply::json(
        QJsonObject{{u"status"_s, u"incomplete"_s}, {u"unsatisfied"_s, QJsonArray{gmail, apiKey}}});
}

} // namespace parley::sandbox
