#include "WorkspaceSidebar.h"

#include "Icons.h"
#include "WorkspaceItemDelegate.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include <tuple>

namespace parley {

WorkspaceSidebar::WorkspaceSidebar(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListView(this))
    , m_addButton(new QToolButton(this))
    , m_editButton(new QToolButton(this))
    , m_removeButton(new QToolButton(this))
    , m_add(new QAction(Icons::get(Icons::Add), tr("&Add Workspace…"), this))
    , m_edit(new QAction(Icons::get(Icons::Edit), tr("&Edit Workspace…"), this))
    , m_remove(new QAction(Icons::get(Icons::Remove), tr("&Delete Workspace…"), this))
{
    setObjectName(QStringLiteral("workspaceSidebar"));

    m_add->setObjectName(QStringLiteral("addWorkspaceAction"));
    m_add->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)); // Ctrl+N: a conversation
    m_add->setShortcutContext(Qt::WindowShortcut);
    m_edit->setObjectName(QStringLiteral("editWorkspaceAction"));
    m_remove->setObjectName(QStringLiteral("removeWorkspaceAction"));
    addAction(m_add);

    auto *title = new QLabel(tr("Workspaces"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setBuddy(m_list);

    for (auto [button, action, name] :
         {std::tuple{m_addButton, m_add, "addWorkspaceButton"},
          std::tuple{m_editButton, m_edit, "editWorkspaceButton"},
          std::tuple{m_removeButton, m_remove, "removeWorkspaceButton"}}) {
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        button->setObjectName(QLatin1String(name));
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }

    m_list->setObjectName(QStringLiteral("workspaceList"));
    m_list->setAccessibleName(tr("Workspaces"));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(6, 0, 0, 0);
    top->setSpacing(0);
    top->addWidget(title, 1);
    top->addWidget(m_addButton);
    top->addWidget(m_editButton);
    top->addWidget(m_removeButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);

    connect(m_add, &QAction::triggered, this, &WorkspaceSidebar::addRequested);
    connect(m_edit, &QAction::triggered, this, [this] {
        if (const QUuid id = currentWorkspace(); !id.isNull())
            Q_EMIT editRequested(id);
    });
    connect(m_remove, &QAction::triggered, this, [this] {
        if (const QUuid id = currentWorkspace(); !id.isNull())
            Q_EMIT removeRequested(id);
    });
    connect(m_list, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex at = m_list->indexAt(pos);
        if (at.isValid())
            m_list->setCurrentIndex(at);
        // popup(), not exec(): no nested event loop.
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->setObjectName(QStringLiteral("workspaceMenu"));
        menu->addAction(m_add);
        if (at.isValid()) {
            menu->addAction(m_edit);
            menu->addSeparator();
            menu->addAction(m_remove);
        }
        menu->popup(m_list->viewport()->mapToGlobal(pos));
    });
    updateActions();
}

void WorkspaceSidebar::setModel(QAbstractItemModel *model, int idRole, int subtitleRole,
                                int demoRole)
{
    m_model = model;
    m_idRole = idRole;
    m_subtitleRole = subtitleRole;
    m_demoRole = demoRole;
    m_list->setItemDelegate(new WorkspaceItemDelegate(subtitleRole, m_list));
    m_list->setModel(model);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                updateActions();
                if (current.isValid())
                    Q_EMIT workspaceSelected(current.data(m_idRole).toUuid());
            });
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &WorkspaceSidebar::updateActions);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &WorkspaceSidebar::updateActions);
        connect(model, &QAbstractItemModel::rowsInserted, this, &WorkspaceSidebar::updateActions);
    }
    updateActions();
}

QUuid WorkspaceSidebar::currentWorkspace() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(m_idRole).toUuid() : QUuid();
}

QModelIndex WorkspaceSidebar::indexOf(const QUuid &id) const
{
    if (!m_model)
        return {};
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        if (index.data(m_idRole).toUuid() == id)
            return index;
    }
    return {};
}

void WorkspaceSidebar::setCurrentWorkspace(const QUuid &id)
{
    const QModelIndex index = indexOf(id);
    if (index.isValid())
        m_list->setCurrentIndex(index);
}

void WorkspaceSidebar::updateActions()
{
    const QModelIndex current = m_list->selectionModel() ? m_list->currentIndex() : QModelIndex();
    const bool demo = current.isValid() && m_demoRole >= 0 && current.data(m_demoRole).toBool();
    m_edit->setEnabled(current.isValid() && !demo);
    m_remove->setEnabled(current.isValid() && !demo);
    const QString why =
        demo ? tr("Demo workspaces exist only while Parley runs with --demo.") : QString();
    m_edit->setToolTip(why.isEmpty() ? tr("Edit the selected workspace") : why);
    m_remove->setToolTip(why.isEmpty() ? tr("Delete the selected workspace") : why);
}

} // namespace parley
