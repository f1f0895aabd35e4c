#pragma once

#include <QJsonObject>
#include <QString>

namespace parley::posthog {

// The text of a notebook's ProseMirror (TipTap) JSON document as markdown: headings,
// paragraphs, bullet and ordered lists, code blocks, quotes and rules. Marks (bold, links)
// are ignored. A node of a type not listed keeps its text; one without text is named in
// brackets ("[ph-query: Weekly signups]"), so that nothing in the notebook goes unseen.
// Pure and total: any JSON gives some text, nesting deeper than a limit is cut off.
QString proseMirrorMarkdown(const QJsonObject &doc);

} // namespace parley::posthog
