#include "net/ErrorBody.h"

#include "core/JsonText.h"
#include "core/TranslationContext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

namespace parley::ErrorBody {

namespace {

constexpr int kMaxDetail = 200;
constexpr int kMaxTextBytes = 16 * 1024; // of a plain text or HTML body, enough for a title
constexpr qint64 kMaxRetryAfter = 24 * 3600;

const TranslationContext tr{"parley::ErrorBody"};

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

// "input: cannot be blank; name: too long" from {"input": ["cannot be blank"], ...} (and
// {"input": "cannot be blank"} when `scalars`); empty when nothing there is readable.
QString fieldMessages(const QJsonObject &o, bool scalars)
{
    QStringList parts;
    for (auto it = o.begin(); it != o.end() && parts.size() < 3; ++it) {
        QString text = scalars ? valueText(it.value()) : QString();
        const QJsonValue first = it.value().toArray().first();
        if (text.isEmpty() && first.isString())
            text = first.toString();
        if (!text.isEmpty())
            parts << it.key() + QLatin1String(": ") + text;
    }
    return parts.join(QLatin1String("; "));
}

// FastAPI/pydantic: {"detail": [{"loc": ["body", "limit"], "msg": "…", "type": "…"}]}
QString validationList(const QJsonArray &list)
{
    QStringList parts;
    for (const QJsonValue &item : list) {
        if (parts.size() >= 3)
            break;
        const QJsonObject o = item.toObject();
        const QString msg = valueText(o.value(QLatin1String("msg")));
        if (msg.isEmpty())
            continue;
        QStringList loc;
        for (const QJsonValue &part : o.value(QLatin1String("loc")).toArray()) {
            const QString p = valueText(part);
            if (!p.isEmpty() && p != QLatin1String("body") && p != QLatin1String("query"))
                loc << p;
        }
        parts << (loc.isEmpty() ? msg : loc.join(QLatin1Char('.')) + QLatin1String(": ") + msg);
    }
    return parts.join(QLatin1String("; "));
}

QString decodeEntities(QString text)
{
    static const QRegularExpression numeric(QStringLiteral("&#(x?)([0-9a-fA-F]{1,6});"));
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = numeric.match(text, from)).hasMatch()) {
        bool ok = false;
        const char32_t code = m.captured(2).toUInt(&ok, m.capturedLength(1) ? 16 : 10);
        const QString ch =
            ok && code > 0 && code < 0x110000 ? QString::fromUcs4(&code, 1) : QString();
        text.replace(m.capturedStart(), m.capturedLength(), ch);
        from = m.capturedStart() + ch.size();
    }
    static const std::pair<const char *, const char *> named[] = {
        {"&lt;", "<"},   {"&gt;", ">"},         {"&quot;", "\""},      {"&apos;", "'"},
        {"&nbsp;", " "}, {"&mdash;", "\u2014"}, {"&ndash;", "\u2013"}, {"&hellip;", "\u2026"},
        {"&amp;", "&"}, // last: "&amp;lt;" means the text "&lt;"
    };
    for (const auto &[entity, plain] : named)
        text.replace(QLatin1String(entity), QString::fromUtf8(plain));
    return text;
}

QString plainText(const QByteArray &body, const QByteArray &contentType)
{
    QString text = QString::fromUtf8(body.left(kMaxTextBytes));
    const bool html =
        contentType.toLower().contains("html") || text.trimmed().startsWith(QLatin1Char('<'));
    if (!html)
        return clip(text);
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression hidden(
        QStringLiteral("<!--.*?-->|<(script|style|head)\\b[^>]*>.*?</\\1\\s*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>?"));
    const QRegularExpressionMatch m = title.match(text);
    if (m.hasMatch()) {
        QString t = m.captured(1);
        t.replace(tags, QStringLiteral(" "));
        t = clip(decodeEntities(t));
        if (!t.isEmpty())
            return t;
    }
    text.remove(hidden);
    text.replace(tags, QStringLiteral(" "));
    // A tag cut off by the size cap or a stray '<' leaves nothing markup-like behind.
    return clip(decodeEntities(text));
}

} // namespace

