#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStringListModel>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace parley;
using parley::test::ScriptedProvider;

class TestConversationFilterProxy : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void emptyFilterShowsAll();
    void filtersTitleIdOwnerStatusCaseInsensitively();
    void filterIgnoresOtherColumns();
    void filterAppliesToRowsLoadedLater();
    void sortsByRawValues();
    void sortsTimesByInstant();
    void sortedOrderHoldsForRowsLoadedLater();
    void sortedFilterKeepsOrder();
    void foldedTextOrder();
    void forwardsFetchMore();
    void sourceResetClearsProxy();
    void sharedValuesMatchAfterAReset();
    void otherSourceModelStillWorks();

private:
    void load(QList<Conversation> data, int pageSize);
    QStringList proxyIds() const;

    std::unique_ptr<ScriptedProvider> m_provider;
    std::unique_ptr<ConversationListModel> m_source;
    std::unique_ptr<ConversationFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestConversationFilterProxy::init()
{
    m_provider = std::make_unique<ScriptedProvider>();
    m_source = std::make_unique<ConversationListModel>();
    m_proxy = std::make_unique<ConversationFilterProxy>();
    m_proxy->setSourceModel(m_source.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_tester->setUseFetchMore(false);
}

void TestConversationFilterProxy::cleanup()
{
    m_tester.reset();
    m_proxy.reset();
    m_source.reset();
    m_provider.reset();
}

void TestConversationFilterProxy::load(QList<Conversation> data, int pageSize)
{
    m_provider->conversations = std::move(data);
    ListQuery q;
    q.pageSize = pageSize;
    m_source->setQuery(q);
    m_source->setProvider(m_provider.get());
    QTRY_VERIFY(!m_source->isLoading());
}

QStringList TestConversationFilterProxy::proxyIds() const
{
    QStringList ids;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        ids << m_proxy->index(row, 0).data(ConversationListModel::IdRole).toString();
    return ids;
}

void TestConversationFilterProxy::sharedValuesMatchAfterAReset()
{
    // Statuses and owners are matched once per shared value; a reset shares other values.
    QList<Conversation> first = test::makeConversations(10);
    for (Conversation &c : first)
        c.status = u"waiting"_s;
    load(first, 100);
    m_proxy->setFilterText(u"waiting"_s);
    QCOMPARE(m_proxy->rowCount(), 10);

    QList<Conversation> second = test::makeConversations(10);
    for (int i = 0; i < second.size(); ++i)
        second[i].status = i < 3 ? u"waiting"_s : u"finished"_s;
    // "finished" first: it takes the place "waiting" had in the shared values.
    std::rotate(second.begin(), second.begin() + 3, second.end());
    load(second, 100);
    QCOMPARE(m_proxy->filterText(), u"waiting"_s);
    QCOMPARE(m_proxy->rowCount(), 3);
}

void TestConversationFilterProxy::emptyFilterShowsAll()
{
    load(test::makeConversations(40), 100);
    QCOMPARE(m_proxy->rowCount(), 40);
    m_proxy->setFilterText(u"   "_s);
    QCOMPARE(m_proxy->filterText(), QString());
    QCOMPARE(m_proxy->rowCount(), 40);
}

void TestConversationFilterProxy::filtersTitleIdOwnerStatusCaseInsensitively()
{
    load(test::makeConversations(100), 100);
    QSignalSpy changed(m_proxy.get(), &ConversationFilterProxy::filterTextChanged);

    // Title: topics cycle every 5 rows, "Login trouble" at i % 5 == 2.
    m_proxy->setFilterText(u"LOGIN"_s);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_proxy->rowCount(), 20);
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        QVERIFY(m_proxy->index(row, 0).data().toString().contains(u"Login"_s));

    // Id.
    m_proxy->setFilterText(u"CONV-0004"_s);
    QCOMPARE(proxyIds(),
             QStringList({u"conv-00040"_s, u"conv-00041"_s, u"conv-00042"_s, u"conv-00043"_s,
                          u"conv-00044"_s, u"conv-00045"_s, u"conv-00046"_s, u"conv-00047"_s,
                          u"conv-00048"_s, u"conv-00049"_s}));

    // Owner: user3@ at i % 7 == 3.
    m_proxy->setFilterText(u"User3@Example"_s);
    int expected = 0;
    for (int i = 0; i < 100; ++i)
        expected += i % 7 == 3;
    QCOMPARE(m_proxy->rowCount(), expected);

    // Status.
    m_proxy->setFilterText(u"IdLe"_s);
    QCOMPARE(m_proxy->rowCount(), 50);

    // Nothing.
    m_proxy->setFilterText(u"no such text"_s);
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setFilterText(u"no such text "_s); // same after trimming: no signal
    QCOMPARE(changed.size(), 5);
    m_proxy->setFilterText(QString());
    QCOMPARE(m_proxy->rowCount(), 100);
}

