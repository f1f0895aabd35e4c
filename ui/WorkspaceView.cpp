#include "WorkspaceView.h"

#include "ApprovalBar.h"
#include "AutoRefreshChoice.h"
#include "ComposerBar.h"
#include "ConversationListView.h"
#include "ErrorBanner.h"
#include "NewConversationDialog.h"
#include "RunningBar.h"
#include "ServerFilterBar.h"
#include "SessionDialogs.h"
#include "TailFollower.h"
#include "TranscriptView.h"
#include "WaitingIndicator.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "core/ConversationDetail.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "session/WorkspaceSession.h"
#include "store/Settings.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QTime>

namespace parley {

namespace {

// Errors a changed workspace setting can fix get an "Edit Workspace…" button.
bool isSettingsError(ApiError::Kind kind)
{
    return kind == ApiError::Kind::Auth || kind == ApiError::Kind::Forbidden ||
           kind == ApiError::Kind::NotFound || kind == ApiError::Kind::Config;
}

} // namespace

WorkspaceView::WorkspaceView(Settings *settings, OutboxDelivery *outbox, QWidget *window)
    : QObject(window)
    , m_settings(settings)
    , m_proxy(new ConversationFilterProxy(this))
    , m_listView(new ConversationListView(window))
    , m_transcriptView(new TranscriptView(window))
    , m_composer(new ComposerBar(window))
    , m_running(new RunningBar(window))
    , m_approvals(new ApprovalBar(window))
    , m_follower(new TailFollower(m_transcriptView->list()))
    , m_detailSplitter(new QSplitter(Qt::Vertical, window))
    , m_dialogs(new SessionDialogs(window, m_composer))
{
    m_listView->setModel(m_proxy);
    m_transcriptView->setModel(nullptr, {});
    m_composer->setSettings(settings);
    m_composer->setOutboxDelivery(outbox);
    m_composer->hide();

    // The transcript over the composer, the split remembered.
    m_detailSplitter->setObjectName(QStringLiteral("detailSplitter"));
    m_detailSplitter->setChildrenCollapsible(false);
    m_transcriptView->addStatusBar(m_running);
    m_transcriptView->addStatusBar(m_approvals);
    m_detailSplitter->addWidget(m_transcriptView);
    m_detailSplitter->addWidget(m_composer);
    m_detailSplitter->setStretchFactor(0, 1);
    m_detailSplitter->setStretchFactor(1, 0);
    m_listView->setMinimumWidth(280);
    m_detailSplitter->setMinimumWidth(280);

    connect(m_listView, &ConversationListView::addWorkspaceRequested, this,
            &WorkspaceView::addWorkspaceRequested);
    connect(m_listView, &ConversationListView::retryRequested, this, &WorkspaceView::retryList);
    connect(m_listView->serverFilterBar(), &ServerFilterBar::applied, this,
            [this](const ListQuery &query) {
                if (!m_session || !m_session->isOpen())
                    return;
                m_listView->clearError();
                m_session->list()->setQuery(query);
                saveListViewState();
            });
    connect(m_listView->banner(), &ErrorBanner::actionRequested, this,
            &WorkspaceView::editWorkspaceRequested);
    connect(m_listView->banner(), &ErrorBanner::dismissed, this, [this] {
        m_listErrorShown = false;
        m_sessionProblem = false;
    });
    connect(m_listView, &ConversationListView::conversationSelected, this,
            [this](const QString &id) {
                if (m_session)
                    m_session->transcript()->open(id);
            });
    connect(m_transcriptView, &TranscriptView::retryRequested, this, [this] {
        if (m_session)
            m_session->transcript()->retry();
    });
    connect(m_transcriptView->banner(), &ErrorBanner::actionRequested, this,
            &WorkspaceView::editWorkspaceRequested);
    connect(m_composer, &ComposerBar::queueRequested, m_dialogs, &SessionDialogs::queueMessage);
    if (outbox) {
        connect(outbox, &OutboxDelivery::delivered, this,
                [this](const QUuid &workspaceId, const QString &conversationId,
                       const QString &remoteId, const QString &text) {
                    // A delivered note shows in its transcript if that is open.
                    if (!m_session || m_session->id() != workspaceId || !m_session->isOpen())
                        return;
                    TranscriptController *transcript = m_session->transcript();
                    if (conversationId == transcript->conversationId() && transcript->isLoaded())
                        transcript->model()->upsertTurn(
                            OutboxDelivery::deliveredTurn(remoteId, text));
                });
    }
}

WorkspaceView::~WorkspaceView()
{
    unbind();
}

// ---- Binding --------------------------------------------------------------------------

void WorkspaceView::unbind()
{
    for (const QMetaObject::Connection &c : m_bindings)
        disconnect(c);
    m_bindings.clear();
    m_proxy->setSourceModel(nullptr);
    m_transcriptView->setModel(nullptr, {});
    m_composer->setReplyController(nullptr);
    m_running->setFollowController(nullptr);
    m_approvals->setController(nullptr);
    m_session = nullptr;
}

void WorkspaceView::bind(WorkspaceSession *session)
{
    if (session == m_session)
        return;
    saveListViewState();
    unbind();
    m_session = session;
    m_dialogs->setSession(session);
    m_selectStarted.clear();
    m_startedId.clear();
    m_sessionProblem = false;
    m_listErrorShown = false;
    m_listView->clearError();
    m_listView->setNote({});
    m_listView->setRefreshProblem({});
    m_listView->setCounts(0, -1);
    if (m_autoRefresh)
        m_autoRefresh->bind(session);
    if (m_waiting)
        m_waiting->bind(session ? session->waitWatch() : nullptr);
    m_transcriptView->showPlaceholder();
    if (!session) {
        updateComposer();
        emit capabilitiesChanged();
        return;
    }

    ConversationListModel *list = session->list();
    TranscriptController *transcript = session->transcript();
    ReplyController *replies = session->replies();
    TranscriptModel *turns = transcript->model();
    m_proxy->setSourceModel(list);
    m_transcriptView->setModel(turns,
                               [turns](const QModelIndex &index) { return turns->turn(index); });
    m_composer->setReplyController(replies);
    m_running->setFollowController(session->follow());
    m_approvals->setController(session->approvals());
    m_listView->setEmptyState(ConversationListView::EmptyState::None);
    restoreListViewState();

    m_bindings = {
        connect(session, &WorkspaceSession::stateChanged, this,
                &WorkspaceView::onSessionStateChanged),
        connect(list, &ConversationListModel::stateChanged, this,
                &WorkspaceView::onListStateChanged),
        connect(list, &ConversationListModel::refreshed, this, &WorkspaceView::onListRefreshed),
        connect(transcript, &TranscriptController::stateChanged, this,
                &WorkspaceView::onTranscriptStateChanged),
        connect(transcript, &TranscriptController::loaded, this,
                &WorkspaceView::onTranscriptLoaded),
        connect(replies, &ReplyController::stateChanged, this, &WorkspaceView::onReplyStateChanged),
        connect(replies, &ReplyController::conversationStarted, this,
                &WorkspaceView::onConversationStarted),
        connect(replies, &ReplyController::finished, this, &WorkspaceView::onReplyFinished),
        // Turns streaming into a conversation that showed none (or whose platform keeps no
        // transcript) bring the list into view.
        connect(turns, &QAbstractItemModel::rowsInserted, this,
                [this, transcript, replies] {
                    if (!transcript->conversationId().isEmpty() || replies->isRunning())
                        m_transcriptView->showTurns();
                }),
    };

    onSessionStateChanged(); // an open session's list starts here, or shows as it was left
    if (session->isOpen()) {
        onListStateChanged();
        onTranscriptStateChanged();
        if (transcript->isLoaded())
            onTranscriptLoaded();
        onReplyStateChanged();
    }
    session->open(); // reads the key where it is not open yet; again after a failure
}

void WorkspaceView::onSessionStateChanged()
{
    if (!m_session)
        return;
    switch (m_session->state()) {
    case WorkspaceSession::State::Closed:
    case WorkspaceSession::State::ReadingKey:
        m_listView->setBusy(true);
        break;
    case WorkspaceSession::State::Failed: {
        m_listView->setBusy(false);
        m_sessionProblem = true;
        ErrorBanner *banner = m_listView->banner();
        banner->setActionText(tr("Edit Workspace…"));
        banner->showMessage(m_session->problem(), true);
        break;
    }
    case WorkspaceSession::State::Open:
        m_listView->setBusy(m_session->list()->isLoading());
        startList();
        break;
    }
    updateComposer();
    emit capabilitiesChanged();
}

// The list's query and note once the session is open; its first page the first time.
void WorkspaceView::startList()
{
    const Capabilities caps = m_session->capabilities();
    m_listView->setNote(caps.listNote);
    ServerFilterBar *filters = m_listView->serverFilterBar();
    filters->setCapabilities(caps);
    if (m_session->hasStartedList()) {
        filters->setQuery(m_session->list()->query()); // shown before: as it was left
        return;
    }
    // The server-side filters and sort the user last applied to this workspace.
    const ListQuery query = ServerFilterBar::sanitized(
        m_settings ? m_settings->listViewState(m_session->id()).query : ListQuery{}, caps);
    filters->setQuery(query);
    m_session->startList(query);
    if (m_settings && !m_session->workspace().demo)
        m_settings->setLastWorkspaceId(m_session->id());
}

void WorkspaceView::retryList()
{
    if (!m_session)
        return;
    ConversationListModel *list = m_session->list();
    const ApiError::Kind kind = list->error().kind;
    if (m_sessionProblem || !m_session->isOpen() || kind == ApiError::Kind::Auth ||
        kind == ApiError::Kind::Forbidden) {
        // Read the key again: it may have been fixed in the keychain meanwhile.
        emit reopenRequested();
        return;
    }
    if (list->hasError())
        list->retry();
    else
        list->reload();
}

void WorkspaceView::reload()
{
    if (!m_session)
        return;
    if (!m_session->isOpen() || m_sessionProblem) {
        retryList();
        return;
    }
    m_listView->clearError();
    m_listErrorShown = false;
    m_session->list()->reload();
    if (!m_session->transcript()->conversationId().isEmpty())
        m_session->transcript()->reload();
}

// ---- The list -------------------------------------------------------------------------

void WorkspaceView::onListStateChanged()
{
    if (!m_session)
        return;
    const ConversationListModel *list = m_session->list();
    m_listView->setCounts(list->loadedCount(), list->totalCount());
    m_listView->setBusy(list->isLoading());
    if (list->hasError()) {
        const ApiError &error = list->error();
        ErrorBanner *banner = m_listView->banner();
        banner->setActionText(isSettingsError(error.kind) ? tr("Edit Workspace…") : QString());
        banner->showError(error);
        m_listErrorShown = true;
    } else if (m_listErrorShown && !m_sessionProblem) {
        m_listView->clearError();
        m_listErrorShown = false;
    }
    selectStartedConversation();
    openFirstIfAsked();
}

// A refresh that failed leaves the rows as they were and says so in the status line only.
void WorkspaceView::onListRefreshed(const ApiError &error)
{
    if (!error.isError()) {
        m_listView->setRefreshProblem({});
        return;
    }
    m_listView->setRefreshProblem(
        tr("The list could not be refreshed at %1: %2 The rows shown are as they were; F5 "
           "loads the list again.")
            .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat), error.message()));
}

