#include "providers/dynamiq/DynamiqProvider.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include "net/SseReader.h"
#include "providers/ParsedDelivery.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqQuery.h"
#include "providers/dynamiq/DynamiqRunReader.h"
#include "providers/dynamiq/DynamiqWriteMapping.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QPointer>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const TranslationContext tr{"parley::DynamiqProvider"};

const QString kPlatform = u"dynamiq"_s;
const QString kCredentialType = u"credential_type"_s;
const QString kAccessKey = u"access_key"_s;
const QString kPersonalToken = u"personal_token"_s;
const QString kAppHost = u"app_host"_s;

// A streamed reply may be quiet for a while (Dynamiq sends a heartbeat comment after 15 s
// without events); only this long without a byte counts as a dead connection.
constexpr int kStreamTimeoutMs = 60000;

const QUrl kDefaultBaseUrl(u"https://api.getdynamiq.ai"_s);

// A POST without a body (Dynamiq's cancel and authorize calls take none).
HttpRequest emptyPost(const QString &path)
{
    HttpRequest r = HttpRequest::post(path, QJsonDocument());
    r.body.clear();
    r.contentType.clear();
    return r;
}

ApiError notAConversation(const QString &id)
{
    return ApiError::notAnId(id, tr("a Dynamiq conversation id (a UUID)"));
}

// A refused connect token says how long one lasts and what it serves.
ApiError refineConnectError(const ApiError &error, const QByteArray &)
{
    if (error.kind != ApiError::Kind::Auth)
        return error;
    ApiError e = error;
    const QString hint = tr("the connect token was refused: it lasts 24 hours and serves one app "
                            "and end user; create a new one");
    e.detail = e.detail.isEmpty() ? hint : e.detail + u"; "_s + hint;
    return e;
}

// Passes one step of the run to the stream; false once the stream is finished or gone.
bool applyStep(const QPointer<ReplyStream> &stream, const dynamiq::RunReader &run,
               const dynamiq::RunReader::Step &step)
{
    if (stream && step.runChanged)
        stream->setRun(run.runId());
    // Where the run can be taken up again (attachReply()): its id and how far it has got.
    if (stream && !run.runId().isEmpty() && !run.isOver())
        stream->setResumePoint(run.runId() + u':' + QString::number(run.lastSequence()));
    if (stream && step.status)
        stream->setStatus(*step.status);
    if (stream && step.turnChanged)
        stream->upsertTurn(run.turn());
    if (stream && step.ended)
        stream->finish(step.error);
    return stream && !stream->isFinished();
}

// Which kind of credential a key is, from its documented prefix; empty when unknown.
QString credentialKindOf(const QByteArray &key)
{
    if (key.startsWith("dynamiq_acc_"))
        return kAccessKey;
    if (key.startsWith("dyn_pat_") || key.startsWith("uak_")) // uak_: legacy tokens
        return kPersonalToken;
    return {};
}

} // namespace

DynamiqProvider::DynamiqProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                                 QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    useApi({kDefaultBaseUrl}, key);
    // What a 401 should add depends on the key and the workspace, both known by now.
    readErrorsWith(authHint().refiner());
}

QString DynamiqProvider::platform() const
{
    return kPlatform;
}

Capabilities DynamiqProvider::capabilities() const
{
    Capabilities c;
    // Opening a conversation shows its details; Dynamiq documents no message listing.
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Create |
                Capabilities::Send | Capabilities::Cancel | Capabilities::Connectors;
    c.paging = PageCursor::Style::PageNumber;
    c.pagesByPosition = true;
    c.readLimits = {}; // Dynamiq documents no rate limit (00-dynamiq.md): a 429 lowers the pace
    c.maxPageSize = dynamiq::kMaxPageSize;
    c.filters = dynamiq::filterSpecs();
    c.sortFields = dynamiq::sortFields();
    c.listNote = tr("Dynamiq lists the conversations of the key's owner, most recently created "
                    "first. It documents no endpoint for a conversation's messages: opening one "
                    "shows its details only.");
    c.createFields = dynamiq::createFields();
    c.createHasTitle = true;
    return c;
}