void TestConversationFilterProxy::filterIgnoresOtherColumns()
{
    load(test::makeConversations(10), 100);
    m_proxy->setFilterText(u"tool_call"_s); // the kind column is not searched
    QCOMPARE(m_proxy->rowCount(), 0);
}

void TestConversationFilterProxy::filterAppliesToRowsLoadedLater()
{
    load(test::makeConversations(100), 30);
    m_proxy->setFilterText(u"refunds"_s); // i % 5 == 1
    QCOMPARE(m_proxy->rowCount(), 6);
    while (m_source->canFetchMore({})) {
        m_source->fetchMore({});
        QTRY_VERIFY(!m_source->isLoading());
    }
    QCOMPARE(m_source->rowCount(), 100);
    QCOMPARE(m_proxy->rowCount(), 20);
}

void TestConversationFilterProxy::sortsByRawValues()
{
    QList<Conversation> data = test::makeConversations(5);
    data[0].title = u"banana"_s;
    data[1].title = u"Apple"_s;
    data[2].title = u"cherry"_s;
    data[3].title = u"apricot"_s;
    data[4].title = QString();
    load(data, 100);
    m_proxy->sort(ConversationListModel::TitleColumn, Qt::AscendingOrder);
    QStringList titles;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        titles << m_proxy->index(row, 0).data(ConversationListModel::SortRole).toString();
    QCOMPARE(titles, QStringList({QString(), u"Apple"_s, u"apricot"_s, u"banana"_s, u"cherry"_s}));

    m_proxy->sort(ConversationListModel::OwnerColumn, Qt::DescendingOrder);
    QCOMPARE(m_proxy->index(0, ConversationListModel::OwnerColumn).data().toString(),
             u"user4@example.com"_s);
}

void TestConversationFilterProxy::sortsTimesByInstant()
{
    QList<Conversation> data = test::makeConversations(4);
    // Display text ("3/1/26 …", "12/31/25 …") would sort these wrongly.
    data[0].createdAt = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    data[1].createdAt = QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
    data[2].createdAt = QDateTime(QDate(2025, 12, 31), QTime(23, 0), Qt::UTC);
    data[3].createdAt = QDateTime();
    load(data, 100);
    m_proxy->sort(ConversationListModel::CreatedColumn, Qt::AscendingOrder);
    QCOMPARE(proxyIds(),
             QStringList({u"conv-00003"_s, u"conv-00002"_s, u"conv-00001"_s, u"conv-00000"_s}));
    m_proxy->sort(ConversationListModel::CreatedColumn, Qt::DescendingOrder);
    QCOMPARE(proxyIds().first(), u"conv-00000"_s);
}