void describe(ApiError &error, const QByteArray &body, const QByteArray &contentType)
{
    if (body.trimmed().isEmpty())
        return;
    QJsonParseError pe{};
    const QJsonDocument doc = parseJsonText(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        error.detail = plainText(body, contentType);
        return;
    }
    const QJsonObject o = doc.object();
    QString code;
    QString detail;
    const QJsonValue err = o.value(QLatin1String("error"));
    if (err.isObject()) {
        // Dynamiq, orq.ai: {"error": {"code", "message", "details"?}}
        const QJsonObject e = err.toObject();
        code = valueText(e.value(QLatin1String("code")));
        detail = valueText(e.value(QLatin1String("message")));
        if (detail.isEmpty())
            detail = valueText(e.value(QLatin1String("detail")));
        const QString fields = fieldMessages(e.value(QLatin1String("details")).toObject(), true);
        if (!fields.isEmpty())
            detail = detail.isEmpty() ? fields : detail + QLatin1String(" (") + fields + u')';
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
    if (code.isEmpty())
        code = valueText(o.value(QLatin1String("error_code")));
    const QJsonValue detailValue = o.value(QLatin1String("detail"));
    if (detail.isEmpty())
        detail = valueText(detailValue);
    if (detail.isEmpty() && detailValue.isArray())
        detail = validationList(detailValue.toArray());
    if (detail.isEmpty())
        detail = valueText(o.value(QLatin1String("message")));
    if (detail.isEmpty())
        detail = valueText(o.value(QLatin1String("error_message")));
    // DRF through drf-exceptions-hog: {"type", "code", "detail", "attr": "field"|null}
    const QString attr = valueText(o.value(QLatin1String("attr")));
    if (!attr.isEmpty() && !detail.isEmpty())
        detail = tr("%1 (field “%2”)").arg(detail, attr);
    // Plain DRF validation: {"field": ["This field is required."]}
    if (detail.isEmpty() && code.isEmpty() && err.isUndefined())
        detail = fieldMessages(o, false);
    if (detail.isEmpty() && !code.isEmpty() && !err.isObject())
        detail = code;
    error.code = clip(code);
    error.detail = clip(detail);
}

namespace {

int monthNumber(const QString &name)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; ++i) {
        if (name.compare(QLatin1String(months[i]), Qt::CaseInsensitive) == 0)
            return i + 1;
    }
    return 0;
}

// The three date forms HTTP recipients must accept (RFC 9110, 5.6.7), as UTC.
QDateTime parseHttpDate(const QString &text, const QDateTime &now)
{
    static const QRegularExpression imf(
        QStringLiteral("^[A-Za-z]{3}, (\\d{1,2}) ([A-Za-z]{3}) (\\d{4}) "
                       "(\\d{2}):(\\d{2}):(\\d{2}) (?:GMT|UTC|\\+0000)$"));
    static const QRegularExpression rfc850(
        QStringLiteral("^[A-Za-z]{6,9}, (\\d{2})-([A-Za-z]{3})-(\\d{2}) "
                       "(\\d{2}):(\\d{2}):(\\d{2}) GMT$"));
    static const QRegularExpression asctime(
        QStringLiteral("^[A-Za-z]{3} ([A-Za-z]{3}) {1,2}(\\d{1,2}) "
                       "(\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$"));
    int day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
    QRegularExpressionMatch match;
    if ((match = imf.match(text)).hasMatch()) {
        day = match.captured(1).toInt();
        month = monthNumber(match.captured(2));
        year = match.captured(3).toInt();
        h = match.captured(4).toInt();
        m = match.captured(5).toInt();
        s = match.captured(6).toInt();
    } else if ((match = rfc850.match(text)).hasMatch()) {
        day = match.captured(1).toInt();
        month = monthNumber(match.captured(2));
        year = now.date().year() / 100 * 100 + match.captured(3).toInt();
        if (year > now.date().year() + 50) // RFC 9110: more than 50 years ahead = the past
            year -= 100;
        h = match.captured(4).toInt();
        m = match.captured(5).toInt();
        s = match.captured(6).toInt();
    } else if ((match = asctime.match(text)).hasMatch()) {
        month = monthNumber(match.captured(1));
        day = match.captured(2).toInt();
        h = match.captured(3).toInt();
        m = match.captured(4).toInt();
        s = match.captured(5).toInt();
        year = match.captured(6).toInt();
    } else {
        return {};
    }
    const QDate date(year, month, day);
    const QTime time(h, m, s);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, QTimeZone::utc());
}

} // namespace

int retryAfterSeconds(const QByteArray &value, const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : int(qMin<qint64>(seconds, kMaxRetryAfter));
    const QDateTime when = parseHttpDate(QString::fromLatin1(v), now.toUTC());
    if (!when.isValid())
        return -1;
    // Rounded up: the date means "not before", and `now` has milliseconds the date lacks
    // (truncating 0.95 s to 0 would send the retry early).
    const qint64 ms = now.msecsTo(when);
    return int(qBound<qint64>(0, ms <= 0 ? 0 : (ms + 999) / 1000, kMaxRetryAfter));
}

} // namespace parley::ErrorBody
