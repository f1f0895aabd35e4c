#include "EchoProvider.h"

#include "EchoMapping.h"

#include "providers/JsonFields.h"
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

} // namespace

EchoProvider::EchoProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                           QObject *parent)
    : Provider(std::move(workspace), http, parent)
{
    // Echo has no public host: the workspace always names one.
    useApi({QUrl(), "X-Echo-Key", {}}, key);
    readErrorsWith(&echo::refineError);
    if (threadsPath().isEmpty())
        refuseReadsWith(ApiError::config(tr("the workspace has no valid room")));
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

Result<Provider::Call<ConversationPage>> EchoProvider::pageCall(const ListQuery &query,
                                                                const PageCursor &cursor) const
{
    HttpRequest request = HttpRequest::get(threadsPath());
    for (auto it = query.filters.cbegin(); it != query.filters.cend(); ++it) {
        const QString value = it.value().trimmed();
        if (value.isEmpty())
            continue;
        if (it.key() != kMood || !capabilities().filters.constFirst().choices.contains(value))
            return ApiError::invalid(tr("Echo filters by mood only (happy or grumpy), not by “%1”.")
                                         .arg(JsonFields::oneLine(it.key() + u'=' + value, 80)));
        request.withQuery(kMood, value);
    }
    const int from = qMax(0, cursor.offset);
    const int count = qBound(1, query.pageSize, kMaxPageSize);
    request.withQuery(u"from"_s, QString::number(from))
        .withQuery(u"count"_s, QString::number(count));
    return Call<ConversationPage>{request, [from, count](const QByteArray &body) {
                                      return echo::parsePage(body, from, count);
                                  }};
}

Result<Provider::Call<ConversationDetail>> EchoProvider::conversationCall(const QString &id) const
{
    if (!isRef(id))
        return ApiError::invalid(
            tr("“%1” is not an Echo thread ref").arg(JsonFields::oneLine(id, 80)));
    return Call<ConversationDetail>{HttpRequest::get(threadsPath() + u'/' + id),
                                    &echo::parseThread};
}

RequestHandle EchoProvider::appendMessage(const QString &conversationId, const QString &text,
                                          QObject *context, Done<QString> done)
{
    const QString path = threadsPath();
    const QString said = text.trimmed();
    ApiError refused;
    if (path.isEmpty())
        refused = ApiError::config(tr("the workspace has no valid room"));
    else if (!isRef(conversationId))
        refused = ApiError::invalid(
            tr("“%1” is not an Echo thread ref").arg(JsonFields::oneLine(conversationId, 80)));
    else if (said.isEmpty() || said.size() > kMaxLineLength)
        refused = ApiError::invalid(tr("An Echo line has 1 to %1 characters.").arg(kMaxLineLength));
    if (refused.isError())
        return refuse(context, std::move(done), refused);
    HttpRequest post = HttpRequest::post(path + u'/' + conversationId + u"/lines"_s,
                                         QJsonDocument(QJsonObject{{u"said"_s, said}}));
    post.idempotent = false;
    return sendParsed(post, context, &echo::parseLineId, std::move(done));
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
