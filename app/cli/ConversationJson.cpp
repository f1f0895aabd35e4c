#include "cli/ConversationJson.h"

#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace parley::cli::ConversationJson {

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(JsonFields::toIsoUtc(time)) : QJsonValue(QJsonValue::Null);
}

QJsonObject fragment(const Fragment &f)
{
    QJsonObject o{{u"kind"_s, fragmentKindName(f.kind)}, {u"text"_s, f.text}};
    if (!f.name.isEmpty())
        o.insert(u"name"_s, f.name);
    if (!f.callId.isEmpty())
        o.insert(u"call_id"_s, f.callId);
    if (f.failed)
        o.insert(u"failed"_s, true);
    if (f.inProgress)
        o.insert(u"in_progress"_s, true);
    if (!f.status.isEmpty())
        o.insert(u"status"_s, f.status);
    if (!f.metadata.isEmpty())
        o.insert(u"metadata"_s, f.metadata);
    return o;
}

// The message as the platform sent it, as JSON again; text it cannot parse stays text.
QJsonValue rawJson(const QByteArray &raw)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(raw);
    if (doc.isArray())
        return doc.array();
    return doc.object();
}

} // namespace

QStringList rowColumns()
{
    return {u"id"_s,         u"title"_s,      u"status"_s,     u"kind"_s,    u"owner"_s,
            u"created_at"_s, u"updated_at"_s, u"turn_count"_s, u"platform"_s};
}

QJsonObject row(const Conversation &c, const QString &platform)
{
    QJsonObject o{
        {u"id"_s, c.id},
        {u"title"_s, textOrNull(c.title)},
        {u"status"_s, textOrNull(c.status)},
        {u"kind"_s, textOrNull(c.kind)},
        {u"owner"_s, textOrNull(c.owner)},
        {u"created_at"_s, timeOrNull(c.createdAt)},
        {u"updated_at"_s, timeOrNull(c.updatedAt)},
        {u"turn_count"_s,
         c.turnCount >= 0 ? QJsonValue(c.turnCount) : QJsonValue(QJsonValue::Null)},
        {u"platform"_s, platform},
    };
    const QJsonObject &extra = c.extra();
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QStringList rowCells(const Conversation &c, const QString &platform)
{
    return {c.id,
            c.title,
            c.status,
            c.kind,
            c.owner,
            JsonFields::toIsoUtc(c.createdAt),
            JsonFields::toIsoUtc(c.updatedAt),
            c.turnCount >= 0 ? QString::number(c.turnCount) : QString(),
            platform};
}

QString fragmentKindName(Fragment::Kind kind)
{
    switch (kind) {
    case Fragment::Kind::Text:
        return u"text"_s;
    case Fragment::Kind::ToolCall:
        return u"tool_call"_s;
    case Fragment::Kind::ToolResult:
        return u"tool_result"_s;
    case Fragment::Kind::File:
        return u"file"_s;
    case Fragment::Kind::Error:
        return u"error"_s;
    case Fragment::Kind::Other:
        break;
    }
    return u"other"_s;
}

QJsonObject turn(const Turn &t)
{
    QJsonArray fragments;
    for (const Fragment &f : t.fragments)
        fragments.append(fragment(f));
    QJsonObject o{
        {u"id"_s, textOrNull(t.id)},
        {u"role"_s, Turn::roleName(t.role)},
        {u"type"_s, textOrNull(t.typeLabel)},
        {u"timestamp"_s, timeOrNull(t.timestamp)},
        {u"state"_s, Turn::stateName(t.state)},
        {u"text"_s, t.plainText()},
        {u"fragments"_s, fragments},
    };
    if (!t.errorDetail.isEmpty())
        o.insert(u"error"_s, t.errorDetail);
    if (!t.inReplyTo.isEmpty())
        o.insert(u"in_reply_to"_s, t.inReplyTo);
    if (t.isUnreadable())
        o.insert(u"unreadable"_s, t.unreadable);
    if (!t.raw.isEmpty())
        o.insert(u"raw"_s, rawJson(t.raw));
    if (!t.metadata.isEmpty())
        o.insert(u"metadata"_s, t.metadata);
    return o;
}

QJsonArray approvals(const QList<Approval> &list)
{
    QJsonArray out;
    for (const Approval &a : list)
        out.append(QJsonObject{{u"id"_s, a.id},
                               {u"tool"_s, a.tool},
                               {u"preview"_s, a.preview},
                               {u"status"_s, a.statusName()},
                               {u"payload"_s, a.payloadJson}});
    return out;
}

QJsonObject detail(const ConversationDetail &d, const QString &platform)
{
    QJsonArray properties;
    for (const Property &p : d.properties)
        properties.append(QJsonObject{{u"label"_s, p.label}, {u"value"_s, p.value}});
    QJsonArray turns;
    for (const Turn &t : d.turns)
        turns.append(turn(t));
    QJsonObject o{
        {u"summary"_s, row(d.summary, platform)},
        {u"properties"_s, properties},
        {u"has_transcript"_s, d.hasTranscript},
        {u"turns"_s, turns},
    };
    if (!d.transcriptNote.isEmpty())
        o.insert(u"transcript_note"_s, d.transcriptNote);
    if (!d.approvals.isEmpty())
        o.insert(u"approvals"_s, approvals(d.approvals));
    if (d.summary.isUnreadable())
        o.insert(u"unreadable"_s, d.summary.unreadableWhy());
    return o;
}

} // namespace parley::cli::ConversationJson
