#include "providers/posthog/PosthogProvider.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include "providers/ParsedDelivery.h"
#include "providers/PathIds.h"
#include "providers/posthog/PosthogMapping.h"
#include "providers/posthog/PosthogStreamReader.h"
#include "providers/posthog/PosthogWriteMapping.h"

#include <QJsonDocument>
#include <QPointer>
#include <QUrlQuery>
#include <QUuid>

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const TranslationContext tr{"parley::PosthogProvider"};

const QString kPlatform = u"posthog"_s;
const QString kProjectId = u"project_id"_s;
// Older self-hosted PostHog serves conversations only under /api/environments/; Cloud
// rewrites that alias to /api/projects/, the current path.
const QString kApiPath = u"api_path"_s;
const QString kEnvironments = u"environments"_s;

const QUrl kDefaultBaseUrl(u"https://us.posthog.com"_s);

ApiError notAConversation(const QString &id)
{
    return ApiError::notAnId(id, tr("a PostHog conversation id"));
}

} // namespace

PosthogProvider::PosthogProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                                 QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    useApi({kDefaultBaseUrl}, key);
    readErrorsWith(&posthog::refineError);
    if (collectionPath().isEmpty())
        refuseReadsWith(ApiError::config(tr("the workspace has no numeric PostHog project ID")));
}

QString PosthogProvider::platform() const
{
    return kPlatform;
}

Capabilities PosthogProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                Capabilities::Create | Capabilities::Send | Capabilities::Append |
                Capabilities::Cancel | Capabilities::FollowUps;
    c.actions |= Capabilities::Approvals;
    c.createFields = posthog::streamFields();
    c.messageFields = posthog::streamFields();
    c.queueFields = posthog::queueFields();
    c.createNeedsText = true;
    c.maxMessageLength = posthog::kMaxMessageLength;
    c.paging = PageCursor::Style::Offset;
    c.pagesByPosition = true; // by offset: DRF's `next` URL is not followed
    c.maxPageSize = kMaxPageSize;
    // A personal API key's throttles (04-posthog.md, "Rate limits"): 480 a minute in bursts,
    // 4800 an hour sustained.
    c.readLimits = {{480, 60}, {4800, 3600}};
    // PostHog documents no filter or sort parameters for this list.
    c.listNote = tr("PostHog lists only the conversations of the API key's owner, most recently "
                    "active first, and offers no server-side filters. Any conversation of the "
                    "project opens by its id.");
    return c;
}

Result<QString> PosthogProvider::conversationIdIn(const QString &text) const
{
    const QUrl url = addressIn(text);
    if (!url.isValid())
        return Provider::conversationIdIn(text);
    QString project = segmentAfter(url, u"project"_s); // the app's addresses
    for (const QString &root : {u"projects"_s, u"environments"_s}) {
        if (project.isEmpty())
            project = segmentAfter(url, root); // the API's
    }
    const QString mine = workspace().param(kProjectId).trimmed();
    if (!project.isEmpty() && project != mine)
        return ApiError::invalid(
            tr("This address is of PostHog project %1; the workspace reads project %2.")
                .arg(project, mine));
    const QString chat = QUrlQuery(url).queryItemValue(u"chat"_s, QUrl::FullyDecoded).trimmed();
    if (!chat.isEmpty())
        return chat;
    return Provider::conversationIdIn(text);
}

RequestHandle PosthogProvider::probeConnection(QObject *context,
                                               std::function<void(ConnectionTest)> done)
{
    const QString path = collectionPath();
    if (!workspace().param(kApiPath).trimmed().isEmpty() || path.isEmpty())
        return Provider::probeConnection(context, std::move(done));
    QList<FormTrial> trials;
    for (const QString &root : {u"projects"_s, kEnvironments}) {
        QString rooted = path; // "/api/projects/…" here: automatic falls back to projects
        rooted.replace(u"/api/projects/"_s, u"/api/"_s + root + u'/');
        trials.append({root, HttpRequest::get(rooted).withQuery(u"limit"_s, u"1"_s)});
    }
    return probeForms(
        kApiPath, trials, [](const ApiError &e) { return e.kind == ApiError::Kind::NotFound; },
        context, std::move(done));
}

QString PosthogProvider::collectionPath() const
{
    static const QRegularExpression digits(u"^[0-9]+$"_s);
    const QString project = workspace().param(kProjectId).trimmed();
    if (!digits.match(project).hasMatch())
        return {};
    const QString root =
        workspace().param(kApiPath) == kEnvironments ? kEnvironments : u"projects"_s;
    return u"/api/%1/%2/conversations/"_s.arg(root, project);
}

