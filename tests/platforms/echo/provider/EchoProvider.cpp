#include "EchoProvider.h"

#include "EchoMapping.h"

#include "providers/JsonFields.h"
#include "providers/ParsedDelivery.h"
#include "providers/ProviderRegistry.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::EchoProvider", text);
}

const QString kPlatform = u"echo"_s;
const QString kRoom = u"room"_s;
const QString kMood = u"mood"_s;
const QString kRoomPattern = u"[a-z][a-z0-9-]{0,39}"_s;

bool isRef(const QString &id)
{
    static const QRegularExpression re(u"^[0-9a-f]{8}-[0-9]{1,6}$"_s);
    return re.match(id).hasMatch();
}

ApiError invalid(const QString &detail)
{
    return ApiError::make(ApiError::Kind::Invalid, detail);
}

} // namespace

EchoProvider::EchoProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                           QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    m_endpoint.baseUrl = this->workspace().baseUrl;
    m_endpoint.authHeader = "X-Echo-Key";
    m_endpoint.secret = key.trimmed();
}

QString EchoProvider::platform() const
{
    return kPlatform;
}

Capabilities EchoProvider::capabilities() const
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                Capabilities::Append;
    c.paging = PageCursor::Style::Offset;
    c.maxPageSize = kMaxPageSize;
    c.maxMessageLength = kMaxLineLength;
    FilterSpec mood;
    mood.key = kMood;
    mood.label = tr("Mood");
    mood.kind = FilterSpec::Kind::Choice;
    mood.choices = {u"happy"_s, u"grumpy"_s};
    mood.hint = tr("Only the threads in this mood.");
    c.filters << mood;
    c.listNote = tr("Echo lists a room's threads, newest first.");
    return c;
}

QString EchoProvider::threadsPath() const
{
    const QString room = workspace().param(kRoom).trimmed();
    if (!QRegularExpression(QRegularExpression::anchoredPattern(kRoomPattern))
             .match(room)
             .hasMatch())
        return {};
    return u"/v1/rooms/"_s + room + u"/threads"_s;
}

RequestHandle EchoProvider::listConversations(const ListQuery &query, const PageCursor &cursor,
                                              QObject *context, Done<ConversationPage> done)
{
    const QString path = threadsPath();
    if (path.isEmpty()) {
        failLater(context, std::move(done),
                  ApiError::make(ApiError::Kind::Config, tr("the workspace has no valid room")));
        return {};
    }
    if (cursor.atEnd) {
        ConversationPage empty;
        empty.next = cursor;
        QTimer::singleShot(0, context, [done = std::move(done), empty]() { done(empty); });
        return {};
    }
    HttpRequest request = HttpRequest::get(path);
    for (auto it = query.filters.cbegin(); it != query.filters.cend(); ++it) {
        const QString value = it.value().trimmed();
        if (value.isEmpty())
            continue;
        if (it.key() != kMood || !capabilities().filters.constFirst().choices.contains(value)) {
            failLater(context, std::move(done),
                      invalid(tr("Echo filters by mood only (happy or grumpy), not by “%1”.")
                                  .arg(JsonFields::oneLine(it.key() + u'=' + value, 80))));
            return {};
        }
        request.withQuery(kMood, value);
    }
    const int from = qMax(0, cursor.offset);
    const int count = qBound(1, query.pageSize, kMaxPageSize);
    request.withQuery(u"from"_s, QString::number(from))
        .withQuery(u"count"_s, QString::number(count));
    return http()->send(m_endpoint, request, context,
                        [context, from, count, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(echo::refineError(r.error, r.body));
                                return;
                            }
                            deliverParsed<ConversationPage>(
                                r.body, context,
                                [from, count](const QByteArray &body) {
                                    return echo::parsePage(body, from, count);
                                },
                                done);
                        });
}

RequestHandle EchoProvider::fetchConversation(const QString &id, QObject *context,
                                              Done<ConversationDetail> done)
{
    const QString path = threadsPath();
    if (path.isEmpty() || !isRef(id)) {
        failLater(
            context, std::move(done),
            path.isEmpty()
                ? ApiError::make(ApiError::Kind::Config, tr("the workspace has no valid room"))
                : invalid(tr("“%1” is not an Echo thread ref").arg(JsonFields::oneLine(id, 80))));
        return {};
    }
    return http()->send(m_endpoint, HttpRequest::get(path + u'/' + id), context,
                        [context, done = std::move(done)](const HttpResponse &r) {
                            if (!r.ok()) {
                                done(echo::refineError(r.error, r.body));
                                return;
                            }
                            deliverParsed<ConversationDetail>(r.body, context, &echo::parseThread,
                                                              done);
                        });
}

RequestHandle EchoProvider::appendMessage(const QString &conversationId, const QString &text,
                                          QObject *context, Done<QString> done)
{
    const QString path = threadsPath();
    const QString said = text.trimmed();
    ApiError refused;
    if (path.isEmpty())
        refused = ApiError::make(ApiError::Kind::Config, tr("the workspace has no valid room"));
    else if (!isRef(conversationId))
        refused = invalid(
            tr("“%1” is not an Echo thread ref").arg(JsonFields::oneLine(conversationId, 80)));
    else if (said.isEmpty() || said.size() > kMaxLineLength)
        refused = invalid(tr("An Echo line has 1 to %1 characters.").arg(kMaxLineLength));
    if (refused.isError()) {
        failLater(context, std::move(done), refused);
        return {};
    }
    HttpRequest post = HttpRequest::post(path + u'/' + conversationId + u"/lines"_s,
                                         QJsonDocument(QJsonObject{{u"said"_s, said}}));
    post.idempotent = false;
    return http()->send(m_endpoint, post, context, [done = std::move(done)](const HttpResponse &r) {
        done(r.ok() ? echo::parseLineId(r.body)
                    : Result<QString>(echo::refineError(r.error, r.body)));
    });
}

PlatformInfo echoPlatformInfo()
{
    PlatformInfo info;
    info.id = kPlatform;
    info.displayName = u"Echo (test)"_s;
    info.keyHint = tr("Any key the Echo server accepts");
    WorkspaceField room;
    room.key = kRoom;
    room.label = tr("Room");
    room.placeholder = u"lobby"_s;
    room.pattern = kRoomPattern;
    room.hint = tr("The room whose threads to list.");
    info.fields << room;
    return info;
}

std::unique_ptr<Provider> makeEchoProvider(const Workspace &workspace, const QByteArray &key,
                                           HttpClient *http)
{
    return std::make_unique<EchoProvider>(workspace, key, http);
}

} // namespace parley

PARLEY_REGISTER_PLATFORM(parley::echoPlatformInfo, parley::makeEchoProvider)
