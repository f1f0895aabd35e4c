#pragma once

#include "core/Workspace.h"

#include <QAbstractListModel>
#include <QHash>

namespace parley {

// The configured workspaces, as values, for the sidebar and pickers. Holds no secrets and
// persists nothing: the workspace store loads and saves, this model only shows.
class WorkspaceModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        WorkspaceRole = Qt::UserRole + 1, // the whole Workspace
        IdRole,                           // QUuid
        NameRole,                         // Workspace::name as entered (may be empty)
        PlatformRole,                     // provider id: "posthog"
        PlatformNameRole,                 // "PostHog AI", or the id when unknown
        DemoRole,                         // bool
    };
    Q_ENUM(Role)

    explicit WorkspaceModel(QObject *parent = nullptr);

    void setWorkspaces(const QList<Workspace> &workspaces);
    const QList<Workspace> &workspaces() const { return m_workspaces; }

    // Appends, or updates the workspace with the same id.
    void addWorkspace(const Workspace &workspace);
    // False when no workspace has this id.
    bool updateWorkspace(const Workspace &workspace);
    bool removeWorkspace(const QUuid &id);

    int rowOf(const QUuid &id) const;
    // nullptr when out of range.
    const Workspace *workspaceAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // ProviderRegistry::platform(id).displayName, or `id` for an unknown platform.
    QString platformName(const QString &platformId) const;

private:
    QList<Workspace> m_workspaces;
    mutable QHash<QString, QString> m_platformNames; // cache: data() runs on every paint
};

} // namespace parley