Result<Provider::Call<ConversationPage>> PosthogProvider::pageCall(const ListQuery &query,
                                                                   const PageCursor &cursor) const
{
    // Paging by offset rather than by following DRF's `next` URL: that URL is built from
    // the Host the server saw, which behind a proxy can name another scheme or host.
    const int limit = qBound(1, query.pageSize, kMaxPageSize);
    const int offset = qMax(0, cursor.offset);
    HttpRequest request = HttpRequest::get(collectionPath());
    request.withQuery(u"limit"_s, QString::number(limit))
        .withQuery(u"offset"_s, QString::number(offset));
    return Call<ConversationPage>{request, [offset, limit](const QByteArray &body) {
                                      return posthog::parseListPage(body, offset, limit);
                                  }};
}

Result<Provider::Call<ConversationDetail>>
PosthogProvider::conversationCall(const QString &id) const
{
    if (!pathids::isPlain(id))
        return notAConversation(id);
    return Call<ConversationDetail>{HttpRequest::get(collectionPath() + id + u'/'),
                                    &posthog::parseConversation};
}

namespace {

// A reply can be quiet while the agent works (PostHog sends a keep-alive every ~15 s).
constexpr int kStreamTimeoutMs = 120000;

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A queue call's Conflict other than a full queue: the conversation is not running, so
// nothing would take a queued message.
ApiError refineQueueError(const ApiError &base, const QByteArray &body)
{
    ApiError e = posthog::refineError(base, body);
    if (e.kind == ApiError::Kind::Conflict && e.reason == ApiError::Reason::None)
        e.reason = ApiError::Reason::QueueClosed;
    return e;
}

} // namespace

QString PosthogProvider::conversationPath(const QString &id, ApiError *error) const
{
    const QString path = collectionPath();
    if (path.isEmpty()) {
        *error = ApiError::config(tr("the workspace needs the numeric ID of the PostHog project"));
        return {};
    }
    if (!pathids::isPlain(id)) {
        *error = notAConversation(id);
        return {};
    }
    return path + id + u'/';
}

ReplyStream *PosthogProvider::startConversation(const NewConversation &request, QObject *context)
{
    return stream(newUuid(), request.text, StreamKind::New, context, request.params);
}

ReplyStream *PosthogProvider::sendMessage(const QString &conversationId, const QString &text,
                                          QObject *context, const QMap<QString, QString> &params)
{
    return stream(conversationId, text, StreamKind::Send, context, params);
}

ReplyStream *PosthogProvider::answerApproval(const QString &conversationId,
                                             const ApprovalDecision &decision, QObject *context)
{
    if (!pathids::isPlain(decision.approvalId)) {
        auto *reply = new ReplyStream(context);
        reply->finishLater(ApiError::notAnId(decision.approvalId, tr("a PostHog proposal id")));
        return reply;
    }
    const QString payload = QString::fromUtf8(
        QJsonDocument(posthog::resumePayload(decision)).toJson(QJsonDocument::Compact));
    return stream(conversationId, QString(), StreamKind::Resume, context,
                  {{QString::fromUtf16(posthog::kResumePayload), payload}});
}

FollowPlan PosthogProvider::followPlan(const ConversationDetail &detail) const
{
    // Re-attaching is the platform's own way (once per open; it counts against the AI
    // throttles and only the key owner's conversations take it); polling where it refuses.
    return detail.running ? FollowPlan::attach() : Provider::followPlan(detail);
}

ReplyStream *PosthogProvider::attachReply(const QString &conversationId, const QString &,
                                          QObject *context)
{
    return stream(conversationId, QString(), StreamKind::Attach, context);
}

