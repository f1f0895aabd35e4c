#include "models/WorkspaceModel.h"

#include "providers/ProviderRegistry.h"

using namespace Qt::StringLiterals;

namespace parley {

WorkspaceModel::WorkspaceModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void WorkspaceModel::setWorkspaces(const QList<Workspace> &workspaces)
{
    beginResetModel();
    m_workspaces = workspaces;
    endResetModel();
}

void WorkspaceModel::addWorkspace(const Workspace &workspace)
{
    if (updateWorkspace(workspace))
        return;
    const int row = int(m_workspaces.size());
    beginInsertRows({}, row, row);
    m_workspaces.append(workspace);
    endInsertRows();
}

bool WorkspaceModel::updateWorkspace(const Workspace &workspace)
{
    const int row = rowOf(workspace.id);
    if (row < 0)
        return false;
    if (m_workspaces.at(row) == workspace)
        return true;
    m_workspaces[row] = workspace;
    const QModelIndex changed = index(row, 0);
    emit dataChanged(changed, changed);
    return true;
}

bool WorkspaceModel::removeWorkspace(const QUuid &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_workspaces.removeAt(row);
    endRemoveRows();
    return true;
}

int WorkspaceModel::rowOf(const QUuid &id) const
{
    for (qsizetype row = 0; row < m_workspaces.size(); ++row) {
        if (m_workspaces.at(row).id == id)
            return int(row);
    }
    return -1;
}

const Workspace *WorkspaceModel::workspaceAt(int row) const
{
    if (row < 0 || row >= m_workspaces.size())
        return nullptr;
    return &m_workspaces.at(row);
}

QString WorkspaceModel::platformName(const QString &platformId) const
{
    auto it = m_platformNames.constFind(platformId);
    if (it != m_platformNames.constEnd())
        return *it;
    QString name = ProviderRegistry::platform(platformId).displayName;
    if (name.isEmpty())
        name = platformId;
    m_platformNames.insert(platformId, name);
    return name;
}

int WorkspaceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workspaces.size());
}

QVariant WorkspaceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_workspaces.size()) ||
        index.column() != 0)
        return {};
    const Workspace &w = m_workspaces.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return w.name.isEmpty() ? platformName(w.platform) : w.name;
    case Qt::ToolTipRole: {
        const QString title = w.name.isEmpty() ? platformName(w.platform)
                                               : w.name + u" — "_s + platformName(w.platform);
        const QString url = w.baseUrl.toDisplayString();
        return url.isEmpty() ? title : title + u'\n' + url;
    }
    case WorkspaceRole:
        return QVariant::fromValue(w);
    case IdRole:
        return w.id;
    case NameRole:
        return w.name;
    case PlatformRole:
        return w.platform;
    case PlatformNameRole:
        return platformName(w.platform);
    case DemoRole:
        return w.demo;
    default:
        break;
    }
    return {};
}

Qt::ItemFlags WorkspaceModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> WorkspaceModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(WorkspaceRole, "workspace");
    names.insert(IdRole, "workspaceId");
    names.insert(NameRole, "name");
    names.insert(PlatformRole, "platform");
    names.insert(PlatformNameRole, "platformName");
    names.insert(DemoRole, "demo");
    return names;
}

} // namespace parley
