#include "rules/InputRules.h"

#include "core/TranslationContext.h"

#include "net/HttpClient.h"
#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley::InputRules {

namespace {

const TranslationContext tr{"parley::InputRules"};

QString joined(const QStringList &values)
{
    return values.join(u", "_s);
}

// True when `value` matches all of `pattern`; a pattern that does not compile refuses nothing.
bool matches(const QString &pattern, const QString &value)
{
    if (pattern.isEmpty())
        return true;
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    return !re.isValid() || re.match(value).hasMatch();
}

// Workspace settings and create fields are both WorkspaceFields; they differ only in how
// a problem is said (a settings form vs. a request being written).
enum class Wording
{
    Setting,
    Request
};

QString missing(Wording w, const WorkspaceField &f)
{
    return w == Wording::Setting ? tr("%1 is required.").arg(f.label)
                                 : tr("Enter the %1.").arg(f.label);
}

QString missingEither(Wording w, const WorkspaceField &a, const WorkspaceField &b)
{
    return w == Wording::Setting ? tr("%1 or %2 is required.").arg(a.label, b.label)
                                 : tr("Enter the %1 or the %2.").arg(a.label, b.label);
}

QString both(Wording w, const WorkspaceField &a, const WorkspaceField &b)
{
    return w == Wording::Setting ? tr("Set either %1 or %2, not both.").arg(a.label, b.label)
                                 : tr("Give the %1 or the %2, not both.").arg(a.label, b.label);
}

QString notAChoice(Wording w, const WorkspaceField &f)
{
    return w == Wording::Setting ? tr("The %1 must be one of: %2.").arg(f.label, joined(f.choices))
                                 : tr("Choose one of: %1.").arg(joined(f.choices));
}

QString noMatch(Wording w, const WorkspaceField &f, const QString &value)
{
    if (w == Wording::Setting)
        return f.placeholder.isEmpty() ? tr("“%1” is not a valid %2.").arg(value, f.label)
                                       : tr("“%1” is not a valid %2 (expected something like %3).")
                                             .arg(value, f.label, f.placeholder);
    return f.placeholder.isEmpty()
               ? tr("This is not a valid %1.").arg(f.label)
               : tr("This is not a valid %1 (for example %2).").arg(f.label, f.placeholder);
}

// The value's own problem (JSON, choices, then pattern); empty when it fits or is empty.
QString valueProblem(Wording w, const WorkspaceField &f, const QString &value)
{
    if (value.isEmpty())
        return {};
    if (const QString problem = jsonProblem(f.format, value); !problem.isEmpty())
        return problem;
    if (!f.choices.isEmpty() && !f.choicesOpen && !f.choices.contains(value))
        return notAChoice(w, f);
    if (!matches(f.pattern, value))
        return noMatch(w, f, value);
    return {};
}

// The index of the field `f` excludes, or -1.
qsizetype partnerOf(const QList<WorkspaceField> &fields, const WorkspaceField &f)
{
    if (f.exclusiveWith.isEmpty() || f.exclusiveWith == f.key)
        return -1;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (fields.at(i).key == f.exclusiveWith)
            return i;
    }
    return -1;
}

Problems checkFields(Wording w, const QList<WorkspaceField> &fields,
                     const QMap<QString, QString> &values, const QStringList &chosen)
{
    Problems out;
    auto valueOf = [&](const WorkspaceField &f) { return values.value(f.key).trimmed(); };
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const WorkspaceField &f = fields.at(i);
        const QString value = valueOf(f);
        const qsizetype at = partnerOf(fields, f);
        const WorkspaceField *partner = at < 0 ? nullptr : &fields.at(at);
        const bool partnerFirst = at >= 0 && at < i;
        const bool partnerSet = partner && !valueOf(*partner).isEmpty();
        if (!value.isEmpty()) {
            QString problem = valueProblem(w, f, value);
            // Both of a pair set: said at the second, the first's own value still checked.
            if (problem.isEmpty() && partnerSet && partnerFirst)
                problem = both(w, *partner, f);
            if (!problem.isEmpty())
                out.insert(f.key, problem);
            continue;
        }
        if (!partner) {
            if (f.required)
                out.insert(f.key, missing(w, f));
            continue;
        }
        // Neither of a pair set: the chosen one must be; without a choice, one of the two.
        if (partnerSet || chosen.contains(partner->key))
            continue;
        if (chosen.contains(f.key) || !partner->required) {
            if (f.required)
                out.insert(f.key, missing(w, f));
        } else if (f.required && !partnerFirst) {
            out.insert(f.key, missingEither(w, f, *partner));
        }
    }
    return out;
}

} // namespace

