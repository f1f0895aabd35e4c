#include "sandbox/ReplyClock.h"

namespace parley::sandbox {

ReplyClock::ReplyClock(int units, qint64 durationMs, int alreadyWritten)
    : m_units(qMax(0, units))
    , m_durationMs(qMax<qint64>(0, durationMs))
    , m_already(qBound(0, alreadyWritten, m_units))
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    m_timer.start();
}

int ReplyClock::writtenAt(qint64 elapsedMs) const
{
    const int spread = m_units - m_already;
    if (m_durationMs <= 0 || elapsedMs >= m_durationMs)
        return m_units;
    return m_already + int(qMax<qint64>(0, elapsedMs) * spread / m_durationMs);
}

int ReplyClock::written() const
{
    return stopped() ? m_frozen : writtenAt(m_timer.elapsed());
}

void ReplyClock::stop()
{
    if (!stopped())
        m_frozen = writtenAt(m_timer.elapsed());
}

qint64 ReplyClock::msUntilWritten(int n) const
{
    if (written() >= n)
        return 0;
    if (stopped())
        return -1;
    const int spread = m_units - m_already;
    const qint64 due =
        spread <= 0 ? 0 : (qint64(n - m_already) * m_durationMs + spread - 1) / spread;
    return qMax<qint64>(1, due - m_timer.elapsed());
}

} // namespace parley::sandbox
