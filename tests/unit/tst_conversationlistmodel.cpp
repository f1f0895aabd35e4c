#include "models/ConversationListModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace parley;
using parley::test::ScriptedProvider;

namespace {

ListQuery query(int pageSize, const QString &status = {})
{
    ListQuery q;
    q.pageSize = pageSize;
    if (!status.isEmpty())
        q.filters.insert(u"status"_s, status);
    return q;
}

QSet<QString> loadedIds(const ConversationListModel &model)
{
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.insert(model.conversationAt(row)->id);
    return ids;
}

} // namespace

class TestConversationListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void emptyWithoutProvider();
    void firstPageLoads();
    void fetchMoreRequestsOneMorePageWithStoredCursor();
    void noSecondFetchWhileOneIsInFlight();
    void pagesUntilAtEnd();
    void pageNumberPaging();
    void totalUnknownBecomesLoadedCountAtEnd();
    void errorKeepsRowsAndBlocksFetchingUntilRetry();
    void errorOnFirstPageThenRetry();
    void retryWithoutErrorDoesNothing();
    void staleReplyAfterSetQueryIsDropped();
    void staleReplyAfterReloadIsDropped();
    void staleReplyAfterProviderChangeIsDropped();
    void resetCancelsTheRequestInFlight();
    void duplicatesFromShiftedPagesAreSkipped();
    void duplicatesWithinOnePageAreSkipped();
    void stuckCursorStopsPaging();
    void pageErrorKeepsTheRowsAndShowsTheError();
    void unreadableRowSaysWhy();
    void stopAbortsThePageInFlight();
    void providerDestroyedEmptiesModel();
    void fetchMoreFromRowsInsertedRequestsTheNextPage();
    void testerDrivenFetchMorePagesWithoutDoubles();
    void displayAndRoles();
    void headers();
    void refreshStateChangesOnlyWhatMoved();
    void aBigPageGoesInOverSeveralTurns();

private:
    void waitIdle();

    std::unique_ptr<ScriptedProvider> m_provider;
    std::unique_ptr<ConversationListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestConversationListModel::init()
{
    m_provider = std::make_unique<ScriptedProvider>(test::makeConversations(120));
    m_model = std::make_unique<ConversationListModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The tester's own fetchMore() calls would change the request counts these tests check;
    // testerDrivenFetchMorePagesWithoutDoubles() turns them on.
    m_tester->setUseFetchMore(false);
}

void TestConversationListModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_provider.reset();
}

void TestConversationListModel::waitIdle()
{
    QTRY_VERIFY(!m_model->isLoading());
}

void TestConversationListModel::emptyWithoutProvider()
{
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), int(ConversationListModel::ColumnCount));
    QVERIFY(!m_model->canFetchMore({}));
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->totalCount(), -1);
    QVERIFY(!m_model->hasError());
    m_model->fetchMore({});
    m_model->retry();
    m_model->reload();
    QCOMPARE(m_model->rowCount(), 0);
}

void TestConversationListModel::firstPageLoads()
{
    QSignalSpy state(m_model.get(), &ConversationListModel::stateChanged);
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());

    QVERIFY(m_model->isLoading());
    QVERIFY(!m_model->canFetchMore({}));
    QCOMPARE(m_provider->listCalls.size(), 1);
    QCOMPARE(m_provider->listCalls.at(0).cursor.offset, 0);
    QCOMPARE(m_provider->listCalls.at(0).query.pageSize, 50);

    waitIdle();
    QCOMPARE(m_model->rowCount(), 50);
    QCOMPARE(m_model->loadedCount(), 50);
    QCOMPARE(m_model->totalCount(), 120);
    QVERIFY(!m_model->isAtEnd());
    QVERIFY(m_model->canFetchMore({}));
    QVERIFY(!state.isEmpty());
    QCOMPARE(m_model->conversationAt(0)->id, u"conv-00000"_s);
    QCOMPARE(m_model->conversationAt(49)->id, u"conv-00049"_s);
    QVERIFY(!m_model->conversationAt(50));
    QVERIFY(!m_model->conversationAt(-1));
    QCOMPARE(m_model->rowOfId(u"conv-00042"_s), 42);
    QCOMPARE(m_model->rowOfId(u"conv-00050"_s), -1);
}

