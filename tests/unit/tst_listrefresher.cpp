// ListRefresher: ticks at its interval, pauses and resumes, never overlaps a page or a
// refresh. Intervals in milliseconds; waits end on signals or conditions, never on time.

#include "controllers/ListRefresher.h"
#include "models/ConversationListModel.h"
#include "support/ListModelFixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace std::chrono_literals;
using namespace parley;
using parley::test::ScriptedProvider;

class TstListRefresher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void offByDefault();
    void ticksRefreshTheList();
    void pausedDoesNotTickAndResumesWhenDue();
    void resumedBeforeDueWaitsForTheInterval();
    void busyListSkipsTheTick();
    void ticksNeverOverlapARefresh();
    void offStopsTicking();

private:
    QTimer *timer() const { return m_refresher->findChild<QTimer *>(); }

    std::unique_ptr<test::ListModelFixture> m_fx;
    ScriptedProvider *m_provider = nullptr;  // in m_fx
    ConversationListModel *m_list = nullptr; // in m_fx
    std::unique_ptr<ListRefresher> m_refresher;
};

void TstListRefresher::init()
{
    m_fx = std::make_unique<test::ListModelFixture>(25);
    m_provider = &m_fx->provider;
    m_list = &m_fx->model;
    QVERIFY(m_fx->loadPages(10, 1));
    m_refresher = std::make_unique<ListRefresher>(m_list);
}

void TstListRefresher::cleanup()
{
    m_refresher.reset();
    m_fx.reset();
}

void TstListRefresher::offByDefault()
{
    QCOMPARE(m_refresher->interval(), 0ms);
    QVERIFY(!m_refresher->isRunning());
    QVERIFY(!timer()->isActive());
    QCOMPARE(ListRefresher::choicesInSeconds(), (QList<int>{0, 30, 120, 300}));
}

void TstListRefresher::ticksRefreshTheList()
{
    QSignalSpy started(m_refresher.get(), &ListRefresher::refreshStarted);
    QSignalSpy refreshed(m_list, &ConversationListModel::refreshed);
    QSignalSpy changed(m_refresher.get(), &ListRefresher::intervalChanged);
    m_refresher->setInterval(20ms);
    QCOMPARE(changed.size(), 1);
    QVERIFY(m_refresher->isRunning());
    QVERIFY(timer()->isActive());

    m_provider->conversations.prepend(test::makeConversation(100));
    QVERIFY(started.wait());
    QTRY_VERIFY(refreshed.size() >= 1);
    QCOMPARE(m_list->conversationAt(0)->id, QStringLiteral("conv-00100"));
    // It goes on ticking.
    QTRY_VERIFY(started.size() >= 3);
    QVERIFY(refreshed.size() >= 2);
}

void TstListRefresher::pausedDoesNotTickAndResumesWhenDue()
{
    QSignalSpy started(m_refresher.get(), &ListRefresher::refreshStarted);
    m_refresher->setInterval(30ms);
    m_refresher->setPaused(true);
    QVERIFY(m_refresher->isPaused());
    QVERIFY(!m_refresher->isRunning());
    QVERIFY(!timer()->isActive());
    const int calls = int(m_provider->listCalls.size());

    // Longer than the interval goes by while paused: nothing is fetched...
    QElapsedTimer paused;
    paused.start();
    QTRY_VERIFY(paused.hasExpired(60));
    QCOMPARE(started.size(), 0);
    QCOMPARE(m_provider->listCalls.size(), calls);
    // ...and the refresh that fell due happens as soon as it resumes.
    m_refresher->setPaused(false);
    QCOMPARE(started.size(), 1);
    QCOMPARE(m_provider->listCalls.size(), calls + 1);
    QVERIFY(timer()->isActive());
}

void TstListRefresher::resumedBeforeDueWaitsForTheInterval()
{
    QSignalSpy started(m_refresher.get(), &ListRefresher::refreshStarted);
    m_refresher->setInterval(60s);
    m_refresher->setPaused(true);
    m_refresher->setPaused(false);
    QCOMPARE(started.size(), 0);
    QVERIFY(timer()->isActive());
    QCOMPARE(timer()->interval(), 60000);
}

void TstListRefresher::busyListSkipsTheTick()
{
    m_provider->holdReplies = true;
    m_list->fetchMore({}); // a page the user asked for
    QVERIFY(m_list->isLoading());
    const int calls = int(m_provider->listCalls.size());
    QSignalSpy skipped(m_refresher.get(), &ListRefresher::tickSkipped);
    QVERIFY(!m_refresher->tick());
    QCOMPARE(skipped.size(), 1);
    QCOMPARE(m_provider->listCalls.size(), calls);
    QVERIFY(m_provider->release());
    QVERIFY(m_refresher->tick());
    QCOMPARE(m_provider->listCalls.size(), calls + 1);
}

void TstListRefresher::ticksNeverOverlapARefresh()
{
    m_provider->holdReplies = true;
    QSignalSpy started(m_refresher.get(), &ListRefresher::refreshStarted);
    QSignalSpy skipped(m_refresher.get(), &ListRefresher::tickSkipped);
    m_refresher->setInterval(10ms);
    QVERIFY(started.wait());
    QVERIFY(m_list->isRefreshing());
    const int calls = int(m_provider->listCalls.size());
    // The refresh waits for its page: the next ticks find it running and do nothing.
    QTRY_VERIFY(skipped.size() >= 3);
    QCOMPARE(started.size(), 1);
    QCOMPARE(m_provider->listCalls.size(), calls);
    QCOMPARE(m_provider->pendingCount(), 1);
    // Once it ends, ticking refreshes again.
    m_provider->holdReplies = false;
    QVERIFY(m_provider->release()); // its one page (one is loaded)
    QTRY_VERIFY(started.size() >= 2);
}

void TstListRefresher::offStopsTicking()
{
    m_refresher->setInterval(10ms);
    QVERIFY(timer()->isActive());
    m_refresher->setInterval(0ms);
    QVERIFY(!m_refresher->isRunning());
    QVERIFY(!timer()->isActive());
    QSignalSpy started(m_refresher.get(), &ListRefresher::refreshStarted);
    m_refresher->setPaused(true);
    m_refresher->setPaused(false); // off: resuming does not tick
    QCOMPARE(started.size(), 0);
}

QTEST_GUILESS_MAIN(TstListRefresher)
#include "tst_listrefresher.moc"
