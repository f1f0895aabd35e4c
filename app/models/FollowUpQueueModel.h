#pragma once

#include "core/FollowUpQueue.h"

#include <QAbstractListModel>

namespace parley {

// The follow-ups waiting for a running conversation, in the order the agent takes them.
// setQueue() applies the platform's answer with the smallest change (rows keyed by id:
// removed, inserted, changed in place), so a view keeps its selection across refreshes.
class FollowUpQueueModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        ContentRole,   // also Qt::DisplayRole
        CreatedAtRole, // QDateTime (UTC)
    };

    explicit FollowUpQueueModel(QObject *parent = nullptr);

    void setQueue(const FollowUpQueue &queue);
    void clear();
    const FollowUpQueue &queue() const { return m_queue; }
    int maxItems() const { return m_queue.maxItems; }
    bool isFull() const { return m_queue.isFull(); }
    const FollowUpItem *itemAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void limitChanged();

private:
    FollowUpQueue m_queue;
};

} // namespace parley
