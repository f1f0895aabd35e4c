#include "MainWindow.h"

#include "ComposerBar.h"
#include "ConnectorLinkDialog.h"
#include "ConversationListView.h"
#include "ErrorBanner.h"
#include "FollowUpQueueEditor.h"
#include "Icons.h"
#include "NewConversationDialog.h"
#include "RetryIndicator.h"
#include "ServerFilterBar.h"
#include "TailFollower.h"
#include "TranscriptView.h"
#include "WorkspaceDialog.h"
#include "WorkspaceSidebar.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "core/Logging.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "models/WorkspaceModel.h"
#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>

namespace parley {

namespace {

bool isKeyError(ApiError::Kind kind)
{
    return kind == ApiError::Kind::Auth || kind == ApiError::Kind::Forbidden;
}

// Errors a changed workspace setting can fix get an "Edit Workspace…" button.
bool isSettingsError(ApiError::Kind kind)
{
    return isKeyError(kind) || kind == ApiError::Kind::NotFound || kind == ApiError::Kind::Config;
}

} // namespace

MainWindow::MainWindow(const AppServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_workspaces(new WorkspaceModel(this))
    , m_list(new ConversationListModel(this))
    , m_proxy(new ConversationFilterProxy(this))
    , m_transcript(new TranscriptController(this))
    , m_replies(new ReplyController(m_transcript, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Parley"));
    setWindowIcon(Icons::app());
    m_proxy->setSourceModel(m_list);

    buildLayout();
    buildActions();

    connect(m_list, &ConversationListModel::stateChanged, this, &MainWindow::onListStateChanged);
    connect(m_transcript, &TranscriptController::stateChanged, this,
            &MainWindow::onTranscriptStateChanged);
    connect(m_transcript, &TranscriptController::loaded, this, &MainWindow::onTranscriptLoaded);
    connect(m_replies, &ReplyController::stateChanged, this, &MainWindow::onReplyStateChanged);
    connect(m_replies, &ReplyController::conversationStarted, this,
            &MainWindow::onConversationStarted);
    connect(m_replies, &ReplyController::finished, this, &MainWindow::onReplyFinished);
    // A transcript fetched again (after a reply, a cancel, F5) updates its row in the list.
    connect(m_transcript, &TranscriptController::loaded, this, [this](const QString &id) {
        const Conversation &summary = m_transcript->model()->summary();
        if (summary.id == id)
            m_list->refreshState(summary);
    });
    // Turns streaming into a conversation that showed none (or whose platform keeps no
    // transcript) bring the list into view.
    connect(m_transcript->model(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_transcript->conversationId().isEmpty() || m_replies->isRunning())
            m_transcriptView->showTurns();
    });
    if (m_services.outboxDelivery) {
        connect(m_services.outboxDelivery, &OutboxDelivery::delivered, this,
                [this](const QUuid &workspaceId, const QString &conversationId,
                       const QString &remoteId, const QString &text) {
                    // A delivered note shows in its transcript if that is open.
                    if (workspaceId == m_currentId && m_provider &&
                        conversationId == m_transcript->conversationId() &&
                        m_transcript->isLoaded())
                        m_transcript->model()->upsertTurn(
                            OutboxDelivery::deliveredTurn(remoteId, text));
                });
    }

    reloadWorkspaces();
    restoreWindowState();
}

MainWindow::~MainWindow()
{
    // The models hold the provider by pointer: let go of it before it is destroyed.
    m_transcript->setProvider(nullptr);
    m_list->setProvider(nullptr);
}

void MainWindow::buildLayout()
{
    m_sidebar = new WorkspaceSidebar(this);
    m_sidebar->setModel(m_workspaces, WorkspaceModel::IdRole, WorkspaceModel::PlatformNameRole,
                        WorkspaceModel::DemoRole);
    m_listView = new ConversationListView(this);
    m_listView->setModel(m_proxy);
    m_transcriptView = new TranscriptView(this);
    TranscriptModel *turns = m_transcript->model();
    m_transcriptView->setModel(turns,
                               [turns](const QModelIndex &index) { return turns->turn(index); });
    m_follower = new TailFollower(m_transcriptView->list());
    m_composer = new ComposerBar(this);
    m_composer->setReplyController(m_replies);
    m_composer->setSettings(m_services.settings);
    m_composer->setOutboxDelivery(m_services.outboxDelivery);
    m_composer->hide();

    // The transcript over the composer, the split remembered.
    m_detailSplitter = new QSplitter(Qt::Vertical, this);
    m_detailSplitter->setObjectName(QStringLiteral("detailSplitter"));
    m_detailSplitter->setChildrenCollapsible(false);
    m_detailSplitter->addWidget(m_transcriptView);
    m_detailSplitter->addWidget(m_composer);
    m_detailSplitter->setStretchFactor(0, 1);
    m_detailSplitter->setStretchFactor(1, 0);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_listView);
    m_splitter->addWidget(m_detailSplitter);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_sidebar->setMinimumWidth(150);
    m_listView->setMinimumWidth(280);
    m_detailSplitter->setMinimumWidth(280);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_splitter);
    setCentralWidget(central);

