#pragma once

#include "sandbox/GeneratedConversations.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace parley::sandbox {

// The conversations of the PostHog emulation, generated on demand: conversation `index`
// (0 = oldest) comes from (seed, "posthog", index) alone, so a 100,000-conversation
// project costs no memory. Ids are random-looking UUIDs whose last group encodes the
// index (a seed-keyed bijection of 48 bits), so an id finds its conversation in O(1).
// One of them (the newest unless setShowcase() says otherwise) is PosthogShowcase's, with
// every structured message type, idle and of type "assistant".
class PosthogSandboxData : public GeneratedConversations
{
public:
    PosthogSandboxData(quint32 seed, int count);

    // Makes conversation `index` the showcase (the emulation keeps its live ones apart).
    void setShowcase(int index) { m_showcase = index; }
    int showcaseIndex() const { return m_showcase; }

    QString idAt(int index) const;
    // -1 when `id` names no conversation of this data set.
    int indexOf(const QString &id) const;

    // A list item (ConversationMinimalSerializer shape).
    QJsonObject summary(int index) const;
    // The retrieve body: the list fields plus messages and the detail-only fields.
    QJsonObject detail(int index) const;
    // A pending approval for conversation `index` (ApprovalPayload shape, decision_status
    // "pending"): a feature flag the agent wants to create, from (seed, index) alone.
    QJsonObject pendingApproval(int index) const;
    // The key owner: every listed conversation is theirs.
    QJsonObject owner() const { return m_owner; }

    // How many conversations the project's other members have, and their data set (made from
    // another seed, so another owner and other ids): PostHog retrieves them by id but lists
    // only the key owner's.
    static constexpr int kOtherMembersConversations = 5;
    static PosthogSandboxData otherMembers(quint32 seed);

private:
    // The newest conversation, at the top of the list: PosthogShowcase's analysis.
    bool isShowcase(int index) const;
    QJsonArray messages(int index, const QJsonObject &summary) const;
    quint64 scramble(quint64 index) const;
    quint64 unscramble(quint64 code) const;

    quint64 m_mask;
    QJsonObject m_owner;
    int m_showcase;
};

} // namespace parley::sandbox
