#include "providers/JsonFields.h"

#include "core/JsonText.h"
#include "providers/Rfc3339.h"

#include <cmath>
#include <cstring>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

namespace parley {

namespace {

QString typeNameOf(QJsonValue::Type t)
{
    switch (t) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("text");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("null");
    }
}

// Depth of nesting of brackets outside strings; cheap pre-check so that a hostile body
// cannot exhaust the stack of a recursive consumer. A string is skipped by looking for its
// closing quote (memchr) rather than byte by byte: list pages are mostly text.
int nestingDepth(const QByteArray &body, int limit)
{
    const char *p = body.constData();
    const char *const end = p + body.size();
    int depth = 0;
    int maxDepth = 0;
    while (p < end) {
        const char c = *p++;
        if (c == '"') {
            const char *const start = p;
            for (;;) {
                const auto *quote = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
                if (!quote)
                    return maxDepth; // an unterminated string: the parser reports it
                const char *b = quote;
                while (b > start && b[-1] == '\\')
                    --b;
                p = quote + 1;
                if ((quote - b) % 2 == 0) // not escaped: the string ends here
                    break;
            }
        } else if (c == '{' || c == '[') {
            maxDepth = qMax(maxDepth, ++depth);
            if (maxDepth > limit)
                return maxDepth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return maxDepth;
}

bool parseDocument(const QByteArray &body, QJsonDocument *doc, ApiError *error, int maxDepth)
{
    if (body.trimmed().isEmpty()) {
        *error = ApiError::make(ApiError::Kind::BadResponse, QStringLiteral("the body is empty"));
        return false;
    }
    if (nestingDepth(body, maxDepth) > maxDepth) {
        *error = ApiError::make(
            ApiError::Kind::BadResponse,
            QStringLiteral("the JSON is nested more than %1 levels deep").arg(maxDepth));
        return false;
    }
    QJsonParseError pe{};
    *doc = parseJsonText(body, &pe); // invalid UTF-8 reads as U+FFFD
    if (pe.error != QJsonParseError::NoError) {
        *error = ApiError::make(ApiError::Kind::BadResponse,
                                QStringLiteral("not valid JSON (%1 at offset %2)")
                                    .arg(pe.errorString())
                                    .arg(pe.offset));
        return false;
    }
    return true;
}

} // namespace

bool JsonFields::typeOk(const QJsonValue &v, QJsonValue::Type want, const QString &key,
                        const char *expected)
{
    if (v.isUndefined() || v.isNull())
        return false;
    if (v.type() == want)
        return true;
    fail(QStringLiteral("field '%1' is %2, expected %3")
             .arg(key, typeNameOf(v.type()), QString::fromLatin1(expected)));
    return false;
}

QString JsonFields::string(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return typeOk(v, QJsonValue::String, key, "text") ? v.toString() : QString();
}

std::optional<qint64> JsonFields::wholeNumber(const QJsonValue &v, const QString &key)
{
    // A JSON number is a double; outside qint64's range (or not finite) a cast would be
    // undefined behaviour, so such a value is reported instead.
    const double d = v.toDouble();
    constexpr double limit = 9223372036854775808.0; // 2^63
    if (!std::isfinite(d) || d >= limit || d < -limit) {
        fail(QStringLiteral("field '%1' is out of range").arg(key));
        return std::nullopt;
    }
    return qint64(d);
}

QString JsonFields::stringOrNumber(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (v.isDouble()) {
        const auto n = wholeNumber(v, key);
        return n ? QString::number(*n) : QString();
    }
    return typeOk(v, QJsonValue::String, key, "text") ? v.toString() : QString();
}

qint64 JsonFields::integer(const QJsonObject &o, const QString &key, qint64 fallback)
{
    const QJsonValue v = o.value(key);
    if (!typeOk(v, QJsonValue::Double, key, "a number"))
        return fallback;
    return wholeNumber(v, key).value_or(fallback);
}

bool JsonFields::boolean(const QJsonObject &o, const QString &key, bool fallback)
{
    const QJsonValue v = o.value(key);
    return typeOk(v, QJsonValue::Bool, key, "a boolean") ? v.toBool() : fallback;
}

QJsonObject JsonFields::object(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return typeOk(v, QJsonValue::Object, key, "an object") ? v.toObject() : QJsonObject();
}

QJsonArray JsonFields::array(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return typeOk(v, QJsonValue::Array, key, "a list") ? v.toArray() : QJsonArray();
}

QDateTime JsonFields::isoTime(const QJsonObject &o, const QString &key)
{
    const QString text = string(o, key);
    if (text.isEmpty())
        return {};
    const QDateTime t = parseIsoTime(text);
    if (!t.isValid())
        fail(QStringLiteral("field '%1' is not a date and time").arg(key));
    return t;
}

QDateTime JsonFields::msTime(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (v.isString()) { // tolerate ISO text where milliseconds were documented
        const QDateTime t = parseIsoTime(v.toString());
        if (!t.isValid())
            fail(QStringLiteral("field '%1' is not a date and time").arg(key));
        return t;
    }
    if (!typeOk(v, QJsonValue::Double, key, "milliseconds since 1970"))
        return {};
    const auto ms = wholeNumber(v, key);
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC) : QDateTime();
}

QString JsonFields::jsonText(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    switch (v.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble());
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return {};
    }
}

