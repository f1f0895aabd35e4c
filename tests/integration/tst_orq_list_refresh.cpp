// Refreshing an orq.ai list (ConversationListModel::refresh) against the in-process sandbox
// over real HTTP: it asks only for what is newer than the first row (ending_before, or
// endingBefore in the 2026 revision) and puts that on top, leaving the rows below and the
// paging as they were; where the first row is gone it fetches the loaded pages again.
#include "models/ConversationListModel.h"
#include "sandbox/SandboxServer.h"
#include "support/SandboxTestCase.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

QStringList idsOf(const ConversationListModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.conversationAt(row)->id;
    return ids;
}

} // namespace

class TestOrqListRefresh : public SandboxTestCase
{
    Q_OBJECT

public:
    TestOrqListRefresh()
        : SandboxTestCase(u"orq"_s, 21)
    {}

private:
    // A model on `provider` with `pageSize` rows a page and `pages` pages loaded.
    std::unique_ptr<ConversationListModel> loaded(Provider *provider, int pageSize, int pages);
    // Creates `count` conversations; their ids, oldest first.
    QStringList create(Provider &p, int count);
    // Refreshes `model` and waits for its end; the error it ended with.
    ApiError refreshed(ConversationListModel &model);

    std::unique_ptr<QAbstractItemModelTester> m_tester;

private slots:
    void refreshFetchesOnlyTheNewerRows_data();
    void refreshFetchesOnlyTheNewerRows();
    void nothingNewerChangesNothing();
    void firstRowGoneFetchesTheLoadedPagesAgain();
};

std::unique_ptr<ConversationListModel> TestOrqListRefresh::loaded(Provider *provider, int pageSize,
                                                                  int pages)
{
    auto model = std::make_unique<ConversationListModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_tester->setUseFetchMore(false); // the test counts the pages
    ListQuery query;
    query.pageSize = pageSize;
    model->setQuery(query);
    model->setProvider(provider);
    for (int page = 1; page <= pages; ++page) {
        if (page > 1)
            model->fetchMore({});
        if (!QTest::qWaitFor([&] { return !model->isLoading(); }, 10000) ||
            model->loadedCount() != page * pageSize) {
            QTest::qFail(
                qPrintable(u"the list did not load: %1 rows, %2"_s.arg(model->loadedCount())
                               .arg(model->error().message())),
                __FILE__, __LINE__);
            return nullptr;
        }
    }
    return model;
}

QStringList TestOrqListRefresh::create(Provider &p, int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        NewConversation request;
        request.title = u"Refresh %1"_s.arg(i);
        ReplyStream *stream = p.startConversation(request, this);
        QSignalSpy finished(stream, &ReplyStream::finished);
        if (!finished.wait(10000) || stream->error()) {
            QTest::qFail("could not create a conversation", __FILE__, __LINE__);
            return {};
        }
        ids << stream->conversation().id;
        stream->deleteLater();
    }
    return ids;
}

ApiError TestOrqListRefresh::refreshed(ConversationListModel &model)
{
    QSignalSpy ended(&model, &ConversationListModel::refreshed);
    if (!model.refresh() || !ended.wait(10000))
        return ApiError::make(ApiError::Kind::Timeout, u"the refresh did not end"_s);
    return ended.constFirst().constFirst().value<ApiError>();
}

void TestOrqListRefresh::refreshFetchesOnlyTheNewerRows_data()
{
    QTest::addColumn<QString>("revision");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("2025-12, one page") << u"2025-12 (starting_after)"_s << 10;
    QTest::newRow("2025-12, pages of 2") << u"2025-12 (starting_after)"_s << 2;
    QTest::newRow("2026-02") << u"2026-02 (startingAfter)"_s << 10;
}

void TestOrqListRefresh::refreshFetchesOnlyTheNewerRows()
{
    QFETCH(QString, revision);
    QFETCH(int, pageSize);
    const auto provider = m_fx.provider(demoWorkspace({{u"api_revision"_s, revision}}));
    QVERIFY(provider);
    const auto model = loaded(provider.get(), pageSize, 2);
    QVERIFY(model);
    const QStringList before = idsOf(*model);
    const QStringList created = create(*provider, 3);
    QCOMPARE(created.size(), 3);

    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(model.get(), &QAbstractItemModel::rowsMoved);
    const int requestsBefore = requests();
    const ApiError error = refreshed(*model);
    QVERIFY2(!error, qPrintable(error.message()));

    // Newest first on top, the loaded rows below untouched.
    QCOMPARE(idsOf(*model), (QStringList{created.at(2), created.at(1), created.at(0)} + before));
    // Only the newer rows were asked for: one request per page of them, none for the loaded
    // pages.
    QCOMPARE(requests() - requestsBefore, (3 + pageSize - 1) / pageSize);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(moved.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.constFirst().at(1).toInt(), 0);
    QCOMPARE(inserted.constFirst().at(2).toInt(), 2);

    // Paging goes on below the rows loaded before, without a repeat.
    model->fetchMore({});
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 10000);
    const QStringList after = idsOf(*model);
    QCOMPARE(after.size(), 3 + 3 * pageSize);
    QCOMPARE(QSet<QString>(after.cbegin(), after.cend()).size(), after.size());
}

void TestOrqListRefresh::nothingNewerChangesNothing()
{
    const auto provider = m_fx.provider(u"orq"_s);
    const auto model = loaded(provider.get(), 10, 1);
    QVERIFY(model);
    const QStringList before = idsOf(*model);
    const int requestsBefore = requests();
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    const ApiError error = refreshed(*model);
    QVERIFY2(!error, qPrintable(error.message()));
    QCOMPARE(idsOf(*model), before);
    QCOMPARE(requests() - requestsBefore, 1);
    QCOMPARE(inserted.size(), 0);
}

void TestOrqListRefresh::firstRowGoneFetchesTheLoadedPagesAgain()
{
    const auto provider = m_fx.provider(u"orq"_s);
    const auto model = loaded(provider.get(), 10, 2);
    QVERIFY(model);
    const QStringList before = idsOf(*model);
    const QStringList created = create(*provider, 1);
    QCOMPARE(created.size(), 1);
    // The platform no longer knows the first row: its ending_before answers 404.
    m_fx.sandbox().server()->setFaults(u"status=404,first=1"_s);
    const int requestsBefore = requests();
    const ApiError error = refreshed(*model);
    m_fx.sandbox().server()->setFaults(std::nullopt);
    QVERIFY2(!error, qPrintable(error.message()));
    // As many rows as were loaded, from the list's start: the new one on top.
    QCOMPARE(idsOf(*model), QStringList{created} + before.mid(0, before.size() - 1));
    // The refused request, then the loaded pages from the first.
    QVERIFY2(requests() - requestsBefore >= 3, qPrintable(QString::number(requests())));
}

QTEST_GUILESS_MAIN(TestOrqListRefresh)
#include "tst_orq_list_refresh.moc"
