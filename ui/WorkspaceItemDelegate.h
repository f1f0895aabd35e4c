#pragma once

#include <QStyledItemDelegate>

namespace parley {

// Two lines per workspace: its name, and below it in a dimmer colour the platform.
class WorkspaceItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    WorkspaceItemDelegate(int subtitleRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_subtitleRole;
};

} // namespace parley
