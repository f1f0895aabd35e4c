#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace parley::Redaction {

// True for headers whose values are secrets (Authorization, x-api-key, X-TOKEN, Cookie, any
// name containing key/token/secret/pass/auth/session/credential/signature...), any case.
bool isSecretHeader(const QByteArray &name);
// The headers with secret values replaced by "<redacted>", for logs: by name, and by value
// for values that look like keys (phx_…, sk-…, JWTs, "Bearer …") under any name.
QList<QPair<QByteArray, QByteArray>> headers(const QList<QPair<QByteArray, QByteArray>> &list);
// A URL for logs: no user info, no fragment, and query items named like secrets (or whose
// values look like keys) replaced by "redacted".
QString url(const QUrl &url);

} // namespace parley::Redaction
