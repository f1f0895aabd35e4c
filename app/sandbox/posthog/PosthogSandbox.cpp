#include "sandbox/posthog/PosthogSandbox.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

// PostHog's error body (drf-exceptions-hog).
SandboxReply drfError(int status, const QString &type, const QString &code, const QString &detail,
                      const QString &attr = {})
{
    return SandboxReply::json(
        QJsonObject{{u"type"_s, type},
                    {u"code"_s, code},
                    {u"detail"_s, detail},
                    {u"attr"_s, attr.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(attr)}},
        status);
}

// A non-negative integer query parameter; `fallback` when absent, nullopt when malformed.
std::optional<int> intParam(const SandboxRequest &request, const QString &key, int fallback,
                            int minimum)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString text = request.query(key);
    if (!digits.match(text).hasMatch() || text.toInt() < minimum)
        return std::nullopt;
    return text.toInt();
}

// DRF builds `next`/`previous` from the URL the request came in on (its Host header).
QJsonValue pageLink(const SandboxRequest &request, int limit, int offset)
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setAuthority(QString::fromLatin1(request.header("host")));
    url.setPath(request.http.url().path());
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(limit));
    if (offset > 0)
        query.addQueryItem(u"offset"_s, QString::number(offset));
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace

PosthogSandbox::PosthogSandbox(const SandboxOptions &options)
    : SandboxPlatform(options)
    , m_data(options.seed, options.conversations)
{}

QString PosthogSandbox::prefix() const
{
    return u"posthog"_s;
}

void PosthogSandbox::install(SandboxServer &server)
{
    const QString collection = u"/posthog/api/(?:projects|environments)/([^/]+)/conversations/"_s;
    server.route("GET", collection, [this](const SandboxRequest &r) { return list(r); });
    server.route("GET", collection + u"([^/]+)/"_s,
                 [this](const SandboxRequest &r) { return retrieve(r); });
}

std::optional<SandboxReply> PosthogSandbox::rejectAuth(const SandboxRequest &request) const
{
    const QByteArray header = request.header("authorization").trimmed();
    std::optional<SandboxReply> reply;
    if (header.isEmpty())
        reply = drfError(401, u"authentication_error"_s, u"not_authenticated"_s,
                         u"Authentication credentials were not provided."_s);
    else if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != options().key)
        reply = drfError(401, u"authentication_error"_s, u"authentication_failed"_s,
                         u"Personal API key found in request Authorization header is invalid."_s);
    if (reply)
        reply->headers.append(
            qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"api\"")));
    return reply;
}

SandboxReply PosthogSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    // Real DRF silently falls back to the defaults for malformed values; the sandbox
    // answers 400 instead, so that a client sending garbage is caught by the tests.
    const std::optional<int> limitParam = intParam(request, u"limit"_s, kDefaultLimit, 1);
    if (!limitParam)
        return drfError(400, u"validation_error"_s, u"invalid"_s,
                        u"Ensure this value is a positive integer."_s, u"limit"_s);
    const std::optional<int> offsetParam = intParam(request, u"offset"_s, 0, 0);
    if (!offsetParam)
        return drfError(400, u"validation_error"_s, u"invalid"_s,
                        u"Ensure this value is an integer greater than or equal to 0."_s,
                        u"offset"_s);
    const int limit = qMin(*limitParam, kMaxLimit);
    const int offset = *offsetParam;
    const int count = m_data.count();

    QJsonArray results;
    for (int position = offset; position < count && position < offset + limit; ++position)
        results.append(m_data.summary(m_data.indexAtPosition(position)));

    const QJsonValue next =
        offset + limit < count ? pageLink(request, limit, offset + limit) : QJsonValue::Null;
    const QJsonValue previous = offset <= 0 ? QJsonValue(QJsonValue::Null)
                                            : pageLink(request, limit, qMax(0, offset - limit));
    return SandboxReply::json(QJsonObject{{u"count"_s, count},
                                          {u"next"_s, next},
                                          {u"previous"_s, previous},
                                          {u"results"_s, results}});
}

SandboxReply PosthogSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const int index = m_data.indexOf(request.args.value(1));
    if (index < 0)
        return drfError(404, u"invalid_request"_s, u"not_found"_s, u"Not found."_s);
    return SandboxReply::json(m_data.detail(index));
}

} // namespace parley::sandbox
