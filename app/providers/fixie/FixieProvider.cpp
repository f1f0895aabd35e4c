#include "providers/fixie/FixieProvider.h"

#include "providers/ParsedDelivery.h"
#include "providers/fixie/FixieMapping.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::FixieProvider", text);
}

const QString kPlatform = u"fixie"_s;
const QString kAgentId = u"agent_id"_s;
// Agent and conversation ids: one plain path segment (UUIDs, slugs).
const QString kIdPattern = u"[A-Za-z0-9][A-Za-z0-9_.~-]{0,199}"_s;

QUrl defaultBaseUrl()
{
    return QUrl(u"https://api.fixie.ai"_s);
}

QUrl apiRoot(const Workspace &workspace)
{
    QUrl url = workspace.baseUrl.isEmpty() ? defaultBaseUrl() : workspace.baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

bool isPlainId(const QString &id)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kIdPattern));
    return re.match(id).hasMatch();
}

ApiError noAgent()
{
    return ApiError::make(ApiError::Kind::Config,
                          tr("the workspace needs the ID of the Fixie agent whose conversations "
                             "to show"));
}

} // namespace

FixieProvider::FixieProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                             QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    m_endpoint.baseUrl = apiRoot(this->workspace());
    m_endpoint.authHeader = "Authorization";
    m_endpoint.authPrefix = "Bearer ";
    m_endpoint.secret = key.trimmed();
}

QString FixieProvider::platform() const
{
    return kPlatform;
}

Capabilities FixieProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript;
    c.paging = PageCursor::Style::Offset;
    c.maxPageSize = kMaxPageSize;
    // Fixie documents no filter or sort parameters for this list.
    c.listNote = tr("Fixie lists one agent's conversations and offers no server-side filters. "
                    "Conversations have no title: the first user message stands in for one.");
    return c;
}

QString FixieProvider::collectionPath() const
{
    const QString agent = workspace().param(kAgentId).trimmed();
    if (!isPlainId(agent))
        return {};
    return u"/api/v1/agents/%1/conversations"_s.arg(agent);
}

RequestHandle FixieProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                               QObject *context, Done<ConversationPage> done)
{
    const QString path = collectionPath();
    if (path.isEmpty()) {
        failLater(context, std::move(done), noAgent());
        return {};
    }
    if (cursor.atEnd) {
        ConversationPage empty;
        empty.next = cursor;
        QTimer::singleShot(0, context, [done = std::move(done), empty]() { done(empty); });
        return {};
    }
    for (auto it = query.filters.cbegin(); it != query.filters.cend(); ++it) {
        if (!it.value().trimmed().isEmpty()) {
            failLater(
                context, std::move(done),
                ApiError::make(
                    ApiError::Kind::Invalid,
                    tr("Fixie offers no list filters, so “%1” cannot be used.").arg(it.key())));
            return {};
        }
    }
    const int limit = qBound(1, query.pageSize, kMaxPageSize);
    const int offset = qMax(0, cursor.offset);
    HttpRequest request = HttpRequest::get(path);
    request.withQuery(u"offset"_s, QString::number(offset))
        .withQuery(u"limit"_s, QString::number(limit));
    return http()->send(m_endpoint, request, context,
                        [context, offset, limit, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(r.error);
                                return;
                            }
                            deliverParsed<ConversationPage>(
                                r.body, context,
                                [offset, limit](const QByteArray &body) {
                                    return fixie::parseListPage(body, offset, limit);
                                },
                                done);
                        });
}

RequestHandle FixieProvider::fetchConversation(const QString &id, QObject *context,
                                               Done<ConversationDetail> done)
{
    const QString path = collectionPath();
    if (path.isEmpty()) {
        failLater(context, std::move(done), noAgent());
        return {};
    }
    if (!isPlainId(id)) {
        failLater(context, std::move(done),
                  ApiError::make(ApiError::Kind::Invalid,
                                 tr("“%1” is not a Fixie conversation id").arg(id.left(100))));
        return {};
    }
    return http()->send(m_endpoint, HttpRequest::get(path + u'/' + id), context,
                        [context, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(r.error);
                                return;
                            }
                            deliverParsed<ConversationDetail>(r.body, context,
                                                              &fixie::parseConversation, done);
                        });
}

PlatformInfo fixiePlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"Fixie"_s;
    info.defaultBaseUrl = defaultBaseUrl();
    info.keyHint = tr("Fixie API key (or an agent's delegated access token)");

    WorkspaceField agent;
    agent.key = kAgentId;
    agent.label = tr("Agent ID");
    agent.required = true;
    agent.placeholder = u"0d3f6a2e-8c1b-4e7a-9f55-2b6c1d0e4a77"_s;
    agent.pattern = kIdPattern;
    agent.hint = tr("The agent whose conversations to show, as it appears in the agent's "
                    "address in the Fixie console.");
    info.fields << agent;
    return info;
}

std::unique_ptr<Provider> makeFixieProvider(const Workspace &workspace, const QByteArray &key,
                                            HttpClient *http)
{
    return std::make_unique<FixieProvider>(workspace, key, http);
}

} // namespace parley
