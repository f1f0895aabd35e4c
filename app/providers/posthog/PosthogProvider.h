#pragma once

#include "providers/Provider.h"

#include <QByteArray>

#include <memory>

namespace parley {

// PostHog AI ("Max") conversations, for one project:
//   GET {base}/api/projects/{project_id}/conversations/?limit=&offset=   the list
//   GET {base}/api/projects/{project_id}/conversations/{id}/             one transcript
// with `Authorization: Bearer <personal API key>`. See README.md beside this file.
class PosthogProvider final : public Provider
{
    Q_OBJECT
public:
    static constexpr int kMaxPageSize = 100;

    // `key` goes into this provider's Endpoint only.
    PosthogProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                    QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;
    // Also PostHog's own addresses of a chat: {host}/project/{project}/max?chat={id} and
    // …/ai?chat={id}, and the API's …/api/{projects|environments}/{project}/conversations/{id}/;
    // an address of another project than the workspace's is refused, naming both.
    Result<QString> conversationIdIn(const QString &text) const override;
    // With `api_path` on automatic: /api/projects/, then /api/environments/ where it is 404.
    RequestHandle probeConnection(QObject *context,
                                  std::function<void(ConnectionTest)> done) override;

    // "/api/projects/{project_id}/conversations/" (always with the trailing slash:
    // PostHog runs with APPEND_SLASH off), or empty when project_id is not a number.
    QString collectionPath() const;

    // The write side (see README.md): create/continue stream SSE; append, cancel and the
    // queue are plain JSON calls, never retried.
    ReplyStream *startConversation(const NewConversation &request, QObject *context) override;
    ReplyStream *sendMessage(const QString &conversationId, const QString &text, QObject *context,
                             const QMap<QString, QString> &params = {}) override;
    // POST …/conversations/ {conversation, content: null, trace_id, resume_payload}: the
    // decision as posthog::resumePayload() shapes it; the resumed run streams.
    ReplyStream *answerApproval(const QString &conversationId, const ApprovalDecision &decision,
                                QObject *context) override;
    FollowPlan followPlan(const ConversationDetail &detail) const override;
    ReplyStream *attachReply(const QString &conversationId, const QString &resumePoint,
                             QObject *context) override;
    RequestHandle appendMessage(const QString &conversationId, const QString &text,
                                QObject *context, Done<QString> done) override;
    RequestHandle cancelRun(const QString &conversationId, const QString &runId, QObject *context,
                            std::function<void(ApiError)> done) override;
    RequestHandle fetchFollowUps(const QString &conversationId, QObject *context,
                                 Done<FollowUpQueue> done) override;
    RequestHandle changeFollowUps(const QString &conversationId, const FollowUpChange &change,
                                  QObject *context, Done<FollowUpQueue> done) override;

protected:
    // The list and one conversation, sent and read by Provider.
    Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                            const PageCursor &cursor) const override;
    Result<Call<ConversationDetail>> conversationCall(const QString &id) const override;

private:
    enum class StreamKind
    {
        New,    // starts the conversation with `text`
        Send,   // sends `text` to it
        Attach, // no text: takes up the reply running now
        Resume, // no text: resume_payload in `params` lets a stopped run go on
    };
    ReplyStream *stream(const QString &conversationId, const QString &text, StreamKind kind,
                        QObject *context, const QMap<QString, QString> &params = {});
    // The conversation's path ("…/conversations/{id}/"), or empty with `error` set.
    QString conversationPath(const QString &id, ApiError *error) const;
};

PlatformInfo posthogPlatformInfo();
inline constexpr auto makePosthogProvider = &makeProvider<PosthogProvider>;

} // namespace parley
