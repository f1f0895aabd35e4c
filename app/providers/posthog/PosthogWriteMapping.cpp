#include "providers/posthog/PosthogWriteMapping.h"

#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley::posthog {

namespace {

const TranslationContext tr{"parley::posthog"};

} // namespace

Result<FollowUpQueue> parseQueue(const QByteArray &body)
{
    return JsonFields::readObject<FollowUpQueue>(
        body, u"queue:"_s, [&](const QJsonObject &o, JsonFields &f) {
            FollowUpQueue queue;
            if (!o.value(u"messages"_s).isArray()) {
                f.fail(tr("'messages' is missing"));
                return queue;
            }
            queue.maxItems = int(f.integer(o, u"max_queue_messages"_s, -1));
            for (const QJsonValue &v : f.array(o, u"messages"_s)) {
                if (!v.isObject()) {
                    f.fail(tr("a queued message is %1").arg(JsonFields::typeName(v)));
                    break;
                }
                const QJsonObject m = v.toObject();
                FollowUpItem item;
                item.id = f.stringOrNumber(m, u"id"_s);
                item.content = f.string(m, u"content"_s);
                item.createdAt = f.isoTime(m, u"created_at"_s);
                if (item.id.isEmpty())
                    f.fail(tr("a queued message has no 'id'"));
                queue.items << item;
            }
            return queue;
        });
}

Result<QString> parseAppended(const QByteArray &body)
{
    return JsonFields::readObject<QString>(body, u"appended message:"_s,
                                           [&](const QJsonObject &o, JsonFields &f) {
                                               const QString id = f.stringOrNumber(o, u"id"_s);
                                               if (id.isEmpty())
                                                   f.fail(tr("the answer has no 'id'"));
                                               return id;
                                           });
}

namespace {

WorkspaceField field(const char16_t *key, const QString &label, WorkspaceField::Format format,
                     const QString &hint)
{
    WorkspaceField f;
    f.key = QString::fromUtf16(key);
    f.label = label;
    f.required = false;
    f.format = format;
    f.placeholder = format == WorkspaceField::Format::Text ? QString() : u"{}"_s;
    f.hint = hint;
    return f;
}

WorkspaceField agentMode()
{
    WorkspaceField f = field(kAgentMode, tr("Agent mode"), WorkspaceField::Format::Text,
                             tr("Which of PostHog AI's modes answers. PostHog adds modes over "
                                "time: another name is taken too, and PostHog refuses one it "
                                "does not know."));
    // AgentMode values seen in PostHog's source; the enum grows [D: posthog/schema.py].
    f.choices = {u"product_analytics"_s, u"sql"_s,  u"session_replay"_s,
                 u"error_tracking"_s,    u"plan"_s, u"research"_s};
    f.choicesOpen = true;
    f.pattern = u"[a-z][a-z0-9_]*"_s;
    return f;
}

QList<WorkspaceField> contexts()
{
    return {
        field(kContextualTools, tr("Contextual tools"), WorkspaceField::Format::JsonObject,
              tr("Optional JSON object: the tools of the page the question is asked from, "
                 "each with its context, as PostHog's own app sends them.")),
        field(kUiContext, tr("UI context"), WorkspaceField::Format::Json,
              tr("Optional JSON: what the user has open (dashboards, insights, events) for "
                 "the agent to take into account.")),
        field(kBillingContext, tr("Billing context"), WorkspaceField::Format::Json,
              tr("Optional JSON: the organization's plan and usage, for billing questions.")),
    };
}

// `params` as JSON fields of `body`, per `fields`; an unknown key or a bad value refuses.
ApiError addFields(QJsonObject *body, const QList<WorkspaceField> &fields,
                   const QMap<QString, QString> &params)
{
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        const QString value = it.value().trimmed();
        if (value.isEmpty())
            continue;
        const auto known = std::find_if(fields.cbegin(), fields.cend(),
                                        [&](const WorkspaceField &f) { return f.key == it.key(); });
        if (known == fields.cend())
            return ApiError::invalid(tr("PostHog takes no field “%1” here").arg(it.key()));
        if (known->key == QString::fromUtf16(kSessionId))
            continue; // a header
        if (known->format == WorkspaceField::Format::Text) {
            body->insert(known->key, value);
            continue;
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + value.toUtf8() + "\n]", &error);
        const QJsonValue json = doc.array().at(0);
        if (error.error != QJsonParseError::NoError || doc.array().size() != 1 ||
            (known->format == WorkspaceField::Format::JsonObject && !json.isObject()))
            return ApiError::invalid(
                tr("“%1” is not %2")
                    .arg(known->key, known->format == WorkspaceField::Format::JsonObject
                                         ? tr("a JSON object")
                                         : tr("JSON")));
        body->insert(known->key, json);
    }
    return {};
}

} // namespace

QList<WorkspaceField> streamFields()
{
    QList<WorkspaceField> out{agentMode()};
    out << contexts();
    out << field(kResumePayload, tr("Resume payload"), WorkspaceField::Format::Json,
                 tr("Optional JSON: continues a run that stopped for an answer (an approval "
                    "is answered with Approve or Reject instead)."));
    WorkspaceField session = field(kSessionId, tr("Session ID"), WorkspaceField::Format::Text,
                                   tr("Optional: the PostHog session (recording) this "
                                      "conversation belongs to; sent as the "
                                      "X-POSTHOG-SESSION-ID header."));
    session.pattern = u"[\\x21-\\x7e]{1,200}"_s; // goes into a header: visible ASCII only
    out << session;
    return out;
}

QList<WorkspaceField> queueFields()
{
    QList<WorkspaceField> out{agentMode()};
    out << contexts();
    return out;
}

Result<QJsonObject> streamBody(const QString &conversationId, const QString &text,
                               const QString &traceId, const QMap<QString, QString> &params)
{
    // No text (a null QString): re-attach to the reply running now.
    const QJsonValue content = text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    QJsonObject body{
        {u"conversation"_s, conversationId}, {u"content"_s, content}, {u"trace_id"_s, traceId}};
    if (const ApiError problem = addFields(&body, streamFields(), params))
        return problem;
    return body;
}

Result<QJsonObject> queueBody(const QString &text, const QMap<QString, QString> &params)
{
    QJsonObject body{{u"content"_s, text}};
    if (const ApiError problem = addFields(&body, queueFields(), params))
        return problem;
    return body;
}

QByteArray sessionId(const QMap<QString, QString> &params)
{
    return params.value(QString::fromUtf16(kSessionId)).trimmed().toLatin1();
}

QJsonObject resumePayload(const ApprovalDecision &decision)
{
    // The one place that knows the decision's shape (see README.md, "Approvals").
    QJsonObject payload{
        {u"action"_s, decision.approve ? u"approve"_s : u"reject"_s},
        {u"proposal_id"_s, decision.approvalId},
    };
    if (!decision.approve && !decision.note.trimmed().isEmpty())
        payload.insert(u"feedback"_s, decision.note.trimmed());
    return payload;
}

QString textProblem(const QString &text, int max)
{
    if (text.trimmed().isEmpty())
        return tr("the message is empty");
    if (text.size() > max)
        return tr("the message has %1 characters; PostHog takes at most %2")
            .arg(text.size())
            .arg(max);
    return {};
}

} // namespace parley::posthog