void WorkspaceView::setAutoRefreshActions(QActionGroup *actions)
{
    delete m_autoRefresh;
    m_autoRefresh = new AutoRefreshChoice(actions, m_listView->window(), m_settings);
    m_autoRefresh->bind(m_session);
}

void WorkspaceView::setOpenFirstConversation(bool open)
{
    m_openFirst = open;
    openFirstIfAsked(); // the list may be there already
}

void WorkspaceView::openFirstIfAsked()
{
    if (!m_openFirst || !m_session || m_session->list()->loadedCount() == 0)
        return;
    m_openFirst = false;
    m_listView->table()->setCurrentIndex(m_proxy->index(0, 0));
}

void WorkspaceView::saveListViewState()
{
    if (!m_settings || !m_session)
        return;
    ListViewState state = m_settings->listViewState(m_session->id());
    state.searchText = m_listView->filterEdit()->text();
    if (m_session->isOpen())
        state.query = m_listView->serverFilterBar()->query();
    const QHeaderView *header = m_listView->table()->horizontalHeader();
    state.sortColumn = header->sortIndicatorSection();
    state.sortOrder = header->sortIndicatorOrder();
    if (state.sortColumn < 0 || state.sortColumn >= header->count())
        state.sortColumn = -1;
    m_settings->setListViewState(m_session->id(), state);
}

