#pragma once

#include "core/Conversation.h"
#include "core/NewConversation.h"
#include "core/Requirement.h"
#include "core/Result.h"
#include "core/Turn.h"
#include "providers/Capabilities.h"
#include "providers/JsonFields.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

// The write side of Dynamiq's APIs as pure functions: request bodies checked before they
// are sent, and answers mapped to core/ types. No I/O, no globals. See README.md beside
// this file for the endpoints.
namespace parley::dynamiq {

// The create fields (NewConversation::params keys): app_id and model_id, exactly one of
// them (each a UUID), and org_id (optional UUID).
QList<WorkspaceField> createFields();

// POST /v1/conversations: {title?, app_id | model_id, org_id?}, or an Invalid error
// saying what to change (neither or both of app_id / model_id, a value that is not a UUID,
// a field Dynamiq does not take). Empty values count as absent.
Result<QJsonObject> createBody(const NewConversation &request);

// {"data": Conversation} → the new conversation (its id is required).
Result<Conversation> parseCreated(const QByteArray &body);

// POST /v3/conversations/{id}/messages: {"content": [{"type": "text", "text": …}]}.
QJsonObject messageBody(const QString &text);

// The user's own message as the transcript shows it while the reply streams: Dynamiq does
// not echo it, so it is made from the request.
Turn userTurn(const QString &id, const QString &text, const QDateTime &sentAt);

// GET {app}/v1/requirements/status?user_id= → {"status", "unsatisfied": [...]}.
Result<RequirementStatus> parseRequirementStatus(const QByteArray &body, const QString &userId);
// One item of `unsatisfied` (also of the connect API's requirement list, whose title and
// description sit at the top level instead of under `form`).
Requirement requirementFromJson(const QJsonObject &o, JsonFields &f);

// POST {app}/v1/connect/tokens → {"token", "url", "expires_at"}. The token is required;
// a hosted-page `url` that linkUrl() refuses is left empty rather than offered.
Result<ConnectToken> parseConnectToken(const QByteArray &body);

// POST /v1/connect/requirements/{id}/pipedream/authorize → {"data": {"url"}}: the page that
// links the account, checked by linkUrl().
Result<QUrl> parseAuthorizeUrl(const QByteArray &body);

// A page Parley may open in the browser for the user: https, or plain http only to this
// computer (the sandbox), exactly as HttpClient allows requests. Otherwise a Config error
// (or BadResponse when it is not an address at all).
Result<QUrl> linkUrl(const QString &text);

// True for an id that can stand as one path segment (no '/', not "." or "..").
bool isPathSegment(const QString &id);

} // namespace parley::dynamiq
