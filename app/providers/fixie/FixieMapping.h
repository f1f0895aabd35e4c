#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// Fixie agent conversations JSON -> core types. Pure functions: no I/O, no globals, safe
// to run on a worker thread. A field present with the wrong type makes the whole answer a
// BadResponse naming that field; fragments of kinds Fixie does not document are kept as
// Fragment::Kind::Other, never dropped.
namespace parley::fixie {

// Longest title derived from a first user message, in characters (an ellipsis marks a cut).
inline constexpr int kTitleLength = 80;

// GET /api/v1/agents/{agentId}/conversations?offset=&limit=
// → {"conversations": [Conversation], "pageInfo": {requestedPageSize, requestedOffset,
// totalResultCount}}. `offset` and `limit` are what the page was asked with: the next
// cursor starts at offset + conversations.size() and the list ends at totalResultCount
// (or, without it, at a short page); an empty page always ends it.
Result<ConversationPage> parseListPage(const QByteArray &body, int offset, int limit);

// GET /api/v1/agents/{agentId}/conversations/{conversationId} → Conversation {id, turns}.
Result<ConversationDetail> parseConversation(const QByteArray &body);

// One line of a start stream (NDJSON): a snapshot of the whole Conversation.
Result<ConversationDetail> conversationSnapshot(const QJsonValue &line);
// One line of a send stream (NDJSON): a snapshot of the assistant's Turn.
Result<Turn> turnSnapshot(const QJsonValue &line);

// Building blocks, exposed for tests.
// A turn that cannot be read is an unreadable turn (see JsonFields::objects); `keep` says
// whether the readable ones keep their JSON.
QList<Turn> turnsFromJson(const QJsonArray &turns, JsonFields &f,
                          JsonFields::KeepRaw keep = JsonFields::KeepRaw::Always);
Fragment fragmentFromJson(const QJsonObject &o, JsonFields &f);
// The list row of a conversation. Fixie conversations have no title, status or times of
// their own: the title is the first user text (cut to kTitleLength), the status the state
// of the latest turn, the times those of the first and latest turns.
Conversation summaryOf(const QString &id, const QList<Turn> &turns);
QString titleFrom(const QList<Turn> &turns);
// The `metadata` of turns and their messages as the conversation's properties, one each
// ("Turn 2 metadata", "Turn 2, message 1 metadata"; numbered from 1, compact JSON on one
// line), in transcript order; none where nothing carries any.
QList<Property> metadataProperties(const QList<Turn> &turns);
// The in-progress assistant turn among `turns`: the run a stop request names; empty when
// none is running.
QString runningTurn(const QList<Turn> &turns);

} // namespace parley::fixie
