#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace parley::sandbox {

struct SandboxOptions
{
    quint16 port = 0;                   // 0 = any free port
    quint32 seed = 42;                  // same seed, same data
    int conversations = 120;            // per platform, up to 100,000
    QByteArray key = "parley-demo-key"; // the one key every platform accepts
    int streamIntervalMs = 40;          // pace of streamed frames
    QString faults;                     // a FaultSpec for every matching request; empty = none
};

} // namespace parley::sandbox
