#pragma once

#include <algorithm>
#include <chrono>

namespace parley {

// How long to wait before looking at something again: the first interval at the start and
// after every look that found a change, doubling after each look that found none, up to the
// longest. Polling that backs off while nothing happens and is quick again when it does.
class PollPace
{
public:
    PollPace(std::chrono::milliseconds first, std::chrono::milliseconds longest)
    {
        setIntervals(first, longest);
    }

    void setIntervals(std::chrono::milliseconds first, std::chrono::milliseconds longest)
    {
        m_first = first;
        m_longest = std::max(first, longest);
        m_interval = first;
    }
    std::chrono::milliseconds interval() const { return m_interval; }
    void reset() { m_interval = m_first; }
    // After a look: back to the first interval if it found a change, else twice as long.
    void looked(bool changed)
    {
        m_interval = changed ? m_first : std::min(m_interval * 2, m_longest);
    }

private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_longest;
    std::chrono::milliseconds m_interval;
};

} // namespace parley
