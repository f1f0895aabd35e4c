#include "sandbox/dynamiq/DynamiqAppSandbox.h"

#include "sandbox/dynamiq/DynamiqSandboxHttp.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

using namespace dynamiqhttp;

namespace {

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

SandboxReply invalidLink()
{
    return page(400, u"Link not valid"_s,
                u"<p>This link is not valid or has expired. Ask for a new one.</p>"_s);
}

} // namespace

DynamiqAppSandbox::DynamiqAppSandbox(const SandboxOptions &options,
                                     std::shared_ptr<DynamiqSandboxState> state)
    : SandboxPlatform(options, u"dynamiq-app"_s)
    , m_state(state ? std::move(state) : std::make_shared<DynamiqSandboxState>(options.seed))
{}

void DynamiqAppSandbox::install(SandboxServer &server)
{
    server.route("GET", u"/dynamiq-app/v1/requirements/status"_s, this,
                 &DynamiqAppSandbox::requirementsStatus);
    server.route("POST", u"/dynamiq-app/v1/connect/tokens"_s, this,
                 &DynamiqAppSandbox::connectToken);
    server.route("POST", u"/dynamiq-app/v1/runs/([^/]+)/cancel"_s, this,
                 &DynamiqAppSandbox::cancelRun);
    server.route("GET", u"/dynamiq-app/v1/runs/([^/]+)"_s, this, &DynamiqAppSandbox::getRun);
    server.route("GET", u"/dynamiq-app/v1/runs/([^/]+)/stream"_s, this,
                 &DynamiqAppSandbox::streamRun);
    server.route("GET", u"/dynamiq-app/connect"_s, this, &DynamiqAppSandbox::connectPage);
    server.route("GET", u"/dynamiq-app/connect/visit"_s, this, &DynamiqAppSandbox::visit);
    // Last: routes added after this line would never be reached.
    installNotFound(server, prefix());
}

// Every end user starts with the app's requirements unmet; linking (visit) and
// credentials (management host) meet them one by one. All met: status "complete" (the
// documents do not show that word; "unsatisfied" empty is what clients should test).
SandboxReply DynamiqAppSandbox::requirementsStatus(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request, options().key))
        return *rejected;
    const QString user = request.query(u"user_id"_s).trimmed();
    if (user.isEmpty())
        return badRequest(u"user_id"_s, u"cannot be blank"_s);
    QJsonArray unsatisfied;
    for (const QJsonObject &r : m_state->requirements()) {
        if (!m_state->isSatisfied(user, r.value(u"id"_s).toString()))
            unsatisfied.append(r);
    }
    return SandboxReply::json(
        QJsonObject{{u"status"_s, unsatisfied.isEmpty() ? u"complete"_s : u"incomplete"_s},
                    {u"unsatisfied"_s, unsatisfied}});
}

SandboxReply DynamiqAppSandbox::connectToken(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request, options().key))
        return *rejected;
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return badRequest(u"body"_s, u"must be a JSON object"_s);
    const QJsonValue user = body.value(u"user_id"_s);
    if (!user.isString() || user.toString().trimmed().isEmpty())
        return badRequest(u"user_id"_s, u"cannot be blank"_s);
    const DynamiqSandboxState::Grant grant = m_state->mintToken(user.toString().trimmed(), now());
    QUrl url(origin(request) + u"/dynamiq-app/connect"_s);
    QUrlQuery query;
    query.addQueryItem(u"token"_s, QString::fromLatin1(grant.token));
    url.setQuery(query);
    return SandboxReply::json(QJsonObject{
        {u"token"_s, QString::fromLatin1(grant.token)},
        {u"url"_s, url.toString(QUrl::FullyEncoded)},
        {u"expires_at"_s, DynamiqSandboxData::rfc3339(grant.expiresAt.toSecsSinceEpoch())},
    });
}

SandboxReply DynamiqAppSandbox::cancelRun(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request, options().key))
        return *rejected;
    const QString id = request.args.value(0);
    if (!isUuid(id))
        return badRequest(u"run_id"_s, u"must be a valid UUID"_s);
    if (!m_state->cancelRun(id.toLower()))
        return notFound();
    // Documented as idempotent: a run already over answers the same.
    return SandboxReply::json(QJsonObject{{u"message"_s, u"canceled"_s}});
}

std::optional<DynamiqSandboxState::Run>
DynamiqAppSandbox::findRun(const SandboxRequest &request,
                           std::optional<SandboxReply> *rejected) const
{
    if (auto r = rejectAuth(request, options().key)) {
        *rejected = r;
        return std::nullopt;
    }
    const QString id = request.args.value(0);
    if (!isUuid(id)) {
        *rejected = badRequest(u"run_id"_s, u"must be a valid UUID"_s);
        return std::nullopt;
    }
    auto run = m_state->run(id.toLower());
    if (!run || !run->script || !run->clock) {
        *rejected = notFound();
        return std::nullopt;
    }
    return run;
}

