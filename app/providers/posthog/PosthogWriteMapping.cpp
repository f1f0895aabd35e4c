#include "providers/posthog/PosthogWriteMapping.h"

#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonArray>

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

QJsonObject streamBody(const QString &conversationId, const QString &text, const QString &traceId)
{
    // No text (a null QString): re-attach to the reply running now.
    const QJsonValue content = text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    return QJsonObject{
        {u"conversation"_s, conversationId}, {u"content"_s, content}, {u"trace_id"_s, traceId}};
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
