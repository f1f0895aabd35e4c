#include "providers/orq/OrqProvider.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include "providers/ParsedDelivery.h"
#include "providers/PathIds.h"
#include "providers/orq/OrqMapping.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const TranslationContext tr{"parley::OrqProvider"};

const QString kPlatform = u"orq"_s;
const QString kRevision = u"api_revision"_s;
const QString kEntityId = u"entityId"_s;

const QUrl kDefaultBaseUrl(u"https://api.orq.ai"_s);

} // namespace

const QString OrqProvider::kRevisionSnake = u"2025-12 (starting_after)"_s;
const QString OrqProvider::kRevisionCamel = u"2026-02 (startingAfter)"_s;

OrqProvider::OrqProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                         QObject *parent)
    : Provider(std::move(workspace), http, parent)
    , m_revision(this->workspace().param(kRevision).trimmed() == kRevisionCamel
                     ? Revision::CamelCase
                     : Revision::SnakeCase)
{
    useApi({kDefaultBaseUrl}, key);
    readErrorsWith(&orq::refineError);
}

QString OrqProvider::platform() const
{
    return kPlatform;
}

FollowPlan OrqProvider::followPlan(const ConversationDetail &) const
{
    return FollowPlan::none(tr("orq.ai conversations have no running state: there is nothing "
                               "to follow."));
}

Capabilities OrqProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                Capabilities::Create;
    c.createHasTitle = true;
    WorkspaceField model;
    model.key = u"model"_s;
    model.label = tr("Model");
    model.required = false;
    model.placeholder = u"openai/gpt-4o"_s;
    model.pattern = u"[A-Za-z0-9._-]+/[A-Za-z0-9._:/-]+"_s;
    model.hint = tr("For a standalone conversation: the model as provider/model.");
    WorkspaceField agent;
    agent.key = kEntityId;
    agent.label = tr("Agent or deployment");
    agent.required = false;
    agent.placeholder = u"agent_01…"_s;
    agent.pattern = u"[A-Za-z0-9_-]{1,120}"_s;
    agent.hint = tr("The agent or deployment the conversation belongs to (its id); empty "
                    "for a standalone conversation.");
    c.createFields = {model, agent};
    c.paging = PageCursor::Style::Cursor;
    c.readLimits = {}; // orq.ai documents 429 but no numbers (03-orq.md)
    c.maxPageSize = kMaxPageSize;
    c.listFromId = true; // starting_after / ending_before
    if (m_revision == Revision::CamelCase) {
        FilterSpec entity;
        entity.key = kEntityId;
        entity.label = tr("Entity");
        entity.kind = FilterSpec::Kind::Text;
        entity.hint = tr("An agent or deployment id (agent_…): lists its conversations. Empty: "
                         "the standalone conversations only.");
        c.filters << entity;
        c.listNote = tr("orq.ai lists conversations newest first. Without an entity, this API "
                        "revision lists only standalone conversations; enter an agent's id to "
                        "see its conversations.");
    } else {
        c.listNote = tr("orq.ai lists the workspace's conversations newest first and offers no "
                        "server-side filters in this API revision.");
    }
    return c;
}

RequestHandle OrqProvider::probeConnection(QObject *context,
                                           std::function<void(ConnectionTest)> done)
{
    if (!workspace().param(kRevision).trimmed().isEmpty())
        return Provider::probeConnection(context, std::move(done));
    QPointer<const OrqProvider> self(this);
    return sendParsed(HttpRequest::get(u"/v2/conversations"_s).withQuery(u"limit"_s, u"1"_s),
                      context, &orq::parseListPage,
                      Done<ConversationPage>([self, context, done](Result<ConversationPage> r) {
                          if (!r.ok() || !self) {
                              done({r.ok() ? ApiError{} : r.error()});
                              return;
                          }
                          const ConversationPage &page = r.value();
                          if (page.items.isEmpty() || page.next.atEnd) {
                              done({}); // one row or none: the revisions look alike
                              return;
                          }
                          self->probeRowAfter(page.items.constFirst().id, 0, context, done);
                      }));
}

void OrqProvider::probeRowAfter(const QString &firstId, int which, QObject *context,
                                std::function<void(ConnectionTest)> done) const
{
    const bool camel = which == 1;
    HttpRequest request =
        HttpRequest::get(camel ? u"/v2/conversations/"_s : u"/v2/conversations"_s);
    request.withQuery(u"limit"_s, u"1"_s)
        .withQuery(camel ? u"startingAfter"_s : u"starting_after"_s, firstId);
    QPointer<const OrqProvider> self(this);
    sendParsed(
        request, context, &orq::parseListPage,
        Done<ConversationPage>([self, firstId, which, context, done](Result<ConversationPage> r) {
            const bool movedOn =
                r.ok() && !r.value().items.isEmpty() && r.value().items.constFirst().id != firstId;
            if (movedOn) {
                done({{}, {{kRevision, which == 1 ? kRevisionCamel : kRevisionSnake}}});
                return;
            }
            if (which == 0 && self) {
                self->probeRowAfter(firstId, 1, context, done);
                return;
            }
            done({}); // the list answered; neither way of paging moved on
        }));
}

