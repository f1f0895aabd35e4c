#pragma once

#include "core/ApiError.h"
#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QJsonObject>

// PostHog AI ("Max") JSON -> core types. Pure functions: no I/O, no globals, safe to run
// on a worker thread. Every field is optional; a field present with the wrong type makes
// the whole answer a BadResponse naming that field (JsonFields keeps the first problem).
namespace parley::posthog {

// GET /api/projects/{project_id}/conversations/?limit=&offset= (DRF LimitOffsetPagination:
// {count, next, previous, results}). `offset` and `limit` are what the page was asked
// with: the next cursor starts at offset + results.size(), and keeps the server's `next`
// URL in PageCursor::token for reference.
Result<ConversationPage> parseListPage(const QByteArray &body, int offset, int limit);

// GET /api/projects/{project_id}/conversations/{id}/: the list fields, `messages`,
// `has_unsupported_content`, `agent_mode`, `agent_runtime`, `is_sandbox`, ...
Result<ConversationDetail> parseConversation(const QByteArray &body);

// A PostHog error body on top of what the HTTP layer already mapped: the DRF shape
// {type, code, detail, attr} and the ad-hoc {error} / {error, detail} bodies of the
// conversation actions. Unknown bodies leave `base` as it is.
ApiError refineError(const ApiError &base, const QByteArray &body);

// Building blocks, exposed for tests.
Conversation conversationFromJson(const QJsonObject &o, JsonFields &f);
QList<Turn> turnsFromMessages(const QJsonArray &messages, JsonFields &f);

} // namespace parley::posthog
