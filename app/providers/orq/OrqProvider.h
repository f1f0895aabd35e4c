#pragma once

#include "providers/Provider.h"

#include <QByteArray>

#include <memory>

namespace parley {

// orq.ai's Conversations API (v2), for the workspace the key belongs to:
//   GET {base}/v2/conversations?limit=&starting_after=     list, API revision 2025-12
//   GET {base}/v2/conversations/?limit=&startingAfter=&entityId=   list, revision 2026-02
//   GET {base}/v2/conversations/{id}                       one conversation with messages
// with `Authorization: Bearer <sk-orq-… key>`. See README.md beside this file.
class OrqProvider final : public Provider
{
    Q_OBJECT
public:
    static constexpr int kMaxPageSize = 100;

    // The two published spellings of the list call (workspace field `api_revision`).
    enum class Revision
    {
        SnakeCase, // "2025-12 (starting_after)": /v2/conversations, starting_after/ending_before
        CamelCase, // "2026-02 (startingAfter)": /v2/conversations/, startingAfter/endingBefore
    };
    static const QString kRevisionSnake;
    static const QString kRevisionCamel;

    // `key` goes into this provider's Endpoint only.
    OrqProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;
    // Also any http(s) address with a path segment that is an orq conversation id
    // (conv_ and a ULID), as orq's own pages and the API's …/v2/conversations/{id} have.
    Result<QString> conversationIdIn(const QString &text) const override;
    FollowPlan followPlan(const ConversationDetail &detail) const override;
    // With `api_revision` on automatic: both revisions answer the list alike and differ in
    // paging, so one row of the list is fetched, then the row after it is asked for each
    // revision's way (starting_after on /v2/conversations, startingAfter on
    // /v2/conversations/); the revision whose answer moves on is the one. With fewer than two
    // rows nothing tells them apart and the setting stays automatic.
    RequestHandle probeConnection(QObject *context,
                                  std::function<void(ConnectionTest)> done) override;

    // POST {base}/v2/conversations {displayName?, metadata: {entityId?, model?}}. orq.ai has
    // no endpoint that adds a message to such a conversation, so the request must have no
    // text; the stream reports the new conversation and finishes.
    ReplyStream *startConversation(const NewConversation &request, QObject *context) override;

    static constexpr int kMaxTitleLength = 100;

    Revision revision() const { return m_revision; }

protected:
    // The list and one conversation, sent and read by Provider.
    Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                            const PageCursor &cursor) const override;
    Result<Call<ConversationDetail>> conversationCall(const QString &id) const override;

private:
    // probeConnection()'s second step: the row after `firstId`, asked revision `which`'s way
    // (0 snake, 1 camel).
    void probeRowAfter(const QString &firstId, int which, QObject *context,
                       std::function<void(ConnectionTest)> done) const;

    Revision m_revision;
};

PlatformInfo orqPlatformInfo();
inline constexpr auto makeOrqProvider = &makeProvider<OrqProvider>;

} // namespace parley
