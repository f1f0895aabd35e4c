#pragma once

#include "providers/Provider.h"

#include <QByteArray>
#include <QUrl>

#include <memory>

namespace parley {

// Dynamiq's management API and a deployed app's own host:
//   GET  {base}/v1/conversations?app_id=&model_id=&org_id=&page=&page_size=&sort=  the list
//   GET  {base}/v1/conversations/{id}                                  one conversation
//   POST {base}/v1/conversations                                       create
//   POST {base}/v3/conversations/{id}/messages                         send (SSE reply)
//   POST {app}/v1/runs/{run_id}/cancel                                 cancel a reply
//   GET  {app}/v1/requirements/status?user_id=                         end-user requirements
//   POST {app}/v1/connect/tokens                                       connect token
//   POST {base}/v1/connect/requirements/{id}/pipedream/authorize       link page (connect token)
// with `Authorization: Bearer <Access Key or personal access token>` (the connect calls:
// `Bearer <connect token>`). Dynamiq documents no endpoint for a conversation's messages,
// so details come without a transcript. See README.md beside this file.
class DynamiqProvider final : public Provider
{
    Q_OBJECT
public:
    // `key` goes into this provider's Endpoint only.
    DynamiqProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                    QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;

    ReplyStream *startConversation(const NewConversation &request, QObject *context) override;
    ReplyStream *attachReply(const QString &conversationId, const QString &resumePoint,
                             QObject *context) override;
    ReplyStream *sendMessage(const QString &conversationId, const QString &text, QObject *context,
                             const QMap<QString, QString> &params = {}) override;
    // On the app host: needs the workspace's `app_host`.
    RequestHandle cancelRun(const QString &conversationId, const QString &runId, QObject *context,
                            std::function<void(ApiError)> done) override;
    RequestHandle fetchRequirements(const QString &userId, QObject *context,
                                    Done<RequirementStatus> done) override;
    RequestHandle createConnectToken(const QString &userId, QObject *context,
                                     Done<ConnectToken> done) override;
    // On the management host, authenticated with the connect token (never the workspace key).
    RequestHandle authorizeRequirement(const QString &requirementId, const ConnectToken &token,
                                       QObject *context, Done<QUrl> done) override;

    // The deployed app's own host (workspace field `app_host`) as a base URL: a bare host
    // name gets https://. Empty when the workspace names none. For the app-host flows
    // (runs, requirement status, connect tokens); the list and details never use it.
    static QUrl appBaseUrl(const Workspace &workspace);

protected:
    // The list (its rows' apps and models become suggestions) and one conversation, sent
    // and read by Provider.
    Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                            const PageCursor &cursor) const override;
    Result<Call<ConversationDetail>> conversationCall(const QString &id) const override;

private:
    // What a 401 should add to Dynamiq's "Unauthorized", decided when a request starts so
    // that its callback holds no pointer to this provider.
    struct AuthHint
    {
        QString configured; // the workspace's credential_type
        QString looksLike;  // what the key's prefix says it is; empty when unknown
        bool keyGiven = false;
        bool appHost = false; // the deployed app's host, which takes an Access Key
        ApiError apply(ApiError error) const;
        ErrorRefiner refiner() const;
    };
    AuthHint authHint() const;
    // The deployed app's host with the workspace key, or a Config error saying to set it.
    Result<Route> appRoute(const QString &what) const;
    // Sends `text` to a conversation and feeds the SSE reply into `stream`.
    static void streamReply(HttpClient *http, const Route &to, ReplyStream *stream,
                            const QString &conversationId, const QString &text);
};

PlatformInfo dynamiqPlatformInfo();
inline constexpr auto makeDynamiqProvider = &makeProvider<DynamiqProvider>;

} // namespace parley
