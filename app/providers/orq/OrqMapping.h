#pragma once

#include "core/ApiError.h"
#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

// orq.ai Conversations API (v2) JSON -> core types. Pure functions: no I/O, no globals,
// safe to run on a worker thread. Every field is optional unless said; a field present
// with the wrong type makes the whole answer a BadResponse naming that field.
namespace parley::orq {

// GET /v2/conversations (or /v2/conversations/): {"object": "list", "data": [...],
// "has_more": bool}, newest first. The next cursor carries the last item's `_id` in
// `token` (for starting_after) and the first item's in `backToken` (for ending_before);
// it is at its end when has_more is false.
Result<ConversationPage> parseListPage(const QByteArray &body);
// The same answer to ending_before: the page holds the rows just newer than the anchor and
// has_more says whether newer ones remain, so the next cursor walks towards the newest:
// only `backToken` (the page's first `_id`) is set.
Result<ConversationPage> parseNewerPage(const QByteArray &body);

// GET /v2/conversations/{id}: the conversation and its `messages` (oldest first). An
// older API revision answers without `messages`: the detail then says it has no transcript.
Result<ConversationDetail> parseConversation(const QByteArray &body);

// orq's error bodies on top of what the HTTP layer already mapped: the current
// {"error": {"code", "message", "doc_url"}}, the legacy flat {"id", "code", "error",
// "source"}, and the {"message"} of the conversation endpoints' 404. Unknown bodies
// leave `base` as it is.
ApiError refineError(const ApiError &base, const QByteArray &body);

// Building blocks, exposed for tests.
Conversation conversationFromJson(const QJsonObject &o, JsonFields &f);
QList<Turn> turnsFromMessages(const QJsonArray &messages, JsonFields &f);

} // namespace parley::orq
