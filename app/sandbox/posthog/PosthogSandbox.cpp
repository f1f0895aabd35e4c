#include "sandbox/posthog/PosthogSandbox.h"

#include "sandbox/LiveScript.h"
#include "sandbox/SandboxText.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

const QString kRead = u"conversation:read"_s;
const QString kWrite = u"conversation:write"_s;

// PostHog's error body (drf-exceptions-hog).
SandboxReply drfError(int status, const QString &type, const QString &code, const QString &detail,
                      const QString &attr = {})
{
    return SandboxReply::json(
        QJsonObject{{u"type"_s, type},
                    {u"code"_s, code},
                    {u"detail"_s, detail},
                    {u"attr"_s, attr.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(attr)}},
        status);
}

// A non-negative integer query parameter; `fallback` when absent, nullopt when malformed.
std::optional<int> intParam(const SandboxRequest &request, const QString &key, int fallback,
                            int minimum)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString text = request.query(key);
    if (!digits.match(text).hasMatch() || text.toInt() < minimum)
        return std::nullopt;
    return text.toInt();
}

// DRF builds `next`/`previous` from the URL the request came in on (its Host header).
QJsonValue pageLink(const SandboxRequest &request, int limit, int offset)
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setAuthority(QString::fromLatin1(request.header("host")));
    url.setPath(request.http.url().path());
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(limit));
    if (offset > 0)
        query.addQueryItem(u"offset"_s, QString::number(offset));
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace

PosthogSandbox::PosthogSandbox(const SandboxOptions &options)
    : GeneratedSandboxPlatform(options, u"posthog"_s)
    , m_others(PosthogSandboxData::otherMembers(options.seed))
{
    // The showcase is the newest conversation not kept live, and it waits for an approval, so
    // that one transcript holds every kind of content (none waits when every one is live).
    const int newestQuiet = data().count() - 1 - qMax(0, options.live);
    if (newestQuiet >= 0) {
        mutableData().setShowcase(newestQuiet);
        m_approvalIndex = newestQuiet;
    }
}

QString PosthogSandbox::approvalConversationId() const
{
    return m_approvalIndex < 0 ? QString() : data().idAt(m_approvalIndex);
}

QString PosthogSandbox::pendingApprovalId() const
{
    return m_approvalIndex < 0
               ? QString()
               : data().pendingApproval(m_approvalIndex).value(u"proposal_id"_s).toString();
}

QMap<QString, QString>
PosthogSandbox::demoParams(const std::function<QUrl(const QString &)> &) const
{
    return {{u"project_id"_s, u"1"_s}};
}

void PosthogSandbox::install(SandboxServer &server)
{
    for (int slot = 0; slot < qMin(options().live, data().count()); ++slot)
        startLive(slot, 0);
    const QString collection = u"/posthog/api/(?:projects|environments)/([^/]+)/conversations/"_s;
    server.route("GET", collection, this, &PosthogSandbox::list);
    server.route("GET", collection + u"([^/]+)/"_s, this, &PosthogSandbox::retrieve);
    server.route("POST", collection, this, &PosthogSandbox::stream);
    server.route("POST", collection + u"([^/]+)/append_message/"_s, this, &PosthogSandbox::append);
    server.route("PATCH", collection + u"([^/]+)/cancel/"_s, this, &PosthogSandbox::cancel);
    server.route("POST", collection + u"([^/]+)/queue/clear/"_s, this, &PosthogSandbox::queueClear);
    for (const char *method : {"GET", "POST"})
        server.route(method, collection + u"([^/]+)/queue/"_s, this, &PosthogSandbox::queue);
    for (const char *method : {"PATCH", "DELETE"})
        server.route(method, collection + u"([^/]+)/queue/([^/]+)/"_s, this,
                     &PosthogSandbox::queueItem);
}

