#include "net/Redaction.h"

#include <QUrlQuery>

namespace parley::Redaction {

namespace {

bool secretName(const QString &lower)
{
    return lower.contains(QLatin1String("key")) || lower.contains(QLatin1String("token")) ||
           lower.contains(QLatin1String("secret")) || lower.contains(QLatin1String("password")) ||
           lower.contains(QLatin1String("auth"));
}

} // namespace

bool isSecretHeader(const QByteArray &name)
{
    const QString lower = QString::fromLatin1(name).toLower();
    return lower == QLatin1String("cookie") || lower == QLatin1String("set-cookie") ||
           secretName(lower);
}

QList<QPair<QByteArray, QByteArray>> headers(const QList<QPair<QByteArray, QByteArray>> &list)
{
    QList<QPair<QByteArray, QByteArray>> out;
    out.reserve(list.size());
    for (const auto &[name, value] : list)
        out.append({name, isSecretHeader(name) ? QByteArray("<redacted>") : value});
    return out;
}

QString url(const QUrl &in)
{
    QUrl u = in.adjusted(QUrl::RemoveUserInfo);
    QUrlQuery q(u);
    const auto items = q.queryItems(QUrl::FullyEncoded);
    bool changed = false;
    QUrlQuery cleaned;
    for (const auto &[key, value] : items) {
        const bool secret = secretName(key.toLower());
        changed |= secret;
        cleaned.addQueryItem(key, secret ? QStringLiteral("redacted") : value);
    }
    if (changed)
        u.setQuery(cleaned);
    return u.toString(QUrl::FullyEncoded);
}

} // namespace parley::Redaction
