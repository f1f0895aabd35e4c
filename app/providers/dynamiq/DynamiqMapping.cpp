#include "providers/dynamiq/DynamiqMapping.h"

#include "core/TranslationContext.h"

#include "providers/MappingParts.h"
#include "providers/dynamiq/DynamiqQuery.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parley::dynamiq {

namespace {

const TranslationContext tr{"parley::dynamiq"};

// The nested `app` and `model` objects, read with their own reader so that a problem in
// them names where it was found.
struct Binding
{
    QString id;
    QString name;
    QString description; // app
    QString slug;        // model
    QString provider;    // model
};

Binding bindingFrom(const QJsonObject &o, const QString &key, JsonFields &f)
{
    Binding b;
    const QJsonObject nested = f.object(o, key);
    if (nested.isEmpty())
        return b;
    JsonFields nf = JsonFields::inside(key);
    b.id = nf.string(nested, u"id"_s);
    b.name = nf.string(nested, u"name"_s);
    b.description = nf.string(nested, u"description"_s);
    b.slug = nf.string(nested, u"slug"_s);
    b.provider = nf.string(nested, u"provider"_s);
    f.absorb(nf);
    return b;
}

const mapping::ConversationKeys kConversationKeys{.id = u"id"_s,
                                                  .title = u"title"_s,
                                                  .created = u"created_at"_s,
                                                  .updated = u"updated_at"_s,
                                                  .owner = u"user_id"_s};

} // namespace

Conversation conversationFromJson(const QJsonObject &o, JsonFields &f)
{
    Conversation c = mapping::readConversation(o, f, kConversationKeys);
    // A conversation is bound either to a deployed app or to a hosted conversation model:
    // the row shows the name of whichever it is, else its id.
    const Binding app = bindingFrom(o, u"app"_s, f);
    const Binding model = bindingFrom(o, u"model"_s, f);
    const QString appId = f.string(o, u"app_id"_s);
    const QString modelId = f.string(o, u"model_id"_s);
    if (!app.name.isEmpty())
        c.kind = app.name;
    else if (!model.name.isEmpty())
        c.kind = model.name;
    else if (!appId.isEmpty())
        c.kind = appId;
    else
        c.kind = modelId;
    return c;
}

QList<Property> propertiesFromJson(const QJsonObject &o, JsonFields &f)
{
    QList<Property> out;
    auto add = [&out](const QString &label, const QString &value) {
        if (!value.trimmed().isEmpty())
            out.append({label, value});
    };
    const Binding app = bindingFrom(o, u"app"_s, f);
    const Binding model = bindingFrom(o, u"model"_s, f);
    const QString appId = f.string(o, u"app_id"_s);
    const QString modelId = f.string(o, u"model_id"_s);

    add(tr("App"), app.name);
    add(tr("App ID"), appId.isEmpty() ? app.id : appId);
    add(tr("App description"), app.description);
    add(tr("Model"), model.name);
    add(tr("Model ID"), modelId.isEmpty() ? model.id : modelId);
    add(tr("Model slug"), model.slug);
    add(tr("Model provider"), model.provider);
    add(tr("Organization ID"), f.string(o, u"org_id"_s));
    add(tr("User ID"), f.string(o, u"user_id"_s));
    add(tr("Sandbox ID"), f.string(o, u"sandbox_id"_s));
    // created_at and updated_at are the summary's times, shown with it; not repeated here.
    return out;
}

QList<FieldSuggestion> suggestionsFromJson(const QJsonObject &o)
{
    QList<FieldSuggestion> out;
    for (const QString &key : {u"app"_s, u"model"_s}) {
        const QJsonObject nested = o.value(key).toObject();
        QString id = o.value(key + u"_id"_s).toString().trimmed();
        if (id.isEmpty())
            id = nested.value(u"id"_s).toString().trimmed();
        if (!isUuid(id))
            continue;
        out.append({key + u"_id"_s, id.toLower(),
                    JsonFields::oneLine(nested.value(u"name"_s).toString(), 80)});
    }
    return out;
}

QString transcriptNote()
{
    return tr("Dynamiq offers no endpoint for a conversation's messages: its API lists, opens, "
              "creates and deletes conversations and sends new messages, but does not return "
              "the messages already exchanged. The details above are everything Dynamiq "
              "returns for this conversation.");
}

Result<ConversationPage> parseListPage(const QByteArray &body, int page, int pageSize)
{
    return JsonFields::readObject<ConversationPage>(
        body, u"conversation list:"_s, [&](const QJsonObject &o, JsonFields &f) {
            if (f.require(o, u"data"_s))
                f.require(o, u"pagination"_s);
            const QJsonArray rows = f.array(o, u"data"_s);
            // The paging fields: a wrong type in them ends the list at this page's rows.
            JsonFields paging(u"conversation list:"_s);
            const QJsonObject pagination = paging.object(o, u"pagination"_s);
            JsonFields pf(u"in 'pagination',"_s);
            pf.integer(pagination,
                       u"page"_s); // type checks only: the page asked for is what counts
            pf.integer(pagination, u"page_size"_s);
            const qint64 pageCount = pf.integer(pagination, u"page_count"_s, -1);
            const qint64 totalCount = pf.integer(pagination, u"total_count"_s, -1);
            paging.absorb(pf);

            ConversationPage result;
            result.total = totalCount >= 0 ? totalCount : -1;
            result.items = f.objects<Conversation>(
                rows, u"data"_s,
                [&](const QJsonObject &row, JsonFields &rf) {
                    Conversation c = conversationFromJson(row, rf);
                    if (!rf.failed()) {
                        for (const FieldSuggestion &s : suggestionsFromJson(row)) {
                            if (!result.suggestions.contains(s))
                                result.suggestions.append(s);
                        }
                    }
                    return c;
                },
                JsonFields::KeepRaw::WhenUnreadable);

            PageCursor &next = result.next;
            next.style = PageCursor::Style::PageNumber;
            next.page = page + 1;
            if (result.items.isEmpty())
                next.atEnd = true;
            else if (pageCount >= 0)
                next.atEnd = page >= pageCount;
            else if (result.total >= 0)
                next.atEnd = qint64(page) * qMax(1, pageSize) >= result.total;
            else
                next.atEnd = result.items.size() < pageSize;
            mapping::endAtPagingProblem(result, paging);
            return result;
        });
}

Result<ConversationDetail> parseConversation(const QByteArray &body)
{
    return readData<ConversationDetail>(body, u"conversation:"_s,
                                        [](const QJsonObject &data, JsonFields &f) {
                                            ConversationDetail d;
                                            d.summary = conversationFromJson(data, f);
                                            d.properties = propertiesFromJson(data, f);
                                            if (d.summary.id.isEmpty())
                                                f.fail(tr("it has no 'id'"));
                                            d.hasTranscript = false;
                                            d.transcriptNote = transcriptNote();
                                            return d;
                                        });
}

} // namespace parley::dynamiq