Result<QString> OrqProvider::conversationIdIn(const QString &text) const
{
    const QUrl url = addressIn(text);
    if (!url.isValid())
        return Provider::conversationIdIn(text);
    static const QRegularExpression conversationId(u"^conv_[0-9A-Za-z]{26}$"_s);
    const QStringList parts =
        url.path(QUrl::FullyDecoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (auto part = parts.crbegin(); part != parts.crend(); ++part) {
        if (conversationId.match(*part).hasMatch())
            return *part;
    }
    return Provider::conversationIdIn(text);
}

Result<Provider::Call<ConversationPage>> OrqProvider::pageCall(const ListQuery &query,
                                                               const PageCursor &cursor) const
{
    const bool camel = m_revision == Revision::CamelCase;
    QString entity;
    for (auto it = query.filters.begin(); it != query.filters.end(); ++it) {
        if (it.value().trimmed().isEmpty())
            continue;
        if (camel && it.key() == kEntityId) {
            entity = it.value().trimmed();
            continue;
        }
        return ApiError::invalid(
            camel ? tr("orq.ai has no filter “%1”; it filters by entity only.").arg(it.key())
                  : tr("orq.ai's 2025-12 API revision has no filter “%1”.").arg(it.key()));
    }

    const QString after = query.startAfter.trimmed();
    const QString before = query.endBefore.trimmed();
    if (!after.isEmpty() && !before.isEmpty())
        return ApiError::invalid(
            tr("orq.ai lists either what comes after a conversation or what comes before it, "
               "not both."));
    for (const QString &id : {after, before}) {
        if (!id.isEmpty() && !pathids::isPlain(id))
            return ApiError::notAnId(id, tr("an orq.ai conversation id"));
    }

    // The newer revision moved the list to a trailing-slash path with camelCase cursors.
    HttpRequest request =
        HttpRequest::get(camel ? u"/v2/conversations/"_s : u"/v2/conversations"_s);
    request.withQuery(u"limit"_s, QString::number(qBound(1, query.pageSize, kMaxPageSize)));
    if (!before.isEmpty()) {
        // Towards the newest: each page ends just before the first row of the one before.
        request.withQuery(camel ? u"endingBefore"_s : u"ending_before"_s,
                          cursor.backToken.isEmpty() ? before : cursor.backToken);
    } else if (const QString from = cursor.token.isEmpty() ? after : cursor.token;
               !from.isEmpty()) {
        request.withQuery(camel ? u"startingAfter"_s : u"starting_after"_s, from);
    }
    if (!entity.isEmpty())
        request.withQuery(kEntityId, entity);
    return Call<ConversationPage>{request,
                                  before.isEmpty() ? &orq::parseListPage : &orq::parseNewerPage};
}

Result<Provider::Call<ConversationDetail>> OrqProvider::conversationCall(const QString &id) const
{
    // `conv_` + ULID in practice; anything that is a plain path segment is let through.
    if (!pathids::isPlain(id))
        return ApiError::notAnId(id, tr("an orq.ai conversation id"));
    return Call<ConversationDetail>{HttpRequest::get(u"/v2/conversations/"_s + id),
                                    &orq::parseConversation};
}

ReplyStream *OrqProvider::startConversation(const NewConversation &request, QObject *context)
{
    auto *stream = new ReplyStream(context);
    if (!request.text.trimmed().isEmpty()) {
        stream->finishLater(ApiError::invalid(
            tr("orq.ai conversations cannot start with a message: its API offers no way to add "
               "one. Create the conversation without text; replies come from the agent.")));
        return stream;
    }
    const QString title = request.title.trimmed();
    if (title.size() > kMaxTitleLength) {
        stream->finishLater(ApiError::invalid(
            tr("An orq.ai conversation's name has at most %1 characters.").arg(kMaxTitleLength)));
        return stream;
    }
    QJsonObject metadata;
    const QString model = request.params.value(u"model"_s).trimmed();
    const QString entity = request.params.value(kEntityId).trimmed();
    if (!model.isEmpty())
        metadata.insert(u"model"_s, model);
    if (!entity.isEmpty())
        metadata.insert(u"entityId"_s, entity);
    QJsonObject body{{u"metadata"_s, metadata}};
    if (!title.isEmpty())
        body.insert(u"displayName"_s, title);
    HttpRequest post = HttpRequest::post(u"/v2/conversations"_s, QJsonDocument(body));
    post.idempotent = false;
    QPointer<ReplyStream> guard(stream);
    stream->setRequest(sendParsed(post, stream, &orq::parseConversation,
                                  Done<ConversationDetail>([guard](Result<ConversationDetail> r) {
                                      if (!guard)
                                          return;
                                      if (!r.ok()) {
                                          guard->finish(r.error());
                                          return;
                                      }
                                      guard->setConversation(r.value().summary);
                                      guard->finish();
                                  })));
    return stream;
}

PlatformInfo orqPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"orq.ai"_s;
    info.defaultBaseUrl = kDefaultBaseUrl;
    info.keyHint = tr("API key (sk-orq-…) of the workspace or project");

    WorkspaceField revision;
    revision.key = kRevision;
    revision.label = tr("API revision");
    revision.choices = {OrqProvider::kRevisionSnake, OrqProvider::kRevisionCamel};
    revision.required = false;
    revision.automatic = true;
    revision.fallback = OrqProvider::kRevisionSnake;
    revision.hint = tr("How the list call is spelled: /v2/conversations with starting_after "
                       "(2025-12), or /v2/conversations/ with startingAfter and an entity "
                       "filter (2026-02). Automatic: Test Connection finds which one pages "
                       "(2025-12 until then).");
    info.fields << revision;
    return info;
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::orqPlatformInfo, parley::makeOrqProvider)
