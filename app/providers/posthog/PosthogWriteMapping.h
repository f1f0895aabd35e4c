#pragma once

#include "core/FollowUpQueue.h"
#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace parley::posthog {

inline constexpr int kMaxMessageLength = 40000; // create/continue and queued messages
inline constexpr int kMaxAppendLength = 10000;  // append_message

// {"messages": [{id, content, created_at, ...}], "max_queue_messages": 2}
Result<FollowUpQueue> parseQueue(const QByteArray &body);
// append_message's 201 {"id": "<uuid>"}
Result<QString> parseAppended(const QByteArray &body);
// The create/continue body: {"conversation", "content", "trace_id"}; a null `text` sends
// `"content": null`, which re-attaches to the reply running now.
QJsonObject streamBody(const QString &conversationId, const QString &text, const QString &traceId);
// Why `text` cannot be sent (empty when it can); `max` is the platform's limit.
QString textProblem(const QString &text, int max);

} // namespace parley::posthog
