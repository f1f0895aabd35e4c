#pragma once

#include "providers/Provider.h"

#include <QHash>
#include <QList>
#include <QPointer>

#include <functional>
#include <optional>

namespace parley::test {

class ScriptedReply;

// A Provider for model tests: answers from in-memory data, asynchronously (next event loop
// turn) or, while `holdReplies` is set, only when the test releases the answer. It can fail
// a request, ignore a cancel (a reply that was already on its way), and it records every
// call so that tests can count requests and check their cursors.
//
// Lists are computed when the answer is delivered, from `conversations` as it is then, so a
// test can shift the data between pages like a live platform does.
//
// The write side: sendMessage()/startConversation() return a ReplyStream the test drives
// itself (streams() / lastStream(): upsertTurn, setRun, setStatus, finish), or one that
// fails at once after failNextStream(). appendMessage() and cancelRun() are answered like
// the reads (held, failed, canceled). What each call asked for is logged.
class ScriptedProvider : public Provider
{
    Q_OBJECT
public:
    struct ListCall
    {
        ListQuery query;
        PageCursor cursor;
    };

    explicit ScriptedProvider(QList<Conversation> data = {}, QObject *parent = nullptr);
    ~ScriptedProvider() override;

    QString platform() const override;
    Capabilities capabilities() const override;
    RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                    QObject *context, Done<ConversationPage> done) override;
    RequestHandle fetchConversation(const QString &id, QObject *context,
                                    Done<ConversationDetail> done) override;
    ReplyStream *startConversation(const NewConversation &request, QObject *context) override;
    ReplyStream *sendMessage(const QString &conversationId, const QString &text, QObject *context,
                             const QMap<QString, QString> &params = {}) override;
    RequestHandle appendMessage(const QString &conversationId, const QString &text,
                                QObject *context, Done<QString> done) override;
    RequestHandle cancelRun(const QString &conversationId, const QString &runId, QObject *context,
                            std::function<void(ApiError)> done) override;
    RequestHandle changeFollowUps(const QString &conversationId, const FollowUpChange &change,
                                  QObject *context, Done<FollowUpQueue> done) override;
    FollowPlan followPlan(const ConversationDetail &detail) const override;
    ReplyStream *attachReply(const QString &conversationId, const QString &resumePoint,
                             QObject *context) override;

    // --- data ---
    QList<Conversation> conversations;          // filter "status" selects by status
    QHash<QString, ConversationDetail> details; // fetchConversation answers; else NotFound
    PageCursor::Style paging = PageCursor::Style::Offset; // Offset or PageNumber
    bool reportTotal = true;
    // What capabilities() reports besides paging and the "status" filter.
    Capabilities::Actions actions = Capabilities::List | Capabilities::Transcript;
    QList<WorkspaceField> createFields;
    bool createNeedsText = false;
    bool createHasTitle = false;
    int maxMessageLength = 0;

    // Following: followPlan() answers `plan` where set (else the base class's rule);
    // attachReply() hands out a stream the test drives where `offerAttach`, else null.
    std::optional<FollowPlan> plan;
    bool offerAttach = true;
    // --- scripting ---
    bool holdReplies = false;  // answers wait for release()
    bool ignoreCancel = false; // cancel() is ignored: the answer still arrives
    void failNext(const ApiError &error) { m_failNext = error; }
    // The next sendMessage()/startConversation() stream finishes with `error` (from the
    // event loop, as providers report errors found before sending).
    void failNextStream(const ApiError &error) { m_failNextStream = error; }
    // Every stream handed out, oldest first (null once its context deleted it).
    const QList<QPointer<ReplyStream>> &streams() const { return m_streams; }
    ReplyStream *lastStream() const { return m_streams.isEmpty() ? nullptr : m_streams.last(); }
    int pendingCount() const { return int(m_pending.size()); }
    // Answers the waiting request at `index` (0 = oldest). False when there is none.
    bool release(int index = 0);
    void releaseAll();

    // --- log ---
    QList<ListCall> listCalls;
    QStringList detailCalls;
    struct SendCall
    {
        QString conversationId;
        QString text;
    };
    struct CancelCall
    {
        QString conversationId;
        QString runId;
    };
    QList<SendCall> sendCalls;
    QList<NewConversation> startCalls;
    QList<SendCall> appendCalls;
    QList<CancelCall> cancelCalls;
    struct AttachCall
    {
        QString conversationId;
        QString resumePoint;
    };
    QList<AttachCall> attachCalls;
    QList<QPair<QString, FollowUpChange>> queueCalls;
    FollowUpQueue queue; // what changeFollowUps() answers with (an Add is appended to it)
    int canceledCount = 0;
    int deliveredCount = 0; // answers handed to a live context

signals:
    void requested();
    // A stream was handed out (after the call returned, on the next event loop turn).
    void streamStarted(parley::ReplyStream *stream);

private:
    struct Pending
    {
        quint64 serial = 0;
        QPointer<QObject> context;
        std::function<void()> answer;       // computes and delivers the result
        std::function<void(ApiError)> fail; // delivers an error
        std::optional<ApiError> error;      // scripted failure
        QPointer<ScriptedReply> reply;
    };

    RequestHandle enqueue(QObject *context, std::function<void()> answer,
                          std::function<void(ApiError)> fail);
    void deliver(quint64 serial);
    void onAbort(quint64 serial);
    ConversationPage page(const ListQuery &query, const PageCursor &cursor) const;

    ReplyStream *makeStream(QObject *context);

    QList<Pending> m_pending;
    quint64 m_serial = 0;
    std::optional<ApiError> m_failNext;
    std::optional<ApiError> m_failNextStream;
    QList<QPointer<ReplyStream>> m_streams;
};

} // namespace parley::test
