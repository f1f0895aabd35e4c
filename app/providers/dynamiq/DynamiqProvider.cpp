#include "providers/dynamiq/DynamiqProvider.h"

#include "providers/ParsedDelivery.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqQuery.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::DynamiqProvider", text);
}

const QString kPlatform = u"dynamiq"_s;
const QString kCredentialType = u"credential_type"_s;
const QString kAccessKey = u"access_key"_s;
const QString kPersonalToken = u"personal_token"_s;
const QString kAppHost = u"app_host"_s;

QUrl defaultBaseUrl()
{
    return QUrl(u"https://api.getdynamiq.ai"_s);
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
    m_endpoint.baseUrl = apiRoot(this->workspace());
    m_endpoint.authHeader = "Authorization";
    m_endpoint.authPrefix = "Bearer ";
    m_endpoint.secret = key.trimmed();
}

QString DynamiqProvider::platform() const
{
    return kPlatform;
}

Capabilities DynamiqProvider::capabilities() const
{
    Capabilities c;
    // Opening a conversation shows its details; Dynamiq documents no message listing.
    c.actions = Capabilities::List | Capabilities::Details;
    c.paging = PageCursor::Style::PageNumber;
    c.maxPageSize = dynamiq::kMaxPageSize;
    c.filters = dynamiq::filterSpecs();
    c.sortFields = dynamiq::sortFields();
    c.listNote = tr("Dynamiq lists the conversations of the key's owner, most recently created "
                    "first. It documents no endpoint for a conversation's messages: opening one "
                    "shows its details only.");
    return c;
}

QUrl DynamiqProvider::appBaseUrl(const Workspace &workspace)
{
    QString host = workspace.param(kAppHost).trimmed();
    if (host.isEmpty())
        return {};
    if (!host.contains(u"://"_s))
        host.prepend(u"https://"_s);
    QUrl url(host, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

DynamiqProvider::AuthHint DynamiqProvider::authHint() const
{
    AuthHint h;
    h.configured = workspace().param(kCredentialType).trimmed() == kPersonalToken ? kPersonalToken
                                                                                  : kAccessKey;
    h.looksLike = credentialKindOf(m_endpoint.secret);
    h.keyGiven = !m_endpoint.secret.isEmpty();
    return h;
}

// A 401 says which credential Dynamiq expects here, and whether the key looks like the
// other kind: the platform's own pages disagree on which one the management API takes.
ApiError DynamiqProvider::AuthHint::apply(ApiError error) const
{
    if (error.kind != ApiError::Kind::Auth || !keyGiven)
        return error;
    QString hint;
    if (!looksLike.isEmpty() && looksLike != configured)
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

RequestHandle DynamiqProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                                 QObject *context, Done<ConversationPage> done)
{
    if (cursor.atEnd) {
        ConversationPage empty;
        empty.next = cursor;
        QTimer::singleShot(0, context, [done = std::move(done), empty]() { done(empty); });
        return {};
    }
    const Result<dynamiq::QueryItems> params = dynamiq::listParameters(query, cursor);
    if (!params.ok()) {
        failLater(context, std::move(done), params.error());
        return {};
    }
    HttpRequest request = HttpRequest::get(u"/v1/conversations"_s);
    for (const auto &[key, value] : params.value())
        request.withQuery(key, value);

    const int page = qMax(1, cursor.page);
    const int pageSize = qBound(1, query.pageSize, dynamiq::kMaxPageSize);
    return http()->send(m_endpoint, request, context,
                        [hint = authHint(), context, page, pageSize,
                         done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(hint.apply(r.error));
                                return;
                            }
                            deliverParsed<ConversationPage>(
                                r.body, context,
                                [page, pageSize](const QByteArray &body) {
                                    return dynamiq::parseListPage(body, page, pageSize);
                                },
                                done);
                        });
}

RequestHandle DynamiqProvider::fetchConversation(const QString &id, QObject *context,
                                                 Done<ConversationDetail> done)
{
    if (!dynamiq::isUuid(id)) {
        failLater(
            context, std::move(done),
            ApiError::make(ApiError::Kind::Invalid,
                           tr("“%1” is not a Dynamiq conversation id (a UUID)").arg(id.left(100))));
        return {};
    }
    return http()->send(
        m_endpoint, HttpRequest::get(u"/v1/conversations/"_s + id), context,
        [hint = authHint(), context, done = std::move(done)](const HttpResponse &r) {
            if (!r.ok()) {
                done(hint.apply(r.error));
                return;
            }
            deliverParsed<ConversationDetail>(r.body, context, &dynamiq::parseConversation, done);
        });
}

PlatformInfo dynamiqPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"Dynamiq"_s;
    info.defaultBaseUrl = defaultBaseUrl();
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

std::unique_ptr<Provider> makeDynamiqProvider(const Workspace &workspace, const QByteArray &key,
                                              HttpClient *http)
{
    return std::make_unique<DynamiqProvider>(workspace, key, http);
}

} // namespace parley
