#include "sandbox/LiveScript.h"

#include "sandbox/SandboxText.h"

namespace parley::sandbox {

LiveExchange LiveExchange::at(const SandboxOptions &options, const QString &salt, int slot,
                              int exchange)
{
    QRandomGenerator rng = SandboxText::rng(
        options.seed, salt + QStringLiteral("/live/") + QString::number(slot), exchange);
    LiveExchange e;
    e.question = SandboxText::question(rng);
    e.answer = SandboxText::answer(rng);
    if (options.replySeconds > 0) {
        const qint64 reply = qint64(options.replySeconds) * 1000;
        e.replyMs = reply;
        e.pauseMs = reply / 2 + qint64(rng.bounded(int(reply / 2) + 1));
    } else {
        e.replyMs = 5000 + qint64(rng.bounded(25001));
        e.pauseMs = 2000 + qint64(rng.bounded(6001));
    }
    return e;
}

} // namespace parley::sandbox
