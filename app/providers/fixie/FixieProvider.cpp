#include "providers/fixie/FixieProvider.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include "net/NdjsonReader.h"
#include "providers/ParsedDelivery.h"
#include "providers/PathIds.h"
#include "providers/fixie/FixieMapping.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUuid>

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const TranslationContext tr{"parley::FixieProvider"};

const QString kPlatform = u"fixie"_s;
const QString kAgentId = u"agent_id"_s;
const QUrl kDefaultBaseUrl(u"https://api.fixie.ai"_s);

ApiError notAConversation(const QString &id)
{
    return ApiError::notAnId(id, tr("a Fixie conversation id"));
}

ApiError noAgent()
{
    return ApiError::config(
        tr("the workspace needs the ID of the Fixie agent whose conversations to show"));
}

} // namespace

FixieProvider::FixieProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                             QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    useApi({kDefaultBaseUrl}, key);
    if (collectionPath().isEmpty())
        refuseReadsWith(noAgent());
}

QString FixieProvider::platform() const
{
    return kPlatform;
}

Capabilities FixieProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                Capabilities::Create | Capabilities::Send | Capabilities::Cancel;
    c.paging = PageCursor::Style::Offset;
    c.pagesByPosition = true;
    c.readLimits = {}; // Fixie documents 429 but no numbers (01-fixie.md)
    c.maxPageSize = kMaxPageSize;
    // Fixie documents no filter or sort parameters for this list.
    c.listNote = tr("Fixie lists one agent's conversations and offers no server-side filters. "
                    "Conversations have no title: the first user message stands in for one.");
    return c;
}

QString FixieProvider::collectionPath() const
{
    const QString agent = workspace().param(kAgentId).trimmed();
    if (!pathids::isSlug(agent))
        return {};
    return u"/api/v1/agents/%1/conversations"_s.arg(agent);
}

Result<Provider::Call<ConversationPage>> FixieProvider::pageCall(const ListQuery &query,
                                                                 const PageCursor &cursor) const
{
    for (auto it = query.filters.cbegin(); it != query.filters.cend(); ++it) {
        if (!it.value().trimmed().isEmpty())
            return ApiError::invalid(
                tr("Fixie offers no list filters, so “%1” cannot be used.").arg(it.key()));
    }
    const int limit = qBound(1, query.pageSize, kMaxPageSize);
    const int offset = qMax(0, cursor.offset);
    HttpRequest request = HttpRequest::get(collectionPath());
    request.withQuery(u"offset"_s, QString::number(offset))
        .withQuery(u"limit"_s, QString::number(limit));
    return Call<ConversationPage>{request, [offset, limit](const QByteArray &body) {
                                      return fixie::parseListPage(body, offset, limit);
                                  }};
}

Result<Provider::Call<ConversationDetail>> FixieProvider::conversationCall(const QString &id) const
{
    if (!pathids::isSlug(id))
        return notAConversation(id);
    return Call<ConversationDetail>{HttpRequest::get(collectionPath() + u'/' + id),
                                    &fixie::parseConversation};
}

namespace {

// A reply may pause while the agent calls tools; only this long without a byte is dead.
constexpr int kStreamTimeoutMs = 120000;

} // namespace

void FixieProvider::streamSnapshots(ReplyStream *stream, const HttpRequest &request,
                                    std::function<ApiError(const QJsonValue &line)> apply)
{
    struct State
    {
        NdjsonReader reader;
        int snapshots = 0;
        ApiError firstProblem;
    };
    auto state = std::make_shared<State>();
    const QPointer<ReplyStream> guard = stream;
    auto feed = [guard, state, apply](const QList<NdjsonLine> &lines) {
        for (const NdjsonLine &line : lines) {
            if (!guard || guard->isFinished())
                return;
            // A line that cannot be read is skipped: the next snapshot repeats everything.
            const ApiError problem = line.isError()
                                         ? ApiError::make(ApiError::Kind::BadResponse, line.error)
                                         : apply(line.value);
            if (problem) {
                if (!state->firstProblem)
                    state->firstProblem = problem;
                continue;
            }
            ++state->snapshots;
        }
    };
    streamInto(
        http(), stream, route(), request,
        [state, feed](const QByteArray &chunk) { feed(state->reader.feed(chunk)); },
        [guard, state, feed](const ApiError &error, const HttpResponse &) {
            if (error) {
                guard->finish(error);
                return;
            }
            feed(state->reader.finish());
            if (!guard || guard->isFinished())
                return;
            if (state->snapshots == 0) {
                guard->finish(state->firstProblem
                                  ? state->firstProblem
                                  : ApiError::make(ApiError::Kind::BadResponse,
                                                   tr("Fixie's reply ended without a single "
                                                      "snapshot of the conversation")));
                return;
            }
            guard->finish();
        });
}

