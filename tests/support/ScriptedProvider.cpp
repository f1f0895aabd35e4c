#include "support/ScriptedProvider.h"

#include "support/ScriptedReply.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace parley::test {

ScriptedProvider::ScriptedProvider(QList<Conversation> data, QObject *parent)
    : Provider(Workspace{}, nullptr, parent)
    , conversations(std::move(data))
{}

ScriptedProvider::~ScriptedProvider()
{
    // A handle canceled after this provider is gone must not call back into it.
    for (const Pending &p : std::as_const(m_pending)) {
        if (p.reply)
            p.reply->markFinished();
    }
}

QString ScriptedProvider::platform() const
{
    return u"scripted"_s;
}

Capabilities ScriptedProvider::capabilities() const
{
    Capabilities c;
    c.actions = actions;
    c.createFields = createFields;
    c.createNeedsText = createNeedsText;
    c.createHasTitle = createHasTitle;
    c.maxMessageLength = maxMessageLength;
    c.paging = paging;
    c.maxPageSize = 1000;
    FilterSpec status;
    status.key = u"status"_s;
    status.label = u"Status"_s;
    c.filters << status;
    return c;
}

RequestHandle ScriptedProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                                  QObject *context, Done<ConversationPage> done)
{
    listCalls.append({query, cursor});
    return enqueue(
        context, [this, query, cursor, done] { done(page(query, cursor)); },
        [done](ApiError e) { done(std::move(e)); });
}

RequestHandle ScriptedProvider::fetchConversation(const QString &id, QObject *context,
                                                  Done<ConversationDetail> done)
{
    detailCalls.append(id);
    return enqueue(
        context,
        [this, id, done] {
            auto it = details.constFind(id);
            if (it == details.constEnd())
                done(ApiError::make(ApiError::Kind::NotFound, u"no such conversation"_s, 404));
            else
                done(*it);
        },
        [done](ApiError e) { done(std::move(e)); });
}

ReplyStream *ScriptedProvider::makeStream(QObject *context)
{
    auto *stream = new ReplyStream(context);
    m_streams.append(stream);
    if (auto error = std::exchange(m_failNextStream, std::nullopt))
        stream->finishLater(*error);
    QPointer<ReplyStream> guard(stream);
    QTimer::singleShot(0, this, [this, guard] {
        if (guard)
            emit streamStarted(guard);
    });
    return stream;
}

ReplyStream *ScriptedProvider::startConversation(const NewConversation &request, QObject *context)
{
    startCalls.append(request);
    return makeStream(context);
}

ReplyStream *ScriptedProvider::sendMessage(const QString &conversationId, const QString &text,
                                           QObject *context, const QMap<QString, QString> &)
{
    sendCalls.append({conversationId, text});
    return makeStream(context);
}

RequestHandle ScriptedProvider::appendMessage(const QString &conversationId, const QString &text,
                                              QObject *context, Done<QString> done)
{
    appendCalls.append({conversationId, text});
    const QString id = u"appended-%1"_s.arg(appendCalls.size());
    return enqueue(
        context, [id, done] { done(id); }, [done](ApiError e) { done(std::move(e)); });
}

RequestHandle ScriptedProvider::cancelRun(const QString &conversationId, const QString &runId,
                                          QObject *context, std::function<void(ApiError)> done)
{
    cancelCalls.append({conversationId, runId});
    return enqueue(
        context, [done] { done(ApiError{}); }, [done](ApiError e) { done(std::move(e)); });
}

FollowPlan ScriptedProvider::followPlan(const ConversationDetail &detail) const
{
    return plan ? *plan : Provider::followPlan(detail);
}

ReplyStream *ScriptedProvider::attachReply(const QString &conversationId,
                                           const QString &resumePoint, QObject *context)
{
    attachCalls.append({conversationId, resumePoint});
    return offerAttach ? makeStream(context) : nullptr;
}

RequestHandle ScriptedProvider::changeFollowUps(const QString &conversationId,
                                                const FollowUpChange &change, QObject *context,
                                                Done<FollowUpQueue> done)
{
    queueCalls.append({conversationId, change});
    return enqueue(
        context,
        [this, change, done] {
            if (change.op == FollowUpChange::Op::Add)
                queue.items.append({u"queued-%1"_s.arg(queueCalls.size()), change.text, {}});
            done(queue);
        },
        [done](ApiError e) { done(std::move(e)); });
}

bool ScriptedProvider::release(int index)
{
    if (index < 0 || index >= m_pending.size())
        return false;
    deliver(m_pending.at(index).serial);
    return true;
}

void ScriptedProvider::releaseAll()
{
    while (!m_pending.isEmpty())
        deliver(m_pending.constFirst().serial);
}

RequestHandle ScriptedProvider::enqueue(QObject *context, std::function<void()> answer,
                                        std::function<void(ApiError)> fail)
{
    Pending p;
    p.serial = ++m_serial;
    p.context = context;
    p.answer = std::move(answer);
    p.fail = std::move(fail);
    p.error = std::exchange(m_failNext, std::nullopt);
    const quint64 serial = p.serial;
    p.reply = new ScriptedReply([this, serial] { onAbort(serial); }, this);
    const RequestHandle handle(p.reply.data());
    m_pending.append(std::move(p));
    emit requested();
    if (!holdReplies)
        QTimer::singleShot(0, this, [this, serial] { deliver(serial); });
    return handle;
}

void ScriptedProvider::deliver(quint64 serial)
{
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).serial != serial)
            continue;
        Pending p = m_pending.takeAt(i);
        if (p.reply) {
            p.reply->markFinished();
            p.reply->deleteLater();
        }
        if (!p.context) // the caller is gone: nothing at all, as the contract says
            return;
        ++deliveredCount;
        if (p.error)
            p.fail(*p.error);
        else
            p.answer();
        return;
    }
}

void ScriptedProvider::onAbort(quint64 serial)
{
    ++canceledCount;
    if (ignoreCancel)
        return;
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).serial != serial)
            continue;
        Pending p = m_pending.takeAt(i);
        if (p.reply)
            p.reply->deleteLater();
        if (p.context)
            p.fail(ApiError::make(ApiError::Kind::Canceled));
        return;
    }
}

ConversationPage ScriptedProvider::page(const ListQuery &query, const PageCursor &cursor) const
{
    QList<Conversation> matching;
    const QString status = query.filters.value(u"status"_s);
    for (const Conversation &c : conversations) {
        if (status.isEmpty() || c.status == status)
            matching.append(c);
    }
    const int size = qMax(1, query.pageSize);
    const int start =
        paging == PageCursor::Style::PageNumber ? (cursor.page - 1) * size : cursor.offset;
    ConversationPage out;
    out.items = matching.mid(start, size);
    out.total = reportTotal ? matching.size() : -1;
    out.next = cursor;
    out.next.offset = start + int(out.items.size());
    out.next.page = cursor.page + 1;
    out.next.atEnd = start + size >= matching.size();
    return out;
}

} // namespace parley::test
