#include "providers/dynamiq/DynamiqQuery.h"

#include "core/TranslationContext.h"

#include <QCoreApplication>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley::dynamiq {

namespace {

const TranslationContext tr{"parley::dynamiq"};

FilterSpec uuidFilter(const QString &key, const QString &label, const QString &hint)
{
    FilterSpec s;
    s.key = key;
    s.label = label;
    s.kind = FilterSpec::Kind::Text;
    s.hint = hint;
    return s;
}

} // namespace

QList<FilterSpec> filterSpecs()
{
    return {
        uuidFilter(u"app_id"_s, tr("App ID"),
                   tr("Only conversations of this deployed app (its UUID, e.g. "
                      "affd1d10-9538-4fc8-9e0b-4594a28c1335).")),
        uuidFilter(u"model_id"_s, tr("Model ID"),
                   tr("Only conversations of this hosted conversation model (its UUID).")),
        uuidFilter(u"org_id"_s, tr("Organization ID"),
                   tr("Only conversations of this organization (its UUID).")),
    };
}

QStringList sortFields()
{
    // started_at: the reference's own example (sort=-started_at).
    return {u"created_at"_s, u"updated_at"_s, u"title"_s, u"started_at"_s};
}

bool isUuid(const QString &text)
{
    // 8-4-4-4-12 hexadecimal digits, checked by hand: list pages ask it twice a row.
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const bool hex =
            (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (dash ? c != u'-' : !hex)
            return false;
    }
    return true;
}

Result<QueryItems> listParameters(const ListQuery &query, const PageCursor &cursor)
{
    const QList<FilterSpec> specs = filterSpecs();
    QMap<QString, QString> set;
    for (auto it = query.filters.cbegin(); it != query.filters.cend(); ++it) {
        const QString value = it.value().trimmed();
        if (value.isEmpty())
            continue;
        const auto spec = std::find_if(specs.cbegin(), specs.cend(),
                                       [&](const FilterSpec &s) { return s.key == it.key(); });
        if (spec == specs.cend())
            return ApiError::invalid(
                tr("Dynamiq has no conversation filter “%1”; it offers app_id, "
                   "model_id and org_id.")
                    .arg(it.key()));
        if (!isUuid(value))
            return ApiError::invalid(
                tr("%1 must be a UUID such as 497f6eca-6276-4993-bfeb-53cbbbba6f08, "
                   "not “%2”.")
                    .arg(spec->label, value.left(100)));
        set.insert(spec->key, value.toLower());
    }

    // "created_at,-title": field names, each optionally prefixed with '-'.
    QStringList sort;
    static const QRegularExpression field(u"^-?[A-Za-z_][A-Za-z0-9_.]{0,63}$"_s);
    for (const QString &part : query.sort.split(u',', Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (item.isEmpty())
            continue;
        if (!field.match(item).hasMatch())
            return ApiError::invalid(
                tr("The sort “%1” is not a comma-separated list of field names, "
                   "each optionally prefixed with “-” (e.g. -created_at).")
                    .arg(query.sort.left(100)));
        sort << item;
    }

    QueryItems items;
    for (const FilterSpec &s : specs) {
        if (set.contains(s.key))
            items.append({s.key, set.value(s.key)});
    }
    items.append({u"page"_s, QString::number(qMax(1, cursor.page))});
    items.append({u"page_size"_s, QString::number(qBound(1, query.pageSize, kMaxPageSize))});
    if (!sort.isEmpty())
        items.append({u"sort"_s, sort.join(u',')});
    return items;
}

} // namespace parley::dynamiq