std::optional<SandboxReply> PosthogSandbox::rejectAuth(const SandboxRequest &request,
                                                       const QString &scope) const
{
    // SandboxOptions::onlyForms: one API path served, the other not there at all.
    const QString only = options().onlyForms.value(prefix());
    if (!only.isEmpty() && !request.http.url().path().startsWith(u"/posthog/api/"_s + only + u'/'))
        return drfError(404, u"invalid_request"_s, u"not_found"_s, u"Not found."_s);
    const QByteArray header = request.header("authorization").trimmed();
    std::optional<SandboxReply> reply;
    if (header.isEmpty())
        reply = drfError(401, u"authentication_error"_s, u"not_authenticated"_s,
                         u"Authentication credentials were not provided."_s);
    else if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != options().key)
        reply = drfError(401, u"authentication_error"_s, u"authentication_failed"_s,
                         u"Personal API key found in request Authorization header is invalid."_s);
    if (reply) {
        reply->headers.append(
            qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"api\"")));
        return reply;
    }
    // APIScopePermission's refusal, raised as DRF's PermissionDenied [D: posthog/permissions.py].
    if (!options().keyHasScope(scope))
        return drfError(403, u"authentication_error"_s, u"permission_denied"_s,
                        u"API key missing required scope '%1'"_s.arg(scope));
    return reply;
}

SandboxReply PosthogSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request, kRead))
        return *rejected;
    // Real DRF silently falls back to the defaults for malformed values; the sandbox
    // answers 400 instead, so that a client sending garbage is caught by the tests.
    const std::optional<int> limitParam = intParam(request, u"limit"_s, kDefaultLimit, 1);
    if (!limitParam)
        return drfError(400, u"validation_error"_s, u"invalid"_s,
                        u"Ensure this value is a positive integer."_s, u"limit"_s);
    const std::optional<int> offsetParam = intParam(request, u"offset"_s, 0, 0);
    if (!offsetParam)
        return drfError(400, u"validation_error"_s, u"invalid"_s,
                        u"Ensure this value is an integer greater than or equal to 0."_s,
                        u"offset"_s);
    const int limit = qMin(*limitParam, kMaxLimit);
    const int offset = *offsetParam;
    const int started = int(m_started.size());
    const int count = data().count() + started;

    QJsonArray results;
    for (int position = offset; position < count && position < offset + limit; ++position) {
        QJsonObject row;
        if (position < started) {
            row = m_stored.value(m_started.at(position));
        } else {
            const int index = data().indexAtPosition(position - started);
            row = m_stored.contains(data().idAt(index)) ? m_stored.value(data().idAt(index))
                                                        : data().summary(index);
        }
        row.remove(u"messages"_s);
        results.append(row);
    }

    const QJsonValue next =
        offset + limit < count ? pageLink(request, limit, offset + limit) : QJsonValue::Null;
    const QJsonValue previous = offset <= 0 ? QJsonValue(QJsonValue::Null)
                                            : pageLink(request, limit, qMax(0, offset - limit));
    return SandboxReply::json(QJsonObject{{u"count"_s, count},
                                          {u"next"_s, next},
                                          {u"previous"_s, previous},
                                          {u"results"_s, results}});
}

SandboxReply PosthogSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request, kRead))
        return *rejected;
    const QString id = request.args.value(1);
    QJsonObject conversation = current(id);
    if (conversation.isEmpty() && m_others.indexOf(id) >= 0)
        conversation = m_others.detail(m_others.indexOf(id));
    if (conversation.isEmpty())
        return drfError(404, u"invalid_request"_s, u"not_found"_s, u"Not found."_s);
    return SandboxReply::json(conversation);
}

