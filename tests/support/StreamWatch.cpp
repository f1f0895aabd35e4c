#include "support/StreamWatch.h"

#include <QTest>

#include <algorithm>

namespace parley::test {

StreamWatch::StreamWatch(ReplyStream *stream)
    : m_stream(stream)
{
    connect(stream, &ReplyStream::conversationChanged, this, [this](const Conversation &c) {
        if (!c.id.isEmpty())
            m_conversationId = c.id;
    });
    connect(stream, &ReplyStream::turnChanged, this,
            [this](const Turn &turn, const QString &) { m_turns << turn; });
    connect(stream, &ReplyStream::finished, this, [this](const ApiError &error) {
        m_finished = true;
        m_error = error;
    });
}

bool StreamWatch::waitFinished(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_finished; }, timeoutMs);
}

bool StreamWatch::waitReplyStarted(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_finished || hasAssistantTurn(); }, timeoutMs);
}

bool StreamWatch::hasAssistantTurn() const
{
    return std::any_of(m_turns.cbegin(), m_turns.cend(),
                       [](const Turn &t) { return t.role == Turn::Role::Assistant; });
}

} // namespace parley::test
