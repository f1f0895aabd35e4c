#include "providers/dynamiq/DynamiqWriteMapping.h"

#include "core/TranslationContext.h"

#include "net/HttpClient.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqQuery.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::dynamiq {

namespace {

const TranslationContext tr{"parley::dynamiq"};

const QString kAppId = u"app_id"_s;
const QString kModelId = u"model_id"_s;
const QString kOrgId = u"org_id"_s;

const QString kUuidPattern =
    u"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"_s;

ApiError badResponse(const QString &detail)
{
    return ApiError::make(ApiError::Kind::BadResponse, detail);
}

WorkspaceField uuidField(const QString &key, const QString &label, bool required,
                         const QString &hint)
{
    WorkspaceField f;
    f.key = key;
    f.label = label;
    f.required = required;
    f.placeholder = u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s;
    f.pattern = kUuidPattern;
    f.hint = hint;
    return f;
}

// "scheme://host[:port]" of a link, for messages: never its path or query, which may
// carry a token.
QString originOf(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

} // namespace

QList<WorkspaceField> createFields()
{
    WorkspaceField app = uuidField(kAppId, tr("App ID"), true,
                                   tr("The deployed app the conversation talks to (its UUID). "
                                      "Give this or a model ID, not both."));
    app.exclusiveWith = kModelId;
    WorkspaceField model =
        uuidField(kModelId, tr("Model ID"), true,
                  tr("The hosted conversation model the conversation talks to (its UUID). "
                     "Give this or an app ID, not both."));
    model.exclusiveWith = kAppId;
    WorkspaceField org = uuidField(kOrgId, tr("Organization ID"), false,
                                   tr("Optional: the organization the conversation belongs to "
                                      "(its UUID); Dynamiq picks the key's own when empty."));
    return {app, model, org};
}

Result<QJsonObject> createBody(const NewConversation &request)
{
    for (auto it = request.params.cbegin(); it != request.params.cend(); ++it) {
        if (it.key() != kAppId && it.key() != kModelId && it.key() != kOrgId &&
            !it.value().trimmed().isEmpty())
            return ApiError::invalid(
                tr("Dynamiq takes no “%1” when creating a conversation; it takes "
                   "app_id or model_id, and org_id")
                    .arg(JsonFields::oneLine(it.key(), 60)));
    }
    const QString app = request.params.value(kAppId).trimmed();
    const QString model = request.params.value(kModelId).trimmed();
    const QString org = request.params.value(kOrgId).trimmed();
    if (app.isEmpty() && model.isEmpty())
        return ApiError::invalid(tr("give an app ID or a model ID: a Dynamiq conversation talks to "
                                    "exactly one deployed app or one conversation model"));
    if (!app.isEmpty() && !model.isEmpty())
        return ApiError::invalid(
            tr("give an app ID or a model ID, not both: a Dynamiq conversation "
               "talks to exactly one deployed app or one conversation model"));
    const struct
    {
        const QString &value;
        QString label;
    } ids[] = {{app, tr("app ID")}, {model, tr("model ID")}, {org, tr("organization ID")}};
    for (const auto &id : ids) {
        if (!id.value.isEmpty() && !isUuid(id.value))
            return ApiError::invalid(tr("the %1 “%2” is not a UUID (like "
                                        "affd1d10-9538-4fc8-9e0b-4594a28c1335)")
                                         .arg(id.label, JsonFields::oneLine(id.value, 100)));
    }

    QJsonObject body;
    const QString title = request.title.trimmed();
    if (!title.isEmpty())
        body.insert(u"title"_s, title);
    if (!app.isEmpty())
        body.insert(kAppId, app.toLower());
    else
        body.insert(kModelId, model.toLower());
    if (!org.isEmpty())
        body.insert(kOrgId, org.toLower());
    return body;
}

Result<Conversation> parseCreated(const QByteArray &body)
{
    return readData<Conversation>(body, u"new conversation:"_s,
                                  [](const QJsonObject &data, JsonFields &f) {
                                      Conversation c = conversationFromJson(data, f);
                                      if (c.id.isEmpty())
                                          f.fail(tr("it has no 'id'"));
                                      return c;
                                  });
}

QJsonObject messageBody(const QString &text)
{
    return QJsonObject{
        {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}}};
}

Turn userTurn(const QString &id, const QString &text, const QDateTime &sentAt)
{
    Turn t;
    t.id = id;
    t.role = Turn::Role::User;
    t.typeLabel = u"user"_s;
    t.timestamp = sentAt.toUTC();
    t.state = Turn::State::Done;
    Fragment f;
    f.kind = Fragment::Kind::Text;
    f.text = text;
    t.fragments.append(f);
    return t;
}