ReplyStream *PosthogProvider::stream(const QString &conversationId, const QString &text,
                                     StreamKind kind, QObject *context,
                                     const QMap<QString, QString> &params)
{
    auto *reply = new ReplyStream(context);
    ApiError error;
    if (conversationPath(conversationId, &error).isEmpty()) {
        reply->finishLater(error);
        return reply;
    }
    const bool isNew = kind == StreamKind::New;
    const bool withText = kind == StreamKind::New || kind == StreamKind::Send;
    const Result<QJsonObject> body =
        posthog::streamBody(conversationId, withText ? text : QString(), newUuid(), params);
    if (!body.ok()) {
        reply->finishLater(body.error());
        return reply;
    }
    if (const QString problem =
            !withText ? QString() : posthog::textProblem(text, posthog::kMaxMessageLength);
        !problem.isEmpty()) {
        reply->finishLater(ApiError::invalid(problem));
        return reply;
    }
    struct State
    {
        SseReader sse;
        posthog::StreamReader reader;
        bool announced = false; // the conversation and the user's message were reported
    };
    const QString localId = u"local-"_s + newUuid();
    auto state = std::make_shared<State>(State{SseReader(), posthog::StreamReader(localId), false});
    const QPointer<ReplyStream> guard = reply;

    // The client makes the id, but a new conversation is announced only once the platform
    // has taken it (the first bytes of its answer): whoever is told would fetch it at once,
    // and a GET that overtakes the POST finds nothing. The user's message shows then too,
    // before the platform echoes it; for an existing conversation it shows at once.
    Conversation summary;
    summary.id = conversationId;
    summary.status = u"in_progress"_s;
    Turn user;
    user.id = localId;
    user.role = Turn::Role::User;
    user.typeLabel = u"human"_s;
    user.timestamp = QDateTime::currentDateTimeUtc();
    Fragment fragment;
    fragment.text = text;
    user.fragments << fragment;
    const bool echoUser = withText;
    auto announce = [guard, state, summary, user, echoUser]() {
        if (!guard || guard->isFinished() || state->announced)
            return;
        state->announced = true;
        guard->setConversation(summary);
        if (echoUser && guard && !guard->isFinished())
            guard->upsertTurn(user);
    };
    if (!isNew)
        QTimer::singleShot(0, reply, announce);

    auto apply = [guard](const posthog::StreamReader::Step &step) {
        if (!guard || guard->isFinished())
            return false;
        if (step.conversation) {
            Conversation c = *step.conversation;
            if (c.id.isEmpty())
                c.id = guard->conversationId();
            guard->setConversation(c);
        }
        for (const auto &u : step.turns)
            guard->upsertTurn(u.turn, u.replaces);
        if (step.status)
            guard->setStatus(*step.status);
        if (step.error) {
            guard->finish(step.error);
            return false;
        }
        return true;
    };

    HttpRequest post = HttpRequest::post(collectionPath(), QJsonDocument(body.value()));
    post.idempotent = false;
    post.withAccept("text/event-stream").withTimeout(kStreamTimeoutMs);
    if (const QByteArray session = posthog::sessionId(params); !session.isEmpty())
        post.withHeader(posthog::kSessionHeader, session);
    streamInto(
        http(), reply, route(), post,
        [state, apply, announce](const QByteArray &chunk) {
            announce();
            for (const SseEvent &event : state->sse.feed(chunk)) {
                if (!apply(state->reader.feed(event)))
                    return;
            }
        },
        [guard, state, apply, kind](ApiError e, const HttpResponse &) {
            if (e) {
                if (e.kind == ApiError::Kind::Conflict && kind == StreamKind::Send)
                    e.detail = tr("the conversation is still answering; queue the message to "
                                  "send it when the reply ends (%1)")
                                   .arg(e.detail);
                guard->finish(e);
                return;
            }
            for (const SseEvent &event : state->sse.finish()) {
                if (!apply(state->reader.feed(event)))
                    return;
            }
            if (apply(state->reader.end()))
                guard->finish();
        });
    return reply;
}

RequestHandle PosthogProvider::appendMessage(const QString &conversationId, const QString &text,
                                             QObject *context, Done<QString> done)
{
    ApiError error;
    const QString path = conversationPath(conversationId, &error);
    if (path.isEmpty())
        return refuse(context, std::move(done), error);
    if (const QString problem = posthog::textProblem(text, posthog::kMaxAppendLength);
        !problem.isEmpty())
        return refuse(context, std::move(done), ApiError::invalid(problem));
    HttpRequest post = HttpRequest::post(path + u"append_message/"_s,
                                         QJsonDocument(QJsonObject{{u"content"_s, text}}));
    post.idempotent = false;
    return sendParsed(post, context, &posthog::parseAppended, std::move(done));
}

RequestHandle PosthogProvider::cancelRun(const QString &conversationId, const QString &,
                                         QObject *context, std::function<void(ApiError)> done)
{
    ApiError error;
    const QString path = conversationPath(conversationId, &error);
    if (path.isEmpty())
        return refuse(context, std::move(done), error);
    HttpRequest patch = HttpRequest::patch(path + u"cancel/"_s);
    patch.idempotent = false;
    return sendChecked(route(), patch, context, std::move(done));
}

