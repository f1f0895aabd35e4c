#include "providers/posthog/PosthogMapping.h"

#include "core/FragmentContent.h"
#include "providers/posthog/PosthogApprovals.h"

#include "core/TranslationContext.h"
#include "providers/MappingParts.h"
#include "providers/posthog/ProseMirrorText.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley::posthog {

namespace {

const TranslationContext tr{"parley::posthog"};

// Elements of a list field that must be objects; a non-object records a problem.
QList<QJsonObject> objectList(const QJsonObject &o, const QString &key, JsonFields &f)
{
    QList<QJsonObject> out;
    const QJsonArray list = f.array(o, key);
    out.reserve(list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonValue v = list.at(i);
        if (!v.isObject()) {
            f.fail(
                u"%1[%2] is %3, expected an object"_s.arg(key).arg(i).arg(JsonFields::typeName(v)));
            continue;
        }
        out.append(v.toObject());
    }
    return out;
}

QString ownerOf(const QJsonObject &user, JsonFields &f)
{
    if (user.isEmpty())
        return {};
    JsonFields uf(u"in 'user',"_s);
    QString owner = uf.string(user, u"email"_s);
    const QString name =
        QString(uf.string(user, u"first_name"_s) + u' ' + uf.string(user, u"last_name"_s))
            .trimmed();
    if (owner.isEmpty())
        owner = name;
    if (owner.isEmpty())
        owner = uf.stringOrNumber(user, u"distinct_id"_s);
    f.absorb(uf);
    return owner;
}

using mapping::otherFragment;
using mapping::textFragment;

// What the walk over a transcript remembers about tool calls: which turn made the call
// and which tool it named, so that a `tool` message can be tied back to both.
struct CallSite
{
    QString turnId;
    QString toolName;
};
using CallSites = QHash<QString, CallSite>;

void addToolCalls(const QJsonObject &m, Turn &t, JsonFields &f, CallSites &calls)
{
    for (const QJsonObject &call : objectList(m, u"tool_calls"_s, f)) {
        Fragment fr;
        fr.kind = Fragment::Kind::ToolCall;
        fr.callId = f.string(call, u"id"_s);
        fr.name = f.string(call, u"name"_s);
        fr.text = f.jsonText(call, u"args"_s);
        if (!fr.callId.isEmpty())
            calls.insert(fr.callId, {t.id, fr.name});
        t.fragments.append(fr);
    }
}

// Extended-thinking blocks in `meta.thinking`: free-form objects (provider-specific), so
// only the text they carry is taken, and nothing in them can fail the conversation.
void addThinking(const QJsonObject &meta, Turn &t)
{
    QStringList thoughts;
    for (const QJsonValue &block : meta.value(u"thinking"_s).toArray()) {
        const QJsonObject b = block.toObject();
        const QString s = b.value(u"thinking"_s).toString(b.value(u"text"_s).toString());
        if (!s.trimmed().isEmpty())
            thoughts << s.trimmed();
    }
    if (!thoughts.isEmpty())
        t.fragments.append(otherFragment(u"thinking"_s, thoughts.join(u"\n\n"_s)));
}

// Suggested replies in `meta.form.options`.
void addForm(const QJsonObject &meta, Turn &t, JsonFields &f)
{
    const QJsonObject form = f.object(meta, u"form"_s);
    QStringList options;
    for (const QJsonObject &option : objectList(form, u"options"_s, f)) {
        const QString value = f.string(option, u"value"_s);
        if (!value.isEmpty())
            options << value;
    }
    if (!options.isEmpty())
        t.fragments.append(otherFragment(
            u"form"_s,
            tr("Suggested replies: %1").arg(JsonFields::oneLine(options.join(u" · "_s)))));
}

// A named part of a structured message (core/FragmentContent.h), left out when empty.
void addText(Turn &t, const QString &name, const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    Fragment fr = textFragment(text.trimmed());
    fr.name = name;
    t.fragments.append(fr);
}

void addValue(Turn &t, const QString &name, const QString &value)
{
    if (!value.trimmed().isEmpty())
        t.fragments.append(otherFragment(name, value.trimmed()));
}

// An insight query object (a visualization's `answer`, an artifact's `query`): its kind,
// and the SQL itself where the query is one.
void addQuery(const QJsonObject &query, Turn &t, JsonFields &f)
{
    addValue(t, content::kQueryKind, f.string(query, u"kind"_s));
    const QJsonValue sql = query.value(u"query"_s);
    if (sql.isString())
        addValue(t, content::kSql, sql.toString());
}

// `ai/viz` and each of `ai/multi_viz`'s visualizations: the question, the plan, the query.
void addVisualization(const QJsonObject &viz, Turn &t, JsonFields &f)
{
    addText(t, content::kQuestion, f.string(viz, u"query"_s));
    addText(t, content::kPlan, f.string(viz, u"plan"_s));
    addQuery(f.object(viz, u"answer"_s), t, f);
}

void addMultiVisualization(const QJsonObject &m, Turn &t, JsonFields &f)
{
    addText(t, content::kCommentary, f.string(m, u"commentary"_s));
    for (const QJsonObject &viz : objectList(m, u"visualizations"_s, f))
        addVisualization(viz, t, f);
}

// `ai/artifact`: a visualization or a notebook saved by the agent, by title.
void addArtifact(const QJsonObject &m, Turn &t, JsonFields &f)
{
    const QJsonObject content = f.object(m, u"content"_s);
    QString title = f.string(content, u"name"_s);
    if (title.isEmpty())
        title = f.string(m, u"artifact_id"_s);
    addValue(t, content::kTitle, title);
    addValue(t, content::kContentKind, f.string(content, u"content_type"_s));
    addValue(t, content::kSource, f.string(m, u"source"_s));
    addText(t, content::kDescription, f.string(content, u"description"_s));
    const QJsonObject query = f.object(content, u"query"_s);
    if (!query.isEmpty())
        addQuery(query, t, f);
}

// `ai/notebook`: the notebook's text, walked out of its ProseMirror document (older builds
// sent it as text).
void addNotebook(const QJsonObject &m, Turn &t, JsonFields &f)
{
    addValue(t, content::kNotebookId, f.string(m, u"notebook_id"_s));
    const QJsonValue content = m.value(u"content"_s);
    addText(t, content::kNotebook,
            content.isString() ? content.toString()
                               : proseMirrorMarkdown(f.object(m, u"content"_s)));
}

// `ai/planning` steps and `ai/task_execution` tasks, each with its status; a task also
// with its prompt and what it reported (its failure, for a failed one).
void addSteps(const QJsonObject &m, const QString &key, const QString &name, Turn &t, JsonFields &f)
{
    for (const QJsonObject &item : objectList(m, key, f)) {
        const QString description = f.string(item, u"description"_s).trimmed();
        const QString prompt = f.string(item, u"prompt"_s).trimmed();
        Fragment fr = otherFragment(name, description.isEmpty() ? prompt : description);
        fr.status = f.string(item, u"status"_s);
        fr.inProgress = content::progressOf(fr.status) == content::Progress::Running;
        fr.failed = content::progressOf(fr.status) == content::Progress::Failed;
        t.fragments.append(fr);
        if (!description.isEmpty() && prompt != description)
            addValue(t, content::kPrompt, prompt);
        addValue(t, content::kProgress, f.string(item, u"progress_text"_s));
    }
}

// `ai/reasoning` (deprecated): what the agent was working out, and its substeps.
void addReasoning(const QJsonObject &m, Turn &t, JsonFields &f)
{
    addText(t, content::kReasoning, f.string(m, u"content"_s));
    const QJsonArray substeps = f.array(m, u"substeps"_s);
    for (qsizetype i = 0; i < substeps.size(); ++i) {
        const QJsonValue v = substeps.at(i);
        if (!v.isString()) {
            f.fail(u"substeps[%1] is %2, expected text"_s.arg(i).arg(JsonFields::typeName(v)));
            continue;
        }
        addValue(t, content::kSubstep, v.toString());
    }
}

// The message types that hold structured content. False for types this mapping does not
// know.
bool addContent(const QString &type, const QJsonObject &m, Turn &t, JsonFields &f, CallSites &calls)
{
    t.role = Turn::Role::Assistant;
    if (type == "ai/viz"_L1) {
        addVisualization(m, t, f);
    } else if (type == "ai/multi_viz"_L1) {
        addMultiVisualization(m, t, f);
    } else if (type == "ai/artifact"_L1) {
        addArtifact(m, t, f);
    } else if (type == "ai/notebook"_L1) {
        addNotebook(m, t, f);
        addToolCalls(m, t, f, calls);
    } else if (type == "ai/planning"_L1) {
        addSteps(m, u"steps"_s, content::kStep, t, f);
    } else if (type == "ai/task_execution"_L1) {
        addSteps(m, u"tasks"_s, content::kTask, t, f);
    } else if (type == "ai/reasoning"_L1) {
        addReasoning(m, t, f);
    } else if (type == "context"_L1) {
        t.role = Turn::Role::System;
        addText(t, content::kContext, f.string(m, u"content"_s));
    } else {
        t.role = Turn::Role::Unknown;
        return false;
    }
    return true;
}

Turn turnFromMessage(const QJsonObject &m, JsonFields &f, CallSites &calls)
{
    Turn t;
    t.id = f.string(m, u"id"_s);
    const QString type = f.string(m, u"type"_s);
    t.typeLabel = type;
    const QString parentCall = f.string(m, u"parent_tool_call_id"_s);
    if (!parentCall.isEmpty())
        t.inReplyTo = calls.value(parentCall).turnId;

    if (type == "human"_L1) {
        t.role = Turn::Role::User;
        t.fragments.append(textFragment(f.string(m, u"content"_s)));
    } else if (type == "ai"_L1) {
        t.role = Turn::Role::Assistant;
        const QJsonObject meta = f.object(m, u"meta"_s);
        addThinking(meta, t);
        const QString content = f.string(m, u"content"_s);
        if (!content.isEmpty())
            t.fragments.append(textFragment(content));
        addToolCalls(m, t, f, calls);
        addForm(meta, t, f);
    } else if (type == "tool"_L1) {
        t.role = Turn::Role::Tool;
        Fragment fr;
        fr.kind = Fragment::Kind::ToolResult;
        fr.callId = f.string(m, u"tool_call_id"_s);
        fr.text = f.jsonText(m, u"content"_s);
        const CallSite site = calls.value(fr.callId);
        fr.name = site.toolName;
        if (t.inReplyTo.isEmpty())
            t.inReplyTo = site.turnId;
        t.fragments.append(fr);
    } else if (type == "ai/failure"_L1) {
        t.role = Turn::Role::Assistant;
        t.state = Turn::State::Error;
        t.errorDetail = f.string(m, u"content"_s).trimmed();
        if (t.errorDetail.isEmpty())
            t.errorDetail = tr("PostHog AI could not finish this reply.");
    } else if (!addContent(type, m, t, f, calls)) {
        // A type this version does not know: keep it visible, never drop it.
        t.role = Turn::Role::Unknown;
        const QJsonValue content = m.value(u"content"_s);
        QString s = content.isString() ? JsonFields::oneLine(content.toString()) : QString();
        if (s.isEmpty())
            s = type.isEmpty()
                    ? tr("A message without a type.")
                    : tr("A message of type “%1” that Parley cannot show yet.").arg(type);
        t.fragments.append(otherFragment(type, s));
    }
    return t;
}

QString yes()
{
    return tr("yes");
}

// Some API revisions include the messages in list items too: their number is the turn count.
const mapping::ConversationKeys kConversationKeys{.id = u"id"_s,
                                                  .title = u"title"_s,
                                                  .created = u"created_at"_s,
                                                  .updated = u"updated_at"_s,
                                                  .status = u"status"_s,
                                                  .kind = u"type"_s,
                                                  .turns = u"messages"_s};

} // namespace

