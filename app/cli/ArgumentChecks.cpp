#include "cli/ArgumentChecks.h"

#include "core/TranslationContext.h"

#include "rules/InputRules.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

const TranslationContext tr{"parley::cli::ArgumentChecks"};

// "--filter KEY: why. --filter OTHER: why." for the problems found, in key order.
QString describe(const InputRules::Problems &problems, const QString &option)
{
    QStringList lines;
    for (auto it = problems.cbegin(); it != problems.cend(); ++it)
        lines << option.arg(it.key()) + u": "_s + it.value();
    return lines.join(u' ');
}

} // namespace

QString checkListArguments(const CliOptions &options, const Capabilities &capabilities,
                           const QString &platform, ListQuery *query)
{
    if (!capabilities.can(Capabilities::List))
        return tr("%1 cannot list conversations.").arg(platform);

    QMap<QString, QString> filters;
    const InputRules::Problems problems =
        InputRules::checkFilters(capabilities.filters, options.filters, &filters);
    if (!problems.isEmpty())
        return tr("%1 does not take these list filters: %2")
            .arg(platform, describe(problems, u"--filter %1"_s));

    if (!options.sort.isEmpty()) {
        if (capabilities.sortFields.isEmpty())
            return tr("%1 does not sort on the server; drop --sort.").arg(platform);
        if (const QString problem = InputRules::checkSort(capabilities.sortFields, options.sort);
            !problem.isEmpty())
            return tr("--sort for %1: %2").arg(platform, problem);
    }
    if (!capabilities.listFromId) {
        if (!options.before.isEmpty())
            return tr("%1 cannot list from a conversation; drop --before.").arg(platform);
        if (!options.after.isEmpty())
            return tr("%1 cannot list from a conversation; drop --after.").arg(platform);
    }

    // 0: the platform's largest page.
    const int pageSize =
        options.pageSize > 0 ? options.pageSize : InputRules::maxPageSize(capabilities);
    if (const QString problem = InputRules::checkPageSize(capabilities, pageSize);
        !problem.isEmpty())
        return tr("--page-size for %1: %2").arg(platform, problem);

    query->filters = filters;
    query->sort = options.sort;
    query->endBefore = options.before;
    query->startAfter = options.after;
    // No point asking for more rows than will be printed; the size stays the same for
    // every page so that page-number paging keeps its arithmetic.
    query->pageSize = options.limit > 0 ? qMin(pageSize, options.limit) : pageSize;
    return {};
}

namespace {

// The --param values that are `fields` (the others must be workspace settings, or the answer
// is the usage error naming the first that is neither); `what` says what the fields are for
// ("a new conversation").
QString takeFields(const CliOptions &options, const QList<WorkspaceField> &fields,
                   const QMap<QString, QString> &workspaceParams, const QString &platform,
                   const QString &what, QMap<QString, QString> *params)
{
    QStringList offered;
    for (const WorkspaceField &field : fields)
        offered << field.key;
    for (auto it = options.params.cbegin(); it != options.params.cend(); ++it) {
        if (offered.contains(it.key()) || workspaceParams.contains(it.key()))
            continue;
        return offered.isEmpty()
                   ? tr("%1 takes no fields for %2; drop --param %3.").arg(platform, what, it.key())
                   : tr("%1 has no field “%2” for %3; it takes: %4.")
                         .arg(platform, it.key(), what, offered.join(u", "_s));
    }
    for (const QString &key : std::as_const(offered)) {
        const QString value = options.params.value(key).trimmed();
        if (!value.isEmpty())
            params->insert(key, value);
    }
    return {};
}

} // namespace

QString checkCreateArguments(const CliOptions &options, const Capabilities &capabilities,
                             const QMap<QString, QString> &workspaceParams, const QString &platform,
                             NewConversation *request)
{
    NewConversation r;
    r.title = options.title;
    r.text = options.text;
    if (const QString problem = takeFields(options, capabilities.createFields, workspaceParams,
                                           platform, tr("a new conversation"), &r.params);
        !problem.isEmpty())
        return problem;
    InputRules::Problems problems = InputRules::checkNewConversation(capabilities, r);
    const QString text = problems.take(QString::fromUtf16(InputRules::kTextKey));
    if (!problems.isEmpty())
        return tr("%1 cannot start this conversation: %2")
            .arg(platform, describe(problems, u"--param %1"_s));
    if (!text.isEmpty())
        return tr("%1 cannot start this conversation: %2").arg(platform, text);
    *request = r;
    return {};
}

QString checkMessageFields(const CliOptions &options, const QList<WorkspaceField> &fields,
                           const QMap<QString, QString> &workspaceParams, const QString &platform,
                           QMap<QString, QString> *params)
{
    QMap<QString, QString> taken;
    if (const QString problem =
            takeFields(options, fields, workspaceParams, platform, tr("a message"), &taken);
        !problem.isEmpty())
        return problem;
    const InputRules::Problems problems = InputRules::checkFields(fields, taken);
    if (!problems.isEmpty())
        return tr("%1 cannot take this message: %2")
            .arg(platform, describe(problems, u"--param %1"_s));
    *params = taken;
    return {};
}

QString checkMessageArgument(const QString &text, const Capabilities &capabilities,
                             const QString &platform)
{
    const QString problem = InputRules::checkMessageLength(capabilities, text);
    return problem.isEmpty() ? QString() : tr("%1: %2").arg(platform, problem);
}

} // namespace parley::cli
