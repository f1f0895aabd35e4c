#pragma once

#include <QList>

#include <algorithm>

namespace parley::bench {

// Summary of repeated measurements (milliseconds unless said otherwise).
struct Stats
{
    double median = 0;
    double min = 0;
    double max = 0;
    int count = 0;

    static Stats of(QList<double> values)
    {
        Stats s;
        s.count = int(values.size());
        if (values.isEmpty())
            return s;
        std::sort(values.begin(), values.end());
        const qsizetype n = values.size();
        s.median = n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
        s.min = values.constFirst();
        s.max = values.constLast();
        return s;
    }
};

inline double msSince(qint64 startNs, qint64 nowNs)
{
    return double(nowNs - startNs) / 1e6;
}

} // namespace parley::bench
