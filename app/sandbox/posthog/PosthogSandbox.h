#pragma once

#include "sandbox/ReplyClock.h"
#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/StoredConversations.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <QHash>
#include <QJsonArray>

#include <memory>
#include <optional>

namespace parley::sandbox {

// PostHog AI's conversations API under /posthog (see app/providers/posthog/README.md):
//   GET /posthog/api/{projects|environments}/{project_id}/conversations/?limit=&offset=
//   GET /posthog/api/{projects|environments}/{project_id}/conversations/{id}/
//   POST  …/conversations/ {conversation, content, trace_id}: create or continue; SSE
//         events conversation (new only), message (human echo, id-less ai snapshots, the
//         final ai message), status, with a keep-alive comment; 409 while one is running.
//         A reply takes SandboxOptions::replyMs to write; while it is written, retrieve
//         shows the conversation in_progress with the partial ai message (no id) and the
//         list row in_progress. `content: null` re-attaches to a running conversation: the
//         human message and the ai text so far, then the rest as it is written (keep-alives
//         only, until canceled, for a conversation that is busy without a reply here); on an
//         idle one 400 "Cannot continue streaming from an idle conversation", unless it
//         carries a resume_payload {action: approve|reject, proposal_id[, feedback]} that
//         answers one of its pending approvals: its decision_status becomes approved or
//         rejected and the agent's next reply streams (one that matches none is answered
//         with an ai/failure message, as PostHog's runner does). `agent_mode` (one of the
//         known modes), `contextual_tools` (an object), `ui_context`, `billing_context` and
//         `resume_payload` are checked as PostHog's serializer does; the mode is kept on the
//         conversation, ui_context on the human message.
//         SandboxOptions::live keeps the newest conversations running (LiveExchange).
//   POST  …/conversations/{id}/append_message/ {content ≤ 10000} → 201 {id}
//   PATCH …/conversations/{id}/cancel/ → 204: stops the reply at what is written (kept as
//         the ai message), clears the queue
//   GET|POST …/{id}/queue/, PATCH|DELETE …/{id}/queue/{qid}/, POST …/{id}/queue/clear/:
//         the follow-ups of a running conversation, at most two (409 queue_full), taken
//         in order when the reply ends
// Conversations started or changed here are kept (at most kMaxStored); started ones are
// listed first. The newest conversation not kept live (SandboxOptions::live) is the showcase
// (PosthogShowcase: idle, every kind of content) and waits for one approval
// (pendingApprovalId()). SandboxOptions::onlyForms ("projects" or
// "environments") serves one API path; the other answers 404. The project's other members
// have a few conversations of their own (PosthogSandboxData::otherMembers): retrieve answers
// them by id, the list never shows them. Any project id is accepted; `Authorization: Bearer
// <key>` is required, and a key given scopes (SandboxOptions::keyScopes) needs
// conversation:read to read and conversation:write for the rest, else 403 "API key missing
// required scope '…'"; errors use PostHog's DRF body {"type", "code", "detail", "attr"}.
class PosthogSandbox final : public GeneratedSandboxPlatform<PosthogSandboxData>
{
public:
    static constexpr int kDefaultLimit = 100; // DRF PAGE_SIZE
    static constexpr int kMaxLimit = 100;
    static constexpr int kMaxQueue = 2;
    static constexpr int kMaxStored = 500;

    explicit PosthogSandbox(const SandboxOptions &options);

    // The conversation seeded with a pending approval (empty when there are none), and
    // that approval's proposal id.
    QString approvalConversationId() const;
    QString pendingApprovalId() const;

    void install(SandboxServer &server) override;
    // Project 1: a project id as PostHog gives them (numeric).
    QMap<QString, QString>
    demoParams(const std::function<QUrl(const QString &)> &urlOf) const override;

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    // 401 without the key, 403 when the key lacks `scope`; else nullopt.
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request,
                                           const QString &scope) const;
    // rejectAuth (conversation:write), then the 404 of a conversation (args[1]) that does not
    // exist; else nullopt, with the conversation as it stands in `conversation` when given.
    std::optional<SandboxReply> rejectCall(const SandboxRequest &request,
                                           QJsonObject *conversation = nullptr,
                                           const QString &scope = QString()) const;
    // resume_payload on an idle `conversation`: the decision on one of its approvals.
    SandboxReply resume(const QString &id, QJsonObject conversation, const QJsonValue &payload);

    // A reply being written: its words come out with its clock.
    struct Run
    {
        QString conversationId;
        QJsonObject human; // empty: the reply answers the last message already there
        QString replyId;
        QStringList words;
        std::unique_ptr<ReplyClock> clock;
        int liveSlot = -1; // the live conversation it belongs to, if any
        int exchange = 0;  // of that live conversation
    };
    SandboxReply stream(const SandboxRequest &request);
    // content: null on `conversation`: the rest of its running reply, or 400 when idle.
    SandboxReply reattach(const QString &id, const QJsonObject &conversation,
                          const QJsonObject &body);
    // Starts a reply of `answer` taking `durationMs` to `human` (may be empty) on the
    // conversation `conversation` (stored in_progress, with the human message).
    std::shared_ptr<Run> startRun(const QString &id, QJsonObject conversation,
                                  const QJsonObject &human, const QString &answer,
                                  qint64 durationMs);
    // The stream of `run` from its start (`withHuman`) or from what is written now.
    SandboxReply runStream(const std::shared_ptr<Run> &run, QList<QByteArray> head, bool fromStart);
    // The ai message of `run` with `words` words: a snapshot without id, or the final one.
    static QJsonObject aiMessage(const Run &run, qsizetype words, bool final);
    // Live conversation `slot`'s exchange `exchange` starts (or waits while it is busy).
    void startLive(int slot, int exchange);
    SandboxReply append(const SandboxRequest &request);
    SandboxReply cancel(const SandboxRequest &request);
    SandboxReply queue(const SandboxRequest &request);
    SandboxReply queueItem(const SandboxRequest &request);
    SandboxReply queueClear(const SandboxRequest &request);
    SandboxReply queueReply(const QString &id) const;
    // The conversation as it stands (generated, or changed here); empty when unknown.
    QJsonObject current(const QString &id) const;
    void store(const QString &id, const QJsonObject &conversation);
    void addMessages(const QString &id, const QJsonArray &messages, const QString &status);
    void finishRun(const std::shared_ptr<Run> &run);
    QString nextId(const QString &salt);

    StoredConversations m_stored{kMaxStored}; // conversations changed or started here
    PosthogSandboxData m_others; // other members' conversations: retrieved, never listed
    QStringList m_started;       // started here, newest first
    QHash<QString, std::shared_ptr<Run>> m_running;
    QHash<QString, QJsonArray> m_queues;
    quint64 m_counter = 0;
    int m_approvalIndex = -1; // the generated conversation seeded with a pending approval
};

} // namespace parley::sandbox
