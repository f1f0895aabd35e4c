#include "core/FragmentContent.h"

#include "core/TranslationContext.h"

namespace parley::content {

namespace {

const TranslationContext tr{"parley::content"};

} // namespace

QString label(const QString &name)
{
    struct Entry
    {
        const QString &name;
        const char *label;
    };
    static const Entry entries[] = {
        {kQuestion, QT_TRANSLATE_NOOP("parley::content", "Question")},
        {kPlan, QT_TRANSLATE_NOOP("parley::content", "Plan")},
        {kCommentary, QT_TRANSLATE_NOOP("parley::content", "Commentary")},
        {kDescription, QT_TRANSLATE_NOOP("parley::content", "Description")},
        {kNotebook, QT_TRANSLATE_NOOP("parley::content", "Notebook")},
        {kReasoning, QT_TRANSLATE_NOOP("parley::content", "Reasoning")},
        {kContext, QT_TRANSLATE_NOOP("parley::content", "Context")},
        {kQueryKind, QT_TRANSLATE_NOOP("parley::content", "Query kind")},
        {kSql, QT_TRANSLATE_NOOP("parley::content", "SQL")},
        {kTitle, QT_TRANSLATE_NOOP("parley::content", "Title")},
        {kContentKind, QT_TRANSLATE_NOOP("parley::content", "Content kind")},
        {kSource, QT_TRANSLATE_NOOP("parley::content", "Source")},
        {kNotebookId, QT_TRANSLATE_NOOP("parley::content", "Notebook ID")},
        {kStep, QT_TRANSLATE_NOOP("parley::content", "Step")},
        {kTask, QT_TRANSLATE_NOOP("parley::content", "Task")},
        {kSubstep, QT_TRANSLATE_NOOP("parley::content", "Substep")},
        {kPrompt, QT_TRANSLATE_NOOP("parley::content", "Prompt")},
        {kProgress, QT_TRANSLATE_NOOP("parley::content", "Progress")},
    };
    for (const Entry &e : entries) {
        if (e.name == name)
            return tr(e.label);
    }
    return {};
}

bool isListItem(const Fragment &fragment)
{
    return fragment.kind == Fragment::Kind::Other &&
           (fragment.name == kStep || fragment.name == kTask || fragment.name == kSubstep);
}

bool isItemDetail(const Fragment &fragment)
{
    return fragment.kind == Fragment::Kind::Other &&
           (fragment.name == kPrompt || fragment.name == kProgress);
}

Progress progressOf(const QString &status)
{
    const QString s = status.toLower();
    if (s == QLatin1String("completed") || s == QLatin1String("done") ||
        s == QLatin1String("succeeded") || s == QLatin1String("success"))
        return Progress::Done;
    if (s == QLatin1String("failed") || s == QLatin1String("error"))
        return Progress::Failed;
    if (s == QLatin1String("in_progress") || s == QLatin1String("running") ||
        s == QLatin1String("in-progress"))
        return Progress::Running;
    return Progress::Pending;
}

QString progressMark(Progress progress)
{
    switch (progress) {
    case Progress::Done:
        return QStringLiteral("✓");
    case Progress::Failed:
        return QStringLiteral("✗");
    case Progress::Running:
        return QStringLiteral("▶");
    case Progress::Pending:
        break;
    }
    return QStringLiteral("○");
}

QString statusText(const QString &status)
{
    QString s = status;
    s.replace(QLatin1Char('_'), QLatin1Char(' '));
    return s;
}

} // namespace parley::content
