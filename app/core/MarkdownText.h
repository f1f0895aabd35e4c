#pragma once

#include <QString>

namespace parley {

// A fenced Markdown code block that stays closed whatever backticks `text` holds (the fence
// is longer than its longest run of them), ending with a line break.
QString markdownFence(const QString &text, const QString &info = {});

// `text` with each heading outside code blocks `levels` deeper ("# A" → "### A" for 2),
// at most six: markdown set under a heading of its own (a notebook in a transcript).
QString markdownDemoteHeadings(const QString &text, int levels);

} // namespace parley
