#include "models/ConversationFilterProxy.h"

#include "models/ConversationListModel.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace parley {

namespace {

bool isColumn(int column)
{
    return column >= 0 && column < ConversationListModel::ColumnCount;
}

// The stored field a text column shows; FieldCount for the time columns.
ConversationRows::Field textField(int column)
{
    switch (column) {
    case ConversationListModel::TitleColumn:
        return ConversationRows::Title;
    case ConversationListModel::StatusColumn:
        return ConversationRows::Status;
    case ConversationListModel::KindColumn:
        return ConversationRows::Kind;
    case ConversationListModel::OwnerColumn:
        return ConversationRows::Owner;
    default:
        break;
    }
    return ConversationRows::FieldCount;
}

bool isTimeColumn(int column)
{
    return column == ConversationListModel::CreatedColumn ||
           column == ConversationListModel::UpdatedColumn;
}

// Unknown times (kNoTime, the smallest value) sort before every known one.
qint64 timeKey(const ConversationRows &rows, int row, int column)
{
    return rows.timeMs(row, column == ConversationListModel::UpdatedColumn);
}

// <0, 0, >0; 0 for a column the model does not have.
int compareColumn(const ConversationRows &rows, int a, int b, int column)
{
    const ConversationRows::Field field = textField(column);
    if (field != ConversationRows::FieldCount)
        return compareFolded(rows.text(a, field), rows.text(b, field));
    if (isTimeColumn(column)) {
        const qint64 ka = timeKey(rows, a, column);
        const qint64 kb = timeKey(rows, b, column);
        return ka < kb ? -1 : (ka > kb ? 1 : 0);
    }
    return 0;
}

} // namespace

ConversationFilterProxy::ConversationFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ConversationListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(false);
}

void ConversationFilterProxy::setSourceModel(QAbstractItemModel *sourceModel)
{
    if (QAbstractItemModel *old = this->sourceModel())
        disconnect(old, nullptr, this, nullptr);
    dropRanks();
    m_poolMatches.clear();
    m_source = qobject_cast<const ConversationListModel *>(sourceModel);
    if (m_source) {
        // Ranks stay valid while rows are only appended; anything else invalidates them.
        connect(m_source, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first) {
                    if (size_t(first) < m_rank.size())
                        dropRanks();
                });
        const auto drop = [this] { dropRanks(); };
        // The pool starts again with a reset: its indexes name other values.
        connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            dropRanks();
            m_poolMatches.clear();
        });
        connect(m_source, &QAbstractItemModel::rowsAboutToBeRemoved, this, drop);
        connect(m_source, &QAbstractItemModel::rowsAboutToBeMoved, this, drop);
        connect(m_source, &QAbstractItemModel::layoutAboutToBeChanged, this, drop);
        connect(m_source, &QAbstractItemModel::dataChanged, this, drop);
    }
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void ConversationFilterProxy::sort(int column, Qt::SortOrder order)
{
    if (column >= 0 && m_source)
        buildRanks(column);
    else
        dropRanks();
    QSortFilterProxyModel::sort(column, order);
}

void ConversationFilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_matcher.setPattern(m_text);
    m_poolMatches.clear();
    // Re-filtering re-sorts what passes: rank the rows appended since the last sort first.
    const int column = sortColumn();
    if (column >= 0 && m_source &&
        (m_rankColumn != column || m_rank.size() != size_t(m_source->rowCount())))
        buildRanks(column);
    // A full re-filter, not invalidateFilter(): the incremental path removes every
    // discontiguous run of rejected rows on its own and rebuilds its mapping each time,
    // which is quadratic (seconds for 100,000 rows); this is one pass plus a layout change.
    invalidate();
    emit filterTextChanged(m_text);
}

bool ConversationFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty() || sourceParent.isValid() || !m_source)
        return true;
    const ConversationRows &rows = m_source->rows();
    if (sourceRow < 0 || sourceRow >= rows.size())
        return false;
    RowText texts[ConversationRows::FieldCount];
    rows.texts(sourceRow, texts);
    return m_matcher.matches(texts[ConversationRows::Title]) ||
           m_matcher.matches(texts[ConversationRows::Id]) ||
           matchesShared(rows, sourceRow, ConversationRows::Owner,
                         texts[ConversationRows::Owner]) ||
           matchesShared(rows, sourceRow, ConversationRows::Status,
                         texts[ConversationRows::Status]);
}

bool ConversationFilterProxy::matchesShared(const ConversationRows &rows, int row,
                                            ConversationRows::Field field,
                                            const RowText &text) const
{
    const quint32 pooled = rows.poolIndex(row, field);
    if (!pooled)
        return m_matcher.matches(text);
    if (pooled >= m_poolMatches.size())
        m_poolMatches.resize(size_t(pooled) + 1, -1);
    signed char &known = m_poolMatches[pooled];
    if (known < 0)
        known = m_matcher.matches(text) ? 1 : 0;
    return known == 1;
}

