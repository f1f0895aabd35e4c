#include "sandbox/posthog/PosthogSandboxData.h"

#include "sandbox/IdScramble.h"
#include "sandbox/SandboxText.h"
#include "sandbox/posthog/PosthogShowcase.h"

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

constexpr quint64 kBits48 = (quint64(1) << 48) - 1;
constexpr quint64 kMultiplier = 0x9E3779B97F4Bull; // odd, hence invertible modulo 2^48
constexpr quint64 kInverse = scramble::inverse48(kMultiplier);
static_assert(((kMultiplier * kInverse) & kBits48) == 1);

const QString kSalt = u"posthog"_s;

// DRF renders datetimes with Python's isoformat: microseconds, then "Z" for UTC.
QString drfTime(const QDateTime &t, QRandomGenerator &rng)
{
    return t.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss"_s) +
           u".%1Z"_s.arg(rng.bounded(1000000), 6, 10, QLatin1Char('0'));
}

struct Insight
{
    const char *name;
    const char *kind;
    const char *event;
};
const Insight kInsights[] = {
    {"Signups per week", "TrendsQuery", "user signed up"},
    {"Daily active users", "TrendsQuery", "$pageview"},
    {"Signup to purchase conversion", "FunnelsQuery", "purchase completed"},
    {"Retention of new users", "RetentionQuery", "$pageview"},
    {"Revenue by plan", "TrendsQuery", "invoice paid"},
};
const char *const kTopics[] = {"web_analytics",  "product_analytics", "session_replay",
                               "surveys",        "feature_flags",     "experiments",
                               "error_tracking", "data_warehouse",    "other"};
const char *const kAgentModes[] = {"product_analytics", "sql", "session_replay"};

QJsonObject message(const QString &type, QRandomGenerator &rng)
{
    return QJsonObject{{u"type"_s, type}, {u"id"_s, SandboxText::uuid(rng)}};
}

} // namespace

PosthogSandboxData::PosthogSandboxData(quint32 seed, int count)
    : GeneratedConversations(seed, count)
    , m_showcase(count - 1)
{
    QRandomGenerator rng = SandboxText::rng(seed, u"posthog/keys"_s, 0);
    m_mask = rng.generate64() & kBits48;

    QRandomGenerator who = SandboxText::rng(seed, u"posthog/owner"_s, 0);
    const QStringList name = SandboxText::personName(who).split(u' ');
    const QString uuid = SandboxText::uuid(who);
    m_owner = QJsonObject{
        {u"id"_s, 1 + who.bounded(5000)},
        {u"uuid"_s, uuid},
        {u"distinct_id"_s, QString(uuid.left(8) + uuid.right(12))},
        {u"first_name"_s, name.value(0)},
        {u"last_name"_s, name.value(1)},
        {u"email"_s, QString(name.join(u'.').toLower() + u"@example.com"_s)},
        {u"is_email_verified"_s, true},
        {u"hedgehog_config"_s, QJsonValue::Null},
        {u"role_at_organization"_s, u"engineering"_s},
    };
}

PosthogSandboxData PosthogSandboxData::otherMembers(quint32 seed)
{
    return PosthogSandboxData(seed ^ 0x07e3b5a1u, kOtherMembersConversations);
}

quint64 PosthogSandboxData::scramble(quint64 index) const
{
    return ((index ^ m_mask) * kMultiplier) & kBits48;
}

quint64 PosthogSandboxData::unscramble(quint64 code) const
{
    return ((code * kInverse) & kBits48) ^ m_mask;
}

QString PosthogSandboxData::idAt(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt, index);
    QString id = SandboxText::uuid(rng);
    id.replace(24, 12, u"%1"_s.arg(scramble(quint64(index)), 12, 16, QLatin1Char('0')));
    return id;
}

int PosthogSandboxData::indexOf(const QString &id) const
{
    if (id.size() != 36)
        return -1;
    bool ok = false;
    const quint64 code = id.right(12).toULongLong(&ok, 16);
    if (!ok)
        return -1;
    const quint64 index = unscramble(code);
    if (index >= quint64(count()))
        return -1;
    return idAt(int(index)) == id.toLower() ? int(index) : -1;
}

bool PosthogSandboxData::isShowcase(int index) const
{
    return index == m_showcase;
}

