#include "ConformanceInputs.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::conformance {

namespace {

bool fits(const QString &pattern, const QString &value)
{
    if (value.isEmpty())
        return false;
    if (pattern.isEmpty())
        return true;
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(value).hasMatch();
}

// Values that fit common id patterns, tried in order when nothing better is known.
const QStringList &genericCandidates()
{
    static const QStringList list{u"00000000-0000-4000-8000-000000000000"_s, u"conformance"_s,
                                  u"1"_s, u"a"_s};
    return list;
}

QString suggested(const Provider &provider, const QString &key)
{
    const QList<FieldSuggestion> seen = provider.suggestions(key);
    return seen.isEmpty() ? QString() : seen.constFirst().value;
}

} // namespace

QList<FilterValue> valuesFor(const FilterSpec &filter, const Provider &provider,
                             const QList<Conversation> &rows)
{
    QList<FilterValue> out;
    switch (filter.kind) {
    case FilterSpec::Kind::Choice:
        for (const QString &choice : filter.choices)
            out.append({choice, false});
        break;
    case FilterSpec::Kind::Bool:
        out.append({u"true"_s, false});
        out.append({u"false"_s, false});
        break;
    case FilterSpec::Kind::DateTime:
        if (!rows.isEmpty()) {
            const QDateTime middle = rows.at(rows.size() / 2).createdAt;
            if (middle.isValid())
                out.append({middle.toUTC().toString(Qt::ISODate), false});
        }
        break;
    case FilterSpec::Kind::Text: {
        const QString seen = suggested(provider, filter.key);
        if (fits(filter.pattern, seen)) {
            out.append({seen, true});
            break;
        }
        for (const QString &candidate : genericCandidates()) {
            if (fits(filter.pattern, candidate)) {
                out.append({candidate, false});
                break;
            }
        }
        break;
    }
    }
    return out;
}

NewConversation createRequest(const Capabilities &caps, const Provider &provider,
                              QStringList *missing)
{
    NewConversation request;
    if (caps.createNeedsText)
        request.text = u"Conformance: is anyone there?"_s;
    if (caps.createHasTitle)
        request.title = u"Conformance check"_s;
    for (const WorkspaceField &field : caps.createFields) {
        const bool excluded = std::any_of(
            caps.createFields.cbegin(), caps.createFields.cend(), [&](const WorkspaceField &f) {
                return request.params.contains(f.key) &&
                       (f.exclusiveWith == field.key || field.exclusiveWith == f.key);
            });
        if (excluded)
            continue;
        QString value = suggested(provider, field.key);
        if (!fits(field.pattern, value))
            value = fits(field.pattern, field.defaultValue) ? field.defaultValue : QString();
        // An optional field gets only what the provider offers; a placeholder is an example.
        if (value.isEmpty() && field.required && fits(field.pattern, field.placeholder) &&
            (field.choices.isEmpty() || field.choices.contains(field.placeholder)))
            value = field.placeholder;
        if (value.isEmpty() && field.required && !field.choices.isEmpty())
            value = field.choices.constFirst();
        if (!value.isEmpty()) {
            request.params.insert(field.key, value);
            continue;
        }
        // A required field of an exclusive pair is satisfied by its partner.
        const bool partnerLater = !field.exclusiveWith.isEmpty();
        if (field.required && !partnerLater && missing)
            *missing << field.key;
    }
    // Both of a required exclusive pair empty: nothing offered either.
    for (const WorkspaceField &field : caps.createFields) {
        if (field.required && !field.exclusiveWith.isEmpty() &&
            !request.params.contains(field.key) && !request.params.contains(field.exclusiveWith) &&
            missing && !missing->contains(field.key))
            *missing << field.key;
    }
    return request;
}

QString unknownIdLike(const QString &id)
{
    QString out = id;
    for (QChar &c : out) {
        if (c.isDigit())
            c = u'0';
        else if (c >= u'a' && c <= u'f')
            c = u'a';
        else if (c >= u'A' && c <= u'F')
            c = u'A';
    }
    if (out == id) // nothing to replace: make it longer instead
        out += u"0"_s;
    return out;
}

} // namespace parley::conformance