void TestConversationListModel::fetchMoreRequestsOneMorePageWithStoredCursor()
{
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();

    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), 2);
    QCOMPARE(m_provider->listCalls.at(1).cursor.offset, 50);
    QCOMPARE(m_provider->listCalls.at(1).query, query(50));
    waitIdle();
    QCOMPARE(m_model->rowCount(), 100);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 50);
    QCOMPARE(inserted.at(0).at(2).toInt(), 99);
    QCOMPARE(m_model->conversationAt(99)->id, u"conv-00099"_s);
}

void TestConversationListModel::noSecondFetchWhileOneIsInFlight()
{
    m_provider->holdReplies = true;
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    QCOMPARE(m_provider->pendingCount(), 1);

    // The first page is in flight: nothing more may be requested.
    m_model->fetchMore({});
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), 1);
    QVERIFY(m_provider->release());
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->rowCount(), 50);

    m_model->fetchMore({});
    QVERIFY(m_model->isLoading());
    QVERIFY(!m_model->canFetchMore({}));
    m_model->fetchMore({});
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), 2);
    QCOMPARE(m_provider->pendingCount(), 1);

    QVERIFY(m_provider->release());
    QCOMPARE(m_model->rowCount(), 100);
    QVERIFY(m_model->canFetchMore({}));
}

void TestConversationListModel::pagesUntilAtEnd()
{
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();
    int guard = 0;
    while (m_model->canFetchMore({}) && ++guard < 10) {
        m_model->fetchMore({});
        waitIdle();
    }
    QCOMPARE(m_model->rowCount(), 120);
    QVERIFY(m_model->isAtEnd());
    QVERIFY(!m_model->canFetchMore({}));
    QCOMPARE(m_provider->listCalls.size(), 3);
    QCOMPARE(m_provider->listCalls.at(2).cursor.offset, 100);

    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), 3);
    QCOMPARE(loadedIds(*m_model).size(), 120);
    QCOMPARE(m_model->totalCount(), 120);
}

void TestConversationListModel::pageNumberPaging()
{
    m_provider->paging = PageCursor::Style::PageNumber;
    m_model->setQuery(query(40));
    m_model->setProvider(m_provider.get());
    waitIdle();
    while (m_model->canFetchMore({})) {
        m_model->fetchMore({});
        waitIdle();
    }
    QCOMPARE(m_model->rowCount(), 120);
    QCOMPARE(m_provider->listCalls.size(), 3);
    QCOMPARE(m_provider->listCalls.at(0).cursor.page, 1);
    QCOMPARE(m_provider->listCalls.at(1).cursor.page, 2);
    QCOMPARE(m_provider->listCalls.at(2).cursor.page, 3);
    QCOMPARE(m_provider->listCalls.at(2).cursor.style, PageCursor::Style::PageNumber);
}

void TestConversationListModel::totalUnknownBecomesLoadedCountAtEnd()
{
    m_provider->reportTotal = false;
    m_model->setQuery(query(100));
    m_model->setProvider(m_provider.get());
    waitIdle();
    QCOMPARE(m_model->totalCount(), -1);
    m_model->fetchMore({});
    waitIdle();
    QVERIFY(m_model->isAtEnd());
    QCOMPARE(m_model->totalCount(), 120);
}