RequestHandle PosthogProvider::fetchFollowUps(const QString &conversationId, QObject *context,
                                              Done<FollowUpQueue> done)
{
    ApiError error;
    const QString path = conversationPath(conversationId, &error);
    if (path.isEmpty())
        return refuse(context, std::move(done), error);
    return sendParsed(Route{endpoint(), &refineQueueError}, HttpRequest::get(path + u"queue/"_s),
                      context, &posthog::parseQueue, std::move(done));
}

RequestHandle PosthogProvider::changeFollowUps(const QString &conversationId,
                                               const FollowUpChange &change, QObject *context,
                                               Done<FollowUpQueue> done)
{
    ApiError error;
    const QString path = conversationPath(conversationId, &error);
    if (path.isEmpty())
        return refuse(context, std::move(done), error);
    const bool withText =
        change.op == FollowUpChange::Op::Add || change.op == FollowUpChange::Op::Edit;
    if (withText) {
        if (const QString problem = posthog::textProblem(change.text, posthog::kMaxMessageLength);
            !problem.isEmpty())
            return refuse(context, std::move(done), ApiError::invalid(problem));
    }
    const bool withItem =
        change.op == FollowUpChange::Op::Edit || change.op == FollowUpChange::Op::Delete;
    if (withItem && !pathids::isPlain(change.itemId))
        return refuse(context, std::move(done),
                      ApiError::notAnId(change.itemId, tr("the id of a queued message")));
    const QJsonDocument content(QJsonObject{{u"content"_s, change.text}});
    HttpRequest request;
    switch (change.op) {
    case FollowUpChange::Op::Add: {
        const Result<QJsonObject> body = posthog::queueBody(change.text, change.params);
        if (!body.ok())
            return refuse(context, std::move(done), body.error());
        request = HttpRequest::post(path + u"queue/"_s, QJsonDocument(body.value()));
        break;
    }
    case FollowUpChange::Op::Edit:
        request = HttpRequest::patch(path + u"queue/"_s + change.itemId + u'/', content);
        break;
    case FollowUpChange::Op::Delete:
        request = HttpRequest::del(path + u"queue/"_s + change.itemId + u'/');
        break;
    case FollowUpChange::Op::Clear:
        request = HttpRequest::post(path + u"queue/clear/"_s, QJsonDocument(QJsonObject()));
        break;
    }
    request.idempotent = false;
    const QPointer<PosthogProvider> self(this);
    const QPointer<QObject> ctx(context);
    return http()->send(
        endpoint(), request, context,
        [self, ctx, conversationId, done = std::move(done)](const HttpResponse &r) mutable {
            if (!r.ok()) {
                done(refineQueueError(r.error, r.body));
                return;
            }
            // DELETE may answer 204 without the queue: ask for it.
            if (r.body.trimmed().isEmpty() && self && ctx) {
                self->fetchFollowUps(conversationId, ctx, std::move(done));
                return;
            }
            done(posthog::parseQueue(r.body));
        });
}

PlatformInfo posthogPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"PostHog AI"_s;
    info.defaultBaseUrl = kDefaultBaseUrl;
    info.keyHint = tr("Personal API key (phx_…). Reading conversations needs the "
                      "conversation:read scope; starting, sending, queueing, canceling and "
                      "answering approvals need conversation:write.");

    WorkspaceField project;
    project.key = kProjectId;
    project.label = tr("Project ID");
    project.required = true;
    project.placeholder = u"12345"_s;
    project.pattern = u"[0-9]+"_s;
    project.hint = tr("The number in the address of your PostHog project, as in "
                      "us.posthog.com/project/12345.");
    info.fields << project;

    WorkspaceField apiPath;
    apiPath.key = kApiPath;
    apiPath.label = tr("API path");
    apiPath.required = false;
    apiPath.choices = {u"projects"_s, kEnvironments};
    apiPath.automatic = true;
    apiPath.fallback = u"projects"_s;
    apiPath.hint = tr("“projects” unless an older self-hosted PostHog answers 404: it serves "
                      "conversations only under /api/environments/. Automatic: Test "
                      "Connection finds which one answers (projects until then).");
    info.fields << apiPath;
    return info;
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::posthogPlatformInfo, parley::makePosthogProvider)