Requirement requirementFromJson(const QJsonObject &o, JsonFields &f)
{
    Requirement r;
    r.id = f.stringOrNumber(o, u"id"_s);
    r.type = f.string(o, u"type"_s);
    r.name = f.string(o, u"name"_s);
    r.title = f.string(o, u"title"_s);
    r.description = f.string(o, u"description"_s);

    const QJsonObject form = f.object(o, u"form"_s);
    JsonFields ff(u"in 'form',"_s);
    const QString formTitle = ff.string(form, u"title"_s);
    const QString formDescription = ff.string(form, u"description"_s);
    f.absorb(ff);
    if (!formTitle.isEmpty())
        r.title = formTitle;
    if (!formDescription.isEmpty())
        r.description = formDescription;

    const QJsonObject spec = f.object(o, u"spec"_s);
    JsonFields sf(u"in 'spec',"_s);
    const QString specType = sf.string(spec, u"type"_s);
    const QJsonObject data = sf.object(spec, u"data"_s);
    JsonFields sdf(u"in 'spec.data',"_s);
    r.appSlug = sdf.string(data, u"app_slug"_s);
    sf.absorb(sdf);
    f.absorb(sf);
    if (r.type.isEmpty())
        r.type = specType;
    if (r.title.isEmpty())
        r.title = r.name.isEmpty() ? r.appSlug : r.name;
    r.satisfied = false;
    return r;
}

Result<RequirementStatus> parseRequirementStatus(const QByteArray &body, const QString &userId)
{
    return JsonFields::readObject<RequirementStatus>(
        body, u"requirements status:"_s, [&userId](const QJsonObject &o, JsonFields &f) {
            if (JsonFields::absent(o, u"status"_s) && JsonFields::absent(o, u"unsatisfied"_s))
                f.fail(u"it has neither 'status' nor 'unsatisfied'"_s);
            RequirementStatus s;
            s.userId = userId;
            s.status = f.string(o, u"status"_s);
            const QJsonArray rows = f.array(o, u"unsatisfied"_s);
            f.eachObject(rows, u"unsatisfied"_s,
                         [&](const QJsonObject &row, JsonFields &rf, qsizetype) {
                             const Requirement r = requirementFromJson(row, rf);
                             if (r.id.isEmpty())
                                 rf.fail(u"it has no 'id'"_s);
                             s.unsatisfied.append(r);
                         });
            return s;
        });
}

Result<ConnectToken> parseConnectToken(const QByteArray &body)
{
    return JsonFields::readObject<ConnectToken>(body, u"connect token:"_s,
                                                [](const QJsonObject &o, JsonFields &f) {
                                                    ConnectToken t;
                                                    const QString token = f.string(o, u"token"_s);
                                                    const QString url = f.string(o, u"url"_s);
                                                    t.expiresAt = f.isoTime(o, u"expires_at"_s);
                                                    if (token.trimmed().isEmpty())
                                                        f.fail(tr("it has no 'token'"));
                                                    t.token = token.trimmed().toUtf8();
                                                    if (!url.isEmpty()) {
                                                        const Result<QUrl> page = linkUrl(url);
                                                        if (page.ok())
                                                            t.url = page.value();
                                                    }
                                                    return t;
                                                });
}

Result<QUrl> parseAuthorizeUrl(const QByteArray &body)
{
    const Result<QString> read = JsonFields::readObject<QString>(
        body, u"authorization:"_s, [](const QJsonObject &o, JsonFields &f) {
            f.require(o, u"data"_s);
            JsonFields df(u"authorization: in 'data',"_s);
            const QString url = df.string(f.object(o, u"data"_s), u"url"_s);
            f.absorb(df);
            if (url.isEmpty())
                f.fail(tr("it has no 'url'"));
            return url;
        });
    if (!read.ok())
        return read.error();
    return linkUrl(read.value());
}

Result<QUrl> linkUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return badResponse(tr("Dynamiq sent a link that is not a web address"));
    const QString scheme = url.scheme().toLower();
    if (scheme == "https"_L1 || (scheme == "http"_L1 && HttpClient::isLoopback(url)))
        return url.adjusted(QUrl::RemoveUserInfo);
    return ApiError::config(tr("Dynamiq sent a link to %1; Parley opens only https pages (plain "
                               "http only on this computer), so it was not opened")
                                .arg(originOf(url)));
}

bool isPathSegment(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9._~-]{1,200}$"_s);
    return re.match(id).hasMatch() && id != "."_L1 && id != ".."_L1;
}

} // namespace parley::dynamiq
