#include "cli/PlatformHelp.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

const TranslationContext tr{"parley::cli::PlatformHelp"};

// Choices as a shell user types them: quoted when they hold spaces.
QString choiceList(const QStringList &choices)
{
    QStringList out;
    for (const QString &c : choices)
        out << (c.contains(u' ') ? u'\'' + c + u'\'' : c);
    return out.join(u'|');
}

QString fieldLine(const WorkspaceField &field)
{
    QString line = u"      --param "_s + field.key + u'=';
    line += field.choices.isEmpty() ? (field.placeholder.isEmpty() ? u"VALUE"_s : field.placeholder)
                                    : choiceList(field.choices);
    QStringList notes;
    notes << field.label;
    if (field.automatic)
        notes << tr("default %1; the workspace dialog's Test finds it").arg(field.fallback);
    else if (!field.required)
        notes << tr("optional");
    if (!field.defaultValue.isEmpty())
        notes << tr("default %1").arg(choiceList({field.defaultValue}));
    return line + u"  ("_s + notes.join(u", "_s) + u")\n"_s;
}

QString filterLine(const FilterSpec &filter)
{
    QString value;
    switch (filter.kind) {
    case FilterSpec::Kind::Choice:
        value = choiceList(filter.choices);
        break;
    case FilterSpec::Kind::Bool:
        value = u"true|false"_s;
        break;
    case FilterSpec::Kind::DateTime:
        value = u"2026-01-31T00:00:00Z"_s;
        break;
    case FilterSpec::Kind::Text:
        value = u"TEXT"_s;
        break;
    }
    QString line = u"      --filter "_s + filter.key + u'=' + value + u"  ("_s + filter.label;
    if (!filter.exclusiveWith.isEmpty())
        line += u", "_s + tr("not with %1").arg(filter.exclusiveWith);
    return line + u")\n"_s;
}

} // namespace

QString platformHelpText(HttpClient *http)
{
    QString out =
        tr("Platforms (--provider), their settings, and their list filters by default:") + u'\n';
    for (const PlatformInfo &info : ProviderRegistry::platforms()) {
        out += u"  "_s + info.id + u"  "_s + info.displayName;
        if (!info.defaultBaseUrl.isEmpty())
            out += u", "_s + tr("default base URL %1").arg(info.defaultBaseUrl.toString());
        out += u'\n';
        if (!info.keyHint.isEmpty())
            out += u"      "_s + tr("key: %1").arg(info.keyHint) + u'\n';
        for (const WorkspaceField &field : info.fields)
            out += fieldLine(field);

        Workspace probe;
        probe.platform = info.id;
        const auto provider = ProviderRegistry::create(probe, {}, http);
        const QList<FilterSpec> filters =
            provider ? provider->capabilities().filters : QList<FilterSpec>{};
        if (filters.isEmpty())
            out += u"      "_s + tr("(no list filters)") + u'\n';
        for (const FilterSpec &filter : filters)
            out += filterLine(filter);
    }
    return out;
}

} // namespace parley::cli