// The run object of the terminal events, as it stands: started (with the text so far),
// completed or canceled.
SandboxReply DynamiqAppSandbox::getRun(const SandboxRequest &request) const
{
    std::optional<SandboxReply> rejected;
    const auto run = findRun(request, &rejected);
    if (!run)
        return *rejected;
    const int written = run->clock->written();
    const QString status = run->clock->finished() ? u"completed"_s
                           : run->canceled        ? u"canceled"_s
                                                  : u"started"_s;
    return SandboxReply::json(QJsonObject{
        {u"id"_s, run->script->runId},
        {u"object"_s, u"run"_s},
        {u"status"_s, status},
        {u"conversation_id"_s, run->conversationId},
        {u"created_at"_s, DynamiqSandboxData::rfc3339(run->clock->startedAt().toSecsSinceEpoch())},
        {u"output"_s, QJsonObject{{u"content"_s, run->script->answerAfterFrames(written)}}},
    });
}

// The run's events after `after_sequence`, those written already at once and the rest as
// they are written; the stream ends with the run (run.completed, or run.canceled).
SandboxReply DynamiqAppSandbox::streamRun(const SandboxRequest &request) const
{
    std::optional<SandboxReply> rejected;
    const auto run = findRun(request, &rejected);
    if (!run)
        return *rejected;
    qint64 after = 0;
    if (request.hasQuery(u"after_sequence"_s)) {
        static const QRegularExpression digits(u"^-?[0-9]{1,15}$"_s);
        const QString text = request.query(u"after_sequence"_s).trimmed();
        if (!digits.match(text).hasMatch())
            return badRequest(u"after_sequence"_s, u"must be an integer"_s);
        after = text.toLongLong();
        if (after < 0)
            return badRequest(u"after_sequence"_s, u"must be no less than 0"_s);
    }
    const auto script = run->script;
    const auto clock = run->clock;
    QList<QByteArray> frames;
    QList<int> index; // frames[k] is the script's frame index[k]
    for (qsizetype i = 0; i < script->frames.size(); ++i) {
        if (script->sequenceOf(i) > after) {
            frames << script->frames.at(i);
            index << int(i);
        }
    }
    const QByteArray type = "text/event-stream; charset=utf-8";
    if (frames.isEmpty() && run->canceled) { // nothing after `after` but the end
        const int written = clock->written();
        QList<QByteArray> last;
        if (script->sequenceOf(written) > after)
            last << script->canceledFrame(written);
        SandboxReply reply = SandboxReply::stream(type, last, 0);
        reply.streamed = true;
        return reply;
    }
    SandboxReply reply = SandboxReply::stream(type, frames, options().streamIntervalMs);
    reply.frameDueInMs = [clock, index](qsizetype k) {
        return clock->msUntilWritten(index.value(k) + 1);
    };
    const std::shared_ptr<DynamiqSandboxState> state = m_state;
    const QString runId = script->runId;
    reply.keepGoing = [state, runId]() { return !state->isCanceled(runId); };
    reply.stopFrame = [script, clock, after](qsizetype) {
        const int written = clock->written();
        return script->sequenceOf(written) > after ? script->canceledFrame(written) : QByteArray();
    };
    return reply;
}

// The hosted connect page (Dynamiq's own is on app.getdynamiq.ai): the user's unmet
// requirements, each account a link to its linking page.
SandboxReply DynamiqAppSandbox::connectPage(const SandboxRequest &request)
{
    const auto grant = m_state->grant(request.query(u"token"_s).trimmed().toLatin1(), now());
    if (!grant)
        return invalidLink();
    QString items;
    for (const QJsonObject &r : m_state->requirements()) {
        const QString id = r.value(u"id"_s).toString();
        if (m_state->isSatisfied(grant->userId, id))
            continue;
        const QString title = r.value(u"form"_s).toObject().value(u"title"_s).toString();
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1) {
            QUrl visitUrl(origin(request) + u"/dynamiq-app/connect/visit"_s);
            QUrlQuery q;
            q.addQueryItem(u"token"_s, m_state->mintLink(*grant, id));
            q.addQueryItem(u"requirement"_s, id);
            visitUrl.setQuery(q);
            items += u"<li><a href=\"%1\">%2</a></li>\n"_s.arg(
                visitUrl.toString(QUrl::FullyEncoded).toHtmlEscaped(), title.toHtmlEscaped());
        } else {
            items += u"<li>%1: enter the credentials in the app that sent you here.</li>\n"_s.arg(
                title.toHtmlEscaped());
        }
    }
    if (items.isEmpty())
        return page(200, u"All connected"_s,
                    u"<p>Everything is connected. You can close this tab.</p>"_s);
    return page(200, u"Connect your accounts"_s,
                u"<h1>Connect your accounts</h1>\n<ul>\n"_s + items + u"</ul>"_s);
}

// What linking the account at the connector's page amounts to: the requirement is met for
// the user the link was made for.
SandboxReply DynamiqAppSandbox::visit(const SandboxRequest &request)
{
    const auto link = m_state->link(request.query(u"token"_s).trimmed(), now());
    if (!link || link->requirementId != request.query(u"requirement"_s).trimmed())
        return invalidLink();
    m_state->satisfy(link->userId, link->requirementId);
    return page(200, u"Account linked"_s, u"<p>Account linked. You can close this tab.</p>"_s);
}

} // namespace parley::sandbox