void TestConversationListModel::errorKeepsRowsAndBlocksFetchingUntilRetry()
{
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();

    m_provider->failNext(ApiError::make(ApiError::Kind::Server, u"boom"_s, 503));
    QSignalSpy state(m_model.get(), &ConversationListModel::stateChanged);
    m_model->fetchMore({});
    waitIdle();
    QVERIFY(m_model->hasError());
    QCOMPARE(m_model->error().kind, ApiError::Kind::Server);
    QCOMPARE(m_model->error().httpStatus, 503);
    QCOMPARE(m_model->rowCount(), 50);
    QVERIFY(!m_model->canFetchMore({}));
    QVERIFY(!m_model->isAtEnd());
    QVERIFY(state.size() >= 2); // loading on, then off with the error
    QCOMPARE(m_model->property("error").value<ApiError>().kind, ApiError::Kind::Server);

    // Rows stay readable while in error.
    QCOMPARE(m_model->data(m_model->index(49, 0), ConversationListModel::IdRole).toString(),
             u"conv-00049"_s);

    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), 2);

    m_model->retry();
    QVERIFY(!m_model->hasError()); // cleared on retry
    QVERIFY(m_model->isLoading());
    QCOMPARE(m_provider->listCalls.size(), 3);
    QCOMPARE(m_provider->listCalls.at(2).cursor.offset, 50); // the page that failed
    waitIdle();
    QVERIFY(!m_model->hasError());
    QCOMPARE(m_model->rowCount(), 100);
    QVERIFY(m_model->canFetchMore({}));
}

void TestConversationListModel::errorOnFirstPageThenRetry()
{
    m_provider->failNext(ApiError::make(ApiError::Kind::Auth, {}, 401));
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();
    QCOMPARE(m_model->error().kind, ApiError::Kind::Auth);
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->canFetchMore({}));

    m_model->retry();
    QCOMPARE(m_provider->listCalls.size(), 2);
    QCOMPARE(m_provider->listCalls.at(1).cursor.offset, 0);
    waitIdle();
    QCOMPARE(m_model->rowCount(), 50);

    // reload() after an error also clears it.
    m_provider->failNext(ApiError::make(ApiError::Kind::Network));
    m_model->fetchMore({});
    waitIdle();
    QVERIFY(m_model->hasError());
    m_model->reload();
    QVERIFY(!m_model->hasError());
    waitIdle();
    QCOMPARE(m_model->rowCount(), 50);
}

void TestConversationListModel::retryWithoutErrorDoesNothing()
{
    m_provider->holdReplies = true;
    m_model->setProvider(m_provider.get());
    m_model->retry(); // in flight, no error
    QCOMPARE(m_provider->listCalls.size(), 1);
    m_provider->releaseAll();
    m_model->retry(); // idle, no error
    QCOMPARE(m_provider->listCalls.size(), 1);
}

void TestConversationListModel::staleReplyAfterSetQueryIsDropped()
{
    m_provider->holdReplies = true;
    m_provider->ignoreCancel = true; // the old answer was already on its way
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    m_model->setQuery(query(50, u"done"_s));
    QCOMPARE(m_provider->pendingCount(), 2);
    QCOMPARE(m_provider->canceledCount, 1);
    QVERIFY(m_model->isLoading());

    QVERIFY(m_provider->release(0)); // the answer for the unfiltered query
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_model->isLoading());

    QVERIFY(m_provider->release(0));
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->rowCount(), 50);
    QCOMPARE(m_model->totalCount(), 60);
    for (int row = 0; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->conversationAt(row)->status, u"done"_s);
}

void TestConversationListModel::staleReplyAfterReloadIsDropped()
{
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();

    m_provider->holdReplies = true;
    m_provider->ignoreCancel = true;
    m_model->fetchMore({}); // offset 50
    m_model->reload();      // offset 0 again
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_provider->pendingCount(), 2);
    QVERIFY(m_provider->release(0)); // stale second page
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_provider->release(0));
    QCOMPARE(m_model->rowCount(), 50);
    QCOMPARE(m_model->conversationAt(0)->id, u"conv-00000"_s);
    QVERIFY(m_model->canFetchMore({}));
}

void TestConversationListModel::staleReplyAfterProviderChangeIsDropped()
{
    ScriptedProvider other(test::makeConversations(10, 500));
    m_provider->holdReplies = true;
    m_provider->ignoreCancel = true;
    m_model->setProvider(m_provider.get());
    m_model->setProvider(&other);
    waitIdle();
    QCOMPARE(m_model->rowCount(), 10);
    m_provider->releaseAll();
    QCOMPARE(m_model->rowCount(), 10);
    QCOMPARE(m_model->conversationAt(0)->id, u"conv-00500"_s);
    QCOMPARE(m_model->totalCount(), 10);
    QVERIFY(m_model->isAtEnd());
    m_model->setProvider(nullptr); // before `other` goes out of scope
    QCOMPARE(m_model->rowCount(), 0);
}