void WorkspaceView::restoreListViewState()
{
    const ListViewState state =
        m_settings ? m_settings->listViewState(m_session->id()) : ListViewState{};
    m_listView->filterEdit()->setText(state.searchText);
    m_listView->table()->sortByColumn(state.sortColumn, state.sortOrder);
}

void WorkspaceView::saveState()
{
    m_composer->saveDrafts();
    saveListViewState();
}

// ---- The transcript -------------------------------------------------------------------

void WorkspaceView::onTranscriptStateChanged()
{
    if (!m_session)
        return;
    const TranscriptController *transcript = m_session->transcript();
    const ReplyController *replies = m_session->replies();
    const QString id = transcript->conversationId();
    if (m_composer->conversationId() != id) {
        // Another conversation: the view starts at its top again.
        m_follower->setActive(replies->isRunning() && replies->conversationId() == id);
    }
    updateComposer();
    emit capabilitiesChanged();
    if (id.isEmpty()) {
        if (replies->isStarting()) {
            Conversation starting;
            starting.title = tr("New conversation");
            m_transcriptView->showLoading(starting);
            return;
        }
        m_transcriptView->showPlaceholder();
        return;
    }
    if (transcript->isLoading() && !transcript->isLoaded()) {
        Conversation summary;
        const int row = m_session->list()->rowOfId(id);
        if (const std::optional<Conversation> c = m_session->list()->conversationAt(row))
            summary = *c;
        else
            summary.id = id;
        m_transcriptView->showLoading(summary);
        return;
    }
    m_transcriptView->setBusy(transcript->isLoading() || replies->isRunning());
    if (transcript->error().isError()) {
        const ApiError &error = transcript->error();
        m_transcriptView->banner()->setActionText(
            isSettingsError(error.kind) ? tr("Edit Workspace…") : QString());
        m_transcriptView->showError(error);
    }
}

