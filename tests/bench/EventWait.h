#pragma once

#include <QEventLoop>

namespace parley::bench {

// Runs `loop` until something quits it or `timeoutMs` passes. False on timeout.
// The bench is a sequential driver: each phase starts its work, then waits here.
bool execFor(QEventLoop &loop, int timeoutMs);

} // namespace parley::bench
