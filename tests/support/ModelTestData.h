#pragma once

#include "core/Conversation.h"
#include "core/ConversationDetail.h"
#include "core/Turn.h"

#include <QList>

namespace parley::test {

// Conversation i: id "conv-%05d", title "Conversation i about <topic>", status alternating
// "done"/"idle", owner "user<i % 7>@example.com", created at 2026-01-01 + i minutes (UTC),
// updated an hour later.
Conversation makeConversation(int i);
QList<Conversation> makeConversations(int count, int first = 0);

// Turn i alternates user/assistant text turns; every fifth is an assistant turn with a
// tool call and a tool result fragment. Ids "turn-%05d".
Turn makeTurn(int i);
ConversationDetail makeDetail(const QString &id, int turns);

// A turn with one text fragment.
Turn textTurn(const QString &id, Turn::Role role, const QString &text,
              Turn::State state = Turn::State::Done);

} // namespace parley::test
