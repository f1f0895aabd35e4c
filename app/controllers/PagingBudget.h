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
// at least one) until the key has gone recoveryMs() without another. GUI thread only.
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
    // `window` pages: from now on at most half as many (at least one), until recoveryMs()
    // pass without another.
    void rateLimited(const QByteArray &key, int window);
    // How long a lowered window lasts after the last 429 (ten minutes; tests shorten it).
    qint64 recoveryMs() const { return m_recoveryMs; }
    void setRecoveryMs(qint64 ms) { m_recoveryMs = ms; }
    // Forgets what `key` spent and its lowered window (tests).
    void forget(const QByteArray &key);

private:
    PagingBudget();
    struct Spent
    {
        std::deque<qint64> sent; // when, on m_clock, oldest first
        int window = 0;          // 0: as many as wanted
        qint64 limitedAt = 0;    // the last 429, on m_clock
    };
    static constexpr qint64 kRecoveryMs = 10 * 60 * 1000;
    qint64 m_recoveryMs = kRecoveryMs;
    QHash<QByteArray, Spent> m_keys;
    QElapsedTimer m_clock;
};

} // namespace parley
