#include "providers/Provider.h"

#include "providers/ParsedDelivery.h"

#include <QCoreApplication>
#include <QHash>

namespace parley {

Provider::Provider(Workspace workspace, HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_http(http)
{}

RequestHandle Provider::testConnection(QObject *context, std::function<void(ApiError)> done)
{
    ListQuery q;
    q.pageSize = 1;
    return listConversations(q, PageCursor::first(capabilities().paging), context,
                             [done = std::move(done)](Result<ConversationPage> r) {
                                 done(r.ok() ? ApiError{} : r.error());
                             });
}

QList<FieldSuggestion> Provider::suggestions(const QString &field) const
{
    QList<FieldSuggestion> out;
    for (const FieldSuggestion &s : m_suggestions) {
        if (s.field == field)
            out.append(s);
    }
    return out;
}

void Provider::rememberSuggestions(const QList<FieldSuggestion> &seen)
{
    // The page's first row is its newest: put it in front last.
    for (auto it = seen.crbegin(); it != seen.crend(); ++it) {
        if (it->field.isEmpty() || it->value.isEmpty())
            continue;
        m_suggestions.removeIf(
            [&](const FieldSuggestion &s) { return s.field == it->field && s.value == it->value; });
        m_suggestions.prepend(*it);
    }
    QHash<QString, int> kept;
    m_suggestions.removeIf(
        [&](const FieldSuggestion &s) { return ++kept[s.field] > kMaxSuggestions; });
}

ApiError Provider::unsupported(const QString &what) const
{
    return ApiError::make(
        ApiError::Kind::Config,
        QCoreApplication::translate("parley::Provider", "This platform does not offer %1.")
            .arg(what));
}

ReplyStream *Provider::startConversation(const NewConversation &, QObject *context)
{
    auto *stream = new ReplyStream(context);
    stream->finishLater(
        unsupported(QCoreApplication::translate("parley::Provider", "starting conversations")));
    return stream;
}

ReplyStream *Provider::sendMessage(const QString &, const QString &, QObject *context)
{
    auto *stream = new ReplyStream(context);
    stream->finishLater(
        unsupported(QCoreApplication::translate("parley::Provider", "sending messages")));
    return stream;
}

RequestHandle Provider::appendMessage(const QString &, const QString &, QObject *context,
                                      Done<QString> done)
{
    failLater<QString>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "appending messages")));
    return {};
}

RequestHandle Provider::cancelRun(const QString &, const QString &, QObject *context,
                                  std::function<void(ApiError)> done)
{
    ApiError e = unsupported(QCoreApplication::translate("parley::Provider", "canceling runs"));
    QTimer::singleShot(0, context, [done = std::move(done), e]() { done(e); });
    return {};
}

RequestHandle Provider::fetchFollowUps(const QString &, QObject *context, Done<FollowUpQueue> done)
{
    failLater<FollowUpQueue>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "a message queue")));
    return {};
}

RequestHandle Provider::changeFollowUps(const QString &, const FollowUpChange &, QObject *context,
                                        Done<FollowUpQueue> done)
{
    failLater<FollowUpQueue>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "a message queue")));
    return {};
}

RequestHandle Provider::fetchRequirements(const QString &, QObject *context,
                                          Done<RequirementStatus> done)
{
    failLater<RequirementStatus>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "end-user requirements")));
    return {};
}

RequestHandle Provider::createConnectToken(const QString &, QObject *context,
                                           Done<ConnectToken> done)
{
    failLater<ConnectToken>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "connect tokens")));
    return {};
}

RequestHandle Provider::authorizeRequirement(const QString &, const ConnectToken &,
                                             QObject *context, Done<QUrl> done)
{
    failLater<QUrl>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "connector linking")));
    return {};
}

} // namespace parley
