#include "ProcessRun.h"

#include "EventWait.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace parley::bench {

ProcessTiming runTimed(QProcess &process, const QString &what, int timeoutMs)
{
    ProcessTiming out;
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    process.start();
    const bool inTime = execFor(loop, timeoutMs);
    out.ms = double(timer.nsecsElapsed()) / 1e6;
    if (process.error() == QProcess::FailedToStart) {
        out.error = u"could not start %1"_s.arg(process.program());
    } else if (!inTime) {
        process.kill();
        process.waitForFinished(5000);
        out.error = u"%1 timed out"_s.arg(what);
    } else if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QList<QByteArray> lines = process.readAllStandardError().trimmed().split('\n');
        out.error = u"%1 failed (%2): %3"_s.arg(what)
                        .arg(process.exitCode())
                        .arg(QString::fromLocal8Bit(lines.constLast()).left(300));
    }
    return out;
}

} // namespace parley::bench