namespace {

// The ad-hoc bodies of PostHog's conversation actions.
SandboxReply adHocError(int status, const QString &error, const QString &detail = {})
{
    QJsonObject body{{u"error"_s, error}};
    if (!detail.isEmpty())
        body.insert(u"detail"_s, detail);
    return SandboxReply::json(body, status);
}

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QByteArray sseFrame(const char *event, const QJsonObject &data)
{
    return QByteArray("event: ") + event +
           "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

// The text a message must be: non-blank, at most `max` characters (DRF's messages).
std::optional<SandboxReply> contentProblem(const QJsonValue &content, int max)
{
    if (!content.isString() || content.toString().trimmed().isEmpty())
        return drfError(400, u"validation_error"_s, u"blank"_s, u"This field may not be blank."_s,
                        u"content"_s);
    if (content.toString().size() > max)
        return drfError(400, u"validation_error"_s, u"max_length"_s,
                        u"Ensure this field has no more than %1 characters."_s.arg(max),
                        u"content"_s);
    return std::nullopt;
}

// The agent modes the emulation knows (PostHog's AgentMode enum, which grows).
const QStringList kAgentModes{u"product_analytics"_s, u"sql"_s,  u"session_replay"_s,
                              u"error_tracking"_s,    u"plan"_s, u"research"_s};

QString pythonType(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Array:
        return u"list"_s;
    case QJsonValue::String:
        return u"str"_s;
    case QJsonValue::Double:
        return v.toDouble() == double(qint64(v.toDouble())) ? u"int"_s : u"float"_s;
    case QJsonValue::Bool:
        return u"bool"_s;
    default:
        return u"NoneType"_s;
    }
}

// The fields beside `content` as PostHog's message and queue serializers check them.
std::optional<SandboxReply> fieldProblem(const QJsonObject &body)
{
    const QJsonValue mode = body.value(u"agent_mode"_s);
    if (!mode.isUndefined() && !kAgentModes.contains(mode.toString()))
        return drfError(400, u"validation_error"_s, u"invalid_choice"_s,
                        u"\"%1\" is not a valid choice."_s.arg(mode.toVariant().toString()),
                        u"agent_mode"_s);
    const QJsonValue tools = body.value(u"contextual_tools"_s);
    if (!tools.isUndefined() && !tools.isObject())
        return drfError(
            400, u"validation_error"_s, u"not_a_dict"_s,
            u"Expected a dictionary of items but got type \"%1\"."_s.arg(pythonType(tools)),
            u"contextual_tools"_s);
    if (body.value(u"is_sandbox"_s).toBool())
        return adHocError(400, u"Sandbox conversations must be opened with the open action"_s);
    return std::nullopt;
}

// A value of `body` that is there and not null.
bool given(const QJsonObject &body, const QString &key)
{
    const QJsonValue v = body.value(key);
    return !v.isUndefined() && !v.isNull();
}

} // namespace

QString PosthogSandbox::nextId(const QString &salt)
{
    QRandomGenerator rng = SandboxText::rng(options().seed, salt, qint64(++m_counter));
    return SandboxText::uuid(rng);
}

QJsonObject PosthogSandbox::current(const QString &id) const
{
    if (m_stored.contains(id)) {
        QJsonObject conversation = m_stored.value(id);
        const auto run = m_running.value(id);
        if (const int written = run ? run->clock->written() : 0; written > 0) {
            QJsonArray messages = conversation.value(u"messages"_s).toArray();
            messages.append(aiMessage(*run, written, false));
            conversation.insert(u"messages"_s, messages);
        }
        return conversation;
    }
    const int index = data().indexOf(id);
    if (index < 0)
        return {};
    QJsonObject conversation = data().detail(index);
    if (index == m_approvalIndex)
        conversation.insert(u"pending_approvals"_s, QJsonArray{data().pendingApproval(index)});
    return conversation;
}

void PosthogSandbox::store(const QString &id, const QJsonObject &conversation)
{
    const auto running = [this](const QString &other) { return m_running.contains(other); };
    for (const QString &old : m_stored.store(id, conversation, running)) {
        m_started.removeAll(old);
        m_queues.remove(old);
    }
}

void PosthogSandbox::addMessages(const QString &id, const QJsonArray &messages,
                                 const QString &status)
{
    QJsonObject conversation = current(id);
    QJsonArray all = conversation.value(u"messages"_s).toArray();
    for (const QJsonValue &m : messages)
        all.append(m);
    conversation.insert(u"messages"_s, all);
    if (!status.isEmpty())
        conversation.insert(u"status"_s, status);
    conversation.insert(u"updated_at"_s, nowIso());
    store(id, conversation);
}

