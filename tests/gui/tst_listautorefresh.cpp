// The conversation list refreshing itself, in the real MainWindow offscreen over a scripted
// provider: View > Refresh List Automatically chosen per workspace and remembered across
// runs, paused while the window is minimised or hidden, the selection kept through a
// refresh, and a failed refresh said quietly in the status line.

#include "gui/ScriptedWindowTest.h"

#include "ErrorBanner.h"
#include "MainWindow.h"
#include "WorkspaceView.h"
#include "controllers/ListRefresher.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"
#include "session/WorkspaceSession.h"
#include "store/Settings.h"
#include "store/WorkspaceStore.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAction>
#include <QApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

class TstListAutoRefresh : public ScriptedWindowTest
{
    Q_OBJECT

private Q_SLOTS:
    void choiceIsRememberedPerWorkspace();
    void pausedWhileMinimisedOrHidden();
    void selectionSurvivesARefresh();
    void failedRefreshIsSaidQuietly();

private:
    WorkspaceSession *shownSession() const
    {
        auto *view = m_sw->window->findChild<WorkspaceView *>();
        return view ? view->session() : nullptr;
    }
    QAction *choice(int seconds) const
    {
        return m_sw->child<QAction>(qPrintable(u"autoRefresh%1"_s.arg(seconds)));
    }
    // Adds a second scripted workspace and shows it.
    bool showSecondWorkspace(Workspace *added);
    bool showWorkspace(const QUuid &id);
};

bool TstListAutoRefresh::showSecondWorkspace(Workspace *added)
{
    *added = m_fx->posthogWorkspace(u"Second"_s);
    QString error;
    if (!m_fx->store->add(*added, &error) || !m_fx->storeKey(*added, "scripted-key"))
        return false;
    m_sw->window->reloadWorkspaces();
    return showWorkspace(added->id);
}

bool TstListAutoRefresh::showWorkspace(const QUuid &id)
{
    m_sw->window->selectWorkspace(id);
    return QTest::qWaitFor(
        [this, id] {
            WorkspaceSession *s = shownSession();
            return s && s->id() == id && s->list()->loadedCount() == 5;
        },
        kWaitMs);
}

void TstListAutoRefresh::choiceIsRememberedPerWorkspace()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript));
    const QUuid first = m_sw->workspace.id;
    auto *menu = m_sw->child<QMenu>("autoRefreshMenu");
    QVERIFY(!menu->accessibleName().isEmpty());
    QVERIFY(menu->title().contains(u'&')); // a mnemonic: reachable from the keyboard
    for (const int seconds : ListRefresher::choicesInSeconds()) {
        QVERIFY(choice(seconds));
        QVERIFY(choice(seconds)->isEnabled());
        QVERIFY(choice(seconds)->text().contains(u'&'));
        QVERIFY(menu->actions().contains(choice(seconds)));
    }
    QVERIFY(choice(0)->isChecked()); // off by default

    choice(120)->trigger();
    QVERIFY(choice(120)->isChecked());
    QVERIFY(!choice(0)->isChecked());
    QPointer<WorkspaceSession> firstSession = shownSession();
    QCOMPARE(firstSession->refresher()->interval(), 120s);
    QVERIFY(firstSession->refresher()->isRunning());
    QCOMPARE(m_fx->settings->listViewState(first).refreshSeconds, 120);

    // Another workspace has its own choice; the hidden one stops refreshing.
    Workspace second;
    QVERIFY(showSecondWorkspace(&second));
    QVERIFY(choice(0)->isChecked());
    QVERIFY(firstSession->refresher()->isPaused());
    choice(300)->trigger();
    QCOMPARE(shownSession()->refresher()->interval(), 300s);
    QVERIFY(showWorkspace(first));
    QVERIFY(choice(120)->isChecked());
    QVERIFY(!firstSession->refresher()->isPaused());

    // Remembered across runs.
    m_sw->window.reset();
    m_sw->show();
    QVERIFY(showWorkspace(first));
    QVERIFY(choice(120)->isChecked());
    QCOMPARE(shownSession()->refresher()->interval(), 120s);
    QVERIFY(showWorkspace(second.id));
    QVERIFY(choice(300)->isChecked());
    QCOMPARE(shownSession()->refresher()->interval(), 300s);
    choice(0)->trigger();
    QVERIFY(!shownSession()->refresher()->isRunning());
    QCOMPARE(m_fx->settings->listViewState(second.id).refreshSeconds, 0);
}

