#include "MainWindow.h"

#include "ComposerBar.h"
#include "ConversationListView.h"
#include "Icons.h"
#include "OpenByIdDialog.h"
#include "RetryIndicator.h"
#include "SessionDialogs.h"
#include "TranscriptView.h"
#include "WaitingIndicator.h"
#include "WorkspaceDialog.h"
#include "WorkspaceSidebar.h"
#include "WorkspaceView.h"
#include "controllers/TranscriptController.h"
#include "models/WorkspaceModel.h"
#include "providers/ProviderRegistry.h"
#include "session/SessionPool.h"
#include "session/WorkspaceSession.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>

namespace parley {

MainWindow::MainWindow(const AppServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_pool(services.sessions ? services.sessions : new SessionPool(services, this))
    , m_workspaces(new WorkspaceModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Parley"));
    setWindowIcon(Icons::get(Icons::App));

    buildLayout();
    m_actions = MainActions::build(this, m_sidebar);
    connectActions();
    // A session about to end (its workspace changed or went) leaves the view first.
    connect(m_pool, &SessionPool::sessionClosing, this, [this](const QUuid &id) {
        if (m_view->session() && m_view->session()->id() == id)
            m_view->bind(nullptr);
    });

    reloadWorkspaces();
    restoreWindowState();
}

MainWindow::~MainWindow()
{
    m_view->bind(nullptr);
}

void MainWindow::buildLayout()
{
    m_sidebar = new WorkspaceSidebar(this);
    m_sidebar->setModel(m_workspaces, WorkspaceModel::IdRole, WorkspaceModel::PlatformNameRole,
                        WorkspaceModel::DemoRole);
    m_view = new WorkspaceView(m_services.settings, m_services.outboxDelivery, this);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_view->listView());
    m_splitter->addWidget(m_view->detailSplitter());
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_sidebar->setMinimumWidth(150);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_splitter);
    setCentralWidget(central);

    m_statusNote = new QLabel(this);
    m_statusNote->setObjectName(QStringLiteral("statusNote"));
    m_statusNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_statusNote, 1);
    m_waitingIndicator = new WaitingIndicator(this);
    statusBar()->addPermanentWidget(m_waitingIndicator);
    m_waitingIndicator->hide(); // shown by the session it is bound to, once it waits
    m_view->setWaitingIndicator(m_waitingIndicator);
    if (m_services.http) {
        m_retryIndicator = new RetryIndicator(m_services.http, this);
        statusBar()->addPermanentWidget(m_retryIndicator);
        m_retryIndicator->hide(); // the status bar shows what it is given; nothing waits yet
    }
    statusBar()->setSizeGripEnabled(true);

    connect(m_sidebar, &WorkspaceSidebar::workspaceSelected, this, &MainWindow::activateWorkspace);
    connect(m_sidebar, &WorkspaceSidebar::addRequested, this, &MainWindow::addWorkspace);
    connect(m_sidebar, &WorkspaceSidebar::editRequested, this, &MainWindow::editWorkspace);
    connect(m_sidebar, &WorkspaceSidebar::removeRequested, this, &MainWindow::removeWorkspace);
    connect(m_view, &WorkspaceView::addWorkspaceRequested, this, &MainWindow::addWorkspace);
    connect(m_view, &WorkspaceView::editWorkspaceRequested, this,
            [this] { editWorkspace(m_currentId); });
    connect(m_view, &WorkspaceView::reopenRequested, this, &MainWindow::reopenCurrent);
    connect(m_view, &WorkspaceView::capabilitiesChanged, this, &MainWindow::updateActions);
    connect(m_view, &WorkspaceView::transcriptShown, this, &MainWindow::transcriptShown);

    // Keyboard: sidebar, filter, table, transcript, composer.
    ConversationListView *list = m_view->listView();
    setTabOrder(m_sidebar->list(), list->filterEdit());
    setTabOrder(list->filterEdit(), list->table());
    setTabOrder(list->table(), m_view->transcriptView()->list());
    setTabOrder(m_view->transcriptView()->list(), m_view->composer()->editor());
}

void MainWindow::connectActions()
{
    connect(m_actions.reload, &QAction::triggered, this, &MainWindow::reload);
    connect(m_actions.filter, &QAction::triggered, m_view->listView(),
            &ConversationListView::focusFilter);
    connect(m_actions.newConversation, &QAction::triggered, this, &MainWindow::newConversation);
    connect(m_actions.openById, &QAction::triggered, this, &MainWindow::openById);
    connect(m_actions.linkConnector, &QAction::triggered, this, &MainWindow::linkConnector);
    connect(m_actions.followUps, &QAction::triggered, this, &MainWindow::openQueue);
    connect(m_actions.quit, &QAction::triggered, this, &QWidget::close);
    connect(m_actions.about, &QAction::triggered, this, &MainWindow::showAbout);
    m_view->dialogs()->setFollowUpShortcut(m_actions.followUps->shortcut());
    m_view->setAutoRefreshActions(m_actions.autoRefresh);
}

