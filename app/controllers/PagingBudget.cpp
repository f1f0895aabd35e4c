#include "controllers/PagingBudget.h"

#include "core/Logging.h"

#include <algorithm>

namespace parley {

PagingBudget::PagingBudget()
{
    m_clock.start();
}

PagingBudget &PagingBudget::shared()
{
    static PagingBudget budget;
    return budget;
}

qint64 PagingBudget::waitMs(const QByteArray &key, const QList<RequestLimit> &limits) const
{
    const auto it = m_keys.constFind(key);
    if (it == m_keys.cend())
        return 0;
    const std::deque<qint64> &sent = it->sent;
    const qint64 now = m_clock.elapsed();
    qint64 wait = 0;
    for (const RequestLimit &limit : limits) {
        if (limit.requests <= 0 || qsizetype(sent.size()) < limit.requests)
            continue;
        // The request `limit.requests` back must have left the window first.
        const qint64 oldest = sent[sent.size() - size_t(limit.requests)];
        wait = std::max(wait, oldest + qint64(limit.seconds) * 1000 - now);
    }
    return std::max<qint64>(0, wait);
}

void PagingBudget::spend(const QByteArray &key, const QList<RequestLimit> &limits)
{
    int keep = 0;
    for (const RequestLimit &limit : limits)
        keep = std::max(keep, limit.requests);
    if (keep <= 0 && !m_keys.contains(key))
        return;
    Spent &spent = m_keys[key];
    spent.sent.push_back(m_clock.elapsed());
    while (qsizetype(spent.sent.size()) > keep)
        spent.sent.pop_front();
}

int PagingBudget::window(const QByteArray &key, int wanted) const
{
    const auto it = m_keys.constFind(key);
    const bool lowered =
        it != m_keys.cend() && it->window > 0 && m_clock.elapsed() - it->limitedAt < m_recoveryMs;
    const int cap = lowered ? it->window : wanted;
    return std::max(1, std::min(wanted, cap));
}

void PagingBudget::rateLimited(const QByteArray &key, int window)
{
    Spent &spent = m_keys[key];
    const qint64 now = m_clock.elapsed();
    if (spent.window > 0 && now - spent.limitedAt >= m_recoveryMs)
        spent.window = 0; // recovered since the last one
    spent.limitedAt = now;
    const int from = spent.window > 0 ? std::min(spent.window, window) : window;
    const int lowered = std::max(1, from / 2);
    if (spent.window <= 0 || lowered < spent.window) {
        qCInfo(lcModels) << "the platform limits requests: at most" << lowered
                         << "list pages in flight from now on";
        spent.window = lowered;
    }
}

void PagingBudget::forget(const QByteArray &key)
{
    m_keys.remove(key);
}

} // namespace parley
