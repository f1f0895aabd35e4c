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

    // --- data ---
    QList<Conversation> conversations;          // filter "status" selects by status
    QHash<QString, ConversationDetail> details; // fetchConversation answers; else NotFound
    PageCursor::Style paging = PageCursor::Style::Offset; // Offset or PageNumber
    bool reportTotal = true;

    // --- scripting ---
    bool holdReplies = false;  // answers wait for release()
    bool ignoreCancel = false; // cancel() is ignored: the answer still arrives
    void failNext(const ApiError &error) { m_failNext = error; }
    int pendingCount() const { return int(m_pending.size()); }
    // Answers the waiting request at `index` (0 = oldest). False when there is none.
    bool release(int index = 0);
    void releaseAll();

    // --- log ---
    QList<ListCall> listCalls;
    QStringList detailCalls;
    int canceledCount = 0;
    int deliveredCount = 0; // answers handed to a live context

signals:
    void requested();

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

    QList<Pending> m_pending;
    quint64 m_serial = 0;
    std::optional<ApiError> m_failNext;
};

} // namespace parley::test