void TestConversationListModel::resetCancelsTheRequestInFlight()
{
    m_provider->holdReplies = true;
    m_model->setProvider(m_provider.get());
    QCOMPARE(m_provider->pendingCount(), 1);
    m_model->setQuery(query(20));
    QCOMPARE(m_provider->canceledCount, 1);
    QCOMPARE(m_provider->pendingCount(), 1); // the canceled one is gone
    QVERIFY(m_model->isLoading());           // the synchronous Canceled answer was stale
    m_provider->releaseAll();
    QCOMPARE(m_model->rowCount(), 20);
}

void TestConversationListModel::duplicatesFromShiftedPagesAreSkipped()
{
    m_model->setQuery(query(50));
    m_model->setProvider(m_provider.get());
    waitIdle();

    // Three new conversations arrive at the top: the platform's page 2 now starts with the
    // last three rows of page 1.
    for (int i = 0; i < 3; ++i)
        m_provider->conversations.prepend(test::makeConversation(900 + i));
    m_model->fetchMore({});
    waitIdle();
    QCOMPARE(m_model->rowCount(), 97);
    QCOMPARE(loadedIds(*m_model).size(), 97);
    QCOMPARE(m_model->conversationAt(50)->id, u"conv-00050"_s);
    QCOMPARE(m_model->rowOfId(u"conv-00047"_s), 47);
    QCOMPARE(m_model->rowOfId(u"conv-00096"_s), 96);

    while (m_model->canFetchMore({})) {
        m_model->fetchMore({});
        waitIdle();
    }
    QCOMPARE(m_model->rowCount(), 120); // the three new ones are above where we paged
    QCOMPARE(loadedIds(*m_model).size(), 120);
    for (int row = 0; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->rowOfId(m_model->conversationAt(row)->id), row);
}

void TestConversationListModel::duplicatesWithinOnePageAreSkipped()
{
    QList<Conversation> data = test::makeConversations(5);
    data.insert(2, test::makeConversation(0));
    Conversation noId = test::makeConversation(77);
    noId.id.clear();
    data << noId << noId; // rows without an id cannot be matched: both are kept
    m_provider->conversations = data;
    m_model->setProvider(m_provider.get());
    waitIdle();
    QCOMPARE(m_model->rowCount(), 7);
    QCOMPARE(m_model->conversationAt(2)->id, u"conv-00002"_s);
    QCOMPARE(m_model->rowOfId(QString()), -1);
}

// A provider whose next cursor never moves would otherwise be asked for the same page forever.
class StuckProvider : public ScriptedProvider
{
public:
    using ScriptedProvider::ScriptedProvider;
    RequestHandle listConversations(const ListQuery &q, const PageCursor &, QObject *context,
                                    Done<ConversationPage> done) override
    {
        return ScriptedProvider::listConversations(q, PageCursor::first(PageCursor::Style::Offset),
                                                   context, [done](Result<ConversationPage> r) {
                                                       if (r.ok())
                                                           r.value().next = PageCursor::first(
                                                               PageCursor::Style::Offset);
                                                       done(std::move(r));
                                                   });
    }
};

void TestConversationListModel::stuckCursorStopsPaging()
{
    StuckProvider stuck(test::makeConversations(30));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"same page cursor"_s));
    m_model->setQuery(query(10));
    m_model->setProvider(&stuck);
    waitIdle();
    QCOMPARE(m_model->rowCount(), 10);
    QVERIFY(m_model->isAtEnd());
    QVERIFY(!m_model->canFetchMore({}));
    m_model->setProvider(nullptr);
}

