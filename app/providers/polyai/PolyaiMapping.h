#pragma once

#include "core/ApiError.h"
#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

// PolyAI Conversations API JSON -> core types. Pure functions: no I/O, no globals, safe to
// run on a worker thread. Every field is optional; a field present with the wrong type makes
// the whole answer a BadResponse naming that field (JsonFields keeps the first problem).
namespace parley::polyai {

enum class ApiVersion
{
    V1, // GET /v1/{account_id}/{project_id}/conversations, offset paging
    V3, // GET /v3/{account_id}/{project_id}/conversations, opaque `cursor` paging
};

// A parsed list page, and each row's item as it came: PolyAI list items embed their turns,
// and v1 has no endpoint for a single conversation, so the provider keeps these to answer
// fetchConversation(), reading one in full (detailFromRow) only when it is opened. The list
// reads of each item only what a row shows.
struct ListPage
{
    ConversationPage page;
    QList<QJsonValue> rows; // same order as page.items
};

// A list body: {"conversations": [...], "descriptions"?: {...}, "next_offset"?: N} (v1),
// plus "cursor"?: "..."|null (v3). `requested` is the cursor the page was asked with:
// v1 continues at `next_offset` (absent = last page); v3 continues with `cursor`
// (absent, null or empty = last page). A next position that does not move forward is a
// BadResponse rather than an endless walk.
Result<ListPage> parseListPage(const QByteArray &body, ApiVersion version,
                               const PageCursor &requested);

// One conversation: a list item (snake_case, `id`) or the documented detail shape
// (camelCase, `conversationId`, with shortSummary, tags, direction, ...).
Result<ConversationDetail> parseConversation(const QByteArray &body);

// A PolyAI error body on top of what the HTTP layer already mapped: v1's
// {"error_message"}, v3's {"success": false, "error", "error_id", "error_code",
// "error_message", "data"}, and the {"detail"} / {"message"} bodies of the gateways in
// front of it. Unknown bodies leave `base` as it is.
ApiError refineError(const ApiError &base, const QByteArray &body);

// The whole conversation behind a row of ListPage::rows: the row read as a conversation, or
// an unreadable one (its id where it has one, why, and the item as it came).
ConversationDetail detailFromRow(const QJsonValue &row);

// Building blocks, exposed for tests.
ConversationDetail detailFromJson(const QJsonObject &o, JsonFields &f);
// Each turn pair becomes up to two core turns, user first, skipping empty sides.
QList<Turn> turnsFromPairs(const QJsonArray &turns, JsonFields &f);

} // namespace parley::polyai