ReplyStream *FixieProvider::startConversation(const NewConversation &request, QObject *context)
{
    auto *stream = new ReplyStream(context);
    const QString path = collectionPath();
    if (path.isEmpty()) {
        stream->finishLater(noAgent());
        return stream;
    }
    QJsonObject body{{u"generateInitialMessage"_s, true}};
    if (!request.text.trimmed().isEmpty())
        body.insert(u"message"_s, request.text);
    HttpRequest post = HttpRequest::post(path, QJsonDocument(body));
    post.idempotent = false;
    post.withAccept("application/x-ndjson, application/json").withTimeout(kStreamTimeoutMs);
    const QPointer<ReplyStream> guard = stream;
    streamSnapshots(stream, post, [guard](const QJsonValue &line) {
        const Result<ConversationDetail> snapshot = fixie::conversationSnapshot(line);
        if (!snapshot.ok())
            return snapshot.error();
        if (guard->conversationId() != snapshot.value().summary.id)
            guard->setConversation(snapshot.value().summary);
        for (const Turn &turn : snapshot.value().turns)
            guard->upsertTurn(turn);
        guard->setRun(fixie::runningTurn(snapshot.value().turns));
        return ApiError();
    });
    return stream;
}

ReplyStream *FixieProvider::sendMessage(const QString &conversationId, const QString &text,
                                        QObject *context, const QMap<QString, QString> &)
{
    auto *stream = new ReplyStream(context);
    const QString path = collectionPath();
    if (path.isEmpty()) {
        stream->finishLater(noAgent());
        return stream;
    }
    if (!pathids::isSlug(conversationId)) {
        stream->finishLater(notAConversation(conversationId));
        return stream;
    }
    if (text.trimmed().isEmpty()) {
        stream->finishLater(ApiError::invalid(tr("the message is empty")));
        return stream;
    }
    Conversation summary;
    summary.id = conversationId;
    // The stream carries only the assistant's turn: the user's is shown from the request,
    // under a local id, until the conversation is fetched again.
    Turn user;
    user.id = u"local-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    user.role = Turn::Role::User;
    user.timestamp = QDateTime::currentDateTimeUtc();
    Fragment fragment;
    fragment.text = text;
    user.fragments << fragment;
    const QPointer<ReplyStream> guard = stream;
    QTimer::singleShot(0, stream, [guard, summary, user]() {
        if (!guard || guard->isFinished())
            return;
        guard->setConversation(summary);
        guard->upsertTurn(user);
    });

    HttpRequest post = HttpRequest::post(path + u'/' + conversationId + u"/messages"_s,
                                         QJsonDocument(QJsonObject{{u"message"_s, text}}));
    post.idempotent = false;
    post.withAccept("application/x-ndjson, application/json").withTimeout(kStreamTimeoutMs);
    streamSnapshots(stream, post, [guard](const QJsonValue &line) {
        const Result<Turn> turn = fixie::turnSnapshot(line);
        if (!turn.ok())
            return turn.error();
        guard->upsertTurn(turn.value());
        guard->setRun(turn.value().state == Turn::State::InProgress ? turn.value().id : QString());
        return ApiError();
    });
    return stream;
}

RequestHandle FixieProvider::cancelRun(const QString &conversationId, const QString &runId,
                                       QObject *context, std::function<void(ApiError)> done)
{
    const QString path = collectionPath();
    if (path.isEmpty())
        return refuse(context, std::move(done), noAgent());
    if (runId.isEmpty())
        return refuse(
            context, std::move(done),
            ApiError::invalid(tr("Fixie stops a reply by its message id, and none is running"))
                .because(ApiError::Reason::RunIdNeeded));
    if (!pathids::isSlug(conversationId) || !pathids::isSlug(runId))
        return refuse(context, std::move(done), ApiError::notAnId(runId, tr("a Fixie id")));
    HttpRequest post = HttpRequest::post(
        path + u'/' + conversationId + u"/messages/"_s + runId + u"/stop"_s, QJsonDocument());
    post.idempotent = false;
    return sendChecked(route(), post, context, std::move(done));
}

PlatformInfo fixiePlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"Fixie"_s;
    info.defaultBaseUrl = kDefaultBaseUrl;
    info.keyHint = tr("Fixie API key (or an agent's delegated access token)");

    WorkspaceField agent;
    agent.key = kAgentId;
    agent.label = tr("Agent ID");
    agent.required = true;
    agent.placeholder = u"0d3f6a2e-8c1b-4e7a-9f55-2b6c1d0e4a77"_s;
    agent.pattern = pathids::kSlugPattern;
    agent.hint = tr("The agent whose conversations to show, as it appears in the agent's "
                    "address in the Fixie console.");
    info.fields << agent;
    return info;
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::fixiePlatformInfo, parley::makeFixieProvider)
