#pragma once

#include "providers/Provider.h"

#include <QByteArray>
#include <QUrl>

#include <memory>

namespace parley {

// Dynamiq's management API, conversations (read side):
//   GET {base}/v1/conversations?app_id=&model_id=&org_id=&page=&page_size=&sort=   the list
//   GET {base}/v1/conversations/{id}                                             one conversation
// with `Authorization: Bearer <Access Key or personal access token>`. Dynamiq documents no
// endpoint for a conversation's messages, so details come without a transcript. See
// README.md beside this file.
class DynamiqProvider final : public Provider
{
    Q_OBJECT
public:
    // `key` goes into this provider's Endpoint only.
    DynamiqProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                    QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;

    RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                    QObject *context, Done<ConversationPage> done) override;
    RequestHandle fetchConversation(const QString &id, QObject *context,
                                    Done<ConversationDetail> done) override;

    // The deployed app's own host (workspace field `app_host`) as a base URL: a bare host
    // name gets https://. Empty when the workspace names none. For the app-host flows
    // (runs, requirement status, connect tokens); the list and details never use it.
    static QUrl appBaseUrl(const Workspace &workspace);

private:
    // What a 401 should add to Dynamiq's "Unauthorized", decided when a request starts so
    // that its callback holds no pointer to this provider.
    struct AuthHint
    {
        QString configured; // the workspace's credential_type
        QString looksLike;  // what the key's prefix says it is; empty when unknown
        bool keyGiven = false;
        ApiError apply(ApiError error) const;
    };
    AuthHint authHint() const;

    Endpoint m_endpoint;
};

PlatformInfo dynamiqPlatformInfo();
std::unique_ptr<Provider> makeDynamiqProvider(const Workspace &workspace, const QByteArray &key,
                                              HttpClient *http);

} // namespace parley
