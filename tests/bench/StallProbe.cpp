#include "StallProbe.h"

namespace parley::bench {

StallProbe::StallProbe()
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1);
    QObject::connect(&m_timer, &QTimer::timeout, this, &StallProbe::beat);
}

void StallProbe::start()
{
    m_longestMs = 0;
    m_over16 = 0;
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void StallProbe::stop()
{
    beat(); // the gap up to now counts too
    m_timer.stop();
}

void StallProbe::beat()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double gapMs = double(now - m_lastNs) / 1e6 - 1.0;
    m_lastNs = now;
    if (gapMs > m_longestMs)
        m_longestMs = gapMs;
    if (gapMs > 16.0)
        ++m_over16;
}

} // namespace parley::bench
