// ConversationListModel::refresh(): the loaded pages fetched again and applied in place.
// The scripted platform's data shifts between fetches as a live platform's does; every
// model runs under QAbstractItemModelTester.

#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "support/ListModelFixture.h"

#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace parley;
using parley::test::makeConversation;
using parley::test::ScriptedProvider;

namespace {

constexpr int kPageSize = 10;

QStringList idsOf(const ConversationListModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.conversationAt(row)->id;
    return ids;
}

QStringList firstIds(const QList<Conversation> &data, int count)
{
    QStringList ids;
    for (int i = 0; i < count && i < data.size(); ++i)
        ids << data.at(i).id;
    return ids;
}

int indexOfId(const QList<Conversation> &data, const QString &id)
{
    for (int i = 0; i < data.size(); ++i) {
        if (data.at(i).id == id)
            return int(i);
    }
    return -1;
}

// Every structural signal the model emits during one refresh.
struct ChangeLog
{
    explicit ChangeLog(QAbstractItemModel *model)
        : inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , moved(model, &QAbstractItemModel::rowsMoved)
        , changed(model, &QAbstractItemModel::dataChanged)
        , reset(model, &QAbstractItemModel::modelReset)
        , layout(model, &QAbstractItemModel::layoutChanged)
    {}
    QSignalSpy inserted, removed, moved, changed, reset, layout;
};

} // namespace

class TstConversationListRefresh : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void unchangedDataChangesNothing();
    void changedRowsUpdateInPlace();
    void newRowsGoOnTopAndPagingGoesOn();
    void goneRowsAreRemoved();
    void movedRowsMove();
    void selectionAndProxyIndexesSurvive();
    void loadedPagesAreFetchedAgain();
    void failureLeavesRowsUntouched();
    void neverOverlapsAPageOrAnotherRefresh();
    void reloadDropsARefresh();
    void refreshClearsAnEarlierPageError();

private:
    // Loads `pages` pages of kPageSize rows; false (with a warning) when that fails.
    bool loadPages(int pages);
    // Starts a refresh and waits for it; the error it ended with.
    ApiError refreshAndWait();
    QList<Conversation> &data() { return m_fx->provider.conversations; }

    std::unique_ptr<test::ListModelFixture> m_fx;
    // Shorthands into m_fx, set by init().
    ScriptedProvider *m_provider = nullptr;
    ConversationListModel *m_model = nullptr;
};

void TstConversationListRefresh::init()
{
    m_fx = std::make_unique<test::ListModelFixture>(60);
    m_provider = &m_fx->provider;
    m_model = &m_fx->model;
}

void TstConversationListRefresh::cleanup()
{
    m_fx.reset();
}

bool TstConversationListRefresh::loadPages(int pages)
{
    return m_fx->loadPages(kPageSize, pages) && m_model->rowCount() == pages * kPageSize;
}

ApiError TstConversationListRefresh::refreshAndWait()
{
    QSignalSpy done(m_model, &ConversationListModel::refreshed);
    if (!m_model->refresh()) {
        qWarning("refresh() refused");
        return ApiError::make(ApiError::Kind::Config, u"refused"_s);
    }
    if (!m_model->isRefreshing() || !done.wait()) {
        qWarning("the refresh did not end");
        return ApiError::make(ApiError::Kind::Timeout, u"no end"_s);
    }
    return done.at(0).at(0).value<ApiError>();
}

void TstConversationListRefresh::unchangedDataChangesNothing()
{
    QVERIFY(loadPages(2));
    const QStringList before = idsOf(*m_model);
    ChangeLog log(m_model);
    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(idsOf(*m_model), before);
    QCOMPARE(log.inserted.size() + log.removed.size() + log.moved.size(), 0);
    QCOMPARE(log.changed.size(), 0);
    QCOMPARE(log.reset.size(), 0);
}

void TstConversationListRefresh::changedRowsUpdateInPlace()
{
    QVERIFY(loadPages(3));
    data()[5].title = u"Renamed on the platform"_s;
    data()[12].status = u"in_progress"_s;
    data()[13].updatedAt = data()[13].updatedAt.addSecs(600);
    data()[40].title = u"Not loaded: not fetched"_s;
    ChangeLog log(m_model);

    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(log.reset.size(), 0);
    QCOMPARE(log.inserted.size() + log.removed.size() + log.moved.size(), 0);
    // Row 5 alone, then rows 12 and 13 in one range: nothing else.
    QCOMPARE(log.changed.size(), 2);
    QCOMPARE(log.changed.at(0).at(0).toModelIndex().row(), 5);
    QCOMPARE(log.changed.at(0).at(1).toModelIndex().row(), 5);
    QCOMPARE(log.changed.at(1).at(0).toModelIndex().row(), 12);
    QCOMPARE(log.changed.at(1).at(1).toModelIndex().row(), 13);
    QCOMPARE(m_model->conversationAt(5)->title, u"Renamed on the platform"_s);
    QCOMPARE(m_model->conversationAt(12)->status, u"in_progress"_s);
    QCOMPARE(m_model->conversationAt(13)->updatedAt, data()[13].updatedAt);
    QCOMPARE(m_model->index(5, ConversationListModel::TitleColumn).data().toString(),
             u"Renamed on the platform"_s);
}

