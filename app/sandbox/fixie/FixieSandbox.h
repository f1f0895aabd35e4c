#pragma once

#include "sandbox/ReplyClock.h"
#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/StoredConversations.h"
#include "sandbox/fixie/FixieSandboxData.h"

#include <QHash>
#include <QJsonArray>

#include <memory>
#include <optional>

namespace parley::sandbox {

// Fixie's agent conversations under /fixie (see app/providers/fixie/README.md):
//   GET /fixie/api/v1/agents/{agentId}/conversations?offset=&limit=
//   GET /fixie/api/v1/agents/{agentId}/conversations/{conversationId}
//   POST /fixie/api/v1/agents/{agentId}/conversations {message?, generateInitialMessage?}
//        start: NDJSON snapshots of the whole conversation as the reply grows
//   POST …/conversations/{conversationId}/messages {message}
//        send: NDJSON snapshots of the assistant turn; 409 while a reply is in progress
//   POST …/conversations/{conversationId}/messages/{turnId}/stop
//        stop the reply in progress at what is written: its last snapshot has state
//        "stopped"
// A reply takes SandboxOptions::replyMs to write; while it is written, the conversation as
// retrieved or listed holds its turn in-progress with the text so far. SandboxOptions::live
// keeps the newest conversations running (LiveExchange).
// Started conversations come first in the list; turns added by send are stored with their
// conversation (at most kMaxStored conversations carry added turns, the oldest dropped).
// Any agent id is accepted (every agent sees the same conversations);
// `Authorization: Bearer <key>` is required. Errors are plain text, as Fixie gives no
// error schema. `limit` is 1..100 (documented maximum); more is a 400.
class FixieSandbox final : public GeneratedSandboxPlatform<FixieSandboxData>
{
public:
    static constexpr int kDefaultLimit = 20; // "a sensible default": not documented
    static constexpr int kMaxLimit = 100;
    static constexpr int kMaxStored = 500;

    explicit FixieSandbox(const SandboxOptions &options);

    void install(SandboxServer &server) override;

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;

    // A reply being written: its words come out with its clock.
    struct Run
    {
        QString conversationId;
        QString turnId;
        QJsonObject turn; // the assistant turn, complete
        QStringList words;
        std::unique_ptr<ReplyClock> clock;
        int liveSlot = -1; // the live conversation it belongs to, if any
        int exchange = 0;  // of that live conversation
    };
    SandboxReply start(const SandboxRequest &request);
    SandboxReply send(const SandboxRequest &request);
    SandboxReply stop(const SandboxRequest &request);
    // The conversation as stored now (generated turns + added ones), or empty.
    QJsonObject current(const QString &id) const;
    void store(const QString &id, const QJsonObject &conversation);
    // Streams `run`'s assistant turn word by word; `whole` wraps each turn snapshot (the
    // whole conversation for start, the turn alone for send).
    SandboxReply streamRun(std::shared_ptr<Run> run,
                           std::function<QJsonObject(const QJsonObject &turn)> whole);
    static QJsonObject snapshot(const Run &run, qsizetype words, const QString &state);
    // `run` is running from now for `durationMs` (`already` of its words written before).
    void startRun(const std::shared_ptr<Run> &run, qint64 durationMs, int already = 0);
    // The end of `run` (all written, or stopped): its turn done or stopped, in the store.
    void finishRun(const std::shared_ptr<Run> &run);
    // Live conversation `slot`'s exchange `exchange` starts (or waits while it is busy).
    void startLive(int slot, int exchange);

    StoredConversations m_stored{kMaxStored};       // conversations changed or started here
    QStringList m_started;                          // ids started here, newest first
    QHash<QString, std::shared_ptr<Run>> m_running; // conversation id -> its reply
    quint64 m_counter = 0;
};

} // namespace parley::sandbox