QString checkBaseUrl(const QUrl &url, const PlatformInfo &info)
{
    if (!url.isValid())
        return tr("The base URL is not a valid address.");
    const QString scheme = url.scheme().toLower();
    if (url.isRelative() || (scheme != "https"_L1 && scheme != "http"_L1))
        return info.defaultBaseUrl.isEmpty()
                   ? tr("The base URL must start with https://.")
                   : tr("The base URL must start with https:// (for example %1).")
                         .arg(info.defaultBaseUrl.toString());
    if (url.host().isEmpty())
        return tr("The base URL has no host name.");
    if (!url.userInfo().isEmpty())
        return tr("The base URL must not contain a user name or password; enter the API key in "
                  "its own field.");
    if (url.hasQuery() || url.hasFragment())
        return tr("The base URL must not contain “?” or “#” parts.");
    // The same rule the HTTP layer enforces, said before the workspace is saved.
    if (scheme == "http"_L1 && !HttpClient::isLoopback(url))
        return tr("Plain http:// would send the API key unencrypted over the network: use "
                  "https://. Plain http:// is allowed only for addresses on this computer, "
                  "such as 127.0.0.1.");
    return {};
}

Problems checkWorkspace(const Workspace &workspace, const PlatformInfo &info)
{
    if (info.id.isEmpty()) {
        return {{QString::fromUtf16(kPlatformKey),
                 tr("Parley does not know the platform “%1”.").arg(workspace.platform)}};
    }
    Problems out = checkFields(Wording::Setting, info.fields, workspace.params, {});
    // An empty base URL means the platform's default.
    if (!workspace.baseUrl.isEmpty() || info.defaultBaseUrl.isEmpty()) {
        const QString problem = checkBaseUrl(workspace.baseUrl, info);
        if (!problem.isEmpty())
            out.insert(QString::fromUtf16(kBaseUrlKey), problem);
    }
    return out;
}

bool fits(const WorkspaceField &field, const QString &value)
{
    const QString v = value.trimmed();
    return !v.isEmpty() && valueProblem(Wording::Setting, field, v).isEmpty();
}

QString jsonProblem(WorkspaceField::Format format, const QString &value)
{
    if (format == WorkspaceField::Format::Text || value.trimmed().isEmpty())
        return {};
    // Wrapped in an array, so that any JSON value parses (a document is an object or array).
    QJsonParseError error;
    const QByteArray wrapped = "[" + value.toUtf8() + "\n]";
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return error.error != QJsonParseError::NoError && error.offset > 1 &&
                       error.offset <= value.toUtf8().size()
                   ? tr("Not valid JSON: %1 at character %2.")
                         .arg(error.errorString())
                         .arg(error.offset - 1) // the opening bracket added above
                   : tr("Not valid JSON.");
    if (format == WorkspaceField::Format::JsonObject && !doc.array().at(0).isObject())
        return tr("This must be a JSON object, such as {\"name\": \"value\"}.");
    return {};
}

Problems checkFields(const QList<WorkspaceField> &fields, const QMap<QString, QString> &params)
{
    return checkFields(Wording::Request, fields, params, {});
}

Problems checkCreateFields(const QList<WorkspaceField> &fields,
                           const QMap<QString, QString> &params, const QStringList &chosen)
{
    return checkFields(Wording::Request, fields, params, chosen);
}

QString checkMessageLength(const Capabilities &capabilities, const QString &text)
{
    const int limit = capabilities.maxMessageLength;
    if (limit <= 0 || text.size() <= limit)
        return {};
    const QLocale locale;
    return tr("The platform takes at most %1 characters; this is %2.")
        .arg(locale.toString(limit), locale.toString(qsizetype(text.size())));
}

Problems checkNewConversation(const Capabilities &capabilities, const NewConversation &request,
                              const QStringList &chosen)
{
    Problems out = checkCreateFields(capabilities.createFields, request.params, chosen);
    const QString text = request.text.trimmed();
    const QString key = QString::fromUtf16(kTextKey);
    if (capabilities.createNeedsText && text.isEmpty())
        out.insert(key, tr("Write the first message: the platform starts a conversation with "
                           "one."));
    if (const QString tooLong = checkMessageLength(capabilities, text); !tooLong.isEmpty())
        out.insert(key, tooLong);
    return out;
}

QString checkFilter(const FilterSpec &spec, const QString &value, QString *normalized)
{
    QString v = value.trimmed();
    QString problem;
    if (!v.isEmpty()) {
        switch (spec.kind) {
        case FilterSpec::Kind::Text:
            if (!matches(spec.pattern, v))
                problem = spec.patternHint.isEmpty() ? tr("Not a valid %1.").arg(spec.label)
                                                     : spec.patternHint;
            break;
        case FilterSpec::Kind::Choice:
            if (!spec.choices.isEmpty() && !spec.choices.contains(v))
                problem = tr("“%1” is not one of: %2.").arg(v, joined(spec.choices));
            break;
        case FilterSpec::Kind::Bool:
            v = v.toLower();
            if (v != "true"_L1 && v != "false"_L1)
                problem = tr("“%1” is neither true nor false.").arg(value.trimmed());
            break;
        case FilterSpec::Kind::DateTime: {
            const QDateTime time = JsonFields::parseIsoTime(v);
            if (time.isValid())
                v = JsonFields::toIsoUtc(time);
            else
                problem = tr("“%1” is not a date and time like 2026-01-31T09:00:00Z.").arg(v);
            break;
        }
        }
    }
    if (normalized)
        *normalized = problem.isEmpty() ? v : QString();
    return problem;
}

