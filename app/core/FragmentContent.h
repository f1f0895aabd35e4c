#pragma once

#include "core/Turn.h"

#include <QString>

// The parts of a structured message (a chart's question and plan, a notebook's text, a
// plan's steps...) that a mapping splits into fragments, named here so that the window, the
// CLI's markdown and its JSON label them alike. A fragment's `name` is one of these; other
// names (a tool's, a platform's own type) are shown as they are.
namespace parley::content {

// Text fragments: read as prose (markdown), part of the turn's plain text.
inline const QString kQuestion = QStringLiteral("question");       // what a chart answers
inline const QString kPlan = QStringLiteral("plan");               // how it was built
inline const QString kCommentary = QStringLiteral("commentary");   // words around charts
inline const QString kDescription = QStringLiteral("description"); // of an artifact
inline const QString kNotebook = QStringLiteral("notebook");       // a notebook's text
inline const QString kReasoning = QStringLiteral("reasoning");
inline const QString kContext = QStringLiteral("context"); // what the agent was told

// Other fragments: one short value each.
inline const QString kQueryKind = QStringLiteral("query_kind"); // "TrendsQuery"
inline const QString kSql = QStringLiteral("sql");              // a query's SQL text
inline const QString kTitle = QStringLiteral("title");
inline const QString kContentKind = QStringLiteral("content_kind"); // "visualization"
inline const QString kSource = QStringLiteral("source");
inline const QString kNotebookId = QStringLiteral("notebook_id");
// List items: a plan's step and a task carry `Fragment::status`; a substep has none.
inline const QString kStep = QStringLiteral("step");
inline const QString kTask = QStringLiteral("task");
inline const QString kSubstep = QStringLiteral("substep");
// Details of the list item before them.
inline const QString kPrompt = QStringLiteral("prompt");
inline const QString kProgress = QStringLiteral("progress");

// The label a view shows before a named part ("Question", "Plan"); empty for names that
// are not listed above.
QString label(const QString &name);

// A list item (step, task, substep).
bool isListItem(const Fragment &fragment);
// A detail of the list item before it (prompt, progress).
bool isItemDetail(const Fragment &fragment);

// What a step's or task's status means, whatever the platform's word for it.
enum class Progress
{
    Pending,
    Running,
    Done,
    Failed
};
Progress progressOf(const QString &status);
// A one-character mark for a status: ✓ done, ✗ failed, ▶ running, ○ pending.
QString progressMark(Progress progress);
// The status as words for people ("in progress" for "in_progress").
QString statusText(const QString &status);

} // namespace parley::content
