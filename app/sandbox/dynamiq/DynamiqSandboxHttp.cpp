#include "sandbox/dynamiq/DynamiqSandboxHttp.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox::dynamiqhttp {

SandboxReply error(int status, const QString &code, const QString &message,
                   const QJsonObject &details)
{
    QJsonObject body{{u"code"_s, code}, {u"message"_s, message}};
    if (!details.isEmpty())
        body.insert(u"details"_s, details);
    return SandboxReply::json(QJsonObject{{u"error"_s, body}}, status);
}

SandboxReply badRequest(const QString &field, const QString &problem)
{
    return error(400, u"bad_request"_s, u"Bad Request"_s, QJsonObject{{field, problem}});
}

SandboxReply notFound()
{
    return error(404, u"not_found"_s, u"Not Found"_s);
}

SandboxReply unauthorized()
{
    return error(401, u"unauthorized"_s, u"Unauthorized"_s);
}

bool isUuid(const QString &text)
{
    static const QRegularExpression re(
        u"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"_s);
    return re.match(text).hasMatch();
}

QByteArray bearer(const SandboxRequest &request)
{
    const QByteArray header = request.header("authorization").trimmed();
    if (!header.startsWith("Bearer "))
        return {};
    return header.mid(7).trimmed();
}

std::optional<SandboxReply> rejectAuth(const SandboxRequest &request, const QByteArray &key)
{
    const QByteArray given = bearer(request);
    if (given.isEmpty() || given != key)
        return unauthorized();
    return std::nullopt;
}

QString origin(const SandboxRequest &request)
{
    QUrl url = request.http.url();
    if (url.host().isEmpty()) { // no Host header: where the server listens (loopback)
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
    }
    return url
        .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                  QUrl::RemoveUserInfo)
        .toString();
}

SandboxReply page(int status, const QString &title, const QString &bodyHtml)
{
    const QString html =
        u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
        u"</head>\n<body style=\"font-family: sans-serif\">\n%2\n</body></html>\n"_s.arg(
            title.toHtmlEscaped(), bodyHtml);
    return SandboxReply::text(html.toUtf8(), status, "text/html; charset=utf-8");
}

void installNotFound(SandboxServer &server, const QString &prefix)
{
    server.route("GET", u"/%1(?:/.*)?"_s.arg(prefix),
                 [](const SandboxRequest &) { return notFound(); });
}

} // namespace parley::sandbox::dynamiqhttp
