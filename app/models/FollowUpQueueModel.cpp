#include "models/FollowUpQueueModel.h"

namespace parley {

FollowUpQueueModel::FollowUpQueueModel(QObject *parent)
    : QAbstractListModel(parent)
{}

const FollowUpItem *FollowUpQueueModel::itemAt(int row) const
{
    return row >= 0 && row < m_queue.items.size() ? &m_queue.items.at(row) : nullptr;
}

void FollowUpQueueModel::clear()
{
    setQueue(FollowUpQueue{{}, m_queue.maxItems});
}

void FollowUpQueueModel::setQueue(const FollowUpQueue &queue)
{
    const bool limit = queue.maxItems != m_queue.maxItems;
    m_queue.maxItems = queue.maxItems;
    QList<FollowUpItem> &rows = m_queue.items;
    const QList<FollowUpItem> &wanted = queue.items;
    auto indexIn = [](const QList<FollowUpItem> &list, const QString &id, qsizetype from) {
        for (qsizetype i = from; i < list.size(); ++i) {
            if (list.at(i).id == id)
                return i;
        }
        return qsizetype(-1);
    };
    // Rows that are gone.
    for (qsizetype i = rows.size() - 1; i >= 0; --i) {
        if (indexIn(wanted, rows.at(i).id, 0) < 0) {
            beginRemoveRows({}, int(i), int(i));
            rows.removeAt(i);
            endRemoveRows();
        }
    }
    // Walk the wanted order: keep, move into place, or insert.
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        const qsizetype at = indexIn(rows, wanted.at(i).id, i);
        if (at == i) {
            if (rows.at(i).content != wanted.at(i).content ||
                rows.at(i).createdAt != wanted.at(i).createdAt) {
                rows[i] = wanted.at(i);
                emit dataChanged(index(int(i)), index(int(i)));
            }
        } else if (at > i) {
            beginMoveRows({}, int(at), int(at), {}, int(i));
            rows.move(at, i);
            endMoveRows();
            rows[i] = wanted.at(i);
            emit dataChanged(index(int(i)), index(int(i)));
        } else {
            beginInsertRows({}, int(i), int(i));
            rows.insert(i, wanted.at(i));
            endInsertRows();
        }
    }
    if (limit)
        emit limitChanged();
}

int FollowUpQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_queue.items.size());
}

QVariant FollowUpQueueModel::data(const QModelIndex &index, int role) const
{
    const FollowUpItem *item = itemAt(index.row());
    if (!index.isValid() || !item)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole:
        return item->content;
    case Qt::ToolTipRole:
        return item->createdAt.isValid()
                   ? tr("Queued %1").arg(item->createdAt.toLocalTime().toString(Qt::TextDate))
                   : QVariant();
    case IdRole:
        return item->id;
    case CreatedAtRole:
        return item->createdAt;
    default:
        return {};
    }
}

QHash<int, QByteArray> FollowUpQueueModel::roleNames() const
{
    return {{IdRole, "id"}, {ContentRole, "content"}, {CreatedAtRole, "createdAt"}};
}

} // namespace parley
