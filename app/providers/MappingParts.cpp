#include "providers/MappingParts.h"

#include "core/JsonText.h"
#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace parley::mapping {

Fragment textFragment(const QString &text)
{
    Fragment fr;
    fr.kind = Fragment::Kind::Text;
    fr.text = text;
    return fr;
}

Fragment otherFragment(const QString &name, const QString &summary)
{
    Fragment fr;
    fr.kind = Fragment::Kind::Other;
    fr.name = name;
    fr.text = summary;
    return fr;
}

Result<ConversationDetail> readDetail(const QByteArray &body, const QString &what,
                                      const DetailReader &read)
{
    QJsonObject o;
    ApiError error;
    if (!JsonFields::parseObject(body, &o, &error))
        return error;
    JsonFields f(what);
    ConversationDetail d = read(o, f);
    if (!f.failed())
        return d;
    if (d.summary.id.isEmpty())
        return f.error(); // not a conversation Parley can name
    d.summary.setUnreadable(f.problem());
    const QString note =
        QCoreApplication::translate("parley::mapping", "Parley could not read all of this "
                                                       "conversation's own fields: %1.")
            .arg(f.problem());
    d.transcriptNote = d.transcriptNote.isEmpty() ? note : d.transcriptNote + u' ' + note;
    return d;
}

void endAtPagingProblem(ConversationPage &page, const JsonFields &paging)
{
    if (!paging.failed())
        return;
    page.error = paging.error();
    page.next.atEnd = true;
}

QJsonObject errorBodyObject(const ApiError &error, const QByteArray &body)
{
    if (!error.isError() || body.isEmpty())
        return {};
    return parseJsonText(body).object(); // empty unless the body is an object
}

Conversation readConversation(const QJsonObject &o, JsonFields &f, const ConversationKeys &keys)
{
    const auto text = [&](const QString &key) {
        return key.isEmpty() ? QString() : f.string(o, key);
    };
    const auto time = [&](const QString &key) {
        if (key.isEmpty())
            return QDateTime();
        return keys.epochMs ? f.msTime(o, key) : f.isoTime(o, key);
    };
    Conversation c;
    c.id = text(keys.id);
    c.title = text(keys.title);
    c.owner = text(keys.owner);
    c.status = text(keys.status);
    c.kind = text(keys.kind);
    c.createdAt = time(keys.created);
    c.updatedAt = time(keys.updated);
    if (!keys.turns.isEmpty()) {
        const QJsonValue turns = o.value(keys.turns);
        if (turns.isArray())
            c.turnCount = int(turns.toArray().size());
    }
    return c;
}

} // namespace parley::mapping