bool ConversationFilterProxy::rowLess(const ConversationRows &rows, int rowA, int rowB, int column)
{
    const int order = compareColumn(rows, rowA, rowB, column);
    // Equal keys keep the order the platform listed them in.
    return order != 0 ? order < 0 : rowA < rowB;
}

bool ConversationFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int column = left.column();
    const int rowA = left.row();
    const int rowB = right.row();
    if (m_source && column == m_rankColumn && column == right.column() &&
        size_t(rowA) < m_rank.size() && size_t(rowB) < m_rank.size())
        return m_rank[size_t(rowA)] < m_rank[size_t(rowB)];

    const int rows = m_source ? m_source->rows().size() : 0;
    if (rowA < 0 || rowA >= rows || rowB < 0 || rowB >= rows || column != right.column() ||
        !isColumn(column))
        return QSortFilterProxyModel::lessThan(left, right);
    return rowLess(m_source->rows(), rowA, rowB, column);
}

void ConversationFilterProxy::buildRanks(int column)
{
    const int rows = m_source->rowCount();
    if (rows == 0 || !isColumn(column)) {
        dropRanks();
        return;
    }
    const ConversationRows &stored = m_source->rows();
    std::vector<int> order;
    if (isTimeColumn(column)) {
        // One key per row instead of two lookups per comparison.
        std::vector<std::pair<qint64, int>> keys(static_cast<size_t>(rows));
        for (int row = 0; row < rows; ++row)
            keys[size_t(row)] = {timeKey(stored, row, column), row};
        std::sort(keys.begin(), keys.end());
        order.reserve(keys.size());
        for (const auto &key : keys)
            order.push_back(key.second);
    } else {
        order = sortedByText(stored, textField(column));
    }
    m_rank.assign(size_t(rows), 0);
    for (int position = 0; position < rows; ++position)
        m_rank[size_t(order[size_t(position)])] = position;
    m_rankColumn = column;
}

std::vector<int> ConversationFilterProxy::sortedByText(const ConversationRows &rows,
                                                       ConversationRows::Field field)
{
    // Eight folded characters at a time, kept in one array: rows are sorted by their first
    // eight, then each run that agrees on them by the next eight, and so on, so no text is
    // read twice at the same place. Equal texts keep the order of their rows.
    struct Key
    {
        quint64 high;
        quint64 low;
        qsizetype size;
        int row;
    };
    struct Group
    {
        size_t begin;
        size_t end;
        qsizetype from;
    };
    const int n = rows.size();
    std::vector<RowText> texts(static_cast<size_t>(n));
    for (int row = 0; row < n; ++row)
        texts[size_t(row)] = rows.text(row, field);
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);

    std::vector<Key> keys;
    std::vector<Group> todo = {{0, size_t(n), 0}};
    while (!todo.empty()) {
        const Group g = todo.back();
        todo.pop_back();
        const RowText &head = texts[size_t(order[g.begin])];
        if (g.from > 0 &&
            std::all_of(order.begin() + qsizetype(g.begin) + 1, order.begin() + qsizetype(g.end),
                        [&](int row) { return compareFolded(texts[size_t(row)], head) == 0; }))
            continue; // the same text throughout: already in row order
        keys.clear();
        bool goesOn = false; // a text has characters past these eight
        for (size_t i = g.begin; i < g.end; ++i) {
            const int row = order[i];
            const RowText &t = texts[size_t(row)];
            keys.push_back(
                {foldedPrefixKey(t, g.from), foldedPrefixKey(t, g.from + 4), t.size(), row});
            goesOn = goesOn || t.size() > g.from + 8;
        }
        // Where every text ends here, the shorter of two that agree is the earlier.
        std::sort(keys.begin(), keys.end(), [goesOn](const Key &a, const Key &b) {
            if (a.high != b.high)
                return a.high < b.high;
            if (a.low != b.low)
                return a.low < b.low;
            if (!goesOn && a.size != b.size)
                return a.size < b.size;
            return a.row < b.row;
        });
        for (size_t i = 0; i < keys.size(); ++i)
            order[g.begin + i] = keys[i].row;
        if (!goesOn)
            continue;
        for (size_t first = 0; first < keys.size();) {
            size_t last = first + 1;
            while (last < keys.size() && keys[last].high == keys[first].high &&
                   keys[last].low == keys[first].low)
                ++last;
            if (last - first > 1)
                todo.push_back({g.begin + first, g.begin + last, g.from + 8});
            first = last;
        }
    }
    return order;
}

void ConversationFilterProxy::dropRanks()
{
    m_rank.clear();
    m_rank.shrink_to_fit();
    m_rankColumn = -1;
}

} // namespace parley
