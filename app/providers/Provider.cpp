#include "providers/Provider.h"

#include "providers/ParsedDelivery.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QPointer>

namespace parley {

Provider::Provider(Workspace workspace, HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_http(http)
{}

QByteArray Provider::keyIdentity() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(m_endpoint.baseUrl.toString(QUrl::RemoveUserInfo).toUtf8());
    hash.addData("\n");
    hash.addData(m_endpoint.secret);
    return hash.result().toHex().left(16);
}

QUrl Provider::apiRoot(const QUrl &baseUrl, const QUrl &fallback)
{
    QUrl url = baseUrl.isEmpty() ? fallback : baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

QUrl Provider::apiRoot(const Workspace &workspace, const ApiAccess &access)
{
    const bool standsForDefault = access.meansDefault && access.meansDefault(workspace.baseUrl);
    return apiRoot(standsForDefault ? QUrl() : workspace.baseUrl, access.defaultBaseUrl);
}

void Provider::useApi(const ApiAccess &access, const QByteArray &key)
{
    m_endpoint.baseUrl = apiRoot(m_workspace, access);
    m_endpoint.authHeader = access.authHeader;
    m_endpoint.authPrefix = access.authPrefix;
    m_endpoint.secret = key.trimmed();
}

ApiError Provider::Route::refined(const HttpResponse &response) const
{
    return refine ? refine(response.error, response.body) : response.error;
}

RequestHandle Provider::sendChecked(const Route &to, const HttpRequest &request, QObject *context,
                                    std::function<void(ApiError)> done) const
{
    return m_http->send(to.endpoint, request, context,
                        [to, done = std::move(done)](const HttpResponse &r) {
                            done(r.ok() ? ApiError() : to.refined(r));
                        });
}

void Provider::streamInto(HttpClient *http, ReplyStream *stream, const Route &to,
                          const HttpRequest &request, HttpClient::ChunkFn onChunk, StreamEnd onEnd)
{
    const QPointer<ReplyStream> guard = stream;
    stream->setRequest(http->stream(to.endpoint, request, stream, std::move(onChunk),
                                    [guard, to, onEnd = std::move(onEnd)](const HttpResponse &r) {
                                        if (!guard || guard->isFinished())
                                            return;
                                        ApiError error = r.ok() ? ApiError() : to.refined(r);
                                        if (error.kind == ApiError::Kind::Conflict &&
                                            error.reason == ApiError::Reason::None)
                                            error.reason = ApiError::Reason::ConversationBusy;
                                        onEnd(error, r);
                                    }));
}

RequestHandle Provider::refuse(QObject *context, std::function<void(ApiError)> done, ApiError error)
{
    QTimer::singleShot(0, context,
                       [done = std::move(done), error = std::move(error)]() { done(error); });
    return {};
}

RequestHandle Provider::endOfList(const PageCursor &cursor, QObject *context,
                                  Done<ConversationPage> done)
{
    ConversationPage empty;
    empty.next = cursor;
    QTimer::singleShot(0, context, [done = std::move(done), empty]() { done(empty); });
    return {};
}

Result<Provider::Call<ConversationPage>> Provider::pageCall(const ListQuery &,
                                                            const PageCursor &) const
{
    return unsupported(QCoreApplication::translate("parley::Provider", "a conversation list"));
}

Result<Provider::Call<ConversationDetail>> Provider::conversationCall(const QString &) const
{
    return unsupported(QCoreApplication::translate("parley::Provider", "opening conversations"));
}

RequestHandle Provider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                          QObject *context, Done<ConversationPage> done)
{
    if (m_readProblem.isError())
        return refuse(context, std::move(done), m_readProblem);
    if (cursor.atEnd)
        return endOfList(cursor, context, std::move(done));
    Result<Call<ConversationPage>> call = pageCall(query, cursor);
    if (!call.ok())
        return refuse(context, std::move(done), call.error());
    // The values a page suggests (apps, models) are kept for the New Conversation dialog.
    Done<ConversationPage> remembering = [self = QPointer(this),
                                          done = std::move(done)](Result<ConversationPage> r) {
        if (self && r.ok())
            self->rememberSuggestions(r.value().suggestions);
        done(std::move(r));
    };
    return sendListPage(call.value().request, context, std::move(call.value().parse),
                        std::move(remembering));
}

RequestHandle Provider::fetchConversation(const QString &id, QObject *context,
                                          Done<ConversationDetail> done)
{
    if (m_readProblem.isError())
        return refuse(context, std::move(done), m_readProblem);
    Result<Call<ConversationDetail>> call = conversationCall(id);
    if (!call.ok())
        return refuse(context, std::move(done), call.error());
    return sendParsed(call.value().request, context, std::move(call.value().parse),
                      std::move(done));
}

RequestHandle Provider::testConnection(QObject *context, std::function<void(ApiError)> done)
{
    ListQuery q;
    q.pageSize = 1;
    return listConversations(q, PageCursor::first(capabilities().paging), context,
                             [done = std::move(done)](Result<ConversationPage> r) {
                                 done(r.ok() ? ApiError{} : r.error());
                             });
}

RequestHandle Provider::probeConnection(QObject *context, std::function<void(ConnectionTest)> done)
{
    return testConnection(context,
                          [done = std::move(done)](const ApiError &error) { done({error}); });
}

RequestHandle Provider::probeForms(const QString &key, QList<FormTrial> trials,
                                   std::function<bool(const ApiError &)> missing, QObject *context,
                                   std::function<void(ConnectionTest)> done) const
{
    if (trials.isEmpty())
        return refuse(
            context, [done](ApiError e) { done({e}); },
            ApiError::config(QStringLiteral("no API form to try")));
    // Each answer sends the next trial, until one answers or one fails otherwise.
    struct Walk
    {
        Route route;
        QString key;
        QList<FormTrial> trials;
        std::function<bool(const ApiError &)> missing;
        std::function<void(ConnectionTest)> done;
        ApiError first;
        int at = 0;
    };
    auto walk = std::make_shared<Walk>(
        Walk{route(), key, std::move(trials), std::move(missing), std::move(done), {}, 0});
    // The request callback holds the sender; the sender only a weak reference to itself.
    auto send = std::make_shared<std::function<RequestHandle()>>();
    std::weak_ptr<std::function<RequestHandle()>> weak = send;
    HttpClient *client = m_http;
    *send = [walk, weak, client, context]() {
        std::shared_ptr<std::function<RequestHandle()>> self = weak.lock();
        const FormTrial &trial = walk->trials.at(walk->at);
        return client->send(
            walk->route.endpoint, trial.request, context, [walk, self](const HttpResponse &r) {
                if (r.ok()) {
                    walk->done({{}, {{walk->key, walk->trials.at(walk->at).value}}});
                    return;
                }
                const ApiError error = walk->route.refined(r);
                // Where every form is missing, the most telling error: one that is not
                // "not here" (a key refused by the form that is there), else the first.
                if (walk->at == 0 || (walk->first.kind == ApiError::Kind::NotFound &&
                                      error.kind != ApiError::Kind::NotFound))
                    walk->first = error;
                const bool notHere = walk->missing(error);
                if (notHere && ++walk->at < walk->trials.size()) {
                    (*self)();
                    return;
                }
                walk->done({notHere ? walk->first : error});
            });
    };
    return (*send)();
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
                   .arg(what))
        .because(ApiError::Reason::NotOffered);
}

