#pragma once

#include "models/ConversationRows.h"
#include "models/RowText.h"

#include <QSortFilterProxyModel>

#include <vector>

namespace parley {

class ConversationListModel;

// Filters and sorts the rows a ConversationListModel has loaded, on the client:
// a case-insensitive text filter over title, id, owner and status, and sorting by the
// raw values of the sorted column (times by their instant, not their display text).
// Both read the source's stored rows directly (ConversationRows): no QVariant, no
// Conversation per row.
//
// For 100,000 rows: a filter change re-filters in one pass (QSortFilterProxyModel's
// incremental path is quadratic in the number of separate runs it removes), and sorting
// compares precomputed ranks, so a re-sort after each keystroke costs no string compares.
class ConversationFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)

public:
    explicit ConversationFilterProxy(QObject *parent = nullptr);

    // Must be a ConversationListModel (anything else shows every row, sorted by SortRole).
    void setSourceModel(QAbstractItemModel *sourceModel) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Trimmed; empty shows every row.
    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

signals:
    void filterTextChanged(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    // Order of two loaded rows by `column`, ties broken by source row: a strict total order.
    static bool rowLess(const ConversationRows &rows, int rowA, int rowB, int column);
    // Rows in ascending order of `field`, ties in row order.
    static std::vector<int> sortedByText(const ConversationRows &rows,
                                         ConversationRows::Field field);
    // Whether a status or owner matches the filter; once per pooled value.
    bool matchesShared(const ConversationRows &rows, int row, ConversationRows::Field field,
                       const RowText &text) const;
    void buildRanks(int column);
    void dropRanks();

    const ConversationListModel *m_source = nullptr;
    QString m_text;
    RowTextMatcher m_matcher;
    // By pool index (ConversationRows::poolIndex): -1 unknown yet, else whether it matches.
    // Cleared with a new filter text or a reset of the source.
    mutable std::vector<signed char> m_poolMatches;
    // m_rank[sourceRow] = position of the row in ascending order of m_rankColumn; rows
    // appended after it was built have none and are compared directly.
    std::vector<int> m_rank;
    int m_rankColumn = -1;
};

} // namespace parley
