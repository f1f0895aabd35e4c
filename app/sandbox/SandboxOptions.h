#pragma once

#include <QByteArray>
#include <QMap>
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
    QString faults = {};                // a FaultSpec for every matching request; empty = none
    // How long a streamed reply takes to write, in seconds; 0 = one unit (word or frame)
    // every streamIntervalMs. Retrieves show a reply being written as it grows.
    int replySeconds = 0;
    // Conversations per platform kept running as on a busy platform: each reply 5-30 s
    // (replySeconds when set), then the next scripted message after a pause. 0 = none.
    int live = 0;
    // By emulation prefix, the one API form it serves (a version, path or revision, as its
    // platform's workspace setting names it); the others answer as a platform without them
    // does. None: every form, as the emulation documents.
    QMap<QString, QString> onlyForms = {};

    // How long a reply of `units` takes to write.
    qint64 replyMs(int units) const
    {
        return replySeconds > 0 ? qint64(replySeconds) * 1000 : qint64(units) * streamIntervalMs;
    }
};

} // namespace parley::sandbox