void WorkspaceView::onTranscriptLoaded()
{
    m_transcriptView->showDetail(m_session->openConversation());
    if (m_session->replies()->isRunning())
        m_transcriptView->setBusy(true);
    emit transcriptShown();
}

// ---- Writing: composer, replies, new conversations --------------------------------------

void WorkspaceView::updateComposer()
{
    const bool open = m_session && m_session->isOpen();
    const QString id = m_session ? m_session->transcript()->conversationId() : QString();
    m_composer->setCapabilities(open ? m_session->capabilities() : Capabilities{});
    m_composer->setConversation(open ? m_session->id() : QUuid(), open ? id : QString(),
                                open && !m_session->workspace().demo);
    m_composer->setVisible(open && m_session->canWrite());
}

void WorkspaceView::onReplyStateChanged()
{
    if (!m_session)
        return;
    if (m_session->replies()->isRunning()) {
        // The user just sent or started: show the end and follow it while they stay there.
        if (!m_follower->isActive())
            m_follower->jumpToEnd();
        m_transcriptView->setBusy(true);
    } else {
        m_transcriptView->setBusy(m_session->transcript()->isLoading());
    }
}

void WorkspaceView::onConversationStarted(const Conversation &summary)
{
    m_startedId = summary.id;
    NewConversationDialog *dialog = m_dialogs->startDialog();
    if (dialog && dialog->isBusy())
        dialog->accept();
    // The list shows it once its first page is fetched again.
    m_selectStarted = summary.id;
    m_listView->clearError();
    m_listErrorShown = false;
    m_session->list()->reload();
    m_transcriptView->showLoading(summary);
}

void WorkspaceView::selectStartedConversation()
{
    if (m_selectStarted.isEmpty() || m_session->list()->isLoading())
        return;
    const QString id = std::exchange(m_selectStarted, QString());
    const int row = m_session->list()->rowOfId(id);
    if (row < 0 || m_session->transcript()->conversationId() != id)
        return; // not on the first page, or the user moved on
    const QModelIndex index = m_proxy->mapFromSource(m_session->list()->index(row, 0));
    if (index.isValid())
        m_listView->table()->setCurrentIndex(index);
}

void WorkspaceView::onReplyFinished(const QString &conversationId, const QString &text,
                                    const ApiError &error, bool accepted)
{
    if (conversationId.isEmpty()) {
        // A start that failed before the conversation existed: say so in its dialog, with
        // everything typed still there.
        NewConversationDialog *dialog = m_dialogs->startDialog();
        if (dialog && dialog->isBusy()) {
            dialog->setBusy(false);
            if (error.isError() && error.kind != ApiError::Kind::Canceled)
                dialog->showError(error.message());
        }
        return;
    }
    // A started conversation whose first message was not taken: the message waits in the
    // composer.
    if (conversationId == m_startedId && !accepted && error.isError() && !text.isEmpty() &&
        m_composer->draft(conversationId).isEmpty())
        m_composer->setDraft(conversationId, text);
}

} // namespace parley
