#include "providers/orq/OrqMapping.h"

#include "core/TranslationContext.h"
#include "providers/MappingParts.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace parley::orq {

namespace {

const TranslationContext tr{"parley::orq"};

// The parent entity: `metadata.entityId`, or the top-level `entityId` some revisions show.
QString entityOf(const QJsonObject &o, const QJsonObject &metadata, JsonFields &f)
{
    const QString nested = f.string(metadata, u"entityId"_s);
    const QString top = f.string(o, u"entityId"_s);
    return nested.isEmpty() ? top : nested;
}

Fragment filePart(const QJsonObject &part, JsonFields &f)
{
    Fragment fr;
    fr.kind = Fragment::Kind::File;
    const QJsonObject file = f.object(part, u"file"_s);
    const QString uri = f.string(file, u"uri"_s);
    const QString mime = f.string(file, u"mimeType"_s);
    const QString bytes = f.string(file, u"bytes"_s);
    fr.name = f.string(file, u"name"_s);
    if (fr.name.isEmpty() && !uri.isEmpty())
        fr.name = QUrl(uri).fileName();
    if (!uri.isEmpty())
        fr.text = uri;
    else if (!bytes.isEmpty())
        fr.text = mime.isEmpty()
                      ? tr("embedded file, about %1 bytes").arg(bytes.size() * 3 / 4)
                      : tr("embedded %1, about %2 bytes").arg(mime).arg(bytes.size() * 3 / 4);
    else
        fr.text = mime;
    return fr;
}

// One entry of `parts`. Error parts also mark the turn as failed.
Fragment partFragment(const QJsonObject &part, JsonFields &f, Turn &turn)
{
    const QString kind = f.string(part, u"kind"_s);
    Fragment fr;
    if (kind == "text"_L1) {
        fr.kind = Fragment::Kind::Text;
        fr.text = f.string(part, u"text"_s);
    } else if (kind == "file"_L1) {
        fr = filePart(part, f);
    } else if (kind == "tool_result"_L1) {
        fr.kind = Fragment::Kind::ToolResult;
        fr.callId = f.string(part, u"tool_call_id"_s);
        fr.text = f.jsonText(part, u"result"_s);
    } else if (kind == "error"_L1) {
        fr.kind = Fragment::Kind::Error;
        fr.text = f.string(part, u"error"_s);
        const QJsonValue code = part.value(u"code"_s);
        if (code.isDouble())
            fr.name = QString::number(qint64(code.toDouble()));
        else if (!code.isUndefined() && !code.isNull())
            f.fail(u"field 'code' is %1, expected a number"_s.arg(JsonFields::typeName(code)));
        turn.state = Turn::State::Error;
        if (turn.errorDetail.isEmpty())
            turn.errorDetail = fr.text;
    } else {
        // A kind this version does not know (reasoning, data, ...): keep it visible.
        fr.kind = Fragment::Kind::Other;
        fr.name = kind;
        const QJsonValue reasoning = part.value(u"reasoning"_s);
        if (reasoning.isString())
            fr.text = reasoning.toString();
        else if (part.contains(u"data"_s))
            fr.text = JsonFields::oneLine(f.jsonText(part, u"data"_s), 200);
        else if (kind.isEmpty())
            fr.text = tr("A message part without a kind.");
        else
            fr.text = tr("A part of kind “%1” that Parley cannot show yet.").arg(kind);
    }
    return fr;
}

Turn turnFromMessage(const QJsonObject &m, JsonFields &f)
{
    Turn t;
    t.id = f.string(m, u"_id"_s);
    t.timestamp = f.msTime(m, u"createdAt"_s);
    const QString role = f.string(m, u"role"_s);
    const QString author = f.string(m, u"createdById"_s);
    t.typeLabel = role;
    if (role == "user"_L1)
        t.role = Turn::Role::User;
    else if (role == "assistant"_L1 || (role.isEmpty() && author == "system"_L1))
        t.role = Turn::Role::Assistant;
    else
        t.role = Turn::Role::Unknown;

    const QJsonArray parts = f.array(m, u"parts"_s);
    f.eachObject(parts, u"parts"_s, [&](const QJsonObject &row, JsonFields &pf, qsizetype) {
        t.fragments.append(partFragment(row, pf, t));
    });
    return t;
}

const mapping::ConversationKeys kConversationKeys{.id = u"_id"_s,
                                                  .title = u"displayName"_s,
                                                  .created = u"createdAt"_s,
                                                  .updated = u"updatedAt"_s,
                                                  .owner = u"createdById"_s,
                                                  .turns = u"messages"_s,
                                                  .epochMs = true};

} // namespace

