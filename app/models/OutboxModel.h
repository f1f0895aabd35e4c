#pragma once

#include "controllers/OutboxDelivery.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QUuid>

namespace parley {

// The undelivered appends of an OutboxDelivery, one row each, oldest first: for the whole
// queue, one workspace, or one conversation (setScope). Rows appear when text is saved and
// leave when it is delivered or discarded; everything else is a dataChanged().
class OutboxModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        ClientIdRole = Qt::UserRole + 1, // QUuid
        WorkspaceIdRole,                 // QUuid
        ConversationIdRole,              // QString
        TextRole,                        // QString: the message (also Qt::DisplayRole)
        StateRole,                       // QString: OutboxEntry::stateName()
        StatusRole,                      // int: OutboxDelivery::Status
        StatusTextRole,                  // QString: OutboxDelivery::statusText() (also ToolTip)
        ErrorRole,                       // QString: the last error, empty when none
        AttemptsRole,                    // int
        CreatedAtRole,                   // QDateTime (UTC)
        NextAttemptRole,                 // QDateTime (UTC), invalid unless Waiting
        CanRetryRole,                    // bool
        CanDiscardRole,                  // bool
    };
    Q_ENUM(Role)

    explicit OutboxModel(OutboxDelivery *queue, QObject *parent = nullptr);

    // Null workspace = every entry; empty conversation = every entry of the workspace.
    void setScope(const QUuid &workspaceId, const QString &conversationId = {});
    QUuid workspaceId() const { return m_workspaceId; }
    QString conversationId() const { return m_conversationId; }

    QUuid clientIdAt(int row) const;
    int rowOf(const QUuid &clientId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    bool inScope(const OutboxEntry &entry) const;
    void rebuild();
    void onAdded(const QUuid &clientId);
    void onChanged(const QUuid &clientId);
    void onRemoved(const QUuid &clientId);

    QPointer<OutboxDelivery> m_queue;
    QUuid m_workspaceId;
    QString m_conversationId;
    QList<QUuid> m_ids;
};

} // namespace parley