// Rows sorted before more pages arrive are compared by precomputed ranks, the new ones
// directly: both must agree, whatever mix a comparison sees.
void TestConversationFilterProxy::sortedOrderHoldsForRowsLoadedLater()
{
    QList<Conversation> data = test::makeConversations(90);
    for (int i = 0; i < data.size(); ++i) // titles in an order unrelated to the rows
        data[i].title = u"T%1"_s.arg((i * 37) % 90, 3, 10, QLatin1Char('0'));
    load(data, 30);
    m_proxy->sort(ConversationListModel::TitleColumn, Qt::DescendingOrder);
    while (m_source->canFetchMore({})) {
        m_source->fetchMore({});
        QTRY_VERIFY(!m_source->isLoading());
    }
    QCOMPARE(m_proxy->rowCount(), 90);
    for (int row = 0; row < 90; ++row)
        QCOMPARE(m_proxy->index(row, 0).data().toString(),
                 u"T%1"_s.arg(89 - row, 3, 10, QLatin1Char('0')));

    // Filtering re-sorts what passes, with fresh ranks.
    m_proxy->setFilterText(u"t0"_s);
    QCOMPARE(m_proxy->rowCount(), 90);
    m_proxy->setFilterText(u"T08"_s);
    QCOMPARE(m_proxy->rowCount(), 10);
    QCOMPARE(m_proxy->index(0, 0).data().toString(), u"T089"_s);
    QCOMPARE(m_proxy->index(9, 0).data().toString(), u"T080"_s);
}

void TestConversationFilterProxy::sortedFilterKeepsOrder()
{
    load(test::makeConversations(200), 200);
    m_proxy->sort(ConversationListModel::UpdatedColumn, Qt::DescendingOrder);
    m_proxy->setFilterText(u"billing"_s); // i % 5 == 0
    QCOMPARE(m_proxy->rowCount(), 40);
    for (int row = 0; row < 40; ++row)
        QCOMPARE(m_proxy->index(row, 0).data(ConversationListModel::IdRole).toString(),
                 u"conv-%1"_s.arg(195 - row * 5, 5, 10, QLatin1Char('0')));
    m_proxy->setFilterText(QString());
    QCOMPARE(m_proxy->index(0, 0).data(ConversationListModel::IdRole).toString(), u"conv-00199"_s);
    QCOMPARE(m_proxy->index(199, 0).data(ConversationListModel::IdRole).toString(),
             u"conv-00000"_s);
}

void TestConversationFilterProxy::foldedTextOrder()
{
    QList<Conversation> data = test::makeConversations(6);
    const QStringList titles = {u"Éclair"_s, u"apple"_s,  u"ÉCLAIR"_s,
                                u"Banana"_s, u"éclair"_s, u"APPLE"_s};
    for (int i = 0; i < data.size(); ++i)
        data[i].title = titles.at(i);
    load(data, 100);
    m_proxy->sort(ConversationListModel::TitleColumn, Qt::AscendingOrder);
    QStringList sorted;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        sorted << m_proxy->index(row, 0).data().toString();
    // Case-insensitive; equal titles keep the platform's order.
    QCOMPARE(sorted, QStringList({u"apple"_s, u"APPLE"_s, u"Banana"_s, u"Éclair"_s, u"ÉCLAIR"_s,
                                  u"éclair"_s}));
}

void TestConversationFilterProxy::forwardsFetchMore()
{
    load(test::makeConversations(60), 25);
    QVERIFY(m_proxy->canFetchMore({}));
    m_proxy->fetchMore({});
    QVERIFY(!m_proxy->canFetchMore({})); // in flight
    QTRY_COMPARE(m_proxy->rowCount(), 50);
    QCOMPARE(m_provider->listCalls.size(), 2);
}

void TestConversationFilterProxy::sourceResetClearsProxy()
{
    load(test::makeConversations(20), 100);
    m_proxy->setFilterText(u"conv"_s);
    QCOMPARE(m_proxy->rowCount(), 20);
    ListQuery q;
    q.filters.insert(u"status"_s, u"done"_s);
    m_source->setQuery(q);
    QCOMPARE(m_proxy->rowCount(), 0);
    QTRY_COMPARE(m_proxy->rowCount(), 10);
}

void TestConversationFilterProxy::otherSourceModelStillWorks()
{
    ConversationFilterProxy proxy;
    QStringListModel plain({u"a"_s, u"b"_s, u"c"_s});
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&plain);
    proxy.setFilterText(u"x"_s);
    QCOMPARE(proxy.rowCount(), 3); // no Conversation values to match: everything shows
}

QTEST_GUILESS_MAIN(TestConversationFilterProxy)
#include "tst_conversationfilterproxy.moc"
