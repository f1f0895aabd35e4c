#include "BigListBench.h"

#include "EventWait.h"
#include "FilterBench.h"
#include "Heap.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "providers/Provider.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kRowBudgetBytes = 250;
constexpr double kFilterBudgetMs = 100;
constexpr double kSortBudgetMs = 1000;
constexpr int kPageSize = 5000;

// Pages of `rows`, answered on the next event loop turn as a network reply would be.
class MemoryProvider : public Provider
{
public:
    explicit MemoryProvider(QList<Conversation> data)
        : Provider(Workspace(), nullptr)
        , rows(std::move(data))
    {}

    QString platform() const override { return u"memory"_s; }
    Capabilities capabilities() const override
    {
        Capabilities c;
        c.maxPageSize = kPageSize;
        return c;
    }
    RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                    QObject *context, Done<ConversationPage> done) override
    {
        ConversationPage page;
        page.items = rows.mid(cursor.offset, query.pageSize);
        page.total = rows.size();
        page.next = cursor;
        page.next.offset = cursor.offset + int(page.items.size());
        page.next.atEnd = page.next.offset >= rows.size();
        QTimer::singleShot(0, context, [done = std::move(done), page = std::move(page)] {
            done(Result<ConversationPage>(page));
        });
        return {};
    }

    QList<Conversation> rows;
};

QString fresh(const QString &s)
{
    return s.isEmpty() ? QString() : QString(s.constData(), s.size());
}

QList<Conversation> makeRows(const QList<Conversation> &sample, int count)
{
    QList<Conversation> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        const Conversation &from = sample.at(i % sample.size());
        Conversation c = from;
        const int copy = i / int(sample.size());
        c.id = copy == 0 ? fresh(from.id) : u"%1-%2"_s.arg(from.id).arg(copy);
        c.title = fresh(from.title);
        c.status = fresh(from.status);
        c.kind = fresh(from.kind);
        c.owner = fresh(from.owner);
        out.append(std::move(c));
    }
    return out;
}

void trimHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace

void benchBigList(const QList<Conversation> &sample, const QString &platform, int rows, int runs,
                  BenchTable &table)
{
    const QString count = QLocale::c().toString(rows);
    if (sample.isEmpty()) {
        table.addFailure(u"%1-row list"_s.arg(count), u"no rows to copy"_s);
        return;
    }
    QList<Conversation> data = makeRows(sample, rows);
    int matched = 0;
    const QString text = pickFilterText(sample, &matched);
    matched = text.isEmpty() ? 0 : countMatches(data, text);

    trimHeap();
    auto provider = std::make_unique<MemoryProvider>(std::move(data));
    auto model = std::make_unique<ConversationListModel>();
    ListQuery query;
    query.pageSize = kPageSize;
    model->setQuery(query);
    QEventLoop loop;
    ConversationListModel *m = model.get();
    QObject::connect(m, &ConversationListModel::stateChanged, &loop, [m, &loop] {
        if (m->canFetchMore({}))
            m->fetchMore({});
        else if (!m->isLoading())
            loop.quit();
    });
    QElapsedTimer t;
    t.start();
    m->setProvider(provider.get());
    const bool inTime = execFor(loop, 600000);
    const double loadMs = double(t.nsecsElapsed()) / 1e6;
    if (!inTime || m->rowCount() != rows) {
        table.addFailure(u"%1-row list"_s.arg(count),
                         u"%1 of %2 rows loaded"_s.arg(m->rowCount()).arg(rows));
        return;
    }
    // Only the model's copy stays: the provider's rows shared their strings with it.
    provider->rows = {};
    trimHeap();
    table.addInfo(u"%1 rows (%2 copies) into the model"_s.arg(count, platform),
                  BenchTable::number(loadMs, u"ms"_s),
                  u"pages of %1 from memory, %2 µs per row"_s.arg(kPageSize).arg(
                      1000.0 * loadMs / rows, 0, 'f', 2));

    {
        const qint64 heapBefore = heapInUse();
        ConversationFilterProxy proxy;
        proxy.setSourceModel(m);
        proxy.rowCount();
        const int n = qMax(runs, 3);
        if (!text.isEmpty()) {
            const FilterTimes plain = timeFilter(proxy, text, n);
            table.addBudget(u"filter %1 rows"_s.arg(count), plain.apply.median, u"ms"_s,
                            kFilterBudgetMs,
                            u"\"%1\" shows %2 rows, median of %3, worst %4"_s.arg(text)
                                .arg(plain.shown)
                                .arg(n)
                                .arg(BenchTable::number(plain.apply.max, u"ms"_s)));
            table.addBudget(u"clear the filter (%1 rows)"_s.arg(count), plain.clear.median, u"ms"_s,
                            kFilterBudgetMs,
                            u"worst %1"_s.arg(BenchTable::number(plain.clear.max, u"ms"_s)));
            if (plain.shown != matched)
                table.addNote(u"long list: the proxy showed %1 rows for \"%2\", the bench's own "
                              "count was %3"_s.arg(plain.shown)
                                  .arg(text)
                                  .arg(matched));
        }
        for (int column = 0; column < ConversationListModel::ColumnCount; ++column) {
            const QString name = m->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
            QList<double> ms;
            for (int run = 0; run < n; ++run) {
                t.restart();
                proxy.sort(column, run % 2 ? Qt::DescendingOrder : Qt::AscendingOrder);
                proxy.rowCount();
                ms << double(t.nsecsElapsed()) / 1e6;
            }
            const Stats s = Stats::of(ms);
            table.addBudget(
                u"sort %1 rows by %2"_s.arg(count, name), s.median, u"ms"_s, kSortBudgetMs,
                u"ascending and descending in turn, median of %1, worst %2"_s.arg(n).arg(
                    BenchTable::number(s.max, u"ms"_s)));
        }
        if (!text.isEmpty()) {
            const FilterTimes sorted = timeFilter(proxy, text, n);
            table.addBudget(
                u"filter %1 rows, sorted by %2"_s.arg(
                    count, m->headerData(ConversationListModel::ColumnCount - 1, Qt::Horizontal)
                               .toString()),
                sorted.apply.median, u"ms"_s, kFilterBudgetMs,
                u"worst %1"_s.arg(BenchTable::number(sorted.apply.max, u"ms"_s)));
        }
        const qint64 proxyBytes = heapInUse() - heapBefore;
        if (heapBefore >= 0)
            table.addInfo(u"proxy over %1 rows, sorted"_s.arg(count),
                          u"%1 B per row"_s.arg(double(proxyBytes) / rows, 0, 'f', 1),
                          u"mapping and sort ranks, heap delta"_s);
    }

    trimHeap();
    const qint64 heapLoaded = heapInUse();
    model.reset();
    trimHeap();
    if (heapLoaded >= 0)
        table.addBudget(u"memory per loaded row (%1 rows)"_s.arg(count),
                        double(heapLoaded - heapInUse()) / rows, u"B"_s, kRowBudgetBytes,
                        u"ConversationListModel's heap (freed with it); sizeof(Conversation) "
                        "= %1"_s.arg(sizeof(Conversation)));
}

} // namespace parley::bench