ReplyStream *Provider::startConversation(const NewConversation &, QObject *context)
{
    auto *stream = new ReplyStream(context);
    stream->finishLater(
        unsupported(QCoreApplication::translate("parley::Provider", "starting conversations")));
    return stream;
}

ReplyStream *Provider::sendMessage(const QString &, const QString &, QObject *context,
                                   const QMap<QString, QString> &)
{
    auto *stream = new ReplyStream(context);
    stream->finishLater(
        unsupported(QCoreApplication::translate("parley::Provider", "sending messages")));
    return stream;
}

ReplyStream *Provider::answerApproval(const QString &, const ApprovalDecision &, QObject *context)
{
    auto *stream = new ReplyStream(context);
    stream->finishLater(unsupported(QCoreApplication::translate("parley::Provider", "approvals")));
    return stream;
}

Result<QString> Provider::conversationIdIn(const QString &text) const
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return ApiError::invalid(QCoreApplication::translate(
            "parley::Provider", "Enter a conversation ID, or the address of a conversation."));
    const QUrl url = addressIn(trimmed);
    if (!url.isValid())
        return trimmed;
    const QString id = segmentAfter(url, QStringLiteral("conversations"));
    if (id.isEmpty())
        return notAConversationAddress();
    return id;
}

QUrl Provider::addressIn(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return {};
    return url;
}

QString Provider::segmentAfter(const QUrl &url, const QString &segment)
{
    const QStringList parts =
        url.path(QUrl::FullyDecoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const qsizetype at = parts.lastIndexOf(segment);
    return at >= 0 && at + 1 < parts.size() ? parts.at(at + 1) : QString();
}

ApiError Provider::notAConversationAddress()
{
    return ApiError::invalid(QCoreApplication::translate(
        "parley::Provider", "This address names no conversation in a form Parley knows; paste "
                            "the conversation's ID instead."));
}

ListScopes Provider::lookupScopes() const
{
    return {{}, {{QString(), ListQuery()}}};
}

FollowPlan Provider::followPlan(const ConversationDetail &detail) const
{
    return detail.running ? FollowPlan::poll() : FollowPlan::none({}); // not running: no word
}

ReplyStream *Provider::attachReply(const QString &, const QString &, QObject *)
{
    return nullptr;
}

RequestHandle Provider::appendMessage(const QString &, const QString &, QObject *context,
                                      Done<QString> done)
{
    return refuse<QString>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "appending messages")));
}

RequestHandle Provider::cancelRun(const QString &, const QString &, QObject *context,
                                  std::function<void(ApiError)> done)
{
    return refuse(context, std::move(done),
                  unsupported(QCoreApplication::translate("parley::Provider", "canceling runs")));
}

RequestHandle Provider::fetchFollowUps(const QString &, QObject *context, Done<FollowUpQueue> done)
{
    return refuse<FollowUpQueue>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "a message queue")));
}

RequestHandle Provider::changeFollowUps(const QString &, const FollowUpChange &, QObject *context,
                                        Done<FollowUpQueue> done)
{
    return refuse<FollowUpQueue>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "a message queue")));
}

RequestHandle Provider::fetchRequirements(const QString &, QObject *context,
                                          Done<RequirementStatus> done)
{
    return refuse<RequirementStatus>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "end-user requirements")));
}

RequestHandle Provider::createConnectToken(const QString &, QObject *context,
                                           Done<ConnectToken> done)
{
    return refuse<ConnectToken>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "connect tokens")));
}

RequestHandle Provider::authorizeRequirement(const QString &, const ConnectToken &,
                                             QObject *context, Done<QUrl> done)
{
    return refuse<QUrl>(
        context, std::move(done),
        unsupported(QCoreApplication::translate("parley::Provider", "connector linking")));
}

} // namespace parley
