#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "core/Turn.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>

// Small pieces every platform's mapping builds the same way.
namespace parley {
class JsonFields;
}

namespace parley::mapping {

// The keys under which a platform's conversation object holds the plain fields of a list row;
// an empty key is not read. `turns` names an array whose length is the turn count, where a
// platform sends one.
struct ConversationKeys
{
    QString id = {};
    QString title = {};
    QString created = {};
    QString updated = {};
    QString owner = {};
    QString status = {};
    QString kind = {};
    QString turns = {};
    bool epochMs = false; // times are Unix epoch milliseconds, not ISO 8601 text
};

// A list row with the fields `keys` names read from `o`; the rest stays "not said".
Conversation readConversation(const QJsonObject &o, JsonFields &f, const ConversationKeys &keys);

// Ends `page` at its rows when `paging` (the reader of its paging fields) recorded a problem:
// the page keeps its rows, says why it cannot go on (ConversationPage::error), and is at
// its end.
void endAtPagingProblem(ConversationPage &page, const JsonFields &paging);

// Parses `body` as one conversation and reads it with `read(object, reader)`. A problem in
// the conversation's own fields does not hide what was read, its messages above all: the
// detail comes with `summary.unreadableWhy()` saying why, and a transcript note saying so. Only
// a body that is no JSON object, or a conversation without its id, is a BadResponse (the
// body's problem, or the reader's first).
using DetailReader = std::function<ConversationDetail(const QJsonObject &, JsonFields &)>;
Result<ConversationDetail> readDetail(const QByteArray &body, const QString &what,
                                      const DetailReader &read);

// A fragment of plain text.
Fragment textFragment(const QString &text);
// A fragment Parley shows by name and summary only (a type it does not render).
Fragment otherFragment(const QString &name, const QString &summary);

// The JSON object of a failed answer's body, for a platform's error refinement; empty when
// `error` is no error or the body is not a JSON object (the error then stays as it is).
QJsonObject errorBodyObject(const ApiError &error, const QByteArray &body);

} // namespace parley::mapping
