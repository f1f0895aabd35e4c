#include "net/Redaction.h"

#include <QUrlQuery>

namespace parley::Redaction {

namespace {

// Parts of a header or query item name that mark its value as a secret. Broad on purpose:
// redacting a harmless value costs nothing, logging a key cannot be undone.
bool secretName(const QString &lower)
{
    static const char *const marks[] = {"key",    "token",     "secret",  "pass",
                                        "auth",   "cookie",    "session", "credential",
                                        "bearer", "signature", "jwt"};
    for (const char *mark : marks) {
        if (lower.contains(QLatin1String(mark)))
            return true;
    }
    return false;
}

// Values that look like keys whatever their name: known key prefixes, JWTs, bearer values.
bool secretValue(const QString &value)
{
    static const char *const prefixes[] = {"phx_",    "sk-",       "sk_",    "ctok_",   "eyJ",
                                           "Bearer ", "Bearer%20", "Basic ", "Basic%20"};
    for (const char *prefix : prefixes) {
        if (value.startsWith(QLatin1String(prefix)))
            return true;
    }
    return false;
}

} // namespace

bool isSecretHeader(const QByteArray &name)
{
    return secretName(QString::fromLatin1(name.trimmed()).toLower());
}

QList<QPair<QByteArray, QByteArray>> headers(const QList<QPair<QByteArray, QByteArray>> &list)
{
    QList<QPair<QByteArray, QByteArray>> out;
    out.reserve(list.size());
    for (const auto &[name, value] : list) {
        const bool secret = isSecretHeader(name) || secretValue(QString::fromLatin1(value));
        out.append({name, secret ? QByteArray("<redacted>") : value});
    }
    return out;
}

QString url(const QUrl &in)
{
    // User info can hold a password; a fragment never reaches the server but can hold an
    // OAuth access_token.
    QUrl u = in.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    if (u.hasQuery()) {
        const QUrlQuery q(u);
        QUrlQuery cleaned;
        bool changed = false;
        for (const auto &[key, value] : q.queryItems(QUrl::FullyEncoded)) {
            const bool secret = secretName(QUrl::fromPercentEncoding(key.toUtf8()).toLower()) ||
                                secretValue(QUrl::fromPercentEncoding(value.toUtf8()));
            changed |= secret;
            cleaned.addQueryItem(key, secret ? QStringLiteral("redacted") : value);
        }
        if (changed)
            u.setQuery(cleaned);
    }
    return u.toString(QUrl::FullyEncoded);
}

} // namespace parley::Redaction