Problems checkFilters(const QList<FilterSpec> &specs, const QMap<QString, QString> &filters,
                      QMap<QString, QString> *normalized)
{
    Problems out;
    QStringList offered;
    for (const FilterSpec &spec : specs)
        offered << spec.key;
    for (auto it = filters.cbegin(); it != filters.cend(); ++it) {
        if (!offered.contains(it.key()))
            out.insert(it.key(), offered.isEmpty()
                                     ? tr("The platform offers no list filters.")
                                     : tr("The platform offers no such filter; it offers: %1.")
                                           .arg(joined(offered)));
    }
    QMap<QString, QString> sent;
    for (qsizetype i = 0; i < specs.size(); ++i) {
        const FilterSpec &spec = specs.at(i);
        QString value;
        const QString problem = checkFilter(spec, filters.value(spec.key), &value);
        if (!problem.isEmpty()) {
            out.insert(spec.key, problem);
            continue;
        }
        if (value.isEmpty())
            continue;
        // Two that exclude each other: said at the later one, as the filter bar blocks it.
        const auto excludes = [&](const FilterSpec &other) {
            return (spec.exclusiveWith == other.key || other.exclusiveWith == spec.key) &&
                   !filters.value(other.key).trimmed().isEmpty();
        };
        const auto earlier = std::find_if(specs.cbegin(), specs.cbegin() + i, excludes);
        if (earlier != specs.cbegin() + i) {
            out.insert(spec.key, tr("%1 cannot be combined with %2: clear one of them.")
                                     .arg(spec.label, earlier->label));
            continue;
        }
        sent.insert(spec.key, value);
    }
    if (normalized)
        *normalized = sent;
    return out;
}

QString checkSort(const QStringList &sortFields, const QString &sort)
{
    if (sort.trimmed().isEmpty())
        return {};
    if (sortFields.isEmpty())
        return tr("The platform offers no server-side sort.");
    // "-created_at,title": fields in order of precedence, "-" before one for descending.
    QStringList seen;
    for (const QString &part : sort.split(u',')) {
        const QString item = part.trimmed();
        const QString field = item.startsWith(u'-') ? item.mid(1) : item;
        if (field.isEmpty())
            return tr("“%1” has an empty sort field; write fields separated by commas, such as "
                      "-created_at,title.")
                .arg(sort.trimmed());
        if (!sortFields.contains(field))
            return tr("“%1” is not a sort field; the sort fields are: %2 (with “-” before the "
                      "field for descending order, several separated by commas).")
                .arg(field, joined(sortFields));
        if (seen.contains(field))
            return tr("%1 is named twice in the sort.").arg(field);
        seen << field;
    }
    return {};
}

int maxPageSize(const Capabilities &capabilities)
{
    return qMax(1, capabilities.maxPageSize);
}

QString checkPageSize(const Capabilities &capabilities, int pageSize)
{
    const int most = maxPageSize(capabilities);
    if (pageSize >= 1 && pageSize <= most)
        return {};
    return tr("The page size is a whole number from 1 to %1.").arg(most);
}

Problems checkListQuery(const Capabilities &capabilities, const ListQuery &query,
                        ListQuery *normalized)
{
    ListQuery sent = query;
    Problems out = checkFilters(capabilities.filters, query.filters, &sent.filters);
    if (const QString p = checkSort(capabilities.sortFields, query.sort); !p.isEmpty())
        out.insert(QString::fromUtf16(kSortKey), p);
    if (const QString p = checkPageSize(capabilities, query.pageSize); !p.isEmpty())
        out.insert(QString::fromUtf16(kPageSizeKey), p);
    if (normalized)
        *normalized = sent;
    return out;
}

ListQuery sanitized(const ListQuery &query, const Capabilities &capabilities)
{
    ListQuery out;
    out.pageSize = query.pageSize;
    for (const FilterSpec &spec : capabilities.filters) {
        const QString value = query.filters.value(spec.key);
        if (!value.isEmpty())
            out.filters.insert(spec.key, value);
    }
    if (!query.sort.isEmpty() && checkSort(capabilities.sortFields, query.sort).isEmpty())
        out.sort = query.sort;
    return out;
}

} // namespace parley::InputRules
