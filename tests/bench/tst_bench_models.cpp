// Budgets of DESIGN.md that belong to the models, measured here and never in unit tests:
//   filtering 100,000 loaded rows <= 30 ms; a 10,000-turn transcript ready <= 150 ms
//   (the model's share of it); <= 250 bytes of memory per loaded row.
// Each timing is the median of several runs (the machine may be shared) and fails the test
// when it is over budget, so that a regression shows when the benchmarks run. Meaningful
// on an optimized build only.
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QElapsedTimer>
#include <QTest>

#include <malloc.h>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parley;
using parley::test::ScriptedProvider;

namespace {

constexpr int kRows = 100000;
constexpr int kTurns = 10000;

size_t heapInUse()
{
    return mallinfo2().uordblks;
}

// Conversations whose strings are each their own heap allocation of exact size, as parsed
// JSON gives them (makeConversation() uses literals for status and kind).
QList<Conversation> freshConversations(int count)
{
    QList<Conversation> out = test::makeConversations(count);
    for (Conversation &c : out) {
        c.id = u"0b6f3f4e-2c1d-4a8b-9e7f-%1"_s.arg(c.id.mid(5).toInt(), 12, 10, QLatin1Char('0'));
        c.status = QString(c.status.constData(), c.status.size());
        c.kind = QString(c.kind.constData(), c.kind.size());
    }
    return out;
}

void loadAll(ConversationListModel &model, ScriptedProvider &provider)
{
    ListQuery q;
    q.pageSize = 1000;
    model.setQuery(q);
    model.setProvider(&provider);
    for (;;) {
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 60000);
        if (!model.canFetchMore({}))
            break;
        model.fetchMore({});
    }
}

// The median of `runs` timings of `step`, in milliseconds.
template<typename Step>
double medianMs(int runs, Step step)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        step();
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

class BenchModels : public QObject
{
    Q_OBJECT

private slots:
    void memoryPerLoadedRow();
    void filter100k_data();
    void filter100k();
    void sort100k();
    void transcript10k();
};

void BenchModels::memoryPerLoadedRow()
{
    malloc_trim(0);
    const size_t before = heapInUse();
    ScriptedProvider provider(freshConversations(kRows));
    ConversationListModel model;
    loadAll(model, provider);
    QCOMPARE(model.rowCount(), kRows);
    // Only the model's copy stays: the provider's list goes (the rows shared its strings).
    provider.conversations = {};
    malloc_trim(0);
    const double perRow = double(heapInUse() - before) / kRows;
    qInfo("memory per loaded row: %.0f bytes (budget 250)", perRow);
    QVERIFY2(perRow <= 250, qPrintable(u"%1 bytes per row"_s.arg(perRow)));
}

void BenchModels::filter100k_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("sortColumn");
    const int none = -1;
    const int updated = ConversationListModel::UpdatedColumn;
    const int title = ConversationListModel::TitleColumn;
    QTest::newRow("title word") << u"refunds"_s << kRows / 5 << none;
    QTest::newRow("owner") << u"USER3@example"_s << -1 << none;
    QTest::newRow("no match") << u"zzzz-no-such-thing"_s << 0 << none;
    QTest::newRow("single letter") << u"e"_s << kRows << none;
    QTest::newRow("title word, sorted by time") << u"refunds"_s << kRows / 5 << updated;
    QTest::newRow("single letter, sorted by time") << u"e"_s << kRows << updated;
    QTest::newRow("single letter, sorted by title") << u"e"_s << kRows << title;
}

void BenchModels::filter100k()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    QFETCH(int, sortColumn);
    ScriptedProvider provider(freshConversations(kRows));
    ConversationListModel model;
    loadAll(model, provider);
    ConversationFilterProxy proxy;
    proxy.setSourceModel(&model);
    if (sortColumn >= 0)
        proxy.sort(sortColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.rowCount(), kRows);

    int shown = -1;
    const double ms = medianMs(9, [&] {
        proxy.setFilterText(text);
        shown = proxy.rowCount(); // the proxy may map lazily: count that in
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), kRows);
    });
    if (expected >= 0)
        QCOMPARE(shown, expected);
    // Each run filters and clears the filter again: two re-filters.
    const double perFilter = ms / 2;
    qInfo("filter \"%s\" over %d rows%s: %.1f ms (median; budget 30)", qPrintable(text), kRows,
          sortColumn >= 0 ? ", sorted" : "", perFilter);
    QVERIFY2(perFilter <= 30, qPrintable(u"%1 ms"_s.arg(perFilter)));
}

void BenchModels::sort100k()
{
    ScriptedProvider provider(freshConversations(kRows));
    ConversationListModel model;
    loadAll(model, provider);
    ConversationFilterProxy proxy;
    proxy.setSourceModel(&model);
    for (int column :
         {int(ConversationListModel::UpdatedColumn), int(ConversationListModel::TitleColumn)}) {
        Qt::SortOrder order = Qt::AscendingOrder;
        const double ms = medianMs(5, [&] {
            order = order == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder;
            proxy.sort(column, order);
            QCOMPARE(proxy.rowCount(), kRows);
        });
        qInfo("sorting %d rows by column %d: %.1f ms (median; no budget)", kRows, column, ms);
    }
}

void BenchModels::transcript10k()
{
    const ConversationDetail detail = test::makeDetail(u"big"_s, kTurns);
    TranscriptModel model;
    const double ms = medianMs(9, [&] {
        model.setDetail(detail);
        QCOMPARE(model.rowCount(), kTurns);
    });
    qInfo("10,000-turn transcript into the model: %.2f ms (median; budget 150 incl. the view)", ms);
    QVERIFY2(ms <= 150, qPrintable(u"%1 ms"_s.arg(ms)));
}

QTEST_GUILESS_MAIN(BenchModels)
#include "tst_bench_models.moc"
