#pragma once

#include "sandbox/GeneratedConversations.h"
#include "sandbox/IdScramble.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace parley::sandbox {

// The conversations of the orq.ai emulation, generated on demand: conversation `index`
// (0 = oldest) comes from (seed, "orq", index) alone, so 100,000 conversations cost no
// memory. Ids are `conv_` + ULID: the time part is the conversation's createdAt (so ids
// sort like the list), and the random part carries a seed-keyed bijection of the index, so
// an id finds its conversation in O(1). The parent entity (an agent, or none for a
// standalone conversation) comes from a cheap hash, so filtered scans stay cheap.
class OrqSandboxData : public GeneratedConversations
{
public:
    OrqSandboxData(quint32 seed, int count);

    QString idAt(int index) const;
    // -1 when `id` names no conversation of this data set.
    int indexOf(const QString &id) const;
    // True when `id` has the shape of a conversation id (conv_ + 26 base32 characters).
    static bool looksLikeId(const QString &id);

    qint64 createdAtMs(int index) const;
    // The agent the conversation belongs to; empty for a standalone conversation.
    QString entityAt(int index) const;
    // The agents conversations can belong to (agent_ + ULID).
    const QStringList &agents() const { return m_agents; }

    // A list item (ConversationResponse).
    QJsonObject summary(int index) const;
    // The retrieve body: the conversation and its messages (ConversationWithMessagesResponse).
    QJsonObject detail(int index) const;

private:
    quint64 hash(int index) const;
    QString userId(int which) const;

    scramble::IndexCode32 m_ids;
    qint64 m_stepMs;
    QStringList m_agents;
};

} // namespace parley::sandbox
