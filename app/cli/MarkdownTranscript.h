#pragma once

#include "core/ConversationDetail.h"

#include <QString>

namespace parley::cli {

// A conversation as a readable Markdown document: a heading, the summary and properties
// as a list, then one section per turn (who, when, state) with its text, tool calls and
// results in fenced code blocks.
QString markdownTranscript(const ConversationDetail &detail, const QString &platform);

// The "Approvals" section: one line per approval with its id, tool, status and preview;
// empty when there are none.
QString markdownApprovals(const QList<Approval> &approvals);

// A fenced code block that stays closed whatever backticks `text` contains.
QString markdownFence(const QString &text, const QString &info = {});

} // namespace parley::cli
