#pragma once

#include <QString>

namespace parley {

// A fenced Markdown code block that stays closed whatever backticks `text` holds (the fence
// is longer than its longest run of them), ending with a line break.
QString markdownFence(const QString &text, const QString &info = {});

} // namespace parley