SandboxReply PosthogSandbox::stream(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request, kWrite))
        return *rejected;
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return drfError(400, u"validation_error"_s, u"parse_error"_s, u"JSON parse error."_s);
    const QString id = body.value(u"conversation"_s).toString().trimmed();
    if (id.isEmpty())
        return drfError(400, u"validation_error"_s, u"required"_s, u"This field is required."_s,
                        u"conversation"_s);
    if (body.value(u"trace_id"_s).toString().trimmed().isEmpty())
        return drfError(400, u"validation_error"_s, u"required"_s, u"This field is required."_s,
                        u"trace_id"_s);
    if (auto problem = fieldProblem(body))
        return *problem;
    QJsonObject conversation = current(id);
    const QJsonValue content = body.value(u"content"_s);
    if (content.isNull() || content.isUndefined())
        return conversation.isEmpty()
                   ? adHocError(400, u"Cannot stream from non-existent conversation"_s)
                   : reattach(id, conversation, body);
    if (auto problem = contentProblem(content, 40000))
        return *problem;
    const bool isNew = conversation.isEmpty();
    if (!isNew &&
        (m_running.contains(id) || conversation.value(u"status"_s).toString() != "idle"_L1))
        return adHocError(409, u"Cannot resume streaming with a new message"_s);

    const QString text = content.toString();
    if (isNew) {
        conversation = QJsonObject{
            {u"id"_s, id},
            {u"status"_s, u"in_progress"_s},
            {u"title"_s, text.left(60)},
            {u"type"_s, u"assistant"_s},
            {u"user"_s, data().owner()},
            {u"created_at"_s, nowIso()},
            {u"updated_at"_s, nowIso()},
            {u"messages"_s, QJsonArray()},
            {u"has_unsupported_content"_s, false},
            {u"agent_runtime"_s, u"langgraph"_s},
            {u"is_sandbox"_s, false},
            {u"pending_approvals"_s, QJsonArray()},
            {u"agent_mode"_s, QJsonValue::Null},
        };
        m_started.prepend(id);
    }
    if (given(body, u"agent_mode"_s)) // kept unless a message names another
        conversation.insert(u"agent_mode"_s, body.value(u"agent_mode"_s));
    QJsonObject human{
        {u"type"_s, u"human"_s}, {u"content"_s, text}, {u"id"_s, nextId(u"posthog/human"_s)}};
    if (given(body, u"ui_context"_s))
        human.insert(u"ui_context"_s, body.value(u"ui_context"_s));
    QRandomGenerator rng =
        SandboxText::rng(options().seed, u"posthog/reply"_s, qint64(m_counter + 1));
    const QString answer = SandboxText::answer(rng);
    const auto words = answer.split(u' ', Qt::SkipEmptyParts).size();
    const auto run = startRun(id, conversation, human, answer, options().replyMs(int(words)));

    QList<QByteArray> head;
    if (isNew) {
        QJsonObject summary = m_stored.value(id);
        summary.remove(u"messages"_s);
        head << sseFrame("conversation", summary);
    }
    head << sseFrame("message", run->human) << sseFrame("status", {{u"type"_s, u"ack"_s}});
    return runStream(run, head, true);
}

std::shared_ptr<PosthogSandbox::Run>
PosthogSandbox::startRun(const QString &id, QJsonObject conversation, const QJsonObject &human,
                         const QString &answer, qint64 durationMs)
{
    auto run = std::make_shared<Run>();
    run->conversationId = id;
    run->human = human;
    run->replyId = nextId(u"posthog/ai"_s);
    run->words = answer.split(u' ', Qt::SkipEmptyParts);
    run->clock = std::make_unique<ReplyClock>(int(run->words.size()), durationMs);
    if (!human.isEmpty()) {
        QJsonArray messages = conversation.value(u"messages"_s).toArray();
        messages.append(human);
        conversation.insert(u"messages"_s, messages);
    }
    conversation.insert(u"status"_s, u"in_progress"_s);
    conversation.insert(u"updated_at"_s, nowIso());
    m_running.insert(id, run);
    store(id, conversation);
    // Over when its time is up, whoever is reading it.
    const std::weak_ptr<Run> weak = run;
    later(run->clock->msUntilWritten(run->clock->units()), [this, weak] {
        if (const auto r = weak.lock(); r && r->clock->finished())
            finishRun(r);
    });
    return run;
}

QJsonObject PosthogSandbox::aiMessage(const Run &run, qsizetype words, bool final)
{
    QJsonObject m{{u"type"_s, u"ai"_s}, {u"content"_s, run.words.mid(0, words).join(u' ')}};
    if (final)
        m.insert(u"id"_s, run.replyId);
    return m;
}

