#include "sandbox/dynamiq/DynamiqSandbox.h"

#include "sandbox/dynamiq/DynamiqAppSandbox.h"

#include "sandbox/LiveScript.h"
#include "sandbox/SandboxText.h"
#include "sandbox/dynamiq/DynamiqRunScript.h"
#include "sandbox/dynamiq/DynamiqSandboxHttp.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrlQuery>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

using namespace dynamiqhttp;

namespace {

constexpr int kCachedOrders = 4;

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

} // namespace

DynamiqSandbox::DynamiqSandbox(const SandboxOptions &options,
                               std::shared_ptr<DynamiqSandboxState> state)
    : GeneratedSandboxPlatform(options, u"dynamiq"_s)
    , m_state(state ? std::move(state) : std::make_shared<DynamiqSandboxState>(options.seed))
{}

QMap<QString, QString>
DynamiqSandbox::demoParams(const std::function<QUrl(const QString &)> &urlOf) const
{
    return {{u"app_host"_s, urlOf(u"dynamiq-app"_s).toString()}};
}

QStringList DynamiqSandbox::sortFields()
{
    return {u"created_at"_s, u"updated_at"_s, u"title"_s, u"started_at"_s};
}

void DynamiqSandbox::install(SandboxServer &server)
{
    for (int slot = 0; slot < qMin(options().live, data().count()); ++slot)
        startLive(slot, 0);
    server.route("GET", u"/dynamiq/v1/conversations"_s, this, &DynamiqSandbox::list);
    server.route("GET", u"/dynamiq/v1/conversations/([^/]+)"_s, this, &DynamiqSandbox::retrieve);
    server.route("POST", u"/dynamiq/v1/conversations"_s, this, &DynamiqSandbox::create);
    server.route("POST", u"/dynamiq/v3/conversations/([^/]+)/messages"_s, this,
                 &DynamiqSandbox::send);
    server.route("GET", u"/dynamiq/v1/connect/requirements"_s, this,
                 &DynamiqSandbox::connectRequirements);
    server.route("POST", u"/dynamiq/v1/connect/requirements/([^/]+)/pipedream/authorize"_s, this,
                 &DynamiqSandbox::authorize);
    server.route("POST", u"/dynamiq/v1/connect/requirements/([^/]+)/credentials"_s, this,
                 &DynamiqSandbox::credentials);
    // Last: routes added after this line would never be reached.
    installNotFound(server, prefix());
}

