#pragma once

#include "sandbox/SandboxOptions.h"

#include <QString>
#include <QtGlobal>

namespace parley::sandbox {

// The script of the conversations a sandbox keeps running (SandboxOptions::live): exchange
// `exchange` of live conversation `slot` of an emulation (`salt`, e.g. "posthog"): the user's
// message, the reply, how long the reply takes to write (5-30 s, or the sandbox's
// replySeconds when set) and the pause before the next message (2-8 s, or between half and
// all of replySeconds). The same seed gives the same script.
struct LiveExchange
{
    QString question;
    QString answer;
    qint64 replyMs = 0;
    qint64 pauseMs = 0;

    static LiveExchange at(const SandboxOptions &options, const QString &salt, int slot,
                           int exchange);
};

} // namespace parley::sandbox