// A provider that cannot page past its second page (ConversationPage::error).
class EndsWithAnErrorProvider : public ScriptedProvider
{
public:
    using ScriptedProvider::ScriptedProvider;
    RequestHandle listConversations(const ListQuery &q, const PageCursor &cursor, QObject *context,
                                    Done<ConversationPage> done) override
    {
        return ScriptedProvider::listConversations(
            q, cursor, context, [done, cursor](Result<ConversationPage> r) {
                if (r.ok() && cursor.offset > 0) {
                    r.value().error =
                        ApiError::make(ApiError::Kind::BadResponse, u"field 'next' is a number"_s);
                    r.value().next.atEnd = true;
                }
                done(std::move(r));
            });
    }
};

void TestConversationListModel::pageErrorKeepsTheRowsAndShowsTheError()
{
    EndsWithAnErrorProvider provider(test::makeConversations(30));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot page past"_s));
    m_model->setQuery(query(10));
    m_model->setProvider(&provider);
    waitIdle();
    m_model->fetchMore({});
    waitIdle();
    QCOMPARE(m_model->rowCount(), 20); // the page that ended the list is shown
    QVERIFY(m_model->hasError());
    QVERIFY(m_model->error().message().contains(u"field 'next' is a number"_s));
    QVERIFY(m_model->isAtEnd());
    QVERIFY(!m_model->canFetchMore({}));
    // Retry can only start again from the first page.
    m_model->retry();
    waitIdle();
    QCOMPARE(m_model->rowCount(), 10);
    QVERIFY(!m_model->hasError());
    m_model->setProvider(nullptr);
}

void TestConversationListModel::unreadableRowSaysWhy()
{
    QList<Conversation> data = test::makeConversations(3);
    Conversation broken;
    broken.id = u"broken-1"_s;
    broken.setUnreadable(u"field 'title' is a number, expected text"_s,
                         R"({"id":"broken-1","title":7})");
    data.insert(1, broken);
    m_provider->conversations = data;
    m_model->setProvider(m_provider.get());
    waitIdle();
    QCOMPARE(m_model->rowCount(), 4);
    using M = ConversationListModel;
    const QModelIndex title = m_model->index(1, M::TitleColumn);
    QCOMPARE(m_model->data(title).toString(), u"Unreadable conversation"_s);
    QVERIFY(m_model->data(m_model->index(1, M::StatusColumn)).toString().isEmpty());
    const QString tip = m_model->data(title, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(broken.unreadableWhy()) && tip.contains(broken.id), qPrintable(tip));
    QCOMPARE(m_model->data(m_model->index(1, M::OwnerColumn), Qt::ToolTipRole).toString(), tip);
    QCOMPARE(m_model->data(title, M::IdRole).toString(), broken.id);
    QCOMPARE(m_model->data(m_model->index(2, M::TitleColumn)).toString(), data.at(2).title);
}

void TestConversationListModel::stopAbortsThePageInFlight()
{
    m_provider->holdReplies = true;
    m_model->setProvider(m_provider.get());
    QVERIFY(m_model->isLoading());
    QSignalSpy state(m_model.get(), &ConversationListModel::stateChanged);
    m_model->stop();
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->error().kind, ApiError::Kind::Timeout);
    QVERIFY(m_model->error().message().contains(u"stopped"_s));
    QCOMPARE(state.size(), 1);
    QCOMPARE(m_provider->canceledCount, 1);
    m_model->stop(); // nothing in flight: nothing happens
    QCOMPARE(state.size(), 1);

    m_model->retry();
    QVERIFY(m_model->isLoading());
    m_provider->releaseAll();
    waitIdle();
    QVERIFY(m_model->rowCount() > 0);
    QVERIFY(!m_model->hasError());
}

void TestConversationListModel::providerDestroyedEmptiesModel()
{
    m_model->setProvider(m_provider.get());
    waitIdle();
    QVERIFY(m_model->rowCount() > 0);
    m_provider->holdReplies = true;
    m_model->fetchMore({});
    QVERIFY(m_model->isLoading());
    m_provider.reset();
    QCOMPARE(m_model->provider(), nullptr);
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->isLoading());
    QVERIFY(!m_model->canFetchMore({}));
    m_model->reload();
    m_model->retry();
    QVERIFY(!m_model->isLoading());
}

