#pragma once

#include "providers/Capabilities.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>

#include <deque>

namespace parley {

// What the list pages of one key may cost, shared by every pager of the process (keys as
// Provider::keyIdentity() gives them): the platform's documented request limits, kept to
// before any 429, and how many pages may be in flight at once, which a 429 lowers (halved,
// at least one) for as long as the process runs. GUI thread only.
class PagingBudget
{
public:
    static PagingBudget &shared();

    // Milliseconds to wait before one more request of `key` stays within `limits`; 0: now.
    qint64 waitMs(const QByteArray &key, const QList<RequestLimit> &limits) const;
    // A request of `key` goes out now.
    void spend(const QByteArray &key, const QList<RequestLimit> &limits);
    // Pages of `key` that may be in flight, at most `wanted`.
    int window(const QByteArray &key, int wanted) const;
    // The platform answered 429 (or asked to retry later) while `key` had a window of
    // `window` pages: from now on at most half as many (at least one).
    void rateLimited(const QByteArray &key, int window);
    // Forgets what `key` spent and its lowered window (tests).
    void forget(const QByteArray &key);

private:
    PagingBudget();
    struct Spent
    {
        std::deque<qint64> sent; // when, on m_clock, oldest first
        int window = 0;          // 0: as many as wanted
    };
    QHash<QByteArray, Spent> m_keys;
    QElapsedTimer m_clock;
};

} // namespace parley