void MainWindow::updateActions()
{
    WorkspaceSession *session = m_view->session();
    m_actions.newConversation->setEnabled(session && session->canCreate());
    m_actions.openById->setEnabled(session && session->isOpen());
    m_actions.linkConnector->setEnabled(session && session->canLinkConnectors());
    m_actions.followUps->setEnabled(session && session->canEditFollowUps());
}

// ---- The shown session ----------------------------------------------------------------

ConversationListModel *MainWindow::conversationModel() const
{
    return m_view->session() ? m_view->session()->list() : nullptr;
}

TranscriptController *MainWindow::transcriptController() const
{
    return m_view->session() ? m_view->session()->transcript() : nullptr;
}

ReplyController *MainWindow::replyController() const
{
    return m_view->session() ? m_view->session()->replies() : nullptr;
}

FollowUpQueueEditor *MainWindow::queueEditor() const
{
    return m_view->dialogs()->followUpQueueEditor();
}

ComposerBar *MainWindow::composer() const
{
    return m_view->composer();
}

void MainWindow::reload()
{
    m_view->reload();
}

void MainWindow::newConversation()
{
    m_view->dialogs()->newConversation();
}

void MainWindow::openById()
{
    WorkspaceSession *session = m_view->session();
    if (!session || !session->isOpen())
        return;
    auto *dialog = new OpenByIdDialog(
        session->platformName(),
        [session = QPointer<WorkspaceSession>(session)](const QString &text) -> Result<QString> {
            if (!session)
                return ApiError::config(tr("The workspace was closed."));
            return session->conversationIdIn(text);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, session = QPointer(session)] {
        if (session != m_view->session())
            return; // another workspace meanwhile
        m_view->listView()->selectConversation(dialog->conversationId());
        session->transcript()->open(dialog->conversationId());
    });
    dialog->open();
}

void MainWindow::linkConnector()
{
    m_view->dialogs()->linkConnector();
}

void MainWindow::openQueue()
{
    m_view->dialogs()->openFollowUps();
}

void MainWindow::setOpenFirstConversation(bool open)
{
    m_view->setOpenFirstConversation(open);
}

void MainWindow::setStatusNote(const QString &text)
{
    m_statusNote->setText(text);
}

// ---- Window state ---------------------------------------------------------------------

void MainWindow::restoreWindowState()
{
    Settings *settings = m_services.settings;
    auto stored = [settings](Settings::Key key) {
        return settings ? settings->get(key).toByteArray() : QByteArray();
    };
    const QByteArray geometry = stored(Settings::Key::MainWindowGeometry);
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // Most of the screen, within reason: three panes need room.
        const QSize available = screen() ? screen()->availableGeometry().size() : QSize(1280, 800);
        resize((available * 0.92).boundedTo(QSize(1680, 1050)).expandedTo(QSize(900, 600)));
    }
    restoreState(stored(Settings::Key::MainWindowState));
    const QByteArray splitter = stored(Settings::Key::MainSplitterState);
    if (splitter.isEmpty() || !m_splitter->restoreState(splitter)) {
        const int rest = width() - 210;
        m_splitter->setSizes({210, rest * 54 / 100, rest - rest * 54 / 100});
    }
    const QByteArray detail = stored(Settings::Key::DetailSplitterState);
    if (detail.isEmpty() || !m_view->detailSplitter()->restoreState(detail)) {
        const int composer = m_view->composer()->sizeHint().height();
        m_view->detailSplitter()->setSizes({height() - composer, composer});
    }
    if (settings) {
        m_view->listView()->setVisibleColumnIds(settings->columnOrder());
        m_view->listView()->setColumnWidths(settings->columnWidths());
    }
}

void MainWindow::saveWindowState()
{
    Settings *settings = m_services.settings;
    if (!settings)
        return;
    settings->set(Settings::Key::MainWindowGeometry, saveGeometry());
    settings->set(Settings::Key::MainWindowState, saveState());
    settings->set(Settings::Key::MainSplitterState, m_splitter->saveState());
    settings->set(Settings::Key::DetailSplitterState, m_view->detailSplitter()->saveState());
    settings->setColumnWidths(m_view->listView()->columnWidths());
    settings->setColumnOrder(m_view->listView()->visibleColumnIds());
    m_view->saveState();
    settings->sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    QMainWindow::closeEvent(event);
}

// ---- Workspaces -----------------------------------------------------------------------