QUrl DynamiqProvider::appBaseUrl(const Workspace &workspace)
{
    QString host = workspace.param(kAppHost).trimmed();
    if (host.isEmpty())
        return {};
    if (!host.contains(u"://"_s))
        host.prepend(u"https://"_s);
    const QUrl url(host, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return apiRoot(url, {});
}

DynamiqProvider::AuthHint DynamiqProvider::authHint() const
{
    AuthHint h;
    h.configured = workspace().param(kCredentialType).trimmed() == kPersonalToken ? kPersonalToken
                                                                                  : kAccessKey;
    h.looksLike = credentialKindOf(endpoint().secret);
    h.keyGiven = !endpoint().secret.isEmpty();
    return h;
}

Provider::ErrorRefiner DynamiqProvider::AuthHint::refiner() const
{
    return [hint = *this](const ApiError &error, const QByteArray &) { return hint.apply(error); };
}

// A 401 says which credential Dynamiq expects here, and whether the key looks like the
// other kind: the platform's own pages disagree on which one the management API takes.
ApiError DynamiqProvider::AuthHint::apply(ApiError error) const
{
    if (error.kind != ApiError::Kind::Auth || !keyGiven)
        return error;
    QString hint;
    if (appHost)
        hint = looksLike == kPersonalToken
                   ? tr("a deployed app's host takes an Access Key (dynamiq_acc_…) of the app's "
                        "organization or project, and the key looks like a personal access "
                        "token")
                   : tr("a deployed app's host takes an Access Key (dynamiq_acc_…) of the app's "
                        "organization or project: check that the key has that scope and has not "
                        "expired, and that the app host is the right app's");
    else if (!looksLike.isEmpty() && looksLike != configured)
        hint = looksLike == kPersonalToken
                   ? tr("the key looks like a personal access token (dyn_pat_…) while the "
                        "workspace is set to an Access Key")
                   : tr("the key looks like an Access Key (dynamiq_acc_…) while the workspace is "
                        "set to a personal access token");
    else if (configured == kAccessKey)
        hint = tr("check that the Access Key (dynamiq_acc_…) has not expired or been revoked, "
                  "or try a personal access token (dyn_pat_…)");
    else
        hint = tr("check that the personal access token (dyn_pat_…) has not expired or been "
                  "revoked, or try an Access Key (dynamiq_acc_…)");
    error.detail = error.detail.isEmpty() ? hint : error.detail + u"; "_s + hint;
    return error;
}

Result<Provider::Call<ConversationPage>> DynamiqProvider::pageCall(const ListQuery &query,
                                                                   const PageCursor &cursor) const
{
    const Result<dynamiq::QueryItems> params = dynamiq::listParameters(query, cursor);
    if (!params.ok())
        return params.error();
    HttpRequest request = HttpRequest::get(u"/v1/conversations"_s);
    for (const auto &[key, value] : params.value())
        request.withQuery(key, value);
    const int page = qMax(1, cursor.page);
    const int pageSize = qBound(1, query.pageSize, dynamiq::kMaxPageSize);
    return Call<ConversationPage>{request, [page, pageSize](const QByteArray &body) {
                                      return dynamiq::parseListPage(body, page, pageSize);
                                  }};
}

Result<Provider::Call<ConversationDetail>>
DynamiqProvider::conversationCall(const QString &id) const
{
    if (!dynamiq::isUuid(id))
        return notAConversation(id);
    return Call<ConversationDetail>{HttpRequest::get(u"/v1/conversations/"_s + id),
                                    &dynamiq::parseConversation};
}

Result<Provider::Route> DynamiqProvider::appRoute(const QString &what) const
{
    const QString host = workspace().param(kAppHost).trimmed();
    const QUrl base = appBaseUrl(workspace());
    if (host.isEmpty())
        return ApiError::config(tr("%1 goes to the deployed app's own host: set the app host in "
                                   "the workspace (the hostname on the app's Integration tab in "
                                   "the Dynamiq console)")
                                    .arg(what));
    if (base.isEmpty())
        return ApiError::config(tr("the workspace's app host “%1” is not a host name such as "
                                   "your-app.example.com")
                                    .arg(host.left(100)));
    Route app{endpoint(), {}};
    app.endpoint.baseUrl = base;
    AuthHint hint = authHint();
    hint.appHost = true;
    app.refine = hint.refiner();
    return app;
}

ReplyStream *DynamiqProvider::startConversation(const NewConversation &request, QObject *context)
{
    auto *stream = new ReplyStream(context);
    const Result<QJsonObject> body = dynamiq::createBody(request);
    if (!body.ok()) {
        stream->finishLater(body.error());
        return stream;
    }
    const QPointer<HttpClient> client = http();
    const QPointer<ReplyStream> guard = stream;
    stream->setRequest(http()->send(
        endpoint(), HttpRequest::post(u"/v1/conversations"_s, QJsonDocument(body.value())), stream,
        [guard, client, to = route(), text = request.text](const HttpResponse &r) {
            if (!guard || guard->isFinished())
                return;
            if (!r.ok()) {
                ApiError e = to.refined(r);
                if (e.kind == ApiError::Kind::NotFound &&
                    (e.detail.isEmpty() ||
                     e.detail.compare(u"Not Found"_s, Qt::CaseInsensitive) == 0))
                    e.detail = tr("no app, model or organization with these ids is visible to "
                                  "this key");
                guard->finish(e);
                return;
            }
            const Result<Conversation> created = dynamiq::parseCreated(r.body);
            if (!created.ok()) {
                guard->finish(created.error());
                return;
            }
            guard->setConversation(created.value());
            if (!guard || guard->isFinished())
                return;
            if (text.trimmed().isEmpty() || !client) {
                guard->finish();
                return;
            }
            streamReply(client, to, guard, created.value().id, text);
        }));
    return stream;
}

ReplyStream *DynamiqProvider::sendMessage(const QString &conversationId, const QString &text,
                                          QObject *context, const QMap<QString, QString> &)
{
    auto *stream = new ReplyStream(context);
    if (!dynamiq::isUuid(conversationId)) {
        stream->finishLater(notAConversation(conversationId));
        return stream;
    }
    if (text.trimmed().isEmpty()) {
        stream->finishLater(ApiError::invalid(tr("the message is empty")));
        return stream;
    }
    streamReply(http(), route(), stream, conversationId, text);
    return stream;
}

ReplyStream *DynamiqProvider::attachReply(const QString &, const QString &resumePoint,
                                          QObject *context)
{
    // Dynamiq conversations have no status: only a run Parley started (and remembered) can be
    // taken up. It is read again from its start (after_sequence=0): Dynamiq keeps no
    // transcript, so the text written before is nowhere else, and the run's events, each
    // counted once, rebuild the same turn (its id is the run's).
    const QString runId = resumePoint.section(u':', 0, 0);
    const Result<Route> app = appRoute(tr("Following a reply"));
    if (runId.isEmpty() || !dynamiq::isPathSegment(runId) || !app.ok())
        return nullptr;
    auto *stream = new ReplyStream(context);
    struct State
    {
        SseReader sse;
        dynamiq::RunReader run;
    };
    auto state = std::make_shared<State>(
        State{SseReader(), dynamiq::RunReader(QString(), runId, QDateTime::currentDateTimeUtc())});
    const QPointer<ReplyStream> guard = stream;
    HttpRequest request = HttpRequest::get(u"/v1/runs/%1/stream"_s.arg(runId));
    request.withQuery(u"after_sequence"_s, u"0"_s);
    request.withAccept("text/event-stream").withTimeout(kStreamTimeoutMs);
    streamInto(
        http(), stream, app.value(), request,
        [guard, state](const QByteArray &chunk) {
            for (const SseEvent &event : state->sse.feed(chunk)) {
                if (!applyStep(guard, state->run, state->run.feed(event)))
                    return;
            }
        },
        [guard, state](const ApiError &error, const HttpResponse &) {
            if (error) {
                applyStep(guard, state->run, state->run.interrupt(error));
                return;
            }
            for (const SseEvent &event : state->sse.finish()) {
                if (!applyStep(guard, state->run, state->run.feed(event)))
                    return;
            }
            applyStep(guard, state->run, state->run.end());
        });
    return stream;
}

void DynamiqProvider::streamReply(HttpClient *http, const Route &to, ReplyStream *stream,
                                  const QString &conversationId, const QString &text)
{
    // Dynamiq does not echo the user's message: the stream reports it from the request,
    // first (from the event loop, or before the first byte of the reply if that is sooner).
    struct State
    {
        SseReader sse;
        dynamiq::RunReader run;
        Turn user;
        bool userShown = false;
    };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString localId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto state = std::make_shared<State>(
        State{SseReader(), dynamiq::RunReader(u"local-"_s + localId, u"reply-"_s + localId, now),
              dynamiq::userTurn(u"local-"_s + localId, text, now), false});
    const QPointer<ReplyStream> guard = stream;
    auto showUser = [guard, state]() {
        if (guard && !state->userShown) {
            state->userShown = true;
            guard->upsertTurn(state->user);
        }
    };
    QTimer::singleShot(0, stream, showUser);

    HttpRequest request = HttpRequest::post(u"/v3/conversations/%1/messages"_s.arg(conversationId),
                                            QJsonDocument(dynamiq::messageBody(text)));
    request.withAccept("text/event-stream").withTimeout(kStreamTimeoutMs);
    streamInto(
        http, stream, to, request,
        [guard, state, showUser](const QByteArray &chunk) {
            if (!guard || guard->isFinished())
                return;
            showUser();
            const QList<SseEvent> events = state->sse.feed(chunk);
            for (const SseEvent &event : events) {
                if (!applyStep(guard, state->run, state->run.feed(event)))
                    return;
            }
        },
        [guard, state, showUser](const ApiError &error, const HttpResponse &r) {
            if (error) {
                // Refused before any run started: the message was not taken; its turn says so.
                if (state->userShown && state->run.runId().isEmpty() && !state->run.turnShown()) {
                    state->user.state = Turn::State::Error;
                    state->user.errorDetail = error.message();
                    guard->upsertTurn(state->user);
                }
                applyStep(guard, state->run, state->run.interrupt(error));
                return;
            }
            showUser();
            // A 2xx that is no event stream (a proxy's page, a JSON answer) says so plainly.
            if (!state->run.turnShown() &&
                !r.contentType.trimmed().toLower().startsWith("text/event-stream")) {
                applyStep(guard, state->run,
                          state->run.interrupt(ApiError::make(
                              ApiError::Kind::BadResponse,
                              tr("Dynamiq answered the message with “%1” instead of an event "
                                 "stream")
                                  .arg(QString::fromLatin1(r.contentType.left(80))),
                              r.status)));
                return;
            }
            const QList<SseEvent> events = state->sse.finish();
            for (const SseEvent &event : events) {
                if (!applyStep(guard, state->run, state->run.feed(event)))
                    return;
            }
            applyStep(guard, state->run, state->run.end());
        });
}

RequestHandle DynamiqProvider::cancelRun(const QString &, const QString &runId, QObject *context,
                                         std::function<void(ApiError)> done)
{
    const Result<Route> app = appRoute(tr("Canceling a reply"));
    if (!app.ok())
        return refuse(context, std::move(done), app.error());
    if (runId.trimmed().isEmpty())
        return refuse(
            context, std::move(done),
            ApiError::invalid(tr("the reply has no run id yet (Dynamiq names the run in its "
                                 "first event); try again in a moment"))
                .because(ApiError::Reason::RunIdNeeded));
    if (!dynamiq::isPathSegment(runId))
        return refuse(context, std::move(done), ApiError::notAnId(runId, tr("a Dynamiq run id")));
    HttpRequest request = emptyPost(u"/v1/runs/"_s + runId + u"/cancel"_s);
    request.idempotent = true; // documented: canceling twice answers like once
    return sendChecked(app.value(), request, context, std::move(done));
}

RequestHandle DynamiqProvider::fetchRequirements(const QString &userId, QObject *context,
                                                 Done<RequirementStatus> done)
{
    const QString user = userId.trimmed();
    if (user.isEmpty())
        return refuse(context, std::move(done), ApiError::invalid(tr("give the end user's id")));
    const Result<Route> app = appRoute(tr("Checking an end user's requirements"));
    if (!app.ok())
        return refuse(context, std::move(done), app.error());
    return sendParsed(
        app.value(), HttpRequest::get(u"/v1/requirements/status"_s).withQuery(u"user_id"_s, user),
        context,
        [user](const QByteArray &body) { return dynamiq::parseRequirementStatus(body, user); },
        std::move(done));
}

RequestHandle DynamiqProvider::createConnectToken(const QString &userId, QObject *context,
                                                  Done<ConnectToken> done)
{
    const QString user = userId.trimmed();
    if (user.isEmpty())
        return refuse(context, std::move(done), ApiError::invalid(tr("give the end user's id")));
    const Result<Route> app = appRoute(tr("Creating a connect token"));
    if (!app.ok())
        return refuse(context, std::move(done), app.error());
    return sendParsed(app.value(),
                      HttpRequest::post(u"/v1/connect/tokens"_s,
                                        QJsonDocument(QJsonObject{{u"user_id"_s, user}})),
                      context, &dynamiq::parseConnectToken, std::move(done));
}

RequestHandle DynamiqProvider::authorizeRequirement(const QString &requirementId,
                                                    const ConnectToken &token, QObject *context,
                                                    Done<QUrl> done)
{
    if (token.token.isEmpty())
        return refuse(context, std::move(done),
                      ApiError::config(tr("linking an account needs a connect token: create one "
                                          "for the end user first")));
    if (token.expiresAt.isValid() && token.expiresAt <= QDateTime::currentDateTimeUtc())
        return refuse(context, std::move(done),
                      ApiError::make(ApiError::Kind::Auth,
                                     tr("the connect token expired at %1; create a new one")
                                         .arg(JsonFields::toIsoUtc(token.expiresAt))));
    if (!dynamiq::isPathSegment(requirementId))
        return refuse(context, std::move(done),
                      ApiError::notAnId(requirementId, tr("a Dynamiq requirement id")));
    // The connect token, not the workspace key: it is what /v1/connect/* accepts.
    Route connect{endpoint(), &refineConnectError};
    connect.endpoint.secret = token.token;
    return sendParsed(
        connect,
        emptyPost(u"/v1/connect/requirements/"_s + requirementId + u"/pipedream/authorize"_s),
        context, &dynamiq::parseAuthorizeUrl, std::move(done));
}

PlatformInfo dynamiqPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"Dynamiq"_s;
    info.defaultBaseUrl = kDefaultBaseUrl;
    info.keyHint = tr("Access Key (dynamiq_acc_…) or personal access token (dyn_pat_…)");

    WorkspaceField credential;
    credential.key = kCredentialType;
    credential.label = tr("Credential type");
    credential.required = false;
    credential.choices = {kAccessKey, kPersonalToken};
    credential.defaultValue = kAccessKey;
    credential.hint = tr("Which kind of key you enter: Dynamiq's conversation reference names an "
                         "organization or project Access Key, its authentication guide a "
                         "personal access token. Both are sent the same way; this only tunes "
                         "the advice shown when the key is rejected.");
    info.fields << credential;

    WorkspaceField appHost;
    appHost.key = kAppHost;
    appHost.label = tr("App host");
    appHost.required = false;
    appHost.placeholder = u"your-app.example.com"_s;
    appHost.pattern = u"(https?://)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?"
                      u"(/[A-Za-z0-9._~-]+)*/?"_s;
    appHost.hint = tr("Optional: the host name of a deployed app, from its Integration tab in "
                      "the Dynamiq console. Needed only for app-level actions (runs, end-user "
                      "requirements); browsing conversations does not use it.");
    info.fields << appHost;
    return info;
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::dynamiqPlatformInfo, parley::makeDynamiqProvider)
