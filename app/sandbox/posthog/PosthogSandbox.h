#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
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
//         final ai message), status, with a keep-alive comment; 409 while one is running
//   POST  …/conversations/{id}/append_message/ {content ≤ 10000} → 201 {id}
//   PATCH …/conversations/{id}/cancel/ → 204: stops the reply, clears the queue
//   GET|POST …/{id}/queue/, PATCH|DELETE …/{id}/queue/{qid}/, POST …/{id}/queue/clear/:
//         the follow-ups of a running conversation, at most two (409 queue_full), taken
//         in order when the reply ends
// Conversations started or changed here are kept (at most kMaxStored); started ones are
// listed first. Any project id is accepted; `Authorization: Bearer <key>` is required; errors use
// PostHog's DRF body {"type", "code", "detail", "attr"}.
class PosthogSandbox final : public GeneratedSandboxPlatform<PosthogSandboxData>
{
public:
    static constexpr int kDefaultLimit = 100; // DRF PAGE_SIZE
    static constexpr int kMaxLimit = 100;
    static constexpr int kMaxQueue = 2;
    static constexpr int kMaxStored = 500;

    explicit PosthogSandbox(const SandboxOptions &options);

    void install(SandboxServer &server) override;
    // Project 1: a project id as PostHog gives them (numeric).
    QMap<QString, QString>
    demoParams(const std::function<QUrl(const QString &)> &urlOf) const override;

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;
    // rejectAuth, then the 404 of a conversation (args[1]) that does not exist; else nullopt,
    // with the conversation as it stands in `conversation` when given.
    std::optional<SandboxReply> rejectCall(const SandboxRequest &request,
                                           QJsonObject *conversation = nullptr) const;

    struct Run
    {
        QString conversationId;
        QJsonObject human;
        QString replyId;
        QStringList words;
        bool stopRequested = false;
    };
    SandboxReply stream(const SandboxRequest &request);
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

    QHash<QString, QJsonObject> m_stored;
    QStringList m_storedOrder; // oldest first, for the bound
    QStringList m_started;     // started here, newest first
    QHash<QString, std::shared_ptr<Run>> m_running;
    QHash<QString, QJsonArray> m_queues;
    quint64 m_counter = 0;
};

} // namespace parley::sandbox
