#include "support/ScriptedReply.h"

namespace parley::test {

ScriptedReply::ScriptedReply(std::function<void()> onAbort, QObject *parent)
    : QNetworkReply(parent)
    , m_onAbort(std::move(onAbort))
{
    setOpenMode(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

void ScriptedReply::abort()
{
    if (isFinished())
        return;
    setError(OperationCanceledError, QStringLiteral("canceled"));
    setFinished(true);
    if (auto onAbort = std::exchange(m_onAbort, nullptr))
        onAbort();
}

void ScriptedReply::markFinished()
{
    m_onAbort = nullptr;
    setFinished(true);
}

qint64 ScriptedReply::readData(char *, qint64)
{
    return -1;
}

} // namespace parley::test
