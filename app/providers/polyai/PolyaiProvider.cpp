#include "providers/polyai/PolyaiProvider.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include "core/Logging.h"
#include "providers/ParsedDelivery.h"
#include "providers/PathIds.h"
#include "providers/polyai/PolyaiQuery.h"

#include <QCoreApplication>
#include <QPointer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const TranslationContext tr{"parley::PolyaiProvider"};

const QString kPlatform = u"polyai"_s;
const QString kApiVersion = u"api_version"_s;
const QString kRegion = u"region"_s;
const QString kAccountId = u"account_id"_s;
const QString kProjectId = u"project_id"_s;
const QStringList kRegions = {u"us-1"_s, u"uk-1"_s, u"euw-1"_s};
const QString kClientEnv = u"client_env"_s;
// In the order a lookup searches them: the list's default first.
const QStringList kEnvironments = {u"live"_s, u"sandbox"_s, u"pre-release"_s};

QUrl regionUrl(const QString &region)
{
    const QString r = kRegions.contains(region) ? region : kRegions.first();
    return QUrl(u"https://api.%1.platform.polyai.app"_s.arg(r));
}

polyai::ApiVersion versionOf(const Workspace &workspace)
{
    return workspace.param(kApiVersion).trimmed() == "v1"_L1 ? polyai::ApiVersion::V1
                                                             : polyai::ApiVersion::V3;
}

// The workspace dialog pre-fills the default base URL (the us-1 host); a regional PolyAI
// host there means "the platform's host", and the region picks which one.
bool isRegionalHost(const QUrl &url)
{
    static const QRegularExpression regional(u"^api\\.[a-z0-9-]+\\.platform\\.polyai\\.app$"_s);
    return regional.match(url.host().toLower()).hasMatch() &&
           (url.path().isEmpty() || url.path() == "/"_L1);
}

} // namespace

PolyaiProvider::PolyaiProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                               QObject *parent)
    : Provider(std::move(workspace), http, parent)
    , m_version(versionOf(this->workspace()))
    , m_cache(kCacheSize)
{
    useApi(access(this->workspace()), key);
    readErrorsWith(&polyai::refineError);
}

QUrl PolyaiProvider::apiRoot(const Workspace &workspace)
{
    return Provider::apiRoot(workspace, access(workspace));
}

Provider::ApiAccess PolyaiProvider::access(const Workspace &workspace)
{
    // As the OpenAPI security scheme names it, without a prefix.
    return {regionUrl(workspace.param(kRegion).trimmed()), "x-api-key", {}, &isRegionalHost};
}

QString PolyaiProvider::platform() const
{
    return kPlatform;
}

Capabilities PolyaiProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript;
    c.maxPageSize = polyai::maxPageSize(m_version);
    c.readLimits = {}; // PolyAI documents no rate limit (02-polyai.md)
    c.filters = polyai::filterSpecs(m_version);
    if (m_version == polyai::ApiVersion::V1) {
        c.paging = PageCursor::Style::Offset;
        c.pagesByPosition = true; // by offset; v1 gives no total: one page ahead
        c.listNote = tr("PolyAI v1 lists conversations oldest first, and only the live "
                        "environment's unless another is chosen. It has no endpoint for a "
                        "single conversation: transcripts come from the rows loaded here. "
                        "v1 is unsupported from 2026-08-31; switch the workspace to v3.");
    } else {
        c.paging = PageCursor::Style::Cursor;
        c.listNote = tr("PolyAI lists conversations oldest first, and only the live "
                        "environment's unless another is chosen.");
    }
    return c;
}

QString PolyaiProvider::collectionPath() const
{
    const QString account = workspace().param(kAccountId).trimmed();
    const QString project = workspace().param(kProjectId).trimmed();
    if (!pathids::isSlug(account) || !pathids::isSlug(project))
        return {};
    const QString version = m_version == polyai::ApiVersion::V1 ? u"v1"_s : u"v3"_s;
    return u"/%1/%2/%3/conversations"_s.arg(version, account, project);
}

void PolyaiProvider::remember(const polyai::ListPage &page)
{
    for (qsizetype i = 0; i < page.rows.size() && i < page.page.items.size(); ++i) {
        const Conversation &c = page.page.items.at(i);
        if (!c.id.isEmpty())
            m_cache.insert(c.id, new Held{page.rows.at(i), c.status == "in_progress"_L1});
    }
}

void PolyaiProvider::remember(const ConversationDetail &detail)
{
    if (!detail.summary.id.isEmpty())
        m_cache.insert(detail.summary.id, new Held{{}, detail.running, detail});
}

FollowPlan PolyaiProvider::followPlan(const ConversationDetail &detail) const
{
    if (detail.running && m_version == polyai::ApiVersion::V1)
        return FollowPlan::none(tr("PolyAI's v1 API has no endpoint for one conversation: reload "
                                   "the list to see this call's later turns."));
    return Provider::followPlan(detail);
}

ListScopes PolyaiProvider::lookupScopes() const
{
    ListScopes out;
    out.what = tr("client environments");
    for (const QString &environment : kEnvironments) {
        ListQuery query;
        query.filters.insert(kClientEnv, environment);
        out.scopes.append({environment, query});
    }
    return out;
}

RequestHandle PolyaiProvider::probeConnection(QObject *context,
                                              std::function<void(ConnectionTest)> done)
{
    const QString path = collectionPath();
    if (!workspace().param(kApiVersion).trimmed().isEmpty() || path.isEmpty())
        return Provider::probeConnection(context, std::move(done));
    // collectionPath() is v3's here (automatic falls back to v3).
    QList<FormTrial> trials;
    for (const QString &version : {u"v3"_s, u"v1"_s}) {
        QString versioned = path;
        versioned.replace(0, 3, u'/' + version);
        trials.append({version, HttpRequest::get(versioned).withQuery(u"limit"_s, u"1"_s)});
    }
    return probeForms(
        kApiVersion, trials,
        [](const ApiError &e) {
            return e.kind == ApiError::Kind::NotFound || e.kind == ApiError::Kind::Auth ||
                   e.kind == ApiError::Kind::Forbidden;
        },
        context, std::move(done));
}