SandboxReply PosthogSandbox::runStream(const std::shared_ptr<Run> &run, QList<QByteArray> head,
                                       bool fromStart)
{
    // frames[i] goes out once need[i] words are written.
    QList<QByteArray> frames = head;
    QList<int> need(head.size(), 0);
    const int total = int(run->words.size());
    int from = 1;
    if (!fromStart) {
        const int written = qMin(run->clock->written(), total - 1);
        if (written > 0) {
            frames << sseFrame("message", aiMessage(*run, written, false));
            need << 0;
        }
        from = written + 1;
    }
    for (int n = from; n < total; ++n) {
        frames << sseFrame("message", aiMessage(*run, n, false));
        need << n;
        if (n == total / 2) {
            frames << QByteArray(": keepalive\n\n");
            need << n;
        }
    }
    frames << sseFrame("message", aiMessage(*run, total, true));
    need << total;

    SandboxReply reply =
        SandboxReply::stream("text/event-stream", frames, options().streamIntervalMs);
    reply.frameDueInMs = [run, need](qsizetype i) {
        return run->clock->msUntilWritten(need.value(i));
    };
    endWithClock(reply, run, [this](const std::shared_ptr<Run> &r) { finishRun(r); });
    return reply;
}

SandboxReply PosthogSandbox::reattach(const QString &id, const QJsonObject &conversation,
                                      const QJsonObject &body)
{
    if (const auto run = m_running.value(id)) {
        QList<QByteArray> head;
        if (!run->human.isEmpty())
            head << sseFrame("message", run->human);
        return runStream(run, head, false);
    }
    if (conversation.value(u"status"_s).toString() != "idle"_L1) {
        // Busy with no reply written here (a generated conversation): kept alive until it
        // is canceled.
        constexpr int kKeepAliveMs = 15000;
        constexpr int kKeepAlives = 240; // an hour
        auto since = std::make_shared<QElapsedTimer>();
        since->start();
        SandboxReply reply = SandboxReply::stream(
            "text/event-stream", QList<QByteArray>(kKeepAlives, ": keepalive\n\n"), 0);
        reply.frameDueInMs = [since](qsizetype i) {
            return qMax<qint64>(0, (i + 1) * kKeepAliveMs - since->elapsed());
        };
        reply.keepGoing = [this, id]() {
            return current(id).value(u"status"_s).toString() != "idle"_L1;
        };
        return reply;
    }
    if (!given(body, u"resume_payload"_s))
        return drfError(400, u"validation_error"_s, u"invalid"_s,
                        u"Cannot continue streaming from an idle conversation"_s);
    return resume(id, conversation, body.value(u"resume_payload"_s));
}

SandboxReply PosthogSandbox::resume(const QString &id, QJsonObject conversation,
                                    const QJsonValue &payload)
{
    const QJsonObject p = payload.toObject();
    const QString action = p.value(u"action"_s).toString();
    const QString proposal = p.value(u"proposal_id"_s).toString();
    QJsonArray approvals = conversation.value(u"pending_approvals"_s).toArray();
    qsizetype at = -1;
    for (qsizetype i = 0; i < approvals.size() && at < 0; ++i) {
        const QJsonObject a = approvals.at(i).toObject();
        if (a.value(u"proposal_id"_s).toString() == proposal &&
            a.value(u"decision_status"_s).toString() == "pending"_L1)
            at = i;
    }
    if ((action != "approve"_L1 && action != "reject"_L1) || at < 0) {
        // PostHog's runner fails the run ("Approval does not match a pending operation"),
        // which the client sees as a failure message.
        const QJsonObject failure{{u"type"_s, u"ai/failure"_s},
                                  {u"content"_s, u"Oops! Something went wrong while generating "
                                                 u"the reply. Please try again."_s},
                                  {u"id"_s, nextId(u"posthog/failure"_s)}};
        addMessages(id, QJsonArray{failure}, u"idle"_s);
        return SandboxReply::stream("text/event-stream", {sseFrame("message", failure)},
                                    options().streamIntervalMs);
    }
    QJsonObject approval = approvals.at(at).toObject();
    const bool approved = action == "approve"_L1;
    approval.insert(u"decision_status"_s, approved ? u"approved"_s : u"rejected"_s);
    approvals.replace(at, approval);
    conversation.insert(u"pending_approvals"_s, approvals);
    const QString feedback = p.value(u"feedback"_s).toString().trimmed();
    const QString answer =
        approved ? u"Done. %1"_s.arg(approval.value(u"preview"_s).toString())
        : feedback.isEmpty()
            ? u"Understood: I have not done it."_s
            : u"Understood: I have not done it. You said: “%1”"_s.arg(feedback.left(200));
    const auto words = answer.split(u' ', Qt::SkipEmptyParts).size();
    const auto run = startRun(id, conversation, {}, answer, options().replyMs(int(words)));
    return runStream(run, {sseFrame("status", {{u"type"_s, u"ack"_s}})}, true);
}