void TstListAutoRefresh::pausedWhileMinimisedOrHidden()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript));
    choice(30)->trigger();
    ListRefresher *refresher = shownSession()->refresher();
    QVERIFY(refresher->isRunning());

    m_sw->window->showMinimized();
    QTRY_VERIFY(refresher->isPaused());
    QVERIFY(!refresher->isRunning());
    m_sw->window->showNormal();
    QTRY_VERIFY(!refresher->isPaused());

    m_sw->window->hide();
    QTRY_VERIFY(refresher->isPaused());
    m_sw->window->show();
    QTRY_VERIFY(!refresher->isPaused());
    QVERIFY(refresher->isRunning());
}

void TstListAutoRefresh::selectionSurvivesARefresh()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript));
    QVERIFY(m_sw->selectRow(2));
    auto *table = m_sw->child<QTableView>("conversationTable");
    const QString id = table->currentIndex().data(ConversationListModel::IdRole).toString();
    QVERIFY(!id.isEmpty());
    ConversationListModel *list = m_sw->window->conversationModel();
    QSignalSpy reset(list, &QAbstractItemModel::modelReset);
    QSignalSpy refreshed(list, &ConversationListModel::refreshed);

    // The platform has a new conversation on top, and the selected one changed.
    ScriptedProvider *platform = m_sw->scripted;
    platform->conversations.prepend(makeConversation(100));
    for (Conversation &c : platform->conversations) {
        if (c.id == id)
            c.status = u"in_progress"_s;
    }
    shownSession()->refresher()->setInterval(20ms); // milliseconds: a test's interval
    QVERIFY(refreshed.wait(kWaitMs));
    shownSession()->refresher()->setInterval(0ms);
    QVERIFY(!refreshed.at(0).at(0).value<ApiError>().isError());

    QCOMPARE(reset.size(), 0);
    QCOMPARE(list->rowCount(), 6);
    const QModelIndex current = table->currentIndex();
    QCOMPARE(current.data(ConversationListModel::IdRole).toString(), id);
    const QModelIndexList selected = table->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).data(ConversationListModel::IdRole).toString(), id);
    QCOMPARE(
        table->model()->index(current.row(), ConversationListModel::StatusColumn).data().toString(),
        u"in_progress"_s);
    QCOMPARE(m_sw->window->transcriptController()->conversationId(), id);
}

void TstListAutoRefresh::failedRefreshIsSaidQuietly()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript));
    ConversationListModel *list = m_sw->window->conversationModel();
    auto *status = m_sw->child<QLabel>("conversationStatus");
    auto *banner = m_sw->child<ErrorBanner>("conversationListBanner");
    QSignalSpy refreshed(list, &ConversationListModel::refreshed);
    m_sw->scripted->failNext(ApiError::make(ApiError::Kind::Network, u"unreachable"_s));
    QVERIFY(shownSession()->refresher()->tick());
    QVERIFY(refreshed.wait(kWaitMs));

    QCOMPARE(list->rowCount(), 5);
    QVERIFY(!list->hasError());
    QVERIFY(!banner->isVisible());
    QVERIFY(!QApplication::activeModalWidget());
    QVERIFY(status->text().contains(u"not refreshed"_s));
    QVERIFY(!status->toolTip().isEmpty());

    // The next refresh that works clears it.
    QVERIFY(shownSession()->refresher()->tick());
    QVERIFY(refreshed.wait(kWaitMs));
    QVERIFY(!status->text().contains(u"not refreshed"_s));
    QVERIFY(status->toolTip().isEmpty());
}

QTEST_MAIN(TstListAutoRefresh)
#include "moc_ScriptedWindowTest.cpp"
#include "tst_listautorefresh.moc"
