#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdio>

namespace parley::bench {

// The report: one row per figure, with its budget, the ratio to that budget and a verdict.
// Budget rows are "within" or "MISSED"; info rows carry figures that explain the others.
class BenchTable
{
public:
    // `value` against an upper limit in the same unit ("ms", "B", "x").
    void addBudget(const QString &metric, double value, const QString &unit, double limit,
                   const QString &detail = {});
    void addInfo(const QString &metric, const QString &measured, const QString &detail = {});
    // A budget row that could not be measured, with the reason.
    void addFailure(const QString &metric, const QString &reason);
    void addSection(const QString &title);
    void addNote(const QString &note);

    int misses() const { return m_misses; }
    int failures() const { return m_failures; }
    void print(std::FILE *out) const;

    static QString number(double value, const QString &unit);

private:
    struct Row
    {
        QString metric;
        QString measured;
        QString target;
        QString ratio;
        QString verdict;
        QString detail;
        bool section = false;
    };
    QList<Row> m_rows;
    QStringList m_notes;
    int m_misses = 0;
    int m_failures = 0;
};

} // namespace parley::bench
