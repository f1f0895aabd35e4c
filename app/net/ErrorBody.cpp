#include "net/ErrorBody.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

namespace parley::ErrorBody {

namespace {

constexpr int kMaxDetail = 200;

QString clip(QString text)
{
    text = text.simplified();
    if (text.size() > kMaxDetail)
        text = text.left(kMaxDetail - 1) + QChar(0x2026);
    return text;
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble());
    return {};
}

QString plainText(const QByteArray &body, const QByteArray &contentType)
{
    QString text = QString::fromUtf8(body.left(4096));
    const bool html = contentType.contains("html") || text.trimmed().startsWith(QLatin1Char('<'));
    if (html) {
        static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                              QRegularExpression::CaseInsensitiveOption |
                                                  QRegularExpression::DotMatchesEverythingOption);
        const QRegularExpressionMatch m = title.match(text);
        if (m.hasMatch())
            return clip(m.captured(1));
        static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
        static const QRegularExpression scripts(QStringLiteral("<(script|style)[^>]*>.*?</\\1>"),
                                                QRegularExpression::CaseInsensitiveOption |
                                                    QRegularExpression::DotMatchesEverythingOption);
        text.remove(scripts);
        text.replace(tags, QStringLiteral(" "));
    }
    return clip(text);
}

} // namespace

void describe(ApiError &error, const QByteArray &body, const QByteArray &contentType)
{
    if (body.trimmed().isEmpty())
        return;
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        error.detail = plainText(body, contentType);
        return;
    }
    const QJsonObject o = doc.object();
    QString code;
    QString detail;
    const QJsonValue err = o.value(QLatin1String("error"));
    if (err.isObject()) {
        const QJsonObject e = err.toObject();
        code = valueText(e.value(QLatin1String("code")));
        detail = valueText(e.value(QLatin1String("message")));
        if (detail.isEmpty())
            detail = valueText(e.value(QLatin1String("detail")));
    } else if (err.isString()) {
        // PostHog actions: {"error": "queue_full", "detail": "…"} or {"error": "Sentence."}
        const QString text = err.toString();
        if (o.contains(QLatin1String("detail")))
            code = text;
        else
            detail = text;
    }
    if (code.isEmpty())
        code = valueText(o.value(QLatin1String("code")));
    if (detail.isEmpty())
        detail = valueText(o.value(QLatin1String("detail")));
    if (detail.isEmpty())
        detail = valueText(o.value(QLatin1String("message")));
    if (detail.isEmpty() && !code.isEmpty() && !err.isObject())
        detail = code;
    error.code = clip(code);
    error.detail = clip(detail);
}

int retryAfterSeconds(const QByteArray &value, const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : int(qMin<qint64>(seconds, 24 * 3600));
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return -1;
    when.setTimeSpec(Qt::UTC);
    const qint64 delta = now.secsTo(when);
    return int(qBound<qint64>(0, delta, qint64(24) * 3600));
}

} // namespace parley::ErrorBody