Conversation conversationFromJson(const QJsonObject &o, JsonFields &f)
{
    Conversation c = mapping::readConversation(o, f, kConversationKeys);
    c.owner = ownerOf(f.object(o, u"user"_s), f);
    return c;
}

QList<Turn> turnsFromMessages(const QJsonArray &messages, JsonFields &f)
{
    CallSites calls;
    return f.objects<Turn>(messages, u"messages"_s,
                           [&calls](const QJsonObject &row, JsonFields &mf, qsizetype i) {
                               Turn t = turnFromMessage(row, mf, calls);
                               // A message not saved yet (the reply being written) has no id:
                               // one by its place, so that the row can be found and replaced.
                               if (t.id.isEmpty())
                                   t.id = u"unsaved-%1"_s.arg(i);
                               return t;
                           });
}

Result<ConversationPage> parseListPage(const QByteArray &body, int offset, int limit)
{
    return JsonFields::readObject<ConversationPage>(
        body, u"conversation list:"_s, [&](const QJsonObject &o, JsonFields &f) {
            f.require(o, u"results"_s);
            const QJsonArray rows = f.array(o, u"results"_s);

            // The paging fields: a wrong type in them ends the list at this page's rows.
            JsonFields pf(u"conversation list:"_s);
            ConversationPage page;
            page.total = pf.integer(o, u"count"_s, -1);
            const QString next = pf.string(o, u"next"_s);
            pf.string(o, u"previous"_s); // type check only
            page.items = f.objects<Conversation>(rows, u"results"_s, conversationFromJson,
                                                 JsonFields::KeepRaw::WhenUnreadable);

            // No `next` at all: decide from the count, else from a short page.
            PageCursor &c = page.next;
            c = PageCursor::afterOffsetPage(offset, page.items.size(), page.total, limit);
            c.token = next;
            if (!next.isEmpty()) // an empty page that claims more would page forever
                c.atEnd = page.items.isEmpty();
            else if (o.contains(u"next"_s)) // null: DRF says this was the last page
                c.atEnd = true;
            mapping::endAtPagingProblem(page, pf);
            return page;
        });
}

