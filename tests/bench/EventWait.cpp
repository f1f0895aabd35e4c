#include "EventWait.h"

#include <QTimer>

namespace parley::bench {

bool execFor(QEventLoop &loop, int timeoutMs)
{
    bool timedOut = false;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&timedOut, &loop] {
        timedOut = true;
        loop.quit();
    });
    timer.start(timeoutMs);
    loop.exec();
    return !timedOut;
}

} // namespace parley::bench
