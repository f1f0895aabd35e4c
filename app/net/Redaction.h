#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace parley::Redaction {

// True for headers whose values are secrets (Authorization, x-api-key, X-TOKEN, Cookie...).
bool isSecretHeader(const QByteArray &name);
// The headers with secret values replaced by "<redacted>", for logs.
QList<QPair<QByteArray, QByteArray>> headers(const QList<QPair<QByteArray, QByteArray>> &list);
// A URL for logs: no user info, and query items named like secrets redacted.
QString url(const QUrl &url);

} // namespace parley::Redaction