void PosthogSandbox::finishRun(const std::shared_ptr<Run> &run)
{
    const QString id = run->conversationId;
    if (m_running.value(id) != run)
        return;
    m_running.remove(id);
    run->clock->stop(); // what is written now is what the reply says
    QJsonArray messages;
    if (const int written = run->clock->written(); written > 0)
        messages.append(aiMessage(*run, written, true));
    if (run->clock->finished()) {
        // The follow-ups, in order, each answered in turn.
        const QJsonArray queued = m_queues.take(id);
        for (const QJsonValue &q : queued) {
            messages.append(QJsonObject{{u"type"_s, u"human"_s},
                                        {u"content"_s, q.toObject().value(u"content"_s)},
                                        {u"id"_s, nextId(u"posthog/human"_s)}});
            QRandomGenerator rng =
                SandboxText::rng(options().seed, u"posthog/reply"_s, qint64(m_counter));
            messages.append(QJsonObject{{u"type"_s, u"ai"_s},
                                        {u"content"_s, SandboxText::answer(rng)},
                                        {u"id"_s, nextId(u"posthog/ai"_s)}});
        }
    }
    addMessages(id, messages, u"idle"_s);
    if (run->liveSlot >= 0) {
        const int slot = run->liveSlot;
        const int next = run->exchange + 1;
        later(LiveExchange::at(options(), prefix(), slot, run->exchange).pauseMs,
              [this, slot, next] { startLive(slot, next); });
    }
}

void PosthogSandbox::startLive(int slot, int exchange)
{
    const int index = data().count() - 1 - slot;
    const QString id = data().idAt(index);
    const LiveExchange e = LiveExchange::at(options(), prefix(), slot, exchange);
    const QJsonObject conversation = current(id);
    if (m_running.contains(id) || conversation.value(u"status"_s).toString() == "canceling"_L1 ||
        (exchange > 0 && conversation.value(u"status"_s).toString() != "idle"_L1)) {
        later(e.pauseMs, [this, slot, exchange] { startLive(slot, exchange); }); // busy: later
        return;
    }
    // A generated conversation still waiting for its reply gets it first.
    const bool waiting = exchange == 0 && conversation.value(u"status"_s).toString() != "idle"_L1;
    QJsonObject human;
    if (!waiting)
        human = QJsonObject{{u"type"_s, u"human"_s},
                            {u"content"_s, e.question},
                            {u"id"_s, nextId(u"posthog/human"_s)}};
    const auto run = startRun(id, conversation, human, e.answer, e.replyMs);
    run->liveSlot = slot;
    run->exchange = exchange;
}

std::optional<SandboxReply> PosthogSandbox::rejectCall(const SandboxRequest &request,
                                                       QJsonObject *conversation,
                                                       const QString &scope) const
{
    if (auto rejected = rejectAuth(request, scope.isEmpty() ? kWrite : scope))
        return rejected;
    const QJsonObject found = current(request.args.value(1));
    if (found.isEmpty())
        return adHocError(404, u"Conversation not found"_s);
    if (conversation)
        *conversation = found;
    return std::nullopt;
}

SandboxReply PosthogSandbox::append(const SandboxRequest &request)
{
    if (auto rejected = rejectCall(request))
        return *rejected;
    const QString id = request.args.value(1);
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (auto problem = contentProblem(body.value(u"content"_s), 10000))
        return *problem;
    const QString messageId = nextId(u"posthog/append"_s);
    addMessages(id,
                QJsonArray{QJsonObject{{u"type"_s, u"ai"_s},
                                       {u"content"_s, body.value(u"content"_s).toString()},
                                       {u"id"_s, messageId}}},
                {});
    return SandboxReply::json(QJsonObject{{u"id"_s, messageId}}, 201);
}