RequestHandle PolyaiProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                                QObject *context, Done<ConversationPage> done)
{
    const QString path = collectionPath();
    if (path.isEmpty())
        return refuse(
            context, std::move(done),
            ApiError::config(tr("the workspace needs a PolyAI account ID and project ID (the "
                                "first two parts of the Agent Studio address)")));
    if (cursor.atEnd)
        return endOfList(cursor, context, std::move(done));
    // Refused here, before anything is sent: variant_id with variant_name, unknown
    // filters, values outside their choices, times that are not ISO 8601.
    const Result<polyai::QueryItems> params = polyai::listParameters(query, m_version, cursor);
    if (!params.ok())
        return refuse(context, std::move(done), params.error());
    HttpRequest request = HttpRequest::get(path);
    for (const auto &[key, value] : params.value())
        request.withQuery(key, value);

    const polyai::ApiVersion version = m_version;
    QPointer<PolyaiProvider> self(this);
    Done<polyai::ListPage> deliver = [self, done = std::move(done)](Result<polyai::ListPage> r) {
        if (!r.ok()) {
            done(r.error());
            return;
        }
        if (self)
            self->remember(r.value());
        done(std::move(r.value().page));
    };
    return sendListPage(
        request, context,
        [version, cursor](const QByteArray &body) {
            return polyai::parseListPage(body, version, cursor);
        },
        std::move(deliver));
}

RequestHandle PolyaiProvider::fetchConversation(const QString &id, QObject *context,
                                                Done<ConversationDetail> done)
{
    const QString path = collectionPath();
    if (path.isEmpty())
        return refuse(
            context, std::move(done),
            ApiError::config(tr("the workspace needs a PolyAI account ID and project ID")));
    if (!pathids::isSlug(id))
        return refuse(context, std::move(done),
                      ApiError::notAnId(id, tr("a PolyAI conversation id")));
    // A conversation still running changes: v3 asks the server again for it.
    const Held *held = m_cache.object(id);
    if (held && (!held->running || m_version == polyai::ApiVersion::V1)) {
        if (held->read) {
            QTimer::singleShot(0, context,
                               [done = std::move(done), d = *held->read]() { done(d); });
            return {};
        }
        // Read from the event loop, on a worker when the call is long.
        const bool large = held->row[u"turns"_s].toArray().size() >= kReadOffThreadPairs;
        QTimer::singleShot(
            0, context, [context, large, row = held->row, done = std::move(done)]() mutable {
                deliverComputed<ConversationDetail>(
                    large, context,
                    [row]() { return Result<ConversationDetail>(polyai::detailFromRow(row)); },
                    std::move(done));
            });
        return {};
    }
    if (m_version == polyai::ApiVersion::V1)
        return refuse(
            context, std::move(done),
            ApiError::make(ApiError::Kind::NotFound,
                           tr("PolyAI's v1 API has no endpoint for a single conversation, "
                              "and “%1” is not among the conversations loaded in the "
                              "list. Reload the list and open it from there (or switch "
                              "the workspace to API v3)")
                               .arg(id),
                           0, u"not_loaded"_s)
                .because(ApiError::Reason::NotLoaded));
    QPointer<PolyaiProvider> self(this);
    Done<ConversationDetail> deliver = [self,
                                        done = std::move(done)](Result<ConversationDetail> r) {
        if (r.ok() && self)
            self->remember(r.value());
        done(std::move(r));
    };
    return sendParsed(HttpRequest::get(path + u'/' + id), context, &polyai::parseConversation,
                      std::move(deliver));
}

PlatformInfo polyaiPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"PolyAI"_s;
    info.defaultBaseUrl = regionUrl(kRegions.first());
    info.keyHint = tr("Conversations API key issued by PolyAI for this project and region");

    WorkspaceField version;
    version.key = kApiVersion;
    version.label = tr("API version");
    version.choices = {u"v3"_s, u"v1"_s};
    version.required = false;
    version.automatic = true;
    version.fallback = u"v3"_s;
    version.hint = tr("v3 is current. v1 has been on best-effort support since 2026-03-02 and "
                      "lost support on 2026-08-31; it also has no single-conversation endpoint. "
                      "Automatic: Test Connection finds the one the key answers on (v3 until "
                      "then).");
    info.fields << version;

    WorkspaceField region;
    region.key = kRegion;
    region.label = tr("Region");
    region.choices = kRegions;
    region.defaultValue = kRegions.first();
    region.hint = tr("Picks the API host, https://api.<region>.platform.polyai.app; API keys "
                     "are region-scoped. A base URL of another host (a proxy, the sandbox) "
                     "overrides it.");
    info.fields << region;

    WorkspaceField account;
    account.key = kAccountId;
    account.label = tr("Account ID");
    account.placeholder = u"ws-acme"_s;
    account.pattern = pathids::kSlugPattern;
    account.hint = tr("The first part of the Agent Studio address: "
                      "studio.<region>.poly.ai/<account>/<project>/agent.");
    info.fields << account;

    WorkspaceField project;
    project.key = kProjectId;
    project.label = tr("Project ID");
    project.placeholder = u"PROJECT-support"_s;
    project.pattern = pathids::kSlugPattern;
    project.hint = tr("The second part of the Agent Studio address.");
    info.fields << project;
    return info;
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::polyaiPlatformInfo, parley::makePolyaiProvider)