void TestConversationListModel::fetchMoreFromRowsInsertedRequestsTheNextPage()
{
    // Views call fetchMore() from their rowsInserted handlers: the cursor must already point
    // at the next page then, or the page just inserted would be requested again.
    m_model->setQuery(query(30));
    connect(m_model.get(), &QAbstractItemModel::rowsInserted, m_model.get(),
            [this] { m_model->fetchMore({}); });
    m_model->setProvider(m_provider.get());
    QTRY_VERIFY(m_model->isAtEnd());
    waitIdle();
    QCOMPARE(m_model->rowCount(), 120);
    QCOMPARE(m_provider->listCalls.size(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(m_provider->listCalls.at(i).cursor.offset, i * 30);
}

void TestConversationListModel::testerDrivenFetchMorePagesWithoutDoubles()
{
    // The tester calls fetchMore() on every change, as an eager view would.
    m_tester.reset();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_tester->setUseFetchMore(true);
    m_model->setQuery(query(25));
    m_model->setProvider(m_provider.get());
    int guard = 0;
    while (!m_model->isAtEnd() && ++guard < 20) {
        waitIdle();
        m_model->fetchMore({});
    }
    waitIdle();
    QCOMPARE(m_model->rowCount(), 120);
    // Every page requested exactly once, in order.
    QCOMPARE(m_provider->listCalls.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_provider->listCalls.at(i).cursor.offset, i * 25);
    QCOMPARE(m_provider->deliveredCount, 5);
}

void TestConversationListModel::refreshStateChangesOnlyWhatMoved()
{
    m_provider->conversations = test::makeConversations(3);
    m_model->setProvider(m_provider.get());
    waitIdle();
    using M = ConversationListModel;
    const Conversation before = *m_model->conversationAt(1);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);

    Conversation fresh;
    fresh.id = before.id;
    fresh.title = u"another title"_s; // not the list's business
    fresh.status = u"stopped"_s;
    fresh.updatedAt = before.updatedAt.addSecs(60);
    fresh.turnCount = 9;
    QVERIFY(m_model->refreshState(fresh));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
    QCOMPARE(changed[0][1].toModelIndex().column(), M::ColumnCount - 1);
    const Conversation after = *m_model->conversationAt(1);
    QCOMPARE(after.title, before.title);
    QCOMPARE(after.status, u"stopped"_s);
    QCOMPARE(after.updatedAt, fresh.updatedAt);
    QCOMPARE(after.turnCount, 9);
    QCOMPARE(m_model->data(m_model->index(1, M::StatusColumn)).toString(), u"stopped"_s);

    // The same again, an older time, or an unknown id: nothing moves.
    QVERIFY(!m_model->refreshState(fresh));
    Conversation older = fresh;
    older.updatedAt = before.updatedAt;
    QVERIFY(!m_model->refreshState(older));
    QCOMPARE(m_model->conversationAt(1)->updatedAt, fresh.updatedAt);
    Conversation stranger = fresh;
    stranger.id = u"not-loaded"_s;
    QVERIFY(!m_model->refreshState(stranger));
    QCOMPARE(changed.size(), 1);
}

void TestConversationListModel::displayAndRoles()
{
    QList<Conversation> data = test::makeConversations(2);
    data[1].title.clear();
    data[1].createdAt = {};
    m_provider->conversations = data;
    m_model->setProvider(m_provider.get());
    waitIdle();

    const Conversation &c = data.at(0);
    auto cell = [this](int row, int column, int role) {
        return m_model->data(m_model->index(row, column), role);
    };
    using M = ConversationListModel;
    QCOMPARE(cell(0, M::TitleColumn, Qt::DisplayRole).toString(), c.title);
    QCOMPARE(cell(0, M::StatusColumn, Qt::DisplayRole).toString(), u"done"_s);
    QCOMPARE(cell(0, M::KindColumn, Qt::DisplayRole).toString(), u"tool_call"_s);
    QCOMPARE(cell(0, M::OwnerColumn, Qt::DisplayRole).toString(), c.owner);
    QCOMPARE(cell(0, M::CreatedColumn, Qt::DisplayRole).toString(),
             QLocale().toString(c.createdAt.toLocalTime(), QLocale::ShortFormat));
    QCOMPARE(cell(0, M::UpdatedColumn, Qt::DisplayRole).toString(),
             QLocale().toString(c.updatedAt.toLocalTime(), QLocale::ShortFormat));

    QCOMPARE(cell(0, M::CreatedColumn, M::SortRole).toDateTime(), c.createdAt);
    QCOMPARE(cell(0, M::TitleColumn, M::SortRole).toString(), c.title);
    QVERIFY(cell(0, M::UpdatedColumn, Qt::ToolTipRole)
                .toString()
                .contains(c.updatedAt.toString(Qt::ISODateWithMs)));
    QVERIFY(cell(0, M::TitleColumn, Qt::ToolTipRole).toString().contains(c.id));

    for (int column = 0; column < M::ColumnCount; ++column) {
        QCOMPARE(cell(0, column, M::IdRole).toString(), c.id);
        const auto conv = cell(0, column, M::ConversationRole).value<Conversation>();
        QCOMPARE(conv.id, c.id);
        QCOMPARE(conv.owner, c.owner);
        QCOMPARE(conv.createdAt, c.createdAt);
    }

    // Missing values: a placeholder title, no time, the id in the tooltip.
    QVERIFY(!cell(1, M::TitleColumn, Qt::DisplayRole).toString().isEmpty());
    QCOMPARE(cell(1, M::TitleColumn, M::SortRole).toString(), QString());
    QCOMPARE(cell(1, M::TitleColumn, Qt::ToolTipRole).toString(), data.at(1).id);
    QCOMPARE(cell(1, M::CreatedColumn, Qt::DisplayRole).toString(), QString());
    QVERIFY(!cell(1, M::CreatedColumn, Qt::ToolTipRole).isValid());
    QVERIFY(!cell(1, M::CreatedColumn, M::SortRole).toDateTime().isValid());

    QVERIFY(!m_model->data(m_model->index(5, 0)).isValid());
    QVERIFY(m_model->roleNames().contains(M::ConversationRole));
    QVERIFY(m_model->flags(m_model->index(0, 0)).testFlag(Qt::ItemNeverHasChildren));
}

void TestConversationListModel::headers()
{
    QStringList headers;
    for (int column = 0; column < m_model->columnCount(); ++column)
        headers << m_model->headerData(column, Qt::Horizontal).toString();
    QCOMPARE(headers, QStringList({u"Title"_s, u"Status"_s, u"Created"_s, u"Updated"_s, u"Type"_s,
                                   u"Owner"_s}));
}

void TestConversationListModel::aBigPageGoesInOverSeveralTurns()
{
    m_provider = std::make_unique<ScriptedProvider>(test::makeConversations(1200));
    QList<int> inserted;
    connect(
        m_model.get(), &QAbstractItemModel::rowsInserted, this,
        [&inserted](const QModelIndex &, int first, int last) { inserted << last - first + 1; });
    m_model->setQuery(query(1200));
    m_model->setProvider(m_provider.get());
    QTRY_VERIFY(!inserted.isEmpty());
    // The page is in, its first turn of rows only: the rest waits for the event loop.
    QCOMPARE(m_model->rowCount(), ConversationListModel::kRowsPerTurn);
    QVERIFY(m_model->isLoading());
    QVERIFY(!m_model->canFetchMore({}));
    waitIdle();
    QCOMPARE(inserted, (QList<int>{500, 500, 200}));
    QCOMPARE(m_model->rowCount(), 1200);
    QCOMPARE(m_model->conversationAt(1199)->id, m_provider->conversations.at(1199).id);
    QVERIFY(m_model->isAtEnd());
}

QTEST_GUILESS_MAIN(TestConversationListModel)
#include "tst_conversationlistmodel.moc"
