#pragma once

#include "sandbox/SandboxServer.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// What both Dynamiq emulations (management host and app host) answer with: Dynamiq's error
// body, its auth check, its 404 for unknown paths.
namespace parley::sandbox::dynamiqhttp {

// {"error": {"code", "message", "details"?}}.
SandboxReply error(int status, const QString &code, const QString &message,
                   const QJsonObject &details = {});
SandboxReply badRequest(const QString &field, const QString &problem);
SandboxReply notFound();
SandboxReply unauthorized();

bool isUuid(const QString &text);

// The credential of `Authorization: Bearer <credential>`; empty when the header is absent
// or of another scheme.
QByteArray bearer(const SandboxRequest &request);
// 401 unless the request carries `Bearer <key>`.
std::optional<SandboxReply> rejectAuth(const SandboxRequest &request, const QByteArray &key);

// "http://127.0.0.1:PORT" of the server the request reached (links the sandbox hands out
// point back at it).
QString origin(const SandboxRequest &request);

// A small HTML page (what a browser sees on the hosted pages).
SandboxReply page(int status, const QString &title, const QString &bodyHtml);

// A GET of any path under `prefix` that no route took: Dynamiq's 404 body. (Other methods
// keep the server's answers: 405 on a known path, 404 elsewhere.) Install it last.
void installNotFound(SandboxServer &server, const QString &prefix);

} // namespace parley::sandbox::dynamiqhttp