QJsonObject PosthogSandboxData::summary(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt, index);
    SandboxText::uuid(rng); // the id's draws; idAt() repeats them
    QString title = SandboxText::title(rng);
    if (isShowcase(index))
        title = PosthogShowcase::title();
    const int typeRoll = int(rng.bounded(20));
    const QString type = typeRoll < 15 || isShowcase(index) ? u"assistant"_s
                         : typeRoll < 18                    ? u"deep_research"_s
                                                            : u"slack"_s;
    QString status = rng.bounded(12) == 0 ? u"in_progress"_s : u"idle"_s;
    if (isShowcase(index))
        status = u"idle"_s; // the draw above is kept so that the rows after stay as they were
    const int topicRoll = int(rng.bounded(int(std::size(kTopics)) + 2));
    const QJsonValue topic = topicRoll < int(std::size(kTopics))
                                 ? QJsonValue(QString::fromLatin1(kTopics[topicRoll]))
                                 : QJsonValue(QJsonValue::Null);
    const QDateTime updated = SandboxText::timeFor(index, count(), rng);
    const QDateTime created = updated.addSecs(-(30 + rng.bounded(3 * 3600)));
    const bool slack = type == "slack"_L1;
    return QJsonObject{
        {u"id"_s, idAt(index)},
        {u"status"_s, status},
        {u"title"_s, title},
        {u"topic"_s, topic},
        {u"user"_s, m_owner},
        {u"created_at"_s, drfTime(created, rng)},
        {u"updated_at"_s, drfTime(updated, rng)},
        {u"type"_s, type},
        {u"is_internal"_s, false},
        {u"slack_thread_key"_s,
         slack ? QJsonValue(
                     u"C0%1:%2.000100"_s.arg(rng.bounded(99999)).arg(updated.toSecsSinceEpoch()))
               : QJsonValue(QJsonValue::Null)},
        {u"slack_workspace_domain"_s,
         slack ? QJsonValue(u"acme-support"_s) : QJsonValue(QJsonValue::Null)},
        {u"task"_s, QJsonValue::Null},
    };
}

QJsonObject PosthogSandboxData::detail(int index) const
{
    QJsonObject o = summary(index);
    QRandomGenerator rng = SandboxText::rng(seed(), u"posthog/detail"_s, index);
    const int mode = int(rng.bounded(int(std::size(kAgentModes)) + 1));
    o.insert(u"messages"_s, messages(index, o));
    o.insert(u"has_unsupported_content"_s, false);
    o.insert(u"agent_mode"_s, mode < int(std::size(kAgentModes))
                                  ? QJsonValue(QString::fromLatin1(kAgentModes[mode]))
                                  : QJsonValue(QJsonValue::Null));
    o.insert(u"agent_runtime"_s, u"langgraph"_s);
    o.insert(u"is_sandbox"_s, false);
    o.insert(u"pending_approvals"_s, QJsonArray());
    return o;
}

QJsonObject PosthogSandboxData::pendingApproval(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"posthog/approval"_s, index);
    const QString proposal = SandboxText::uuid(rng);
    const QString callId = u"toolu_"_s + SandboxText::uuid(rng).remove(u'-').left(24);
    const int percent = 10 * (1 + int(rng.bounded(5)));
    const QString key = u"new-checkout-%1"_s.arg(rng.bounded(100));
    return QJsonObject{
        {u"proposal_id"_s, proposal},
        {u"decision_status"_s, u"pending"_s},
        {u"tool_name"_s, u"create_feature_flag"_s},
        {u"preview"_s,
         u"Create the feature flag “%1”, rolled out to %2% of users."_s.arg(key).arg(percent)},
        {u"payload"_s, QJsonObject{{u"key"_s, key},
                                   {u"name"_s, u"New checkout"_s},
                                   {u"rollout_percentage"_s, percent},
                                   {u"active"_s, true}}},
        {u"original_tool_call_id"_s, callId},
        {u"message_id"_s, SandboxText::uuid(rng)},
    };
}

