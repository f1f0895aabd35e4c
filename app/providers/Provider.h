#pragma once

#include "core/ConversationDetail.h"
#include "core/FollowUpQueue.h"
#include "core/NewConversation.h"
#include "core/PageCursor.h"
#include "core/Requirement.h"
#include "core/Result.h"
#include "core/Workspace.h"
#include "net/HttpClient.h"
#include "providers/Capabilities.h"
#include "providers/FollowPlan.h"
#include "providers/ParsedDelivery.h"
#include "providers/ReplyStream.h"

#include <QObject>
#include <QPair>

#include <functional>
#include <memory>

namespace parley {

// One change to a conversation's follow-up queue.
struct FollowUpChange
{
    enum class Op
    {
        Add,    // text
        Edit,   // itemId, text
        Delete, // itemId
        Clear
    };
    Op op = Op::Add;
    QString itemId;
    QString text;
    // Add: the platform's own fields for the queued message (Capabilities::queueFields keys;
    // empty values are treated as absent).
    QMap<QString, QString> params = {};
};

// What testing a workspace found (Provider::probeConnection).
struct ConnectionTest
{
    ApiError error;
    // The settings that choose among the platform's API forms which the workspace left on
    // automatic (WorkspaceField::automatic), each with the value whose form answered.
    QMap<QString, QString> found = {};
};

// Where a conversation a platform cannot fetch by itself may be found by paging through the
// list (see Provider::lookupScopes).
struct ListScopes
{
    // What the scopes are, plural, for messages ("client environments"); empty for one
    // unnamed scope.
    QString what;
    // Each scope's name and the list query that pages through it, in search order.
    QList<QPair<QString, ListQuery>> scopes;
};

// One platform's API, for one workspace. The only place that knows the platform's
// paths, fields and quirks; everything above speaks core/ types.
//
// Every call is asynchronous: `done` runs exactly once on the GUI thread, never before the
// call has returned, and not at all once `context` is destroyed. Canceling through the
// returned handle makes it run with an ApiError of kind Canceled (callers ignore those).
class Provider : public QObject
{
    Q_OBJECT
public:
    template<typename T>
    using Done = std::function<void(Result<T>)>;

    Provider(Workspace workspace, HttpClient *http, QObject *parent = nullptr);

    const Workspace &workspace() const { return m_workspace; }
    // Whom the platform counts the requests against: the same for every provider of the same
    // API root and key, a digest that does not reveal the key (ListPager paces by it).
    QByteArray keyIdentity() const;
    // The client every request goes through (its retryScheduled() tells of a 429 waited out).
    HttpClient *httpClient() const { return m_http; }
    virtual QString platform() const = 0;
    virtual Capabilities capabilities() const = 0;

    // One page of the list. `cursor` is PageCursor::first(capabilities().paging) for the
    // first page, then the `next` of the previous page. By default: refused on a
    // setupProblem(), empty past the end, else pageCall() sent and read; the values the
    // page suggests are kept for suggestions().
    virtual RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                            QObject *context, Done<ConversationPage> done);
    // By default: refused on a setupProblem(), else conversationCall() sent and read.
    virtual RequestHandle fetchConversation(const QString &id, QObject *context,
                                            Done<ConversationDetail> done);
    // Where `parley-cli show` looks for a conversation fetchConversation() reports NotLoaded
    // (the platform has no endpoint for one conversation and a fresh process has loaded no
    // rows): the list queries that together reach every conversation, searched in order
    // until one has it. By default one unnamed scope, the unfiltered list.
    virtual ListScopes lookupScopes() const;
    // The conversation id in `text` as a user pastes it (Open by ID): the id itself, or an
    // address that names one, in the forms the platform's README lists; an Invalid error
    // saying why where it holds neither. The id is not checked here (fetchConversation
    // refuses one of the wrong shape). By default: any http(s) address whose path has
    // ".../conversations/ID", else the trimmed text.
    virtual Result<QString> conversationIdIn(const QString &text) const;
    // One cheap authenticated request; by default the first page with one row.
    virtual RequestHandle testConnection(QObject *context, std::function<void(ApiError)> done);
    // Testing a workspace (its dialog's Test): testConnection(), and where a setting that
    // picks the API's form (version, path, revision) is left on automatic, which form the
    // server answers, asking each in turn; an explicit setting is never second-guessed. Only
    // this probes: the sessions and the CLI use the fallback form of an automatic setting.
    // The handle cancels the request under way when it is the first.
    virtual RequestHandle probeConnection(QObject *context,
                                          std::function<void(ConnectionTest)> done);