SandboxReply PosthogSandbox::cancel(const SandboxRequest &request)
{
    QJsonObject conversation;
    if (auto rejected = rejectCall(request, &conversation))
        return *rejected;
    const QString id = request.args.value(1);
    m_queues.remove(id);
    if (const auto run = m_running.value(id)) {
        // Stopped at what is written; idle once the stream (or the next turn of the event
        // loop) has seen it.
        run->clock->stop();
        QJsonObject stored = m_stored.value(id);
        stored.insert(u"status"_s, u"canceling"_s);
        store(id, stored);
        later(0, [this, run] { finishRun(run); });
    } else if (conversation.value(u"status"_s).toString() != "idle"_L1) {
        conversation.insert(u"status"_s, u"idle"_s);
        store(id, conversation);
    }
    return SandboxReply::noContent(204);
}

SandboxReply PosthogSandbox::queueReply(const QString &id) const
{
    return SandboxReply::json(
        QJsonObject{{u"messages"_s, m_queues.value(id)}, {u"max_queue_messages"_s, kMaxQueue}});
}

SandboxReply PosthogSandbox::queue(const SandboxRequest &request)
{
    QJsonObject conversation;
    if (auto rejected =
            rejectCall(request, &conversation, request.method() == "GET" ? kRead : kWrite))
        return *rejected;
    const QString id = request.args.value(1);
    if (request.method() == "GET")
        return queueReply(id);
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (auto problem = contentProblem(body.value(u"content"_s), 40000))
        return *problem;
    if (auto problem = fieldProblem(body))
        return *problem;
    if (!m_running.contains(id) && conversation.value(u"status"_s).toString() == "idle"_L1)
        return adHocError(409, u"queue_not_drainable"_s,
                          u"The conversation is not running: send the message instead."_s);
    auto orNull = [&body](const QString &key) {
        return given(body, key) ? body.value(key) : QJsonValue(QJsonValue::Null);
    };
    // The session id comes in a header [D: ee/api/conversation.py].
    const QString session = QString::fromLatin1(request.header("x-posthog-session-id").trimmed());
    QJsonArray &items = m_queues[id];
    if (items.size() >= kMaxQueue)
        return adHocError(409, u"queue_full"_s, u"Only two messages can be queued at a time."_s);
    items.append(QJsonObject{
        {u"id"_s, nextId(u"posthog/queue"_s)},
        {u"content"_s, body.value(u"content"_s).toString()},
        {u"created_at"_s, nowIso()},
        {u"contextual_tools"_s, orNull(u"contextual_tools"_s)},
        {u"ui_context"_s, orNull(u"ui_context"_s)},
        {u"billing_context"_s, orNull(u"billing_context"_s)},
        {u"agent_mode"_s, orNull(u"agent_mode"_s)},
        {u"session_id"_s, session.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(session)}});
    return queueReply(id);
}

SandboxReply PosthogSandbox::queueItem(const SandboxRequest &request)
{
    if (auto rejected = rejectCall(request))
        return *rejected;
    const QString id = request.args.value(1);
    QJsonArray &items = m_queues[id];
    qsizetype at = -1;
    for (qsizetype i = 0; i < items.size() && at < 0; ++i) {
        if (items.at(i).toObject().value(u"id"_s).toString() == request.args.value(2))
            at = i;
    }
    if (at < 0)
        return SandboxReply::json(QJsonObject{{u"detail"_s, u"Queue message not found."_s}}, 404);
    if (request.method() == "DELETE") {
        items.removeAt(at);
        return SandboxReply::noContent(204); // as documented: no body
    }
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (auto problem = contentProblem(body.value(u"content"_s), 40000))
        return *problem;
    QJsonObject item = items.at(at).toObject();
    item.insert(u"content"_s, body.value(u"content"_s).toString());
    items.replace(at, item);
    return queueReply(id);
}

SandboxReply PosthogSandbox::queueClear(const SandboxRequest &request)
{
    if (auto rejected = rejectCall(request))
        return *rejected;
    const QString id = request.args.value(1);
    m_queues.remove(id);
    return queueReply(id);
}

} // namespace parley::sandbox

PARLEY_REGISTER_SANDBOX(&parley::sandbox::SandboxRegistry::addOne<parley::sandbox::PosthogSandbox>)
