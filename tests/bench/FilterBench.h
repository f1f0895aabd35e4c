#pragma once

#include "BenchTable.h"

namespace parley {
class ConversationListModel;
}

namespace parley::bench {

// Client-side filtering of every loaded row through ConversationFilterProxy: a text chosen
// to match about 10% of the rows (a title word), then clearing it; unsorted (the list's
// default, the server's order) and sorted by the Updated column. Adds its rows to `table`.
void benchFilter(const ConversationListModel &model, const QString &platform, int runs,
                 BenchTable &table);

} // namespace parley::bench
