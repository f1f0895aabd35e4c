#include "models/ConversationFilterProxy.h"

#include "models/ConversationListModel.h"

namespace parley {

namespace {

int compareTimes(const QDateTime &a, const QDateTime &b)
{
    // Unknown times sort before every known one.
    if (!a.isValid() || !b.isValid())
        return int(a.isValid()) - int(b.isValid());
    const qint64 ma = a.toMSecsSinceEpoch();
    const qint64 mb = b.toMSecsSinceEpoch();
    return ma < mb ? -1 : (ma > mb ? 1 : 0);
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
    m_source = qobject_cast<const ConversationListModel *>(sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void ConversationFilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_matcher.setPattern(m_text);
    invalidateFilter();
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

bool ConversationFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_source || left.column() != right.column())
        return QSortFilterProxyModel::lessThan(left, right);
    const Conversation *a = m_source->conversationAt(left.row());
    const Conversation *b = m_source->conversationAt(right.row());
    if (!a || !b)
        return QSortFilterProxyModel::lessThan(left, right);

    int order = 0;
    switch (left.column()) {
    case ConversationListModel::TitleColumn:
        order = a->title.compare(b->title, Qt::CaseInsensitive);
        break;
    case ConversationListModel::StatusColumn:
        order = a->status.compare(b->status, Qt::CaseInsensitive);
        break;
    case ConversationListModel::CreatedColumn:
        order = compareTimes(a->createdAt, b->createdAt);
        break;
    case ConversationListModel::UpdatedColumn:
        order = compareTimes(a->updatedAt, b->updatedAt);
        break;
    case ConversationListModel::KindColumn:
        order = a->kind.compare(b->kind, Qt::CaseInsensitive);
        break;
    case ConversationListModel::OwnerColumn:
        order = a->owner.compare(b->owner, Qt::CaseInsensitive);
        break;
    default:
        return QSortFilterProxyModel::lessThan(left, right);
    }
    // Equal keys keep the order the platform listed them in.
    return order != 0 ? order < 0 : left.row() < right.row();
}

} // namespace parley
