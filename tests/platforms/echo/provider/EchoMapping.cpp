#include "EchoMapping.h"

#include "providers/JsonFields.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parley::echo {

namespace {

Conversation threadRow(const QJsonObject &o, JsonFields &f)
{
    Conversation c;
    c.id = f.string(o, u"ref"_s);
    c.title = f.string(o, u"subject"_s);
    c.status = f.string(o, u"mood"_s);
    c.createdAt = f.isoTime(o, u"opened"_s);
    c.updatedAt = c.createdAt;
    c.turnCount = int(f.integer(o, u"lines"_s));
    if (c.id.isEmpty())
        f.fail(u"a thread has no ref"_s);
    return c;
}

Turn lineTurn(const QJsonObject &o, JsonFields &f)
{
    Turn t;
    t.id = f.stringOrNumber(o, u"no"_s);
    const QString speaker = f.string(o, u"speaker"_s);
    t.role = speaker == "human"_L1  ? Turn::Role::User
             : speaker == "echo"_L1 ? Turn::Role::Assistant
                                    : Turn::Role::Unknown;
    t.typeLabel = speaker;
    t.timestamp = f.isoTime(o, u"at"_s);
    Fragment text;
    text.kind = Fragment::Kind::Text;
    text.text = f.string(o, u"said"_s);
    t.fragments << text;
    return t;
}

} // namespace

Result<ConversationPage> parsePage(const QByteArray &body, int from, int count)
{
    return JsonFields::readObject<ConversationPage>(
        body, u"Echo thread list"_s, [&](const QJsonObject &root, JsonFields &f) {
            ConversationPage page;
            for (const QJsonValue &v : f.array(root, u"threads"_s))
                page.items << threadRow(v.toObject(), f);
            page.total = f.integer(root, u"available"_s);
            page.next = PageCursor::first(PageCursor::Style::Offset);
            page.next.offset = from + int(page.items.size());
            page.next.atEnd = page.items.size() < count || page.next.offset >= page.total;
            return page;
        });
}

Result<ConversationDetail> parseThread(const QByteArray &body)
{
    return JsonFields::readObject<ConversationDetail>(
        body, u"Echo thread"_s, [&](const QJsonObject &root, JsonFields &f) {
            ConversationDetail d;
            d.summary = threadRow(f.object(root, u"thread"_s), f);
            for (const QJsonValue &v : f.array(root, u"lines"_s))
                d.turns << lineTurn(v.toObject(), f);
            return d;
        });
}

Result<QString> parseLineId(const QByteArray &body)
{
    return JsonFields::readObject<QString>(
        body, u"Echo line"_s, [&](const QJsonObject &root, JsonFields &f) {
            const QString id = f.stringOrNumber(f.object(root, u"line"_s), u"no"_s);
            if (id.isEmpty())
                f.fail(u"the stored line has no number"_s);
            return id;
        });
}

ApiError refineError(const ApiError &base, const QByteArray &body)
{
    QJsonObject root;
    ApiError ignored;
    if (!JsonFields::parseObject(body, &root, &ignored))
        return base;
    const QJsonObject fault = root.value(u"fault"_s).toObject();
    if (fault.isEmpty())
        return base;
    ApiError out = base;
    out.code = fault.value(u"reason"_s).toString();
    out.detail = JsonFields::oneLine(fault.value(u"text"_s).toString());
    return out;
}

} // namespace parley::echo
