#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// Dynamiq management API JSON -> core types. Pure functions: no I/O, no globals, safe to
// run on a worker thread. Every conversation field is optional; a field present with the
// wrong type makes the whole answer a BadResponse naming that field.
namespace parley::dynamiq {

// GET /v1/conversations?page=&page_size=&sort=&app_id=&model_id=&org_id=
// → {"data": [Conversation], "pagination": {page, page_size, page_count, total_count}}.
// `page` (1-based) and `pageSize` are what the page was asked with. The next cursor is
// page + 1 until page >= page_count; an empty page also ends the list, so that a server
// that keeps claiming more pages cannot make a client page for ever.
Result<ConversationPage> parseListPage(const QByteArray &body, int page, int pageSize);

// GET /v1/conversations/{id} → {"data": Conversation}. Dynamiq documents no endpoint for a
// conversation's messages: the detail has no transcript, says so in `transcriptNote`, and
// carries everything else the conversation object holds as properties (app and model names
// and ids, organization, user, sandbox_id); its times are the summary's.
Result<ConversationDetail> parseConversation(const QByteArray &body);

// The app and model a conversation object names (app_id / model_id, else the nested
// object's id; UUIDs only), with their names: the New Conversation dialog offers them.
// parseListPage collects them into ConversationPage::suggestions, each once.
QList<FieldSuggestion> suggestionsFromJson(const QJsonObject &o);

// The sentence shown where a transcript would be.
QString transcriptNote();

// Reads an answer of the shape {"data": {...}}: `read(data, reader)` with a reader named
// `what` gives the value; else the body's, the envelope's or the reader's first problem.
template<typename T, typename Read>
Result<T> readData(const QByteArray &body, const QString &what, Read read)
{
    QJsonObject data;
    const Result<bool> envelope =
        JsonFields::readObject<bool>(body, what, [&data](const QJsonObject &o, JsonFields &f) {
            f.require(o, QStringLiteral("data"));
            data = f.object(o, QStringLiteral("data"));
            return true;
        });
    if (!envelope.ok())
        return envelope.error();
    JsonFields f(what);
    T value = read(data, f);
    if (f.failed())
        return f.error();
    return value;
}

// Building blocks, exposed for tests.
Conversation conversationFromJson(const QJsonObject &o, JsonFields &f);
QList<Property> propertiesFromJson(const QJsonObject &o, JsonFields &f);

} // namespace parley::dynamiq