std::optional<SandboxReply> DynamiqSandbox::rejectAuth(const SandboxRequest &request) const
{
    return dynamiqhttp::rejectAuth(request, options().key);
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
        for (int i = 0; i < data().apps().size(); ++i) {
            if (data().apps().at(i).id == id)
                return i;
        }
        return -2;
    };
    auto modelIndex = [this](const QString &id) {
        for (int i = 0; i < data().models().size(); ++i) {
            if (data().models().at(i).id == id)
                return i;
        }
        return -2;
    };
    const int wantApp = app.isEmpty() ? -3 : appIndex(app);
    const int wantModel = model.isEmpty() ? -3 : modelIndex(model);
    const int wantOrg = org.isEmpty() ? -3 : int(data().orgIds().indexOf(org));

    auto result = std::make_shared<QVector<int>>();
    for (int index = data().count() - 1; index >= 0; --index) {
        const DynamiqSandboxData::Facts f = data().facts(index);
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
        bool needTitle = false;
        for (const SortKey &s : sort)
            needTitle = needTitle || s.field == "title"_L1;
        std::vector<Keys> keys;
        keys.reserve(size_t(result->size()));
        for (int index : std::as_const(*result)) {
            const DynamiqSandboxData::Facts f = data().facts(index);
            keys.push_back({f.created, f.updated, needTitle ? data().title(index) : QString()});
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
            // A conversation starts when it is created: the reference's started_at sorts
            // as created_at.
            if (key.field == "started_at"_L1)
                key.field = u"created_at"_s;
            sort.append(key);
        }
    }

    const Order ordered = order(filters[0], filters[1], filters[2], sort);
    const qint64 generated = ordered ? ordered->size() : data().count();
    auto indexAt = [this, &ordered](qint64 position) {
        return ordered ? ordered->at(position) : data().count() - 1 - int(position);
    };

    // Conversations created through the API, each placed where the sort puts it among the
    // generated ones: `at` is its position in the merged list.
    struct Extra
    {
        const DynamiqSandboxState::Created *conversation = nullptr;
        Keys keys;
        qint64 at = 0;
    };
    std::vector<Extra> extras;
    for (const DynamiqSandboxState::Created &c : m_state->created()) {
        const QString ids[3] = {c.json.value(u"app_id"_s).toString(),
                                c.json.value(u"model_id"_s).toString(),
                                c.json.value(u"org_id"_s).toString()};
        bool match = true;
        for (int i = 0; i < 3; ++i)
            match = match && (filters[i].isEmpty() || filters[i] == ids[i]);
        if (match)
            extras.push_back({&c, Keys{c.facts.created, c.facts.updated, c.title}, 0});
    }
    if (!extras.empty()) {
        std::stable_sort(extras.begin(), extras.end(), [&sort](const Extra &a, const Extra &b) {
            return before(a.keys, b.keys, sort);
        });
        bool needTitle = false;
        for (const SortKey &k : sort)
            needTitle = needTitle || k.field == "title"_L1;
        auto keysAt = [&](qint64 position) {
            const int index = indexAt(position);
            const DynamiqSandboxData::Facts f = data().facts(index);
            return Keys{f.created, f.updated, needTitle ? data().title(index) : QString()};
        };
        for (size_t j = 0; j < extras.size(); ++j) {
            qint64 lo = 0;
            qint64 hi = generated;
            while (lo < hi) { // how many generated rows come before it
                const qint64 mid = lo + (hi - lo) / 2;
                if (before(keysAt(mid), extras[j].keys, sort))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            extras[j].at = lo + qint64(j);
        }
    }

    const qint64 total = generated + qint64(extras.size());
    const qint64 first = qint64(*page - 1) * *pageSize;
    size_t extra = 0; // extras placed before `position`
    while (extra < extras.size() && extras[extra].at < first)
        ++extra;
    QJsonArray conversations;
    for (qint64 position = first; position < total && position < first + *pageSize; ++position) {
        if (extra < extras.size() && extras[extra].at == position) {
            conversations.append(withUpdates(extras[extra++].conversation->json));
            continue;
        }
        conversations.append(withUpdates(data().conversation(indexAt(position - qint64(extra)))));
    }
    const qint64 pageCount = (total + *pageSize - 1) / *pageSize;
    return SandboxReply::json(QJsonObject{
        {u"data"_s, conversations},
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
    const int index = data().indexOf(id.toLower());
    if (index >= 0)
        return SandboxReply::json(
            QJsonObject{{u"data"_s, withUpdates(data().conversation(index))}});
    if (const auto *created = m_state->createdConversation(id.toLower()))
        return SandboxReply::json(QJsonObject{{u"data"_s, withUpdates(created->json)}});
    return notFound();
}

bool DynamiqSandbox::before(const Keys &a, const Keys &b, const QList<SortKey> &sort)
{
    for (const SortKey &k : sort) {
        int c = 0;
        if (k.field == "created_at"_L1)
            c = a.created < b.created ? -1 : a.created > b.created ? 1 : 0;
        else if (k.field == "updated_at"_L1)
            c = a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : 0;
        else
            c = a.title.compare(b.title);
        if (c != 0)
            return k.descending ? c > 0 : c < 0;
    }
    return a.created > b.created; // no sort, and ties: newest created first
}

SandboxReply DynamiqSandbox::create(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return badRequest(u"body"_s, u"must be a JSON object"_s);
    const QJsonValue title = body.value(u"title"_s);
    if (!title.isUndefined() && !title.isNull() && !title.isString())
        return badRequest(u"title"_s, u"must be a string"_s);

    QString ids[3]; // app_id, model_id, org_id
    const QString keys[3] = {u"app_id"_s, u"model_id"_s, u"org_id"_s};
    for (int i = 0; i < 3; ++i) {
        const QJsonValue v = body.value(keys[i]);
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
            continue;
        if (!v.isString() || !isUuid(v.toString()))
            return badRequest(keys[i], u"must be a valid UUID"_s);
        ids[i] = v.toString().toLower();
    }
    if (ids[0].isEmpty() == ids[1].isEmpty()) {
        const QString problem = u"exactly one of app_id and model_id is required"_s;
        return error(400, u"bad_request"_s, u"Bad Request"_s,
                     QJsonObject{{u"app_id"_s, problem}, {u"model_id"_s, problem}});
    }

    DynamiqSandboxData::Facts f;
    for (int i = 0; i < data().apps().size(); ++i) {
        if (data().apps().at(i).id == ids[0])
            f.app = i;
    }
    for (int i = 0; i < data().models().size(); ++i) {
        if (data().models().at(i).id == ids[1])
            f.model = i;
    }
    f.org = ids[2].isEmpty() ? 0 : int(data().orgIds().indexOf(ids[2]));
    if ((!ids[0].isEmpty() && f.app < 0) || (!ids[1].isEmpty() && f.model < 0) || f.org < 0)
        return notFound(); // outside what the key can see
    f.created = f.updated = m_state->nextCreatedSecs();

    QRandomGenerator rng =
        SandboxText::rng(options().seed, u"dynamiq/created"_s, m_state->created().size());
    const QString text = title.toString();
    const QJsonObject conversation = data().conversationJson(SandboxText::uuid(rng), text, f);
    if (!m_state->addConversation({conversation, f, text}))
        return error(403, u"forbidden"_s,
                     u"The sandbox holds %1 created conversations; restart it"_s.arg(
                         DynamiqSandboxState::kMaxCreated));
    return SandboxReply::json(QJsonObject{{u"data"_s, conversation}}, 201);
}

// The reply to a message: the run's events, streamed at the sandbox's pace; the app host's
// cancel stops it with run.canceled.
SandboxReply DynamiqSandbox::send(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QString id = request.args.value(0).toLower();
    if (!isUuid(id))
        return badRequest(u"conversation_id"_s, u"must be a valid UUID"_s);
    if (data().indexOf(id) < 0 && !m_state->createdConversation(id))
        return notFound();
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return badRequest(u"body"_s, u"must be a JSON object"_s);
    const QJsonArray content = body.value(u"content"_s).toArray();
    if (content.isEmpty())
        return badRequest(u"content"_s, u"cannot be blank"_s);
    QStringList texts;
    for (qsizetype i = 0; i < content.size(); ++i) {
        const QJsonObject part = content.at(i).toObject();
        const QString type = part.value(u"type"_s).toString();
        const QString field = u"content[%1]"_s.arg(i);
        if (type == "text"_L1) {
            const QString text = part.value(u"text"_s).toString();
            if (text.trimmed().isEmpty())
                return badRequest(field + u".text"_s, u"cannot be blank"_s);
            texts << text;
        } else if (type == "file"_L1) {
            if (!part.value(u"file"_s).toObject().value(u"id"_s).isString())
                return badRequest(field + u".file.id"_s, u"cannot be blank"_s);
        } else {
            return badRequest(field + u".type"_s, u"must be one of: text, file"_s);
        }
    }

    const auto [runId, script, clock] = startRun(id, texts.join(u'\n'), -1);
    SandboxReply reply = SandboxReply::stream("text/event-stream; charset=utf-8", script->frames,
                                              options().streamIntervalMs);
    const std::shared_ptr<DynamiqSandboxState> state = m_state;
    reply.frameDueInMs = [clock](qsizetype i) { return clock->msUntilWritten(int(i) + 1); };
    reply.keepGoing = [state, runId]() { return !state->isCanceled(runId); };
    reply.stopFrame = [script, clock](qsizetype) {
        return script->canceledFrame(clock->written());
    };
    reply.onFinished = [state, runId, clock]() {
        if (clock->finished())
            state->finishRun(runId);
    };
    reply.endNow = [state, runId, clock]() {
        if (!clock->stopped())
            clock->finish();
        state->finishRun(runId);
    };
    return reply;
}

DynamiqSandbox::Started DynamiqSandbox::startRun(const QString &conversationId,
                                                 const QString &message, qint64 durationMs)
{
    const QString runId = m_state->startRun(conversationId);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto make = [&](int intervalMs) {
        return std::make_shared<const DynamiqRunScript>(
            DynamiqRunScript::make(options().seed, conversationId, m_state->runsStarted(), runId,
                                   message, now, intervalMs));
    };
    auto script = make(options().streamIntervalMs);
    const int frames = int(script->frames.size());
    if (durationMs < 0)
        durationMs = options().replyMs(frames);
    if (durationMs != qint64(frames) * options().streamIntervalMs) // the events' times too
        script = make(int(durationMs / qMax(1, frames)));
    auto clock = std::make_shared<ReplyClock>(frames, durationMs);
    m_state->attachScript(runId, script, clock);
    // Over when its time is up, whoever is reading it.
    const std::shared_ptr<DynamiqSandboxState> state = m_state;
    later(durationMs, [state, runId, clock] {
        if (clock->finished())
            state->finishRun(runId);
    });
    return {runId, script, clock};
}

QJsonObject DynamiqSandbox::withUpdates(QJsonObject conversation) const
{
    const auto it = m_updated.constFind(conversation.value(u"id"_s).toString());
    if (it != m_updated.constEnd())
        conversation.insert(u"updated_at"_s, DynamiqSandboxData::rfc3339(*it));
    return conversation;
}

// A live conversation: a run every exchange (the scripted message, then the reply written
// over its time), the next one after a pause. Its updated_at is the last run's start.
void DynamiqSandbox::startLive(int slot, int exchange)
{
    const QString id = data().idAt(data().count() - 1 - slot);
    const LiveExchange e = LiveExchange::at(options(), prefix(), slot, exchange);
    m_updated.insert(id, QDateTime::currentSecsSinceEpoch());
    startRun(id, e.question, e.replyMs);
    later(e.replyMs + e.pauseMs, [this, slot, exchange] { startLive(slot, exchange + 1); });
}

std::optional<DynamiqSandboxState::Grant>
DynamiqSandbox::connectGrant(const SandboxRequest &request) const
{
    return m_state->grant(bearer(request), QDateTime::currentDateTimeUtc());
}

SandboxReply DynamiqSandbox::connectRequirements(const SandboxRequest &request) const
{
    if (!connectGrant(request))
        return unauthorized();
    QJsonArray items;
    for (const QJsonObject &r : m_state->requirements()) {
        const QJsonObject form = r.value(u"form"_s).toObject();
        items.append(QJsonObject{{u"id"_s, r.value(u"id"_s)},
                                 {u"type"_s, r.value(u"type"_s)},
                                 {u"title"_s, form.value(u"title"_s)},
                                 {u"description"_s, form.value(u"description"_s)},
                                 {u"spec"_s, r.value(u"spec"_s)}});
    }
    return SandboxReply::json(QJsonObject{{u"data"_s, items}});
}

// Dynamiq answers with Pipedream's connect page; the sandbox with its own stand-in on the
// app host, which meets the requirement when visited.
SandboxReply DynamiqSandbox::authorize(const SandboxRequest &request)
{
    const auto grant = connectGrant(request);
    if (!grant)
        return unauthorized();
    const QString id = request.args.value(0);
    const auto requirement = m_state->requirement(id);
    if (!requirement)
        return notFound();
    if (requirement->value(u"type"_s).toString() != "pipedream_account"_L1)
        return badRequest(u"requirement_id"_s, u"is not a pipedream_account requirement"_s);
    QUrl url(origin(request) + u"/dynamiq-app/connect/visit"_s);
    QUrlQuery query;
    query.addQueryItem(u"token"_s, m_state->mintLink(*grant, id));
    query.addQueryItem(u"requirement"_s, id);
    url.setQuery(query);
    return SandboxReply::json(
        QJsonObject{{u"data"_s, QJsonObject{{u"url"_s, url.toString(QUrl::FullyEncoded)}}}});
}

SandboxReply DynamiqSandbox::credentials(const SandboxRequest &request)
{
    const auto grant = connectGrant(request);
    if (!grant)
        return unauthorized();
    const auto requirement = m_state->requirement(request.args.value(0));
    if (!requirement)
        return notFound();
    if (requirement->value(u"type"_s).toString() != "connection"_L1)
        return badRequest(u"requirement_id"_s, u"is not a connection requirement"_s);
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return badRequest(u"body"_s, u"must be a JSON object"_s);
    const QString wanted = requirement->value(u"spec"_s)
                               .toObject()
                               .value(u"data"_s)
                               .toObject()
                               .value(u"type"_s)
                               .toString();
    if (body.value(u"type"_s).toString() != wanted)
        return badRequest(u"type"_s, u"must be %1"_s.arg(wanted));
    if (body.value(u"config"_s).toObject().isEmpty())
        return badRequest(u"config"_s, u"cannot be blank"_s);
    m_state->satisfy(grant->userId, requirement->value(u"id"_s).toString());
    return SandboxReply::json(QJsonObject{{u"message"_s, u"created"_s}}, 201);
}

} // namespace parley::sandbox

namespace {

// Dynamiq's two hosts share what write calls change (runs, tokens, met requirements).
void addDynamiq(const parley::sandbox::SandboxOptions &options,
                parley::sandbox::SandboxPlatforms &into)
{
    using namespace parley::sandbox;
    auto state = std::make_shared<DynamiqSandboxState>(options.seed);
    into.push_back(std::make_unique<DynamiqSandbox>(options, state));
    into.push_back(std::make_unique<DynamiqAppSandbox>(options, state));
}

} // namespace

PARLEY_REGISTER_SANDBOX(addDynamiq)
