// The item models over the real PostHog provider and the in-process sandbox, over real HTTP
// on 127.0.0.1: paging everything with fetchMore(), filtering what was loaded, opening
// transcripts, and a wrong key.
#include "controllers/TranscriptController.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

namespace {

constexpr quint32 kSeed = 7;
constexpr int kCount = 257; // prime: the last page is always partial
const QByteArray kKey = "parley-demo-key";

} // namespace

class TestModelsPosthog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void pagesThroughEverything_data();
    void pagesThroughEverything();
    void reloadWhileLoadingEndsWithOneFirstPage();
    void filterProxyOverLoadedRows();
    void transcriptOpens();
    void quickSelectionChangesShowTheLastOne();
    void wrongKeyIsAnAuthErrorUntilTheKeyChanges();

private:
    std::unique_ptr<Provider> provider(const QByteArray &key = kKey) const;
    void loadAll(ConversationListModel &model);
    // Points `model` at `p`'s unfiltered list, `pageSize` rows a page (which starts loading).
    static void listWith(ConversationListModel &model, Provider *p, int pageSize);

    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<HttpClient> m_http;
    PosthogSandboxData m_data{kSeed, kCount};
};

void TestModelsPosthog::initTestCase()
{
    SandboxOptions options;
    options.seed = kSeed;
    options.conversations = kCount;
    options.key = kKey;
    m_sandbox = std::make_unique<Sandbox>(options);
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    QVERIFY(m_sandbox->prefixes().contains(u"posthog"_s));
    m_http = std::make_unique<HttpClient>();
}

void TestModelsPosthog::cleanupTestCase()
{
    m_http.reset();
    m_sandbox.reset();
}

std::unique_ptr<Provider> TestModelsPosthog::provider(const QByteArray &key) const
{
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.name = u"PostHog sandbox"_s;
    ws.platform = u"posthog"_s;
    ws.baseUrl = m_sandbox->baseUrl(u"posthog"_s);
    ws.params.insert(u"project_id"_s, u"1"_s);
    return ProviderRegistry::create(ws, key, m_http.get());
}

void TestModelsPosthog::loadAll(ConversationListModel &model)
{
    int pages = 0;
    for (;;) {
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
        QVERIFY2(!model.hasError(), qPrintable(model.error().message()));
        if (!model.canFetchMore({}))
            break;
        QVERIFY(++pages < 1000);
        model.fetchMore({});
    }
}

void TestModelsPosthog::listWith(ConversationListModel &model, Provider *p, int pageSize)
{
    ListQuery q;
    q.pageSize = pageSize;
    model.setQuery(q);
    model.setProvider(p);
}

void TestModelsPosthog::pagesThroughEverything_data()
{
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<bool>("testerFetches");
    QTest::newRow("25, tester fetching too") << 25 << true;
    QTest::newRow("100") << 100 << false;
    QTest::newRow("7") << 7 << false;
}

void TestModelsPosthog::pagesThroughEverything()
{
    QFETCH(int, pageSize);
    QFETCH(bool, testerFetches);
    auto p = provider();
    QVERIFY(p);
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(testerFetches);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    listWith(model, p.get(), pageSize);
    loadAll(model);

    QCOMPARE(model.rowCount(), m_data.count());
    QCOMPARE(model.loadedCount(), kCount);
    QCOMPARE(model.totalCount(), qint64(kCount));
    QVERIFY(model.isAtEnd());
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(inserted.size(), (kCount + pageSize - 1) / pageSize);

    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        const std::optional<Conversation> c = model.conversationAt(row);
        QVERIFY(c);
        ids.insert(c->id);
        // The platform's order (most recently updated first), one row per conversation.
        QCOMPARE(c->id, m_data.idAt(m_data.indexAtPosition(row)));
    }
    QCOMPARE(ids.size(), kCount);
}

void TestModelsPosthog::reloadWhileLoadingEndsWithOneFirstPage()
{
    auto p = provider();
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(false);
    listWith(model, p.get(), 40);
    model.reload();
    model.reload();
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
    QVERIFY(!model.hasError());
    QCOMPARE(model.rowCount(), 40);
    QCOMPARE(model.conversationAt(0)->id, m_data.idAt(m_data.indexAtPosition(0)));

    // A page in flight when the query changes never lands in the new list.
    model.fetchMore({});
    ListQuery q;
    q.pageSize = 10;
    model.setQuery(q);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
    QCoreApplication::processEvents(); // anything late from the old query would land here
    QCOMPARE(model.rowCount(), 10);
}

void TestModelsPosthog::filterProxyOverLoadedRows()
{
    auto p = provider();
    ConversationListModel model;
    ConversationFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(false);
    listWith(model, p.get(), 100);
    loadAll(model);
    QCOMPARE(proxy.rowCount(), kCount);

    const QString id = m_data.idAt(100);
    proxy.setFilterText(id.toUpper());
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(ConversationListModel::IdRole).toString(), id);

    proxy.setFilterText(QString());
    proxy.sort(ConversationListModel::CreatedColumn, Qt::AscendingOrder);
    QDateTime previous;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QDateTime t = proxy.index(row, ConversationListModel::CreatedColumn)
                                .data(ConversationListModel::SortRole)
                                .toDateTime();
        if (previous.isValid() && t.isValid())
            QVERIFY(previous <= t);
        if (t.isValid())
            previous = t;
    }
}

void TestModelsPosthog::transcriptOpens()
{
    auto p = provider();
    TranscriptController controller;
    QAbstractItemModelTester tester(controller.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setProvider(p.get());
    const QString id = m_data.idAt(3);
    QSignalSpy loaded(&controller, &TranscriptController::loaded);
    controller.open(id);
    QVERIFY(loaded.wait(15000));
    QVERIFY2(!controller.error().isError(), qPrintable(controller.error().message()));
    QCOMPARE(controller.model()->summary().id, id);
    QVERIFY(controller.model()->rowCount() > 0);
    for (int row = 0; row < controller.model()->rowCount(); ++row)
        QVERIFY(controller.model()->turnAt(row));

    controller.open(u"00000000-0000-0000-0000-000000000000"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isLoading(), 15000);
    QCOMPARE(controller.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(controller.model()->rowCount(), 0);
}

void TestModelsPosthog::quickSelectionChangesShowTheLastOne()
{
    auto p = provider();
    TranscriptController controller;
    controller.setProvider(p.get());
    for (int i = 0; i < 10; ++i)
        controller.open(m_data.idAt(i));
    QTRY_VERIFY_WITH_TIMEOUT(controller.isLoaded(), 15000);
    QCoreApplication::processEvents(); // late answers for the others would land here
    QCOMPARE(controller.conversationId(), m_data.idAt(9));
    QCOMPARE(controller.model()->summary().id, m_data.idAt(9));
}

void TestModelsPosthog::wrongKeyIsAnAuthErrorUntilTheKeyChanges()
{
    auto bad = provider("phx_wrong");
    ConversationListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProvider(bad.get());
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
    QCOMPARE(model.error().kind, ApiError::Kind::Auth);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    model.retry();
    QVERIFY(model.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
    QCOMPARE(model.error().kind, ApiError::Kind::Auth);

    // Switching to a good key recovers.
    auto good = provider();
    model.setProvider(good.get());
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 15000);
    QVERIFY(!model.hasError());
    QVERIFY(model.rowCount() > 0);
}

QTEST_GUILESS_MAIN(TestModelsPosthog)
#include "tst_models_posthog.moc"