    m_statusNote = new QLabel(this);
    m_statusNote->setObjectName(QStringLiteral("statusNote"));
    m_statusNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_statusNote, 1);
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
    connect(m_listView, &ConversationListView::addWorkspaceRequested, this,
            &MainWindow::addWorkspace);
    connect(m_listView, &ConversationListView::retryRequested, this, &MainWindow::retryList);
    connect(m_listView->serverFilterBar(), &ServerFilterBar::applied, this,
            [this](const ListQuery &query) {
                if (!m_provider)
                    return;
                m_listView->clearError();
                m_list->setQuery(query);
                saveListViewState();
            });
    connect(m_listView->banner(), &ErrorBanner::actionRequested, this,
            [this] { editWorkspace(m_currentId); });
    connect(m_listView->banner(), &ErrorBanner::dismissed, this, [this] {
        m_listErrorShown = false;
        m_keyProblem = false;
    });
    connect(m_listView, &ConversationListView::conversationSelected, m_transcript,
            &TranscriptController::open);
    connect(m_transcriptView, &TranscriptView::retryRequested, m_transcript,
            &TranscriptController::retry);
    connect(m_transcriptView->banner(), &ErrorBanner::actionRequested, this,
            [this] { editWorkspace(m_currentId); });
    connect(m_composer, &ComposerBar::queueRequested, this, &MainWindow::queueMessage);

    // Keyboard: sidebar, filter, table, transcript, composer.
    setTabOrder(m_sidebar->list(), m_listView->filterEdit());
    setTabOrder(m_listView->filterEdit(), m_listView->table());
    setTabOrder(m_listView->table(), m_transcriptView->list());
    setTabOrder(m_transcriptView->list(), m_composer->editor());
}

