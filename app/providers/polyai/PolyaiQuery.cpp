#include "providers/polyai/PolyaiQuery.h"

#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley::polyai {

namespace {

const TranslationContext tr{"parley::polyai"};

FilterSpec spec(const QString &key, const QString &label, FilterSpec::Kind kind,
                const QString &hint, const QStringList &choices = {},
                const QString &exclusiveWith = {})
{
    FilterSpec s;
    s.key = key;
    s.label = label;
    s.kind = kind;
    s.hint = hint;
    s.choices = choices;
    s.exclusiveWith = exclusiveWith;
    return s;
}

QString versionName(ApiVersion version)
{
    return version == ApiVersion::V1 ? u"v1"_s : u"v3"_s;
}

// "true"/"false" for the spellings a person or a settings file may use; empty otherwise.
QString boolText(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v == "true"_L1 || v == "1"_L1 || v == "yes"_L1)
        return u"true"_s;
    if (v == "false"_L1 || v == "0"_L1 || v == "no"_L1)
        return u"false"_s;
    return {};
}

} // namespace

int maxPageSize(ApiVersion version)
{
    return version == ApiVersion::V1 ? 5000 : 1000;
}

QList<FilterSpec> filterSpecs(ApiVersion version)
{
    using K = FilterSpec::Kind;
    QList<FilterSpec> out;
    out << spec(u"client_env"_s, tr("Environment"), K::Choice,
                tr("Which deployment's conversations to list; PolyAI lists only live ones when "
                   "none is chosen."),
                {u"sandbox"_s, u"pre-release"_s, u"live"_s});
    out << spec(u"start_time"_s, tr("Started after"), K::DateTime,
                tr("Start of the time range (ISO 8601), e.g. 2026-05-01T00:00:00Z."));
    out << spec(u"end_time"_s, tr("Started before"), K::DateTime,
                tr("End of the time range (ISO 8601)."));
    out << spec(u"variant_id"_s, tr("Variant ID"), K::Text,
                tr("Only conversations of this variant; cannot be combined with the variant "
                   "name."),
                {}, u"variant_name"_s);
    out << spec(u"variant_name"_s, tr("Variant name"), K::Text,
                tr("Only conversations of the variant with this name; cannot be combined with "
                   "the variant ID."),
                {}, u"variant_id"_s);
    out << spec(u"in_progress"_s, tr("In progress"), K::Bool,
                tr("Yes: only calls still running. No: only finished ones. Unset: all."));
    if (version == ApiVersion::V1) {
        out << spec(u"include_context_state"_s, tr("Include context state"), K::Bool,
                    tr("Adds the agent's internal dialogue state to each conversation (large)."));
        return out;
    }
    out << spec(u"channel"_s, tr("Channels"), K::Text,
                tr("One or more channels, separated by commas, e.g. voice, chat."));
    out << spec(u"query_type"_s, tr("Search mode"), K::Choice,
                tr("transcript: full-text search of the transcripts; semantic: similarity "
                   "search. Needs search text; cannot be combined with sampling."),
                {u"transcript"_s, u"semantic"_s}, u"sample"_s);
    out << spec(u"query"_s, tr("Search text"), K::Text,
                tr("What to search for; needs a search mode."));
    out << spec(u"turn_type"_s, tr("Search in"), K::Choice,
                tr("Transcript search only: the user's or the agent's side."),
                {u"user"_s, u"agent"_s});
    out << spec(u"sample"_s, tr("Sample"), K::Choice,
                tr("random: a random sample of the conversations in the time range; cannot be "
                   "combined with a search."),
                {u"random"_s}, u"query_type"_s);
    out << spec(u"include_latency"_s, tr("Include latency"), K::Bool,
                tr("Adds the agent's latency to each turn."));
    return out;
}

Result<QueryItems> listParameters(const ListQuery &query, ApiVersion version,
                                  const PageCursor &cursor)
{
    const QList<FilterSpec> specs = filterSpecs(version);
    QueryItems items;
    QMap<QString, QString> set; // the filters that carry a value, normalised

    for (auto it = query.filters.begin(); it != query.filters.end(); ++it) {
        const QString value = it.value().trimmed();
        if (value.isEmpty())
            continue;
        const FilterSpec *found = nullptr;
        for (const FilterSpec &s : specs) {
            if (s.key == it.key())
                found = &s;
        }
        if (!found)
            return ApiError::invalid(
                tr("PolyAI's %1 API has no filter “%2”.").arg(versionName(version), it.key()));
        QString sent = value;
        switch (found->kind) {
        case FilterSpec::Kind::Choice:
            if (!found->choices.contains(value))
                return ApiError::invalid(
                    tr("%1 must be one of: %2.").arg(found->label, found->choices.join(u", "_s)));
            break;
        case FilterSpec::Kind::Bool:
            sent = boolText(value);
            if (sent.isEmpty())
                return ApiError::invalid(tr("%1 must be yes or no.").arg(found->label));
            break;
        case FilterSpec::Kind::DateTime: {
            const QDateTime t = JsonFields::parseIsoTime(value);
            if (!t.isValid())
                return ApiError::invalid(tr("%1 is not a date and time in ISO 8601 form "
                                            "(e.g. 2026-05-01T09:30:00Z): “%2”.")
                                             .arg(found->label, value));
            sent = JsonFields::toIsoUtc(t);
            break;
        }
        case FilterSpec::Kind::Text:
            break;
        }
        set.insert(found->key, sent);
    }

    for (const FilterSpec &s : specs) {
        if (!s.exclusiveWith.isEmpty() && set.contains(s.key) && set.contains(s.exclusiveWith)) {
            const FilterSpec *other = nullptr;
            for (const FilterSpec &o : specs) {
                if (o.key == s.exclusiveWith)
                    other = &o;
            }
            return ApiError::invalid(
                tr("Set either %1 or %2, not both: PolyAI accepts only one of them.")
                    .arg(s.label, other ? other->label : s.exclusiveWith));
        }
    }
    if (set.contains(u"start_time"_s) && set.contains(u"end_time"_s) &&
        JsonFields::parseIsoTime(set.value(u"start_time"_s)) >
            JsonFields::parseIsoTime(set.value(u"end_time"_s)))
        return ApiError::invalid(tr("The start of the time range is after its end."));
    if (version == ApiVersion::V3) {
        if (set.contains(u"query_type"_s) && !set.contains(u"query"_s))
            return ApiError::invalid(tr("A search mode needs search text."));
        if (set.contains(u"query"_s) && !set.contains(u"query_type"_s))
            return ApiError::invalid(
                tr("Search text needs a search mode (transcript or semantic)."));
        if (set.contains(u"turn_type"_s) && set.value(u"query_type"_s) != "transcript"_L1)
            return ApiError::invalid(tr("“Search in” applies to transcript search only."));
    }

    // Stable order: the documented parameter order, then paging.
    for (const FilterSpec &s : specs) {
        if (!set.contains(s.key))
            continue;
        if (s.key == "channel"_L1) {
            for (const QString &channel : set.value(s.key).split(u',', Qt::SkipEmptyParts)) {
                if (!channel.trimmed().isEmpty())
                    items.append({s.key, channel.trimmed()});
            }
            continue;
        }
        items.append({s.key, set.value(s.key)});
    }
    items.append({u"limit"_s, QString::number(qBound(1, query.pageSize, maxPageSize(version)))});
    if (version == ApiVersion::V3 && !cursor.token.isEmpty())
        items.append({u"cursor"_s, cursor.token});
    else if (cursor.offset > 0)
        items.append({u"offset"_s, QString::number(cursor.offset)});
    return items;
}

} // namespace parley::polyai
