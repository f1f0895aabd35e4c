#include "models/OutboxModel.h"

namespace parley {

OutboxModel::OutboxModel(OutboxDelivery *queue, QObject *parent)
    : QAbstractListModel(parent)
    , m_queue(queue)
{
    if (queue) {
        connect(queue, &OutboxDelivery::entryAdded, this, &OutboxModel::onAdded);
        connect(queue, &OutboxDelivery::entryChanged, this, &OutboxModel::onChanged);
        connect(queue, &OutboxDelivery::entryRemoved, this, &OutboxModel::onRemoved);
        connect(queue, &QObject::destroyed, this, [this]() {
            beginResetModel();
            m_ids.clear();
            endResetModel();
        });
    }
    rebuild();
}

void OutboxModel::setScope(const QUuid &workspaceId, const QString &conversationId)
{
    if (workspaceId == m_workspaceId && conversationId == m_conversationId)
        return;
    beginResetModel();
    m_workspaceId = workspaceId;
    m_conversationId = conversationId;
    rebuild();
    endResetModel();
}

QUuid OutboxModel::clientIdAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : QUuid();
}

int OutboxModel::rowOf(const QUuid &clientId) const
{
    return int(m_ids.indexOf(clientId));
}

int OutboxModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QVariant OutboxModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_queue)
        return {};
    const QUuid id = m_ids.at(index.row());
    const std::optional<OutboxEntry> e = m_queue->entry(id);
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return e->text;
    case Qt::ToolTipRole:
    case StatusTextRole:
        return m_queue->statusText(id);
    case ClientIdRole:
        return e->clientId;
    case WorkspaceIdRole:
        return e->workspaceId;
    case ConversationIdRole:
        return e->conversationId;
    case StateRole:
        return OutboxEntry::stateName(e->state);
    case StatusRole:
        return int(m_queue->status(id));
    case ErrorRole:
        return e->lastError;
    case AttemptsRole:
        return e->attempts;
    case CreatedAtRole:
        return e->createdAt;
    case NextAttemptRole:
        return m_queue->nextAttempt(id);
    case CanRetryRole:
        return m_queue->canRetry(id);
    case CanDiscardRole:
        return m_queue->canDiscard(id);
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> OutboxModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ClientIdRole, "clientId");
    names.insert(WorkspaceIdRole, "workspaceId");
    names.insert(ConversationIdRole, "conversationId");
    names.insert(TextRole, "text");
    names.insert(StateRole, "state");
    names.insert(StatusRole, "status");
    names.insert(StatusTextRole, "statusText");
    names.insert(ErrorRole, "error");
    names.insert(AttemptsRole, "attempts");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(NextAttemptRole, "nextAttempt");
    names.insert(CanRetryRole, "canRetry");
    names.insert(CanDiscardRole, "canDiscard");
    return names;
}

bool OutboxModel::inScope(const OutboxEntry &entry) const
{
    if (!m_workspaceId.isNull() && entry.workspaceId != m_workspaceId)
        return false;
    return m_conversationId.isEmpty() || entry.conversationId == m_conversationId;
}

void OutboxModel::rebuild()
{
    m_ids.clear();
    if (!m_queue)
        return;
    for (const OutboxEntry &e : m_queue->entries()) {
        if (inScope(e))
            m_ids.append(e.clientId);
    }
}

void OutboxModel::onAdded(const QUuid &clientId)
{
    const std::optional<OutboxEntry> e = m_queue ? m_queue->entry(clientId) : std::nullopt;
    if (!e || !inScope(*e) || m_ids.contains(clientId))
        return;
    // The queue keeps creation order and adds at the end; so does the model.
    const int row = int(m_ids.size());
    beginInsertRows({}, row, row);
    m_ids.append(clientId);
    endInsertRows();
}

void OutboxModel::onChanged(const QUuid &clientId)
{
    const int row = rowOf(clientId);
    if (row < 0)
        return;
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
}

void OutboxModel::onRemoved(const QUuid &clientId)
{
    const int row = rowOf(clientId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(row);
    endRemoveRows();
}

} // namespace parley
