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

char16_t fold(char16_t c)
{
    if (c < 128)
        return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
    return QChar::toCaseFolded(c);
}

// Case-insensitive order by simple case folding of each UTF-16 unit: fast for ASCII, the
// same answer on every path (the ranks and the direct comparison must agree).
int compareFolded(QStringView a, QStringView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    const char16_t *pa = a.utf16();
    const char16_t *pb = b.utf16();
    for (qsizetype i = 0; i < n; ++i) {
        if (pa[i] == pb[i])
            continue;
        const char16_t fa = fold(pa[i]);
        const char16_t fb = fold(pb[i]);
        if (fa != fb)
            return fa < fb ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Unknown times sort before every known one.
qint64 timeKey(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

const QString *textField(const Conversation &c, int column)
{
    switch (column) {
    case ConversationListModel::TitleColumn:
        return &c.title;
    case ConversationListModel::StatusColumn:
        return &c.status;
    case ConversationListModel::KindColumn:
        return &c.kind;
    case ConversationListModel::OwnerColumn:
        return &c.owner;
    default:
        break;
    }
    return nullptr;
}

const QDateTime *timeField(const Conversation &c, int column)
{
    if (column == ConversationListModel::CreatedColumn)
        return &c.createdAt;
    if (column == ConversationListModel::UpdatedColumn)
        return &c.updatedAt;
    return nullptr;
}

// <0, 0, >0; 0 for a column the model does not have.
int compareColumn(const Conversation &a, const Conversation &b, int column)
{
    if (const QString *ta = textField(a, column))
        return compareFolded(*ta, *textField(b, column));
    if (const QDateTime *da = timeField(a, column)) {
        const qint64 ka = timeKey(*da);
        const qint64 kb = timeKey(*timeField(b, column));
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
    m_matcher.setCaseSensitivity(Qt::CaseInsensitive);
}

void ConversationFilterProxy::setSourceModel(QAbstractItemModel *sourceModel)
{
    if (QAbstractItemModel *old = this->sourceModel())
        disconnect(old, nullptr, this, nullptr);
    dropRanks();
    m_source = qobject_cast<const ConversationListModel *>(sourceModel);
    if (m_source) {
        // Ranks stay valid while rows are only appended; anything else invalidates them.
        connect(m_source, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first) {
                    if (size_t(first) < m_rank.size())
                        dropRanks();
                });
        const auto drop = [this] { dropRanks(); };
        connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, drop);
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
    const Conversation *c = m_source->conversationAt(sourceRow);
    if (!c)
        return false;
    return m_matcher.indexIn(c->title) >= 0 || m_matcher.indexIn(c->id) >= 0 ||
           m_matcher.indexIn(c->owner) >= 0 || m_matcher.indexIn(c->status) >= 0;
}

bool ConversationFilterProxy::rowLess(const Conversation &a, int rowA, const Conversation &b,
                                      int rowB, int column)
{
    const int order = compareColumn(a, b, column);
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

    const Conversation *a = m_source ? m_source->conversationAt(rowA) : nullptr;
    const Conversation *b = m_source ? m_source->conversationAt(rowB) : nullptr;
    if (!a || !b || column != right.column() || !isColumn(column))
        return QSortFilterProxyModel::lessThan(left, right);
    return rowLess(*a, rowA, *b, rowB, column);
}

void ConversationFilterProxy::buildRanks(int column)
{
    const int rows = m_source->rowCount();
    if (rows == 0 || !isColumn(column)) {
        dropRanks();
        return;
    }
    std::vector<int> order(static_cast<size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    const ConversationListModel *source = m_source;
    if (timeField(Conversation{}, column)) {
        // One conversion per row instead of two per comparison.
        std::vector<qint64> keys(order.size());
        for (int row = 0; row < rows; ++row)
            keys[size_t(row)] = timeKey(*timeField(*source->conversationAt(row), column));
        std::sort(order.begin(), order.end(), [&keys](int ra, int rb) {
            const qint64 ka = keys[size_t(ra)];
            const qint64 kb = keys[size_t(rb)];
            return ka != kb ? ka < kb : ra < rb;
        });
    } else {
        std::sort(order.begin(), order.end(), [source, column](int ra, int rb) {
            return rowLess(*source->conversationAt(ra), ra, *source->conversationAt(rb), rb,
                           column);
        });
    }
    m_rank.assign(size_t(rows), 0);
    for (int position = 0; position < rows; ++position)
        m_rank[size_t(order[size_t(position)])] = position;
    m_rankColumn = column;
}

void ConversationFilterProxy::dropRanks()
{
    m_rank.clear();
    m_rank.shrink_to_fit();
    m_rankColumn = -1;
}

} // namespace parley
