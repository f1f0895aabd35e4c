#pragma once

#include "core/ApiError.h"
#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"

#include <QByteArray>

// Pure JSON -> core/ functions for the Echo API (see README.md beside this file).
namespace parley::echo {

// {"threads": [thread...], "available": N} for the page that started at `from` and asked
// for `count` rows; the next page starts where this one ended.
Result<ConversationPage> parsePage(const QByteArray &body, int from, int count);
// {"thread": thread, "lines": [line...]}
Result<ConversationDetail> parseThread(const QByteArray &body);
// {"line": line}: the stored line's id.
Result<QString> parseLineId(const QByteArray &body);
// `base` with the code and text of Echo's error body {"fault": {"reason", "text"}}.
ApiError refineError(const ApiError &base, const QByteArray &body);

} // namespace parley::echo