Result<ConversationDetail> parseConversation(const QByteArray &body)
{
    return parley::mapping::readDetail(
        body, u"conversation:"_s, [&](const QJsonObject &o, JsonFields &f) {
            ConversationDetail d;
            d.summary = conversationFromJson(o, f);
            const QJsonValue messages = o.value(u"messages"_s);
            d.turns = turnsFromMessages(f.array(o, u"messages"_s), f);
            if (messages.isArray())
                d.summary.turnCount = int(d.turns.size());
            d.running = d.summary.status == "in_progress"_L1; // stopped by conversation

            auto add = [&d](const QString &label, const QString &value) {
                if (!value.isEmpty())
                    d.properties.append({label, value});
            };
            const QJsonObject user = f.object(o, u"user"_s);
            QString owner = f.string(user, u"email"_s);
            const QString name =
                QString(f.string(user, u"first_name"_s) + u' ' + f.string(user, u"last_name"_s))
                    .trimmed();
            if (!name.isEmpty())
                owner = owner.isEmpty() ? name : u"%1 <%2>"_s.arg(name, owner);
            add(tr("Type"), d.summary.kind);
            add(tr("Topic"), f.string(o, u"topic"_s));
            add(tr("Agent mode"), f.string(o, u"agent_mode"_s));
            const QString runtime = f.string(o, u"agent_runtime"_s);
            add(tr("Agent runtime"), runtime);
            add(tr("Owner"), owner.isEmpty() ? d.summary.owner : owner);
            const bool sandboxed = f.boolean(o, u"is_sandbox"_s) || runtime == "sandbox"_L1;
            add(tr("Sandbox runtime"), sandboxed ? yes() : QString());
            const bool unsupported = f.boolean(o, u"has_unsupported_content"_s);
            add(tr("Unsupported content"), unsupported ? yes() : QString());
            add(tr("Internal"), f.boolean(o, u"is_internal"_s) ? yes() : QString());
            const QJsonArray approvals = f.array(o, u"pending_approvals"_s);
            d.approvals = approvalsFromJson(approvals);
            const auto pending = std::count_if(d.approvals.cbegin(), d.approvals.cend(),
                                               [](const Approval &a) { return a.isPending(); });
            add(tr("Pending approvals"), pending == 0 ? QString() : QString::number(pending));
            add(tr("Slack workspace"), f.string(o, u"slack_workspace_domain"_s));

            if (sandboxed && d.turns.isEmpty()) {
                d.hasTranscript = false;
                d.transcriptNote =
                    tr("This conversation ran in PostHog's sandbox runtime: its history is "
                       "kept in PostHog's Tasks product and this API returns no messages.");
            } else if (unsupported) {
                d.transcriptNote =
                    tr("PostHog could not read part of this conversation's stored state; "
                       "some messages may be missing.");
            }
            return d;
        });
}

