#pragma once

#include "providers/Provider.h"
#include "providers/polyai/PolyaiMapping.h"

#include <QByteArray>
#include <QCache>
#include <QJsonValue>

#include <memory>
#include <optional>

namespace parley {

// PolyAI's Conversations API, for one account and project, in the version the workspace
// chose (`api_version`, v3 by default):
//   GET {base}/v1/{account_id}/{project_id}/conversations?limit=&offset=&...   v1 list
//   GET {base}/v3/{account_id}/{project_id}/conversations?limit=&cursor=&...   v3 list
//   GET {base}/v3/{account_id}/{project_id}/conversations/{id}                 v3 one
// with `x-api-key: <key>`. The base URL is https://api.{region}.platform.polyai.app unless
// the workspace names another host (e.g. the sandbox). See README.md beside this file.
class PolyaiProvider final : public Provider
{
    Q_OBJECT
public:
    // Conversations kept from the loaded list pages to answer fetchConversation()
    // (v1 has no single-conversation endpoint).
    static constexpr int kCacheSize = 500;
    // A held conversation with at least this many turn pairs is read on a worker thread.
    static constexpr qsizetype kReadOffThreadPairs = 200;

    // `key` goes into this provider's Endpoint only.
    PolyaiProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                   QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;
    FollowPlan followPlan(const ConversationDetail &detail) const override;
    // The client environments, live first (the list's default), then sandbox, pre-release.
    ListScopes lookupScopes() const override;
    // With `api_version` on automatic: v3's list, then v1's where v3 answers 401, 403 or 404.
    RequestHandle probeConnection(QObject *context,
                                  std::function<void(ConnectionTest)> done) override;

    RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                    QObject *context, Done<ConversationPage> done) override;
    RequestHandle fetchConversation(const QString &id, QObject *context,
                                    Done<ConversationDetail> done) override;

    polyai::ApiVersion apiVersion() const { return m_version; }
    // "/v3/{account_id}/{project_id}/conversations", or empty when an id is missing or not
    // a plain path segment.
    QString collectionPath() const;
    // The API root this workspace talks to: its own base URL, or the region's host when it
    // has none or names one of PolyAI's regional hosts.
    static QUrl apiRoot(const Workspace &workspace);
    // Conversations currently held for fetchConversation().
    int cachedCount() const { return int(m_cache.size()); }

private:
    // A row of a loaded page as it came, read in full when it is opened; or a conversation
    // v3 sent on its own, as read.
    struct Held
    {
        QJsonValue row;
        bool running = false;
        std::optional<ConversationDetail> read = {};
    };
    static ApiAccess access(const Workspace &workspace);
    void remember(const polyai::ListPage &page);
    void remember(const ConversationDetail &detail);
    polyai::ApiVersion m_version;
    QCache<QString, Held> m_cache;
};

PlatformInfo polyaiPlatformInfo();
inline constexpr auto makePolyaiProvider = &makeProvider<PolyaiProvider>;

} // namespace parley
