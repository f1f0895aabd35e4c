#include "BenchTable.h"

using namespace Qt::StringLiterals;

namespace parley::bench {

QString BenchTable::number(double value, const QString &unit)
{
    if (unit == "x"_L1)
        return QString::number(value, 'f', 2) + u"×"_s;
    if (unit == "B"_L1)
        return QString::number(qRound64(value)) + u" B"_s;
    if (unit == "ms"_L1)
        return QString::number(value, 'f', value < 10 ? 2 : (value < 100 ? 1 : 0)) + u" ms"_s;
    return QString::number(value, 'g', 4) + u' ' + unit;
}

void BenchTable::addBudget(const QString &metric, double value, const QString &unit, double limit,
                           const QString &detail)
{
    Row r;
    r.metric = metric;
    r.measured = number(value, unit);
    r.target = u"≤ "_s + number(limit, unit);
    const double ratio = limit > 0 ? value / limit : 0;
    r.ratio = QString::number(ratio, 'f', 2);
    r.verdict = ratio <= 1.0 ? u"within"_s : u"MISSED"_s;
    if (ratio > 1.0)
        ++m_misses;
    r.detail = detail;
    m_rows << r;
}

void BenchTable::addInfo(const QString &metric, const QString &measured, const QString &detail)
{
    Row r;
    r.metric = metric;
    r.measured = measured;
    r.target = u"-"_s;
    r.ratio = u"-"_s;
    r.verdict = u"info"_s;
    r.detail = detail;
    m_rows << r;
}

void BenchTable::addFailure(const QString &metric, const QString &reason)
{
    Row r;
    r.metric = metric;
    r.measured = u"-"_s;
    r.target = u"-"_s;
    r.ratio = u"-"_s;
    r.verdict = u"FAILED"_s;
    r.detail = reason;
    ++m_failures;
    m_rows << r;
}

void BenchTable::addSection(const QString &title)
{
    Row r;
    r.metric = title;
    r.section = true;
    m_rows << r;
}

void BenchTable::addNote(const QString &note)
{
    m_notes << note;
}

void BenchTable::print(std::FILE *out) const
{
    const QStringList header{u"metric"_s, u"measured"_s, u"target"_s, u"ratio"_s, u"verdict"_s};
    qsizetype width[5];
    for (int i = 0; i < 5; ++i)
        width[i] = header.at(i).size();
    for (const Row &r : m_rows) {
        if (r.section)
            continue;
        const QString cells[5] = {r.metric, r.measured, r.target, r.ratio, r.verdict};
        for (int i = 0; i < 5; ++i)
            width[i] = qMax(width[i], cells[i].size());
    }
    auto line = [&](const QString(&cells)[5], const QString &detail) {
        QString text;
        for (int i = 0; i < 5; ++i) {
            // Figures right-aligned, words left-aligned.
            text += (i == 1 || i == 3) ? cells[i].rightJustified(width[i])
                                       : cells[i].leftJustified(width[i]);
            text += u"  "_s;
        }
        if (!detail.isEmpty())
            text += detail;
        std::fprintf(out, "%s\n", qPrintable(text.trimmed()));
    };
    const QString head[5] = {header.at(0), header.at(1), header.at(2), header.at(3), header.at(4)};
    line(head, u"detail"_s);
    qsizetype total = 2 * 5 + 6;
    for (qsizetype w : width)
        total += w;
    std::fprintf(out, "%s\n", qPrintable(QString(total, u'-')));
    for (const Row &r : m_rows) {
        if (r.section) {
            std::fprintf(out, "\n%s\n", qPrintable(r.metric));
            continue;
        }
        const QString cells[5] = {r.metric, r.measured, r.target, r.ratio, r.verdict};
        line(cells, r.detail);
    }
    if (!m_notes.isEmpty())
        std::fprintf(out, "\n");
    for (const QString &n : m_notes)
        std::fprintf(out, "note: %s\n", qPrintable(n));
    std::fprintf(out, "\n%d budget(s) missed, %d measurement(s) failed\n", m_misses, m_failures);
    std::fflush(out);
}

} // namespace parley::bench
