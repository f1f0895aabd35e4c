#pragma once

#include "BenchTable.h"
#include "Stats.h"
#include "core/Conversation.h"

namespace parley {
class ConversationFilterProxy;
class ConversationListModel;
} // namespace parley

namespace parley::bench {

// Every loaded row of `model`, in its order.
QList<Conversation> loadedRows(const ConversationListModel &model);
// Rows ConversationFilterProxy accepts for `text` (the same fields, case-insensitive
// substring), counted the bench's own way.
int countMatches(const QList<Conversation> &rows, const QString &text);
// A title word whose rows are closest to 10% of `rows` (measured with the proxy's rule);
// `matched` receives their number. Empty when no title has a word of 4 letters or more.
QString pickFilterText(const QList<Conversation> &rows, int *matched);

struct FilterTimes
{
    Stats apply;
    Stats clear;
    int shown = -1;
};

// setFilterText() plus rowCount() (the proxy maps lazily: counting forces the pass), then
// clearing it the same way, `runs` times.
FilterTimes timeFilter(ConversationFilterProxy &proxy, const QString &text, int runs);

// Client-side filtering of every loaded row through ConversationFilterProxy: a text chosen
// to match about 10% of the rows (a title word), then clearing it; unsorted (the list's
// default, the server's order) and sorted by the Updated column. Adds its rows to `table`.
void benchFilter(const ConversationListModel &model, const QString &platform, int runs,
                 BenchTable &table);

} // namespace parley::bench