// A realistic mix: questions, answers, tool calls and their results, a visualization now
// and then, a failed reply in some conversations and, in a few, a message type newer than
// any client (so that clients show what they do not know instead of dropping it).
QJsonArray PosthogSandboxData::messages(int index, const QJsonObject &summary) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"posthog/messages"_s, index);
    const bool running = summary.value(u"status"_s).toString() == "in_progress"_L1;
    if (isShowcase(index))
        return PosthogShowcase::messages(rng, running);
    const int exchanges = 1 + int(rng.bounded(5));
    const int failAt = rng.bounded(8) == 0 ? exchanges - 1 : -1;
    const int unknownAt = rng.bounded(12) == 0 ? int(rng.bounded(exchanges)) : -1;
    const bool research = summary.value(u"type"_s).toString() == "deep_research"_L1;

    QJsonArray out;
    for (int e = 0; e < exchanges; ++e) {
        QJsonObject human = message(u"human"_s, rng);
        human.insert(u"content"_s, SandboxText::question(rng));
        out.append(human);
        if (running && e == exchanges - 1)
            break; // the reply is still being generated

        if (research && e == 0) {
            QJsonObject plan = message(u"ai/planning"_s, rng);
            plan.insert(u"steps"_s,
                        QJsonArray{
                            QJsonObject{{u"description"_s, u"Collect the relevant events"_s},
                                        {u"status"_s, u"completed"_s}},
                            QJsonObject{{u"description"_s, u"Compare against last month"_s},
                                        {u"status"_s, u"completed"_s}},
                            QJsonObject{{u"description"_s, u"Write up the findings"_s},
                                        {u"status"_s, u"completed"_s}},
                        });
            out.append(plan);
        }

        if (rng.bounded(2) == 0) {
            QJsonObject call = message(u"ai"_s, rng);
            call.insert(u"content"_s, u"Let me look that up."_s);
            if (rng.bounded(3) == 0)
                call.insert(u"meta"_s,
                            QJsonObject{{u"thinking"_s,
                                         QJsonArray{QJsonObject{
                                             {u"type"_s, u"thinking"_s},
                                             {u"thinking"_s, SandboxText::sentence(rng)}}}}});
            QJsonArray calls;
            QJsonArray results;
            const int n = 1 + int(rng.bounded(2));
            for (int c = 0; c < n; ++c) {
                const QString callId = u"toolu_"_s + SandboxText::uuid(rng).remove(u'-').left(24);
                calls.append(QJsonObject{
                    {u"id"_s, callId},
                    {u"name"_s, SandboxText::toolName(rng)},
                    {u"args"_s, QJsonObject{{u"query"_s, human.value(u"content"_s)},
                                            {u"limit"_s, 10 * (1 + int(rng.bounded(5)))}}},
                    {u"type"_s, u"tool_call"_s},
                });
                QJsonObject result = message(u"tool"_s, rng);
                result.insert(u"tool_call_id"_s, callId);
                result.insert(u"content"_s, SandboxText::sentence(rng));
                results.append(result);
            }
            call.insert(u"tool_calls"_s, calls);
            out.append(call);
            for (const QJsonValue &r : std::as_const(results))
                out.append(r);
        }

        if (rng.bounded(6) == 0) {
            const Insight &insight = kInsights[rng.bounded(int(std::size(kInsights)))];
            QJsonObject viz = message(u"ai/viz"_s, rng);
            viz.insert(u"query"_s, QString::fromLatin1(insight.name));
            viz.insert(u"plan"_s, u"Series: '%1' counted per week over the last 90 days."_s.arg(
                                      QString::fromLatin1(insight.event)));
            viz.insert(u"answer"_s,
                       QJsonObject{
                           {u"kind"_s, QString::fromLatin1(insight.kind)},
                           {u"series"_s,
                            QJsonArray{QJsonObject{{u"kind"_s, u"EventsNode"_s},
                                                   {u"event"_s, QString::fromLatin1(insight.event)},
                                                   {u"math"_s, u"total"_s}}}},
                           {u"dateRange"_s, QJsonObject{{u"date_from"_s, u"-90d"_s}}}});
            viz.insert(u"initiator"_s, human.value(u"id"_s));
            out.append(viz);
        }

        if (e == unknownAt) {
            QJsonObject future = message(u"ai/dashboard"_s, rng);
            future.insert(u"content"_s,
                          u"Created the dashboard “Support overview” with four insights."_s);
            future.insert(u"dashboard_id"_s, 100 + int(rng.bounded(900)));
            out.append(future);
        }

        if (e == failAt) {
            QJsonObject failure = message(u"ai/failure"_s, rng);
            failure.insert(
                u"content"_s,
                u"Oops! Something went wrong while generating the reply. Please try again."_s);
            out.append(failure);
            break;
        }
        QJsonObject answer = message(u"ai"_s, rng);
        answer.insert(u"content"_s, SandboxText::answer(rng));
        out.append(answer);
    }
    return out;
}

} // namespace parley::sandbox