    // --- The write side. Each is offered only where capabilities() has its action; the
    // defaults report a Config error saying the platform does not offer it (NotOffered). ---

    // Capabilities::Create. Starts a conversation (and its first reply, where the request
    // has text and the platform answers it). The stream's conversationChanged() gives the
    // new conversation's id.
    virtual ReplyStream *startConversation(const NewConversation &request, QObject *context);
    // Capabilities::Send. Sends a user message and streams the reply. A conversation that
    // is busy answering finishes the stream with a Conflict error of the reason
    // ConversationBusy (PostHog: queue it). `params` are the platform's own fields for the
    // message (Capabilities::messageFields keys; empty values are treated as absent).
    virtual ReplyStream *sendMessage(const QString &conversationId, const QString &text,
                                     QObject *context, const QMap<QString, QString> &params = {});
    // Capabilities::Append. Stores a message without running the agent; gives its id.
    virtual RequestHandle appendMessage(const QString &conversationId, const QString &text,
                                        QObject *context, Done<QString> done);
    // Capabilities::Cancel. Asks the platform to stop the running reply; `runId` is
    // ReplyStream::runId() where the platform needs one (none given: the reason RunIdNeeded).
    // Success means the platform accepted the request (it may still report "canceling" for a
    // while).
    virtual RequestHandle cancelRun(const QString &conversationId, const QString &runId,
                                    QObject *context, std::function<void(ApiError)> done);
    // Capabilities::Approvals. Answers the approval `decision` names in `conversationId`
    // (ConversationDetail::approvals); the agent goes on, and what it writes next streams.
    virtual ReplyStream *answerApproval(const QString &conversationId,
                                        const ApprovalDecision &decision, QObject *context);
    // Following a conversation that runs while it is open (see FollowController).
    // How `detail` can be followed; by default polled while ConversationDetail::running.
    virtual FollowPlan followPlan(const ConversationDetail &detail) const;
    // The reply running in `conversationId` from where it is now, as a stream, or null where
    // the platform has none to offer (the caller polls). `resumePoint` is the last
    // ReplyStream::resumePoint() Parley kept for this conversation, if any. Only for the
    // conversation a user has open: never in the background.
    virtual ReplyStream *attachReply(const QString &conversationId, const QString &resumePoint,
                                     QObject *context);
    // Capabilities::FollowUps. The follow-ups waiting for a running conversation; every change
    // answers with the whole queue as it now stands. A full queue is a Conflict with the reason
    // QueueFull; a queue nothing will take (the conversation is not running) QueueClosed.
    virtual RequestHandle fetchFollowUps(const QString &conversationId, QObject *context,
                                         Done<FollowUpQueue> done);
    virtual RequestHandle changeFollowUps(const QString &conversationId,
                                          const FollowUpChange &change, QObject *context,
                                          Done<FollowUpQueue> done);
    // Capabilities::Connectors. An end user's requirements, a connect token for them, and
    // the authorization page (https) that links one requirement's account.
    virtual RequestHandle fetchRequirements(const QString &userId, QObject *context,
                                            Done<RequirementStatus> done);
    virtual RequestHandle createConnectToken(const QString &userId, QObject *context,
                                             Done<ConnectToken> done);
    virtual RequestHandle authorizeRequirement(const QString &requirementId,
                                               const ConnectToken &token, QObject *context,
                                               Done<QUrl> done);