Conversation conversationFromJson(const QJsonObject &o, JsonFields &f)
{
    Conversation c = mapping::readConversation(o, f, kConversationKeys);
    const QJsonObject metadata = f.object(o, u"metadata"_s);
    const QString entity = entityOf(o, metadata, f);
    const QString model = f.string(metadata, u"model"_s);
    c.kind = entity.isEmpty() ? model : entity;
    if (f.boolean(metadata, u"generatingTitle"_s))
        c.status = u"generating_title"_s;
    return c;
}

QList<Turn> turnsFromMessages(const QJsonArray &messages, JsonFields &f)
{
    return f.objects<Turn>(messages, u"messages"_s, turnFromMessage);
}

Result<ConversationPage> parseListPage(const QByteArray &body)
{
    return JsonFields::readObject<ConversationPage>(
        body, u"conversation list:"_s, [](const QJsonObject &o, JsonFields &f) {
            const QString object = f.string(o, u"object"_s);
            if (!object.isEmpty() && object != "list"_L1)
                f.fail(u"'object' is “%1”, expected “list”"_s.arg(object));
            f.require(o, u"data"_s);
            f.require(o, u"has_more"_s);
            const QJsonArray rows = f.array(o, u"data"_s);
            // The paging fields: a problem in them ends the list at this page's rows.
            JsonFields pf(u"conversation list:"_s);
            const bool more = pf.boolean(o, u"has_more"_s);

            ConversationPage page;
            page.items = f.objects<Conversation>(rows, u"data"_s, conversationFromJson,
                                                 JsonFields::KeepRaw::WhenUnreadable);

            PageCursor &next = page.next;
            next.style = PageCursor::Style::Cursor;
            if (!page.items.isEmpty()) {
                next.token = page.items.last().id;
                next.backToken = page.items.first().id;
            }
            next.atEnd = !more || page.items.isEmpty();
            if (more && !page.items.isEmpty() && next.token.isEmpty())
                pf.fail(u"the last conversation has no '_id' to continue from"_s);
            mapping::endAtPagingProblem(page, pf);
            return page;
        });
}

Result<ConversationPage> parseNewerPage(const QByteArray &body)
{
    Result<ConversationPage> page = parseListPage(body);
    if (page.ok())
        page.value().next.token.clear();
    return page;
}

Result<ConversationDetail> parseConversation(const QByteArray &body)
{
    return parley::mapping::readDetail(
        body, u"conversation:"_s, [&](const QJsonObject &o, JsonFields &f) {
            if (!o.contains(u"_id"_s))
                f.fail(u"it has no '_id'"_s);
            ConversationDetail d;
            d.summary = conversationFromJson(o, f);
            const QJsonValue messages = o.value(u"messages"_s);
            d.turns = turnsFromMessages(f.array(o, u"messages"_s), f);

            const QJsonObject metadata = f.object(o, u"metadata"_s);
            auto add = [&d](const QString &label, const QString &value) {
                if (!value.trimmed().isEmpty())
                    d.properties.append({label, value});
            };
            add(tr("Entity"), entityOf(o, metadata, f));
            add(tr("Model"), f.string(metadata, u"model"_s));
            add(tr("Project"), f.string(o, u"projectId"_s));
            add(tr("Created by"), d.summary.owner);
            add(tr("Updated by"), f.string(o, u"updatedById"_s));
            add(tr("Title being generated"),
                f.boolean(metadata, u"generatingTitle"_s) ? tr("yes") : QString());

            if (!messages.isArray()) {
                d.hasTranscript = false;
                d.transcriptNote = tr("orq.ai returned this conversation without its messages.");
            }
            return d;
        });
}

ApiError refineError(const ApiError &base, const QByteArray &body)
{
    const QJsonObject o = mapping::errorBodyObject(base, body);
    if (o.isEmpty())
        return base;
    ApiError e = base;
    const QJsonValue error = o.value(u"error"_s);
    if (error.isObject()) { // {"error": {"code", "message", "doc_url"}}
        const QJsonObject inner = error.toObject();
        const QString code = inner.value(u"code"_s).toString();
        const QString message = inner.value(u"message"_s).toString();
        if (!code.isEmpty())
            e.code = code;
        if (!message.isEmpty())
            e.detail = message;
        return e;
    }
    if (error.isString()) { // legacy {"id", "code": 404, "error": "...", "source"}
        e.detail = error.toString();
        const QJsonValue code = o.value(u"code"_s);
        if (code.isString())
            e.code = code.toString();
        if (o.value(u"source"_s).toString() == "provider"_L1)
            e.detail = tr("%1 (reported by the model provider)").arg(e.detail);
        return e;
    }
    const QString message = o.value(u"message"_s).toString(); // {"message": "..."}
    if (!message.isEmpty())
        e.detail = message;
    return e;
}

} // namespace parley::orq