void TstConversationListRefresh::newRowsGoOnTopAndPagingGoesOn()
{
    QVERIFY(loadPages(3));
    data().prepend(makeConversation(101));
    data().prepend(makeConversation(100)); // newest first, as the list is
    ChangeLog log(m_model);

    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(log.reset.size(), 0);
    QCOMPARE(log.inserted.size(), 1);
    QCOMPARE(log.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(log.inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(idsOf(*m_model), firstIds(data(), 30));
    QCOMPARE(m_model->rowOfId(u"conv-00100"_s), 0);
    QCOMPARE(m_model->rowOfId(u"conv-00027"_s), 29);
    // The two rows the new ones pushed onto the fourth page come with it.
    QCOMPARE(m_model->rowOfId(u"conv-00028"_s), -1);
    QCOMPARE(m_model->totalCount(), 62);
    QVERIFY(m_model->canFetchMore({}));
    const int calls = int(m_provider->listCalls.size());
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), calls + 1);
    QCOMPARE(m_provider->listCalls.last().cursor.offset, 30);
    QTRY_VERIFY(!m_model->isLoading());
    QCOMPARE(m_model->conversationAt(30)->id, u"conv-00028"_s);
    QCOMPARE(idsOf(*m_model), firstIds(data(), 40));
}

void TstConversationListRefresh::goneRowsAreRemoved()
{
    QVERIFY(loadPages(3));
    data().removeAt(4);
    data().removeAt(3);
    data().removeAt(20); // conv-00022
    ChangeLog log(m_model);

    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(log.reset.size(), 0);
    QCOMPARE(log.moved.size(), 0);
    // conv-00022, then conv-00003..4 (from the bottom up); the rows that moved up from the
    // fourth page are inserted at the end.
    QCOMPARE(log.removed.size(), 2);
    QCOMPARE(log.removed.at(0).at(1).toInt(), 22);
    QCOMPARE(log.removed.at(1).at(1).toInt(), 3);
    QCOMPARE(log.removed.at(1).at(2).toInt(), 4);
    QCOMPARE(m_model->rowOfId(u"conv-00003"_s), -1);
    QCOMPARE(m_model->rowOfId(u"conv-00022"_s), -1);
    QCOMPARE(idsOf(*m_model), firstIds(data(), 30));
    QCOMPARE(m_model->rowOfId(u"conv-00032"_s), 29);
}

void TstConversationListRefresh::movedRowsMove()
{
    QVERIFY(loadPages(3));
    data().move(20, 0); // an updated conversation jumps to the top
    data().move(3, 9);  // and one slides down
    const QStringList expected = firstIds(data(), 30);
    ChangeLog log(m_model);

    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(log.reset.size(), 0);
    QCOMPARE(log.layout.size(), 0);
    QCOMPARE(log.inserted.size() + log.removed.size(), 0);
    QCOMPARE(log.moved.size(), 2); // one move each: the rest stays where it is
    QCOMPARE(idsOf(*m_model), expected);
    for (int row = 0; row < expected.size(); ++row)
        QCOMPARE(m_model->rowOfId(expected.at(row)), row);
}

void TstConversationListRefresh::selectionAndProxyIndexesSurvive()
{
    ConversationFilterProxy proxy;
    proxy.setSourceModel(m_model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxyTester.setUseFetchMore(false);
    proxy.sort(ConversationListModel::TitleColumn, Qt::DescendingOrder);
    QVERIFY(loadPages(3));
    QItemSelectionModel selection(m_model);
    const QString selectedId = u"conv-00012"_s;
    const QModelIndex selected = m_model->index(m_model->rowOfId(selectedId), 0);
    selection.setCurrentIndex(selected,
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex kept(selected);
    const QPersistentModelIndex keptInProxy(proxy.mapFromSource(selected));

    data().prepend(makeConversation(100)); // new on top
    data().removeAt(indexOfId(data(), u"conv-00001"_s));
    data().move(indexOfId(data(), u"conv-00025"_s), 0);
    data()[indexOfId(data(), selectedId)].title = u"Zz renamed, sorts first"_s;
    ChangeLog log(m_model);
    QSignalSpy proxyReset(&proxy, &QAbstractItemModel::modelReset);

    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(log.reset.size(), 0);
    QCOMPARE(proxyReset.size(), 0);
    QVERIFY(log.inserted.size() > 0 && log.removed.size() > 0 && log.moved.size() > 0);
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(ConversationListModel::IdRole).toString(), selectedId);
    QCOMPARE(kept.row(), m_model->rowOfId(selectedId));
    QCOMPARE(selection.currentIndex().data(ConversationListModel::IdRole).toString(), selectedId);
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().at(0).data(ConversationListModel::IdRole).toString(),
             selectedId);
    // The proxy sorted the renamed row again; its index follows the row.
    QVERIFY(keptInProxy.isValid());
    QCOMPARE(keptInProxy.data(ConversationListModel::IdRole).toString(), selectedId);
    QCOMPARE(keptInProxy.row(), 0);
    QCOMPARE(proxy.index(0, 0).data(ConversationListModel::IdRole).toString(), selectedId);
}

