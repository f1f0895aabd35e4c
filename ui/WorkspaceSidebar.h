#pragma once

#include <QUuid>
#include <QWidget>

class QAbstractItemModel;
class QAction;
class QListView;
class QModelIndex;
class QToolButton;

namespace parley {

// The left pane: the workspaces (name, and the platform below it), with Add, Edit and
// Delete as buttons, a context menu and window-wide shortcuts (Ctrl+N adds).
class WorkspaceSidebar : public QWidget
{
    Q_OBJECT
public:
    explicit WorkspaceSidebar(QWidget *parent = nullptr);

    // `idRole` gives a row's workspace id (QUuid), `subtitleRole` the text under the name
    // (the platform's display name), `demoRole` true for demo workspaces (not editable).
    void setModel(QAbstractItemModel *model, int idRole, int subtitleRole, int demoRole);

    QUuid currentWorkspace() const;
    void setCurrentWorkspace(const QUuid &id);
    QListView *list() const { return m_list; }

    QAction *addWorkspaceAction() const { return m_add; }
    QAction *editWorkspaceAction() const { return m_edit; }
    QAction *removeWorkspaceAction() const { return m_remove; }

Q_SIGNALS:
    void workspaceSelected(const QUuid &id);
    void addRequested();
    void editRequested(const QUuid &id);
    void removeRequested(const QUuid &id);

private:
    void updateActions();
    QModelIndex indexOf(const QUuid &id) const;

    QListView *m_list;
    QToolButton *m_addButton;
    QToolButton *m_editButton;
    QToolButton *m_removeButton;
    QAction *m_add;
    QAction *m_edit;
    QAction *m_remove;
    QAbstractItemModel *m_model = nullptr;
    int m_idRole = Qt::UserRole;
    int m_subtitleRole = Qt::UserRole + 1;
    int m_demoRole = -1;
};

} // namespace parley
