#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QtGlobal>

#include <memory>

namespace parley::sandbox {

// How far a reply being written has got, as a function of time alone: a reply of `units`
// (words, or frames of a stream) started now is written evenly over `durationMs`, unit n
// (1-based) at n × durationMs / units. Every reader (a retrieve, the stream that started it,
// a client re-attaching) asks the same clock, so they all agree. stop() freezes it at what
// is written (a canceled reply). `alreadyWritten` units count as written from the start (a
// reply that was under way before the clock started); the rest are spread over the time.
class ReplyClock
{
public:
    ReplyClock(int units, qint64 durationMs, int alreadyWritten = 0);

    int units() const { return m_units; }
    qint64 durationMs() const { return m_durationMs; }
    // Units written by now (0..units); what stop() froze once stopped.
    int written() const;
    // Every unit is written (and the reply not stopped before that).
    bool finished() const { return written() >= m_units; }
    bool stopped() const { return m_frozen >= 0; }
    // Freezes the reply at what is written now; a finished reply stays finished.
    void stop();
    // Ends it at once with every unit written (a reply a fault keeps from being streamed).
    void finish() { m_frozen = m_units; }
    // Milliseconds from now until `n` units are written: 0 when they are; -1 when they never
    // will be (stopped before that).
    qint64 msUntilWritten(int n) const;
    qint64 elapsedMs() const { return m_timer.elapsed(); }
    // Wall-clock time of the start and of the end (when every unit is written), UTC.
    QDateTime startedAt() const { return m_startedAt; }
    QDateTime endsAt() const { return m_startedAt.addMSecs(m_durationMs); }

private:
    int writtenAt(qint64 elapsedMs) const;

    int m_units;
    qint64 m_durationMs;
    int m_already;
    QElapsedTimer m_timer;
    QDateTime m_startedAt;
    int m_frozen = -1;
};

// Ties a streamed reply (a SandboxReply) to the run it writes: it goes on while the run's
// clock is not stopped; its end finishes the run once it is written or stopped; a fault that
// ends it at once counts the rest as written and finishes the run.
template<typename Reply, typename Run, typename Finish>
void endWithClock(Reply &reply, const std::shared_ptr<Run> &run, Finish finishRun)
{
    reply.keepGoing = [run]() { return !run->clock->stopped(); };
    reply.onFinished = [run, finishRun]() {
        if (run->clock->finished() || run->clock->stopped())
            finishRun(run);
    };
    reply.endNow = [run, finishRun]() {
        if (!run->clock->stopped())
            run->clock->finish();
        finishRun(run);
    };
}

} // namespace parley::sandbox
