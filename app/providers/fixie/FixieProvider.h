#pragma once

#include "providers/Provider.h"

#include <QByteArray>

#include <memory>

namespace parley {

// Fixie's agent conversations, for one agent:
//   GET {base}/api/v1/agents/{agent_id}/conversations?offset=&limit=   the list (with turns)
//   GET {base}/api/v1/agents/{agent_id}/conversations/{id}             one conversation
// with `Authorization: Bearer <API key>`. See README.md beside this file.
class FixieProvider final : public Provider
{
    Q_OBJECT
public:
    static constexpr int kMaxPageSize = 100; // documented maximum of `limit`

    // `key` goes into this provider's Endpoint only.
    FixieProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                  QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;

    // Start: POST …/conversations {message?, generateInitialMessage: true}; send: POST
    // …/conversations/{id}/messages {message}. Both answer NDJSON snapshots (the whole
    // conversation, or the assistant's turn) that the stream turns into turn updates; the
    // in-progress assistant turn's id is the run id that cancelRun() stops with
    // POST …/conversations/{id}/messages/{turn id}/stop.
    ReplyStream *startConversation(const NewConversation &request, QObject *context) override;
    ReplyStream *sendMessage(const QString &conversationId, const QString &text, QObject *context,
                             const QMap<QString, QString> &params = {}) override;
    RequestHandle cancelRun(const QString &conversationId, const QString &runId, QObject *context,
                            std::function<void(ApiError)> done) override;

    // "/api/v1/agents/{agent_id}/conversations", or empty when the workspace's agent id is
    // missing or not a plain path segment.
    QString collectionPath() const;

protected:
    // The list and one conversation, sent and read by Provider.
    Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                            const PageCursor &cursor) const override;
    Result<Call<ConversationDetail>> conversationCall(const QString &id) const override;

private:
    // Feeds an NDJSON reply into `stream`: `apply` maps one line and reports it.
    void streamSnapshots(ReplyStream *stream, const HttpRequest &request,
                         std::function<ApiError(const QJsonValue &line)> apply);
};

PlatformInfo fixiePlatformInfo();
inline constexpr auto makeFixieProvider = &makeProvider<FixieProvider>;

} // namespace parley
