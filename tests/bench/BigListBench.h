#pragma once

#include "BenchTable.h"
#include "core/Conversation.h"

namespace parley::bench {

// A list of `rows` conversations in ConversationListModel and ConversationFilterProxy: the
// rows are copies of `sample` (a platform's rows as Parley read them) under new ids, each
// string its own allocation as parsed JSON gives it, paged in from memory (no HTTP). Adds
// the memory per loaded row, the time to load, filter and clear the filter, and to sort by
// each column, with their budgets, to `table`.
void benchBigList(const QList<Conversation> &sample, const QString &platform, int rows, int runs,
                  BenchTable &table);

} // namespace parley::bench