    // Values for the create field `field` seen in what this provider has fetched, most
    // recently seen first, at most kMaxSuggestions; empty where the platform names none.
    QList<FieldSuggestion> suggestions(const QString &field) const;
    static constexpr int kMaxSuggestions = 12;

signals:
    // The body of a list page asked for with `context` arrived and is being read on a worker
    // thread: a pager may ask for the next page meanwhile.
    void listPageArrived(QObject *context);

protected:
    // One request and how to read a successful answer's body (a pure function: it may run
    // off the GUI thread, see deliverParsed).
    template<typename T>
    struct Call
    {
        HttpRequest request;
        std::function<Result<T>(const QByteArray &body)> parse;
    };
    // What the default listConversations() and fetchConversation() ask of a platform:
    // - pageCall(): the request for one page (never past the end), or the error that
    //   refuses `query` before anything is sent;
    // - conversationCall(): the request for one conversation, or the error that refuses `id`.
    // Both refuse by default, for a platform that overrides the calls themselves.
    virtual Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                                    const PageCursor &cursor) const;
    virtual Result<Call<ConversationDetail>> conversationCall(const QString &id) const;

    // Where a platform's API lives when the workspace names no base URL, and how a key goes
    // into each request.
    struct ApiAccess
    {
        ApiAccess(QUrl defaultBase, QByteArray header = "Authorization",
                  QByteArray prefix = "Bearer ", std::function<bool(const QUrl &)> isDefault = {})
            : defaultBaseUrl(std::move(defaultBase))
            , authHeader(std::move(header))
            , authPrefix(std::move(prefix))
            , meansDefault(std::move(isDefault))
        {}
        QUrl defaultBaseUrl;
        QByteArray authHeader;
        QByteArray authPrefix;
        // A workspace base URL for which this says true stands for the default (a
        // pre-filled host that another setting, such as a region, chooses); may be empty.
        std::function<bool(const QUrl &baseUrl)> meansDefault;
    };
    // Reads a failed answer's body into the error the platform means; {} keeps the error
    // as the HTTP layer made it. Runs without the provider: it holds no pointer to it.
    using ErrorRefiner = std::function<ApiError(const ApiError &error, const QByteArray &body)>;
    // Where a request goes, with which key, and how its errors are read.
    struct Route
    {
        Endpoint endpoint;
        ErrorRefiner refine;
        ApiError refined(const HttpResponse &response) const;
    };

    // `text` as an http(s) address; invalid when it is not one.
    static QUrl addressIn(const QString &text);
    // The path segment after the last one equal to `segment` in `url`'s path (decoded);
    // empty when there is none.
    static QString segmentAfter(const QUrl &url, const QString &segment);
    // conversationIdIn()'s error for an address that names no conversation Parley can read.
    static ApiError notAConversationAddress();

    // One API form to try in probeConnection(): the setting's value and a cheap request that
    // only that form answers.
    struct FormTrial
    {
        QString value;
        HttpRequest request;
    };
    // Sends `trials` in order: the first answered is `key`'s value; a failure `missing` says
    // means "not this form" moves on to the next, any other ends the probe with it. When
    // every trial is missing, the first error that is not a NotFound (a key the form that
    // is there refused), else the first one.
    RequestHandle probeForms(const QString &key, QList<FormTrial> trials,
                             std::function<bool(const ApiError &)> missing, QObject *context,
                             std::function<void(ConnectionTest)> done) const;

    // The base URL `baseUrl` names, or `fallback` when it is empty, without trailing slashes
    // so that paths append cleanly.
    static QUrl apiRoot(const QUrl &baseUrl, const QUrl &fallback);
    // The workspace's API root under `access` (see ApiAccess::meansDefault).
    static QUrl apiRoot(const Workspace &workspace, const ApiAccess &access);
    // Sets endpoint(): the workspace's API root and `key` (trimmed) sent as `access` says.
    void useApi(const ApiAccess &access, const QByteArray &key);
    const Endpoint &endpoint() const { return m_endpoint; }
    // How route() reads error bodies from now on (set by the platform's constructor; by
    // default errors stay as the HTTP layer made them).
    void readErrorsWith(ErrorRefiner refine) { m_refine = std::move(refine); }
    // The default listConversations() and fetchConversation() refuse every request with
    // `problem` (set by the platform's constructor when the workspace lacks a setting that
    // reading needs; a Config error saying which).
    void refuseReadsWith(ApiError problem) { m_readProblem = std::move(problem); }
    // The workspace's endpoint with the platform's error reading.
    Route route() const { return {m_endpoint, m_refine}; }

    // Sends `request` on `to`; a failure is refined and passed to `done`, a success is
    // `parse(body)` (off the GUI thread when large, see deliverParsed) passed to `done`.
    template<typename T, typename Parse>
    RequestHandle sendParsed(const Route &to, const HttpRequest &request, QObject *context,
                             Parse parse, Done<T> done) const
    {
        return m_http->send(to.endpoint, request, context,
                            [to, context, parse = std::move(parse),
                             done = std::move(done)](const HttpResponse &r) mutable {
                                if (!r.ok()) {
                                    done(to.refined(r));
                                    return;
                                }
                                deliverParsed<T>(r.body, context, std::move(parse),
                                                 std::move(done));
                            });
    }
    template<typename T, typename Parse>
    RequestHandle sendParsed(const HttpRequest &request, QObject *context, Parse parse,
                             Done<T> done) const
    {
        return sendParsed<T>(route(), request, context, std::move(parse), std::move(done));
    }
    // sendParsed() for a page of the list: the body is read on a worker thread whatever its
    // size, and listPageArrived() tells the moment it came.
    template<typename T, typename Parse>
    RequestHandle sendListPage(const HttpRequest &request, QObject *context, Parse parse,
                               Done<T> done)
    {
        return m_http->send(
            m_endpoint, request, context,
            [to = route(), self = QPointer<Provider>(this), context, parse = std::move(parse),
             done = std::move(done)](const HttpResponse &r) mutable {
                if (!r.ok()) {
                    done(to.refined(r));
                    return;
                }
                if (self)
                    emit self->listPageArrived(context);
                deliverParsedOnWorker<T>(r.body, context, std::move(parse), std::move(done));
            });
    }
    // Sends a request whose answer carries nothing to read: `done` gets the refined error,
    // or none.
    RequestHandle sendChecked(const Route &to, const HttpRequest &request, QObject *context,
                              std::function<void(ApiError)> done) const;

    // Streams `request` on `to` into `stream` through `http`: `onChunk` gets the body as
    // it arrives, `onEnd` the refined error (none for a complete answer) and the response,
    // once, while the stream is still open. A Conflict that ends it has the reason
    // ConversationBusy unless the refinement gave another.
    using StreamEnd = std::function<void(const ApiError &error, const HttpResponse &response)>;
    static void streamInto(HttpClient *http, ReplyStream *stream, const Route &to,
                           const HttpRequest &request, HttpClient::ChunkFn onChunk,
                           StreamEnd onEnd);

    // `done` with `error`, from the event loop (see failLater); the empty handle to return.
    template<typename T>
    static RequestHandle refuse(QObject *context, Done<T> done, ApiError error)
    {
        failLater<T>(context, std::move(done), std::move(error));
        return {};
    }
    static RequestHandle refuse(QObject *context, std::function<void(ApiError)> done,
                                ApiError error);
    // The page after the last one: empty, from the event loop.
    static RequestHandle endOfList(const PageCursor &cursor, QObject *context,
                                   Done<ConversationPage> done);

    HttpClient *http() const { return m_http; }
    // Keeps `seen` for suggestions(): a value seen again moves to the front (with its
    // newest label), the oldest beyond kMaxSuggestions per field are dropped.
    void rememberSuggestions(const QList<FieldSuggestion> &seen);
    // The error the write-side defaults report: "<platform> does not offer <what>."
    ApiError unsupported(const QString &what) const;

private:
    Workspace m_workspace;
    HttpClient *m_http;
    Endpoint m_endpoint;
    ErrorRefiner m_refine;
    ApiError m_readProblem;
    QList<FieldSuggestion> m_suggestions; // newest first
};

// What the registry calls to build a platform's provider: P(workspace, key, http).
template<typename P>
std::unique_ptr<Provider> makeProvider(const Workspace &workspace, const QByteArray &key,
                                       HttpClient *http)
{
    return std::make_unique<P>(workspace, key, http);
}

} // namespace parley
