#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/dynamiq/DynamiqAppSandbox.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"
#include "sandbox/dynamiq/DynamiqSandboxState.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

namespace parley::sandbox {

// Dynamiq's management API under /dynamiq (see app/providers/dynamiq/README.md):
//   GET  /dynamiq/v1/conversations?app_id=&model_id=&org_id=&page=&page_size=&sort=
//   GET  /dynamiq/v1/conversations/{conversation_id}
//   POST /dynamiq/v1/conversations                      {title?, app_id | model_id, org_id?}
//   POST /dynamiq/v3/conversations/{id}/messages        {"content": [...]} → SSE run events
//   GET  /dynamiq/v1/connect/requirements               (Bearer connect token)
//   POST /dynamiq/v1/connect/requirements/{id}/pipedream/authorize   (Bearer connect token)
//   POST /dynamiq/v1/connect/requirements/{id}/credentials           (Bearer connect token)
// `Authorization: Bearer <key>` is required (the connect routes take a connect token from
// the app host instead, and only that); errors are {"error": {"code", "message",
// "details"?}}. Parameters are checked the way the seed's spec types them: page and
// page_size integers of at least 1 (no maximum is documented, none is imposed), filters
// UUIDs, sort a comma-separated list of known fields with an optional '-'. A page past
// the last one answers an empty `data`. Conversations created through the API join the
// list (filtered and sorted with the others) and can be opened and sent to; a reply is
// streamed at the sandbox's stream interval (DynamiqRunScript) and can be canceled on the
// app host.
class DynamiqSandbox final : public GeneratedSandboxPlatform<DynamiqSandboxData>
{
public:
    static constexpr int kDefaultPageSize = 20; // not documented; a plausible default

    // `state` is shared with the app host's emulation (DynamiqAppSandbox); null = its own.
    explicit DynamiqSandbox(const SandboxOptions &options,
                            std::shared_ptr<DynamiqSandboxState> state = {});

    void install(SandboxServer &server) override;
    // The deployed app's host is DynamiqAppSandbox's prefix on the same sandbox.
    QMap<QString, QString>
    demoParams(const std::function<QUrl(const QString &)> &urlOf) const override;

    // The sort fields the emulation knows.
    static QStringList sortFields();

private:
    struct SortKey
    {
        QString field;
        bool descending = false;
    };
    // What sorting compares.
    struct Keys
    {
        qint64 created = 0;
        qint64 updated = 0;
        QString title;
    };
    // Conversation indices of one filtered and sorted list, in list order; null means
    // "all conversations, newest created first" (position p is index count-1-p).
    using Order = std::shared_ptr<const QVector<int>>;

    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    SandboxReply create(const SandboxRequest &request);
    SandboxReply send(const SandboxRequest &request);
    SandboxReply connectRequirements(const SandboxRequest &request) const;
    SandboxReply authorize(const SandboxRequest &request);
    SandboxReply credentials(const SandboxRequest &request);
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;
    // The connect token's grant, or the 401 Dynamiq answers.
    std::optional<DynamiqSandboxState::Grant> connectGrant(const SandboxRequest &request) const;
    Order order(const QString &app, const QString &model, const QString &org,
                const QList<SortKey> &sort) const;
    // Whether `a` comes before `b` in a list sorted by `sort` (ties: newest created first).
    static bool before(const Keys &a, const Keys &b, const QList<SortKey> &sort);

    // A run started on a conversation: its id, its events and its clock.
    struct Started
    {
        QString runId;
        std::shared_ptr<const DynamiqRunScript> script;
        std::shared_ptr<ReplyClock> clock;
    };
    // A run answering `message` on `conversationId`, taking `durationMs` (-1: the sandbox's
    // pace); the conversation's updated_at follows.
    Started startRun(const QString &conversationId, const QString &message, qint64 durationMs);
    // Live conversation `slot`'s exchange `exchange` starts a run; the next one follows.
    void startLive(int slot, int exchange);
    // The conversation object with its updated_at as runs moved it.
    QJsonObject withUpdates(QJsonObject conversation) const;

    std::shared_ptr<DynamiqSandboxState> m_state;
    QHash<QString, qint64> m_updated; // conversation id -> updated_at (secs) set by a run
    // The last few orders built for filtered or re-sorted lists, so that paging through
    // one does not rebuild it for every page.
    struct CachedOrder
    {
        QString key;
        Order order;
    };
    mutable QList<CachedOrder> m_orders;
};

} // namespace parley::sandbox
