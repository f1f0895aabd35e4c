#include "core/ApiError.h"

#include <QCoreApplication>

namespace parley {

namespace {
QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("parley::ApiError", text, nullptr, n);
}
} // namespace

ApiError ApiError::make(Kind kind, QString detail, int httpStatus, QString code)
{
    ApiError e;
    e.kind = kind;
    e.detail = std::move(detail);
    e.httpStatus = httpStatus;
    e.code = std::move(code);
    return e;
}

ApiError ApiError::notAnId(const QString &id, const QString &what)
{
    return invalid(tr("“%1” is not %2").arg(id.left(100), what));
}

ApiError ApiError::because(Reason why) const
{
    ApiError e = *this;
    e.reason = why;
    return e;
}

QString ApiError::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return QStringLiteral("none");
    case Reason::QueueFull:
        return QStringLiteral("queue-full");
    case Reason::ConversationBusy:
        return QStringLiteral("conversation-busy");
    case Reason::QueueClosed:
        return QStringLiteral("queue-closed");
    case Reason::ScopeMissing:
        return QStringLiteral("scope-missing");
    case Reason::RunIdNeeded:
        return QStringLiteral("run-id-needed");
    case Reason::NotLoaded:
        return QStringLiteral("not-loaded");
    case Reason::NotOffered:
        return QStringLiteral("not-offered");
    case Reason::CutOff:
        return QStringLiteral("cut-off");
    }
    return QStringLiteral("unknown");
}

ApiError::Kind ApiError::kindForStatus(int s)
{
    if (s < 400)
        return Kind::None;
    switch (s) {
    case 401:
        return Kind::Auth;
    case 402:
        return Kind::Quota;
    case 403:
        return Kind::Forbidden;
    case 404:
    case 410:
        return Kind::NotFound;
    case 408:
        return Kind::Timeout;
    case 409:
        return Kind::Conflict;
    case 429:
        return Kind::RateLimited;
    default:
        break;
    }
    if (s >= 500)
        return Kind::Server;
    return Kind::Invalid;
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Canceled:
        return QStringLiteral("canceled");
    case Kind::Auth:
        return QStringLiteral("auth");
    case Kind::Forbidden:
        return QStringLiteral("forbidden");
    case Kind::NotFound:
        return QStringLiteral("not-found");
    case Kind::Conflict:
        return QStringLiteral("conflict");
    case Kind::RateLimited:
        return QStringLiteral("rate-limited");
    case Kind::Quota:
        return QStringLiteral("quota");
    case Kind::Invalid:
        return QStringLiteral("invalid");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::BadResponse:
        return QStringLiteral("bad-response");
    case Kind::Config:
        return QStringLiteral("config");
    }
    return QStringLiteral("unknown");
}

QString ApiError::message() const
{
    QString what;
    QString todo;
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Network:
        what = tr("Could not reach the server");
        todo = tr("Check the base URL and your network connection, then retry.");
        break;
    case Kind::Timeout:
        what = tr("The server did not answer in time");
        todo = tr("Retry; if it keeps happening the platform may be overloaded.");
        break;
    case Kind::Canceled:
        what = tr("Canceled");
        break;
    case Kind::Auth:
        what = tr("The platform rejected the API key");
        todo = tr("Edit the workspace and enter a valid key.");
        break;
    case Kind::Forbidden:
        what = tr("The API key is not allowed to do this");
        todo = reason == Reason::ScopeMissing
                   ? tr("Give the key the scope named above, or use a key that has it.")
                   : tr("Use a key with the required scope or project access.");
        break;
    case Kind::NotFound:
        what = tr("Not found");
        todo = tr("Check the ids in the workspace settings; the item may have been deleted.");
        break;
    case Kind::Conflict:
        what = tr("The conversation is busy");
        todo = tr("Wait for the current run to finish, or queue the message.");
        break;
    case Kind::RateLimited:
        what = tr("Too many requests");
        todo = retryAfterSeconds >= 0
                   ? tr("The platform asks to wait %n second(s).", retryAfterSeconds)
                   : tr("Wait a little and retry.");
        break;
    case Kind::Quota:
        what = tr("The account has run out of quota or credits");
        todo = tr("Check the plan or billing on the platform.");
        break;
    case Kind::Invalid:
        what = tr("The platform rejected the request");
        todo = tr("Check the filters and ids you entered.");
        break;
    case Kind::Server:
        // Gateways and overload say "not now"; anything else is the platform's own failure.
        if (httpStatus == 502 || httpStatus == 503 || httpStatus == 504) {
            what = tr("The platform is unavailable for now");
            todo = tr("Retry in a few minutes; the platform's status page may say more.");
        } else {
            what = tr("The platform had an internal error");
            todo = tr("Retry later.");
        }
        break;
    case Kind::BadResponse:
        what = tr("The server sent a response Parley cannot read");
        // An answer cut short is a dropped connection, not a wrong server.
        todo = reason == Reason::CutOff
                   ? tr("Retry; the connection dropped before the whole answer arrived.")
                   : tr("Check that the base URL points at the platform's API.");
        break;
    case Kind::Config:
        what = tr("The request was not sent");
        todo = tr("Fix the workspace settings.");
        break;
    }
    QString line = what;
    if (httpStatus > 0)
        line += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!detail.isEmpty())
        line += QStringLiteral(": ") + detail;
    if (!line.endsWith(QLatin1Char('.')))
        line += QLatin1Char('.');
    if (!todo.isEmpty())
        line += QLatin1Char(' ') + todo;
    return line;
}

} // namespace parley
