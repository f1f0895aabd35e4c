#include "providers/posthog/PosthogProvider.h"

#include "providers/ParsedDelivery.h"
#include "providers/posthog/PosthogMapping.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::PosthogProvider", text);
}

const QString kPlatform = u"posthog"_s;
const QString kProjectId = u"project_id"_s;
// Older self-hosted PostHog serves conversations only under /api/environments/; Cloud
// rewrites that alias to /api/projects/, the current path.
const QString kApiPath = u"api_path"_s;
const QString kEnvironments = u"environments"_s;

QUrl defaultBaseUrl()
{
    return QUrl(u"https://us.posthog.com"_s);
}

// The workspace's API root without trailing slashes, so that paths append cleanly.
QUrl apiRoot(const Workspace &workspace)
{
    QUrl url = workspace.baseUrl.isEmpty() ? defaultBaseUrl() : workspace.baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

bool isConversationId(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,100}$"_s);
    return re.match(id).hasMatch();
}

} // namespace

PosthogProvider::PosthogProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                                 QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    m_endpoint.baseUrl = apiRoot(this->workspace());
    m_endpoint.authHeader = "Authorization";
    m_endpoint.authPrefix = "Bearer ";
    m_endpoint.secret = key.trimmed();
}

QString PosthogProvider::platform() const
{
    return kPlatform;
}

Capabilities PosthogProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript;
    c.paging = PageCursor::Style::Offset;
    c.maxPageSize = kMaxPageSize;
    // PostHog documents no filter or sort parameters for this list.
    c.listNote = tr("PostHog lists only the conversations of the API key's owner, most recently "
                    "active first, and offers no server-side filters. Any conversation of the "
                    "project opens by its id.");
    return c;
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

RequestHandle PosthogProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                                 QObject *context, Done<ConversationPage> done)
{
    const QString path = collectionPath();
    if (path.isEmpty()) {
        failLater(context, std::move(done),
                  ApiError::make(ApiError::Kind::Config,
                                 tr("the workspace has no numeric PostHog project ID")));
        return {};
    }
    if (cursor.atEnd) {
        ConversationPage empty;
        empty.next = cursor;
        QTimer::singleShot(0, context, [done = std::move(done), empty]() { done(empty); });
        return {};
    }
    // Paging by offset rather than by following DRF's `next` URL: that URL is built from
    // the Host the server saw, which behind a proxy can name another scheme or host.
    const int limit = qBound(1, query.pageSize, kMaxPageSize);
    const int offset = qMax(0, cursor.offset);
    HttpRequest request = HttpRequest::get(path);
    request.withQuery(u"limit"_s, QString::number(limit))
        .withQuery(u"offset"_s, QString::number(offset));
    return http()->send(m_endpoint, request, context,
                        [context, offset, limit, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(posthog::refineError(r.error, r.body));
                                return;
                            }
                            deliverParsed<ConversationPage>(
                                r.body, context,
                                [offset, limit](const QByteArray &body) {
                                    return posthog::parseListPage(body, offset, limit);
                                },
                                done);
                        });
}

RequestHandle PosthogProvider::fetchConversation(const QString &id, QObject *context,
                                                 Done<ConversationDetail> done)
{
    const QString path = collectionPath();
    if (path.isEmpty()) {
        failLater(context, std::move(done),
                  ApiError::make(ApiError::Kind::Config,
                                 tr("the workspace has no numeric PostHog project ID")));
        return {};
    }
    if (!isConversationId(id)) {
        failLater(context, std::move(done),
                  ApiError::make(ApiError::Kind::Invalid,
                                 tr("“%1” is not a PostHog conversation id").arg(id.left(100))));
        return {};
    }
    return http()->send(m_endpoint, HttpRequest::get(path + id + u'/'), context,
                        [context, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(posthog::refineError(r.error, r.body));
                                return;
                            }
                            deliverParsed<ConversationDetail>(r.body, context,
                                                              &posthog::parseConversation, done);
                        });
}

PlatformInfo posthogPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"PostHog AI"_s;
    info.defaultBaseUrl = defaultBaseUrl();
    info.keyHint = tr("Personal API key (phx_…) with the conversation:read scope");

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
    apiPath.defaultValue = u"projects"_s;
    apiPath.hint = tr("Keep “projects” unless an older self-hosted PostHog answers 404: it "
                      "serves conversations only under /api/environments/.");
    info.fields << apiPath;
    return info;
}

std::unique_ptr<Provider> makePosthogProvider(const Workspace &workspace, const QByteArray &key,
                                              HttpClient *http)
{
    return std::make_unique<PosthogProvider>(workspace, key, http);
}

} // namespace parley
