#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace parley::bench {

// Measures how long the thread it lives on (the GUI thread) stays away from its event loop:
// a precise 1 ms timer notes when it fires, and the longest gap between two firings, less the
// timer's own millisecond, is the longest stall: the longest the window could not have
// repainted or taken a key press.
class StallProbe : public QObject
{
public:
    StallProbe();
    void start();
    void stop();
    double longestMs() const { return m_longestMs; }
    // Gaps longer than 16 ms (a frame at 60 Hz).
    int framesMissed() const { return m_over16; }
    double elapsedMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }

private:
    void beat();
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    double m_longestMs = 0;
    int m_over16 = 0;
};

} // namespace parley::bench