void MainWindow::reloadWorkspaces()
{
    m_workspaces->setWorkspaces(m_services.workspaces ? m_services.workspaces->workspaces()
                                                      : QList<Workspace>{});
    if (!m_currentId.isNull() && !workspace(m_currentId))
        activateWorkspace({});
    else if (!m_currentId.isNull())
        m_sidebar->setCurrentWorkspace(m_currentId);
    updateEmptyState();
}

void MainWindow::restoreLastWorkspace()
{
    QUuid id = m_services.settings ? m_services.settings->lastWorkspaceId() : QUuid();
    if (!workspace(id)) {
        const Workspace *first = m_workspaces->workspaceAt(0);
        id = first ? first->id : QUuid();
    }
    if (!id.isNull())
        selectWorkspace(id);
}

void MainWindow::selectWorkspace(const QUuid &id)
{
    m_sidebar->setCurrentWorkspace(id); // emits workspaceSelected → activateWorkspace
    if (m_currentId != id)
        activateWorkspace(id);
    else if (WorkspaceSession *session = m_view->session(); session && !session->isOpen())
        session->open(); // selected without a usable key: read it again
}

const Workspace *MainWindow::workspace(const QUuid &id) const
{
    const int row = m_workspaces->rowOf(id);
    return row >= 0 ? m_workspaces->workspaceAt(row) : nullptr;
}

void MainWindow::updateEmptyState()
{
    ConversationListView *list = m_view->listView();
    if (m_workspaces->rowCount() == 0) {
        list->setEmptyState(ConversationListView::EmptyState::NoWorkspaces);
        m_view->transcriptView()->showPlaceholder(tr("Add a workspace to read its conversations."));
    } else if (m_currentId.isNull()) {
        list->setEmptyState(ConversationListView::EmptyState::NoSelection);
    }
}

void MainWindow::activateWorkspace(const QUuid &id)
{
    if (id == m_currentId && m_view->session())
        return;
    const Workspace *ws = workspace(id);
    m_currentId = ws ? id : QUuid();
    m_view->bind(ws ? m_pool->session(*ws) : nullptr);
    setWindowTitle(ws ? tr("%1 — Parley").arg(ws->name) : QStringLiteral("Parley"));
    updateEmptyState();
    updateActions();
}

// The shown session's key failed or was refused: a new session reads it again.
void MainWindow::reopenCurrent()
{
    const QUuid id = m_currentId;
    m_pool->close(id);
    m_currentId = {};
    activateWorkspace(id);
}

void MainWindow::addWorkspace()
{
    auto *dialog = new WorkspaceDialog(m_services, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &WorkspaceDialog::saved, this, &MainWindow::onWorkspaceSaved);
    dialog->open();
}

void MainWindow::editWorkspace(const QUuid &id)
{
    const Workspace *ws = workspace(id);
    if (!ws || ws->demo)
        return;
    auto *dialog = new WorkspaceDialog(m_services, *ws, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &WorkspaceDialog::saved, this, &MainWindow::onWorkspaceSaved);
    dialog->open();
}

void MainWindow::onWorkspaceSaved(const Workspace &ws)
{
    m_workspaces->addWorkspace(ws); // appends, or updates the one with this id
    // New settings or a new key: its session starts over with them.
    m_pool->close(ws.id);
    if (ws.id == m_currentId) {
        m_currentId = {};
        activateWorkspace(ws.id);
        m_sidebar->setCurrentWorkspace(ws.id);
    } else {
        selectWorkspace(ws.id);
    }
    updateEmptyState();
}

void MainWindow::removeWorkspace(const QUuid &id)
{
    const Workspace *ws = workspace(id);
    if (!ws || ws->demo)
        return;
    const Workspace copy = *ws;
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Delete Workspace"),
                        tr("Delete the workspace “%1”?").arg(copy.name), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmRemoveWorkspace"));
    box->setInformativeText(tr("Its API key is removed from the keychain as well. The "
                               "conversations on %1 are not affected.")
                                .arg(m_workspaces->platformName(copy.platform)));
    QPushButton *remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, remove, copy] {
        if (box->clickedButton() != remove)
            return;
        if (copy.id == m_currentId)
            activateWorkspace({});
        m_pool->removeWorkspace(copy, this, [this](const QString &problem) {
            setStatusNote(tr("The key was not removed from the keychain: %1").arg(problem));
        });
        m_workspaces->removeWorkspace(copy.id);
        updateEmptyState();
    });
    box->open();
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Parley"));
    box->setIconPixmap(Icons::get(Icons::App).pixmap(64, 64));
    box->setText(tr("<b>Parley %1</b>").arg(QApplication::applicationVersion()));
    box->setInformativeText(tr("A desktop console for the conversations of AI agents on %1.")
                                .arg(ProviderRegistry::displayNames().toHtmlEscaped()));
    box->open();
}

} // namespace parley