void TstConversationListRefresh::loadedPagesAreFetchedAgain()
{
    QVERIFY(loadPages(3));
    const int calls = int(m_provider->listCalls.size());
    data().prepend(makeConversation(100));
    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(m_provider->listCalls.size(), calls + 3);
    QCOMPARE(m_provider->listCalls.at(calls).cursor.offset, 0);
    QCOMPARE(m_provider->listCalls.at(calls + 1).cursor.offset, 10);
    QCOMPARE(m_provider->listCalls.at(calls + 2).cursor.offset, 20);
    QCOMPARE(m_model->loadedPages(), 3);
    QCOMPARE(m_model->rowCount(), 30);

    // A list that ends sooner now ends the refresh there.
    data() = data().mid(0, 15);
    QVERIFY(!refreshAndWait().isError());
    QCOMPARE(m_provider->listCalls.size(), calls + 5);
    QCOMPARE(m_model->loadedPages(), 2);
    QCOMPARE(idsOf(*m_model), firstIds(data(), 15));
    QVERIFY(m_model->isAtEnd());
    QCOMPARE(m_model->totalCount(), 15);
}

void TstConversationListRefresh::failureLeavesRowsUntouched()
{
    QVERIFY(loadPages(2));
    const QStringList before = idsOf(*m_model);
    data().prepend(makeConversation(100));
    data()[3].title = u"Changed"_s;
    m_provider->holdReplies = true;
    ChangeLog log(m_model);
    QSignalSpy done(m_model, &ConversationListModel::refreshed);

    QVERIFY(m_model->refresh());
    // The first page arrives; the second fails.
    m_provider->failNext(ApiError::make(ApiError::Kind::Server, u"boom"_s, 502));
    QVERIFY(m_provider->release());
    QCOMPARE(m_provider->pendingCount(), 1);
    QVERIFY(m_provider->release());
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.at(0).at(0).value<ApiError>().kind, ApiError::Kind::Server);
    QVERIFY(!m_model->isRefreshing());

    QCOMPARE(idsOf(*m_model), before);
    QCOMPARE(m_model->conversationAt(m_model->rowOfId(u"conv-00002"_s))->title,
             makeConversation(2).title);
    QCOMPARE(log.inserted.size() + log.removed.size() + log.moved.size(), 0);
    QCOMPARE(log.changed.size() + log.reset.size(), 0);
    // The list itself is fine: no error state, paging goes on where it was.
    QVERIFY(!m_model->hasError());
    QCOMPARE(m_model->loadedPages(), 2);
    QVERIFY(m_model->canFetchMore({}));
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.last().cursor.offset, 20);
}

void TstConversationListRefresh::neverOverlapsAPageOrAnotherRefresh()
{
    QVERIFY(loadPages(1));
    m_provider->holdReplies = true;
    m_model->fetchMore({}); // a page the user asked for
    const int calls = int(m_provider->listCalls.size());
    QVERIFY(!m_model->refresh());
    QCOMPARE(m_provider->listCalls.size(), calls);
    QVERIFY(m_provider->release());

    QVERIFY(m_model->refresh());
    QCOMPARE(m_provider->listCalls.size(), calls + 1);
    QVERIFY(!m_model->refresh());        // one refresh at a time
    QVERIFY(!m_model->canFetchMore({})); // and no page meanwhile
    m_model->fetchMore({});
    QCOMPARE(m_provider->listCalls.size(), calls + 1);
    QVERIFY(m_provider->release());
    QVERIFY(m_provider->release());
    QVERIFY(!m_model->isRefreshing());
    QVERIFY(m_model->canFetchMore({}));
    QCOMPARE(m_provider->listCalls.size(), calls + 2);
}

void TstConversationListRefresh::reloadDropsARefresh()
{
    QVERIFY(loadPages(2));
    m_provider->holdReplies = true;
    QSignalSpy done(m_model, &ConversationListModel::refreshed);
    QVERIFY(m_model->refresh());
    m_model->reload(); // F5: the list from its first page
    QVERIFY(!m_model->isRefreshing());
    QVERIFY(m_model->isLoading());
    data().prepend(makeConversation(100));
    m_provider->releaseAll();
    QTRY_VERIFY(!m_model->isLoading());
    QCOMPARE(done.size(), 0);
    QCOMPARE(idsOf(*m_model), firstIds(data(), 10));
}

void TstConversationListRefresh::refreshClearsAnEarlierPageError()
{
    QVERIFY(loadPages(2));
    m_provider->failNext(ApiError::make(ApiError::Kind::Network, u"down"_s));
    m_model->fetchMore({});
    QTRY_VERIFY(m_model->hasError());
    QVERIFY(!m_model->canFetchMore({}));
    QVERIFY(!refreshAndWait().isError());
    QVERIFY(!m_model->hasError());
    QVERIFY(m_model->canFetchMore({}));
    QCOMPARE(m_model->rowCount(), 20);
}

QTEST_GUILESS_MAIN(TstConversationListRefresh)
#include "tst_conversationlist_refresh.moc"