void MainWindow::buildActions()
{
    m_reloadAction = new QAction(Icons::reload(), tr("&Reload"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadAction"));
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    m_reloadAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_reloadAction, &QAction::triggered, this, &MainWindow::reload);

    m_filterAction = new QAction(Icons::search(), tr("&Filter Conversations"), this);
    m_filterAction->setObjectName(QStringLiteral("filterAction"));
    m_filterAction->setShortcut(QKeySequence::Find);
    m_filterAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_filterAction, &QAction::triggered, m_listView, &ConversationListView::focusFilter);

    m_newConversationAction = new QAction(Icons::add(), tr("&New Conversation…"), this);
    m_newConversationAction->setObjectName(QStringLiteral("newConversationAction"));
    m_newConversationAction->setShortcut(QKeySequence::New);
    m_newConversationAction->setShortcutContext(Qt::WindowShortcut);
    m_newConversationAction->setEnabled(false);
    m_newConversationAction->setToolTip(tr("Start a conversation on the workspace's platform"));
    connect(m_newConversationAction, &QAction::triggered, this, &MainWindow::newConversation);

    m_linkConnectorAction = new QAction(tr("&Link Connector Account…"), this);
    m_linkConnectorAction->setObjectName(QStringLiteral("linkConnectorAction"));
    m_linkConnectorAction->setEnabled(false);
    m_linkConnectorAction->setToolTip(
        tr("Check what an end user must still link, and link their account"));
    connect(m_linkConnectorAction, &QAction::triggered, this, &MainWindow::linkConnector);

    m_queueAction = new QAction(tr("Follow-up &Queue…"), this);
    m_queueAction->setObjectName(QStringLiteral("queueAction"));
    m_queueAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_queueAction->setShortcutContext(Qt::WindowShortcut);
    m_queueAction->setEnabled(false);
    m_queueAction->setToolTip(
        tr("The messages waiting for the open conversation's reply to end: add, edit, delete"));
    connect(m_queueAction, &QAction::triggered, this, &MainWindow::openQueue);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setShortcutContext(Qt::ApplicationShortcut);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *file = menuBar()->addMenu(tr("&Workspace"));
    file->addAction(m_sidebar->addWorkspaceAction());
    file->addAction(m_sidebar->editWorkspaceAction());
    file->addAction(m_sidebar->removeWorkspaceAction());
    file->addSeparator();
    file->addAction(m_linkConnectorAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    conversation->addAction(m_newConversationAction);
    conversation->addAction(m_queueAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_reloadAction);
    view->addAction(m_filterAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Parley"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);

    // Shortcuts work wherever the focus is in the window.
    addAction(m_reloadAction);
    addAction(m_filterAction);
    addAction(m_quitAction);
    addAction(m_newConversationAction);
    addAction(m_queueAction);
    addAction(m_sidebar->addWorkspaceAction());
}

// ---- Window state ---------------------------------------------------------------------

void MainWindow::restoreWindowState()
{
    Settings *settings = m_services.settings;
    const QByteArray geometry =
        settings ? settings->get(Settings::Key::MainWindowGeometry).toByteArray() : QByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // Most of the screen, within reason: three panes need room.
        const QSize available = screen() ? screen()->availableGeometry().size() : QSize(1280, 800);
        resize((available * 0.92).boundedTo(QSize(1680, 1050)).expandedTo(QSize(900, 600)));
    }
    if (settings)
        restoreState(settings->get(Settings::Key::MainWindowState).toByteArray());
    const QByteArray splitter =
        settings ? settings->get(Settings::Key::MainSplitterState).toByteArray() : QByteArray();
    if (splitter.isEmpty() || !m_splitter->restoreState(splitter)) {
        const int rest = width() - 210;
        m_splitter->setSizes({210, rest * 54 / 100, rest - rest * 54 / 100});
    }
    const QByteArray detail =
        settings ? settings->get(Settings::Key::DetailSplitterState).toByteArray() : QByteArray();
    if (detail.isEmpty() || !m_detailSplitter->restoreState(detail)) {
        const int composer = m_composer->sizeHint().height();
        m_detailSplitter->setSizes({height() - composer, composer});
    }
    if (settings) {
        m_listView->setVisibleColumnIds(settings->columnOrder());
        m_listView->setColumnWidths(settings->columnWidths());
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
    settings->set(Settings::Key::DetailSplitterState, m_detailSplitter->saveState());
    m_composer->saveDrafts();
    settings->setColumnWidths(m_listView->columnWidths());
    settings->setColumnOrder(m_listView->visibleColumnIds());
    saveListViewState();
    settings->sync();
}

void MainWindow::saveListViewState()
{
    if (!m_services.settings || m_currentId.isNull())
        return;
    ListViewState state = m_services.settings->listViewState(m_currentId);
    state.searchText = m_listView->filterEdit()->text();
    if (m_provider)
        state.query = m_listView->serverFilterBar()->query();
    const QHeaderView *header = m_listView->table()->horizontalHeader();
    state.sortColumn = header->sortIndicatorSection();
    state.sortOrder = header->sortIndicatorOrder();
    if (state.sortColumn < 0 || state.sortColumn >= header->count())
        state.sortColumn = -1;
    m_services.settings->setListViewState(m_currentId, state);
}

void MainWindow::restoreListViewState(const QUuid &id)
{
    const ListViewState state =
        m_services.settings ? m_services.settings->listViewState(id) : ListViewState{};
    m_listView->filterEdit()->setText(state.searchText);
    m_listView->table()->sortByColumn(state.sortColumn, state.sortOrder);
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
    if (m_currentId != id || !m_provider) {
        // Not selected yet, or selected without a usable key: (re)read it.
        m_currentId = {};
        activateWorkspace(id);
    }
}

const Workspace *MainWindow::workspace(const QUuid &id) const
{
    const int row = m_workspaces->rowOf(id);
    return row >= 0 ? m_workspaces->workspaceAt(row) : nullptr;
}

void MainWindow::updateEmptyState()
{
    if (m_workspaces->rowCount() == 0) {
        m_listView->setEmptyState(ConversationListView::EmptyState::NoWorkspaces);
        m_transcriptView->showPlaceholder(tr("Add a workspace to read its conversations."));
    } else if (m_currentId.isNull()) {
        m_listView->setEmptyState(ConversationListView::EmptyState::NoSelection);
    }
}

void MainWindow::activateWorkspace(const QUuid &id)
{
    if (id == m_currentId && m_provider)
        return;
    ++m_keyTicket;
    ++m_queueTicket;
    saveListViewState();
    m_selectStarted.clear();
    m_startedId.clear();
    m_newConversationAction->setEnabled(false);
    m_linkConnectorAction->setEnabled(false);
    m_queueAction->setEnabled(false);
    // They work with the provider about to go.
    if (m_connectorDialog)
        m_connectorDialog->reject();
    if (m_queueEditor)
        m_queueEditor->reject();
    m_transcript->setProvider(nullptr);
    m_list->setProvider(nullptr);
    m_provider.reset();
    m_currentId = id;
    m_keyProblem = false;
    m_listErrorShown = false;
    m_listView->clearError();
    m_listView->setNote({});
    m_listView->setCounts(0, -1);
    m_transcriptView->showPlaceholder();

    const Workspace *ws = workspace(id);
    if (!ws) {
        m_currentId = {};
        setWindowTitle(QStringLiteral("Parley"));
        updateEmptyState();
        return;
    }
    setWindowTitle(tr("%1 — Parley").arg(ws->name));
    m_listView->setEmptyState(ConversationListView::EmptyState::None);
    restoreListViewState(id);
    m_listView->setBusy(true);

    if (!m_services.keys) {
        onKeyRead(*ws, KeyResult::failure(KeyResult::Status::NoBackend, QString()));
        return;
    }
    const quint64 ticket = m_keyTicket;
    const Workspace copy = *ws;
    m_services.keys->readKey(KeyStore::keyName(copy.platform, copy.id), this,
                             [this, ticket, copy](const KeyResult &result) {
                                 if (ticket == m_keyTicket)
                                     onKeyRead(copy, result);
                             });
}

void MainWindow::onKeyRead(const Workspace &ws, const KeyResult &result)
{
    m_listView->setBusy(false);
    ErrorBanner *banner = m_listView->banner();
    if (!result.ok()) {
        m_keyProblem = true;
        QString text;
        switch (result.status) {
        case KeyResult::Status::NotFound:
            text = tr("No API key stored for this workspace. Edit the workspace to enter one.");
            break;
        case KeyResult::Status::NoBackend:
            text = tr("No API key stored for this workspace: no keychain is available, and no "
                      "key is held in memory for this session. Edit the workspace to enter one.");
            break;
        default:
            text = tr("The API key could not be read from the keychain: %1").arg(result.message);
            break;
        }
        banner->setActionText(tr("Edit Workspace…"));
        banner->showMessage(text, true);
        return;
    }

    m_provider = m_services.makeProvider
                     ? m_services.makeProvider(ws, result.secret, m_services.http)
                     : ProviderRegistry::create(ws, result.secret, m_services.http);
    if (!m_provider) {
        m_keyProblem = true;
        banner->setActionText(tr("Edit Workspace…"));
        banner->showMessage(tr("Parley does not know the platform “%1”.").arg(ws.platform), false);
        return;
    }
    if (m_services.settings && !ws.demo)
        m_services.settings->setLastWorkspaceId(ws.id);
    const Capabilities caps = m_provider->capabilities();
    m_listView->setNote(caps.listNote);
    // The server-side filters and sort the user last applied to this workspace.
    ServerFilterBar *filters = m_listView->serverFilterBar();
    filters->setCapabilities(caps);
    const ListQuery query = ServerFilterBar::sanitized(
        m_services.settings ? m_services.settings->listViewState(ws.id).query : ListQuery{}, caps);
    filters->setQuery(query);
    m_list->setQuery(query);
    m_list->setProvider(m_provider.get());
    m_transcript->setProvider(m_provider.get());
    m_newConversationAction->setEnabled(caps.can(Capabilities::Create));
    m_linkConnectorAction->setEnabled(caps.can(Capabilities::Connectors));
    updateComposer();
}

void MainWindow::retryList()
{
    const bool keyFailure = m_keyProblem || !m_provider || isKeyError(m_list->error().kind);
    if (keyFailure) {
        // Read the key again: it may have been fixed in the keychain meanwhile.
        const QUuid id = m_currentId;
        m_currentId = {};
        activateWorkspace(id);
        return;
    }
    if (m_list->hasError())
        m_list->retry();
    else
        m_list->reload();
}

void MainWindow::reload()
{
    if (m_currentId.isNull())
        return;
    if (!m_provider || m_keyProblem) {
        retryList();
        return;
    }
    m_listView->clearError();
    m_listErrorShown = false;
    m_list->reload();
    if (!m_transcript->conversationId().isEmpty())
        m_transcript->reload();
}

void MainWindow::onListStateChanged()
{
    m_listView->setCounts(m_list->loadedCount(), m_list->totalCount());
    m_listView->setBusy(m_list->isLoading());
    if (m_list->hasError()) {
        const ApiError &error = m_list->error();
        ErrorBanner *banner = m_listView->banner();
        banner->setActionText(isSettingsError(error.kind) ? tr("Edit Workspace…") : QString());
        banner->showError(error);
        m_listErrorShown = true;
    } else if (m_listErrorShown && !m_keyProblem) {
        m_listView->clearError();
        m_listErrorShown = false;
    }
    selectStartedConversation();
    openFirstIfAsked();
}

void MainWindow::setOpenFirstConversation(bool open)
{
    m_openFirst = open;
    openFirstIfAsked(); // the list may be there already
}

void MainWindow::openFirstIfAsked()
{
    if (!m_openFirst || m_list->loadedCount() == 0)
        return;
    m_openFirst = false;
    m_listView->table()->setCurrentIndex(m_proxy->index(0, 0));
}

void MainWindow::onTranscriptStateChanged()
{
    const QString id = m_transcript->conversationId();
    if (m_composer->conversationId() != id) {
        // Another conversation: the view starts at its top again.
        m_follower->setActive(m_replies->isRunning() && m_replies->conversationId() == id);
    }
    updateComposer();
    if (id.isEmpty()) {
        if (m_replies->isStarting()) {
            Conversation starting;
            starting.title = tr("New conversation");
            m_transcriptView->showLoading(starting);
            return;
        }
        m_transcriptView->showPlaceholder();
        return;
    }
    if (m_transcript->isLoading() && !m_transcript->isLoaded()) {
        Conversation summary;
        const int row = m_list->rowOfId(id);
        if (const Conversation *c = row >= 0 ? m_list->conversationAt(row) : nullptr)
            summary = *c;
        else
            summary.id = id;
        m_transcriptView->showLoading(summary);
        return;
    }
    m_transcriptView->setBusy(m_transcript->isLoading() || m_replies->isRunning());
    if (m_transcript->error().isError()) {
        const ApiError &error = m_transcript->error();
        m_transcriptView->banner()->setActionText(
            isSettingsError(error.kind) ? tr("Edit Workspace…") : QString());
        m_transcriptView->showError(error);
    }
}

void MainWindow::onTranscriptLoaded()
{
    const TranscriptModel *model = m_transcript->model();
    ConversationDetail detail;
    detail.summary = model->summary();
    detail.properties = model->properties();
    // Turns streamed into a platform that keeps no transcript are shown all the same.
    detail.hasTranscript = model->hasTranscript() || model->rowCount() > 0;
    detail.transcriptNote = model->transcriptNote();
    // The list may know fields the detail endpoint omits.
    const int row = m_list->rowOfId(m_transcript->conversationId());
    if (const Conversation *c = row >= 0 ? m_list->conversationAt(row) : nullptr) {
        Conversation &s = detail.summary;
        if (s.id.isEmpty())
            s.id = c->id;
        if (s.title.isEmpty())
            s.title = c->title;
        if (s.status.isEmpty())
            s.status = c->status;
        if (s.kind.isEmpty())
            s.kind = c->kind;
        if (s.owner.isEmpty())
            s.owner = c->owner;
        if (!s.createdAt.isValid())
            s.createdAt = c->createdAt;
        if (!s.updatedAt.isValid())
            s.updatedAt = c->updatedAt;
    }
    m_transcriptView->showDetail(detail);
    if (m_replies->isRunning())
        m_transcriptView->setBusy(true);
}

void MainWindow::setStatusNote(const QString &text)
{
    m_statusNote->setText(text);
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
    if (m_services.outboxDelivery)
        m_services.outboxDelivery->resetProvider(ws.id); // new settings or key for its notes
    if (ws.id == m_currentId) {
        // New settings or a new key: start over with them.
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
        if (m_services.keys) {
            m_services.keys->deleteKey(KeyStore::keyName(copy.platform, copy.id), this,
                                       [this](const KeyResult &r) {
                                           if (!r.ok())
                                               setStatusNote(tr("The key was not removed from "
                                                                "the keychain: %1")
                                                                 .arg(r.message));
                                       });
        }
        if (m_services.workspaces)
            m_services.workspaces->remove(copy.id);
        if (m_services.outboxDelivery)
            m_services.outboxDelivery->resetProvider(copy.id);
        if (m_services.settings) {
            m_services.settings->removeListViewState(copy.id);
            m_services.settings->removeDrafts(copy.id);
        }
        m_workspaces->removeWorkspace(copy.id);
        updateEmptyState();
    });
    box->open();
}

// ---- Writing: composer, replies, new conversations --------------------------------------

void MainWindow::updateComposer()
{
    const Workspace *ws = m_provider ? workspace(m_currentId) : nullptr;
    const Capabilities caps = m_provider ? m_provider->capabilities() : Capabilities{};
    const QString id = m_transcript->conversationId();
    m_composer->setCapabilities(caps);
    m_composer->setConversation(ws ? m_currentId : QUuid(), ws ? id : QString(), ws && !ws->demo);
    const bool writable = caps.can(Capabilities::Send) || caps.can(Capabilities::Append);
    m_composer->setVisible(ws && writable && !id.isEmpty());
    m_queueAction->setEnabled(ws && caps.can(Capabilities::FollowUps) && !id.isEmpty());
}

FollowUpQueueEditor *MainWindow::queueEditor() const
{
    return m_queueEditor;
}

void MainWindow::openQueue()
{
    const QString id = m_transcript->conversationId();
    if (!m_provider || !m_provider->capabilities().can(Capabilities::FollowUps) || id.isEmpty())
        return;
    if (!m_queueEditor) {
        auto *editor = new FollowUpQueueEditor(this);
        editor->setAttribute(Qt::WA_DeleteOnClose);
        m_queueEditor = editor;
    }
    // An open editor follows the conversation now open; what is typed in it stays.
    if (m_queueEditor->property("conversationId").toString() != id) {
        m_queueEditor->setConversation(m_provider.get(), id);
        m_queueEditor->setProperty("conversationId", id);
    }
    m_queueEditor->show();
    m_queueEditor->raise();
    m_queueEditor->activateWindow();
}

void MainWindow::onReplyStateChanged()
{
    if (m_replies->isRunning()) {
        // The user just sent or started: show the end and follow it while they stay there.
        if (!m_follower->isActive())
            m_follower->jumpToEnd();
        m_transcriptView->setBusy(true);
    } else {
        m_transcriptView->setBusy(m_transcript->isLoading());
    }
}

void MainWindow::newConversation()
{
    if (!m_provider || !m_provider->capabilities().can(Capabilities::Create))
        return;
    if (m_startDialog) {
        m_startDialog->raise();
        m_startDialog->activateWindow();
        return;
    }
    auto *dialog = new NewConversationDialog(
        m_provider->capabilities(), m_workspaces->platformName(m_provider->platform()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QList<FieldSuggestion> seen;
    for (const WorkspaceField &field : m_provider->capabilities().createFields)
        seen += m_provider->suggestions(field.key);
    dialog->setSuggestions(seen);
    m_startDialog = dialog;
    connect(dialog, &NewConversationDialog::startRequested, this,
            [this, dialog](const NewConversation &request) {
                QString why;
                if (!m_replies->start(request, &why)) {
                    dialog->showError(why);
                    return;
                }
                dialog->setBusy(true);
            });
    connect(dialog, &QDialog::rejected, this, [this] {
        // Closed while the platform had not said yet: stop waiting for it.
        if (m_replies->isStarting())
            m_replies->drop();
    });
    dialog->open();
}

void MainWindow::linkConnector()
{
    if (!m_provider || !m_provider->capabilities().can(Capabilities::Connectors))
        return;
    if (m_connectorDialog) {
        m_connectorDialog->raise();
        m_connectorDialog->activateWindow();
        return;
    }
    auto *dialog = new ConnectorLinkDialog(m_provider.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_connectorDialog = dialog;
    dialog->open();
}

void MainWindow::onConversationStarted(const Conversation &summary)
{
    m_startedId = summary.id;
    if (m_startDialog && m_startDialog->isBusy())
        m_startDialog->accept();
    // The list shows it once its first page is fetched again.
    m_selectStarted = summary.id;
    m_listView->clearError();
    m_listErrorShown = false;
    m_list->reload();
    m_transcriptView->showLoading(summary);
}

void MainWindow::selectStartedConversation()
{
    if (m_selectStarted.isEmpty() || m_list->isLoading())
        return;
    const QString id = std::exchange(m_selectStarted, QString());
    const int row = m_list->rowOfId(id);
    if (row < 0 || m_transcript->conversationId() != id)
        return; // not on the first page, or the user moved on
    const QModelIndex index = m_proxy->mapFromSource(m_list->index(row, 0));
    if (index.isValid())
        m_listView->table()->setCurrentIndex(index);
}

void MainWindow::onReplyFinished(const QString &conversationId, const QString &text,
                                 const ApiError &error, bool accepted)
{
    if (conversationId.isEmpty()) {
        // A start that failed before the conversation existed: say so in its dialog, with
        // everything typed still there.
        if (m_startDialog && m_startDialog->isBusy()) {
            m_startDialog->setBusy(false);
            if (error.isError() && error.kind != ApiError::Kind::Canceled)
                m_startDialog->showError(error.message());
        }
        return;
    }
    // A started conversation whose first message was not taken: the message waits in the
    // composer.
    if (conversationId == m_startedId && !accepted && error.isError() && !text.isEmpty() &&
        m_composer->draft(conversationId).isEmpty())
        m_composer->setDraft(conversationId, text);
}

void MainWindow::queueMessage(const QString &conversationId, const QString &text)
{
    if (!m_provider || !m_provider->capabilities().can(Capabilities::FollowUps))
        return;
    const quint64 ticket = ++m_queueTicket;
    FollowUpChange change;
    change.op = FollowUpChange::Op::Add;
    change.text = text;
    m_composer->showNotice(tr("Queuing the message…"));
    m_provider->changeFollowUps(
        conversationId, change, this,
        [this, ticket, conversationId, text](Result<FollowUpQueue> result) {
            if (ticket != m_queueTicket)
                return;
            if (result.ok()) {
                m_composer->discardDraft(conversationId, text);
                if (m_composer->conversationId() == conversationId)
                    m_composer->showNotice(
                        tr("Queued: it is sent when the reply ends (%1 shows "
                           "the queue).")
                            .arg(m_queueAction->shortcut().toString(QKeySequence::NativeText)));
                return;
            }
            if (result.error().kind == ApiError::Kind::Canceled)
                return;
            if (m_composer->conversationId() == conversationId)
                m_composer->showNotice(tr("Not queued: %1").arg(result.error().message()), true);
        });
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Parley"));
    box->setIconPixmap(Icons::app().pixmap(64, 64));
    box->setText(tr("<b>Parley %1</b>").arg(QApplication::applicationVersion()));
    box->setInformativeText(tr("A desktop console for the conversations of AI agents on %1.")
                                .arg(ProviderRegistry::displayNames().toHtmlEscaped()));
    box->open();
}

} // namespace parley
