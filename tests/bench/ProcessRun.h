#pragma once

#include <QProcess>
#include <QString>

namespace parley::bench {

// A started-and-waited child process, timed from start() to its exit.
struct ProcessTiming
{
    QString error; // empty when it ran to an exit of 0
    double ms = 0;
};

// Starts `process` (program, arguments and channels already set) and spins an event loop until
// it exits or `timeoutMs` passes (then kills it). `what` names it in errors; a non-zero exit
// reports the last line of its stderr, which stays unread otherwise.
ProcessTiming runTimed(QProcess &process, const QString &what, int timeoutMs);

} // namespace parley::bench