void JsonFields::absorb(const JsonFields &nested)
{
    if (nested.failed())
        fail(nested.error().detail);
}

QByteArray JsonFields::compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    // A scalar: written inside a list, then taken out of it ("[5]" gives "5").
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QString JsonFields::notAnObject(const QString &name, qsizetype index, const QJsonValue &value)
{
    return QStringLiteral("%1[%2] is %3, expected an object")
        .arg(name)
        .arg(index)
        .arg(typeNameOf(value.type()));
}

QString JsonFields::typeName(const QJsonValue &value)
{
    return typeNameOf(value.type());
}

QString JsonFields::oneLine(const QString &text, int max)
{
    QString s = text.simplified();
    if (s.size() > max)
        s = s.left(max - 1).trimmed() + QChar(0x2026);
    return s;
}

void JsonFields::fail(const QString &problem)
{
    if (m_problem.isEmpty())
        m_problem = problem;
}

bool JsonFields::require(const QJsonObject &o, const QString &key)
{
    if (!absent(o, key))
        return true;
    fail(QStringLiteral("it has no '%1'").arg(key));
    return false;
}

bool JsonFields::absent(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    return v.isUndefined() || v.isNull();
}

ApiError JsonFields::error() const
{
    if (m_problem.isEmpty())
        return {};
    return ApiError::make(ApiError::Kind::BadResponse, name() + QLatin1Char(' ') + m_problem);
}

JsonFields JsonFields::element(const QString &list, qsizetype index)
{
    JsonFields f(QString{});
    f.m_list = list;
    f.m_index = index;
    return f;
}

JsonFields JsonFields::element(const QString &outer, qsizetype outerIndex, const QString &list,
                               qsizetype index)
{
    JsonFields f = element(list, index);
    f.m_outer = outer;
    f.m_outerIndex = outerIndex;
    return f;
}

JsonFields JsonFields::inside(const QString &key)
{
    JsonFields f(QString{});
    f.m_list = key;
    f.m_inside = true;
    return f;
}

QString JsonFields::name() const
{
    if (m_inside)
        return QStringLiteral("in '%1',").arg(m_list);
    if (m_index < 0)
        return m_what;
    if (m_outerIndex < 0)
        return QStringLiteral("in %1[%2],").arg(m_list).arg(m_index);
    return QStringLiteral("in %1[%2].%3[%4],")
        .arg(m_outer)
        .arg(m_outerIndex)
        .arg(m_list)
        .arg(m_index);
}

bool JsonFields::parseObject(const QByteArray &body, QJsonObject *out, ApiError *error,
                             int maxDepth)
{
    QJsonDocument doc;
    if (!parseDocument(body, &doc, error, maxDepth))
        return false;
    if (!doc.isObject()) {
        *error = ApiError::make(ApiError::Kind::BadResponse,
                                QStringLiteral("expected a JSON object at the top level"));
        return false;
    }
    *out = doc.object();
    return true;
}

bool JsonFields::parseArray(const QByteArray &body, QJsonArray *out, ApiError *error, int maxDepth)
{
    QJsonDocument doc;
    if (!parseDocument(body, &doc, error, maxDepth))
        return false;
    if (!doc.isArray()) {
        *error = ApiError::make(ApiError::Kind::BadResponse,
                                QStringLiteral("expected a JSON list at the top level"));
        return false;
    }
    *out = doc.array();
    return true;
}

QDateTime JsonFields::parseIsoTime(const QString &text)
{
    const QDateTime fast = readRfc3339(text); // the usual forms, read by hand
    return fast.isValid() ? fast : parseIsoTimeWithQt(text);
}

QDateTime JsonFields::parseIsoTimeWithQt(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid()) {
        // Python's isoformat with microseconds: 2025-05-01T10:00:00.123456+00:00
        static const QRegularExpression micro(QStringLiteral("(\\.\\d{3})\\d+"));
        QString trimmed = text;
        trimmed.replace(micro, QStringLiteral("\\1"));
        t = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    }
    if (!t.isValid())
        return {};
    if (t.timeSpec() == Qt::LocalTime) // no offset given: platforms mean UTC
        t.setTimeSpec(Qt::UTC);
    return t.toUTC();
}

QString JsonFields::toIsoUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const QDateTime utc = time.toUTC();
    return utc.time().msec() ? utc.toString(Qt::ISODateWithMs) : utc.toString(Qt::ISODate);
}

} // namespace parley
