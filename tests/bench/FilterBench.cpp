#include "FilterBench.h"

#include "Heap.h"
#include "Stats.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QStringMatcher>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kFilterBudgetMs = 30;
constexpr double kWantedShare = 0.10;

} // namespace

QList<Conversation> loadedRows(const ConversationListModel &model)
{
    QList<Conversation> out;
    out.reserve(model.rowCount());
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(*model.conversationAt(row));
    return out;
}

int countMatches(const QList<Conversation> &rows, const QString &text)
{
    const QStringMatcher m(text, Qt::CaseInsensitive);
    int n = 0;
    for (const Conversation &c : rows) {
        if (m.indexIn(c.title) >= 0 || m.indexIn(c.id) >= 0 || m.indexIn(c.owner) >= 0 ||
            m.indexIn(c.status) >= 0)
            ++n;
    }
    return n;
}

QString pickFilterText(const QList<Conversation> &rows, int *matched)
{
    static const QRegularExpression nonWord(u"[^\\p{L}\\p{N}]+"_s);
    QHash<QString, int> rowsWithWord;
    for (const Conversation &c : rows) {
        const QStringList words = c.title.toLower().split(nonWord, Qt::SkipEmptyParts);
        QSet<QString> seen;
        for (const QString &w : words) {
            if (w.size() >= 4 && !seen.contains(w)) {
                seen.insert(w);
                ++rowsWithWord[w];
            }
        }
    }
    const double wanted = kWantedShare * double(rows.size());
    QList<QPair<double, QString>> candidates;
    for (auto it = rowsWithWord.cbegin(); it != rowsWithWord.cend(); ++it)
        candidates.append({std::abs(it.value() - wanted), it.key()});
    std::sort(candidates.begin(), candidates.end());
    QString best;
    double bestDistance = 0;
    for (qsizetype i = 0; i < qMin<qsizetype>(6, candidates.size()); ++i) {
        const int n = countMatches(rows, candidates.at(i).second);
        const double distance = std::abs(n - wanted);
        if (best.isEmpty() || distance < bestDistance) {
            best = candidates.at(i).second;
            bestDistance = distance;
            *matched = n;
        }
    }
    return best;
}

FilterTimes timeFilter(ConversationFilterProxy &proxy, const QString &text, int runs)
{
    QList<double> apply;
    QList<double> clear;
    FilterTimes out;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        proxy.setFilterText(text);
        out.shown = proxy.rowCount();
        apply << double(t.nsecsElapsed()) / 1e6;

        t.restart();
        proxy.setFilterText(QString());
        proxy.rowCount();
        clear << double(t.nsecsElapsed()) / 1e6;
    }
    out.apply = Stats::of(apply);
    out.clear = Stats::of(clear);
    return out;
}

void benchFilter(const ConversationListModel &model, const QString &platform, int runs,
                 BenchTable &table)
{
    const int rows = model.rowCount();
    const QString label = u"%1 rows (%2)"_s.arg(QLocale::c().toString(rows), platform);
    int matched = 0;
    const QString text = pickFilterText(loadedRows(model), &matched);
    if (text.isEmpty()) {
        table.addFailure(u"filter "_s + label, u"no title word to filter by"_s);
        return;
    }
    const double share = rows ? 100.0 * matched / rows : 0;

    ConversationFilterProxy proxy;
    const qint64 heapBefore = heapInUse();
    QElapsedTimer t;
    t.start();
    proxy.setSourceModel(const_cast<ConversationListModel *>(&model));
    proxy.rowCount();
    const double attachMs = double(t.nsecsElapsed()) / 1e6;
    const qint64 proxyBytes = heapInUse() - heapBefore;

    // One untimed pass first: allocations that a second search reuses.
    proxy.setFilterText(text);
    proxy.rowCount();
    proxy.setFilterText(QString());
    proxy.rowCount();

    const int n = qMax(runs, 5);
    const FilterTimes plain = timeFilter(proxy, text, n);
    const QString detail = u"\"%1\" shows %2 rows (%3%), median of %4, worst %5"_s.arg(text)
                               .arg(plain.shown)
                               .arg(share, 0, 'f', 1)
                               .arg(n)
                               .arg(BenchTable::number(plain.apply.max, u"ms"_s));
    table.addBudget(u"filter "_s + label, plain.apply.median, u"ms"_s, kFilterBudgetMs, detail);
    table.addBudget(
        u"clear the filter"_s, plain.clear.median, u"ms"_s, kFilterBudgetMs,
        u"back to all rows, worst %1"_s.arg(BenchTable::number(plain.clear.max, u"ms"_s)));
    if (plain.shown != matched)
        table.addNote(
            u"the proxy showed %1 rows for \"%2\", the bench's own count was %3"_s.arg(plain.shown)
                .arg(text)
                .arg(matched));

    proxy.sort(ConversationListModel::UpdatedColumn, Qt::DescendingOrder);
    proxy.rowCount();
    const FilterTimes sorted = timeFilter(proxy, text, n);
    table.addBudget(u"filter, list sorted by Updated"_s, sorted.apply.median, u"ms"_s,
                    kFilterBudgetMs,
                    u"worst %1 (the list view sorts when a header is clicked)"_s.arg(
                        BenchTable::number(sorted.apply.max, u"ms"_s)));
    table.addBudget(u"clear the filter, sorted"_s, sorted.clear.median, u"ms"_s, kFilterBudgetMs,
                    u"worst %1"_s.arg(BenchTable::number(sorted.clear.max, u"ms"_s)));

    table.addInfo(
        u"proxy over all rows: attach + first count"_s, BenchTable::number(attachMs, u"ms"_s),
        heapBefore >= 0 && rows
            ? u"%1 bytes of proxy mapping per row"_s.arg(double(proxyBytes) / rows, 0, 'f', 1)
            : QString());
}

} // namespace parley::bench