ApiError refineError(const ApiError &base, const QByteArray &body)
{
    const QJsonObject o = mapping::errorBodyObject(base, body);
    if (o.isEmpty())
        return base;
    const QString detail = o.value(u"detail"_s).toString();
    const QString code = o.value(u"code"_s).toString();
    const QString adhoc = o.value(u"error"_s).toString(); // {"error": "..."} bodies
    const QString attr = o.value(u"attr"_s).toString();

    ApiError e = base;
    if (!detail.isEmpty())
        e.detail = detail;
    else if (!adhoc.isEmpty())
        e.detail = adhoc;
    if (!code.isEmpty())
        e.code = code;
    else if (!adhoc.isEmpty() && !detail.isEmpty()) // {"error": "queue_full", "detail": ...}
        e.code = adhoc;
    if (!attr.isEmpty() && !e.detail.isEmpty())
        e.detail = tr("%1 (field “%2”)").arg(e.detail, attr);
    // The queue's limit, and a personal API key without the scope the call needs.
    if (e.kind == ApiError::Kind::Conflict && e.code == "queue_full"_L1)
        e.reason = ApiError::Reason::QueueFull;
    else if (e.kind == ApiError::Kind::Forbidden && e.code == "permission_denied"_L1 &&
             e.detail.contains("scope"_L1, Qt::CaseInsensitive))
        e.reason = ApiError::Reason::ScopeMissing;
    return e;
}

} // namespace parley::posthog
