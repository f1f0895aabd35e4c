#pragma once

#include "core/Approval.h"
#include "core/FollowUpQueue.h"
#include "core/Result.h"
#include "providers/Capabilities.h"

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
// The message fields PostHog takes beside the text (keys as in its request bodies; the
// session id goes in a header, not the body):
inline constexpr char16_t kAgentMode[] = u"agent_mode";
inline constexpr char16_t kContextualTools[] = u"contextual_tools";
inline constexpr char16_t kUiContext[] = u"ui_context";
inline constexpr char16_t kBillingContext[] = u"billing_context";
inline constexpr char16_t kResumePayload[] = u"resume_payload";
inline constexpr char16_t kSessionId[] = u"session_id";
inline constexpr char kSessionHeader[] = "X-POSTHOG-SESSION-ID";

// The fields of a started or sent message (agent mode, the JSON contexts, resume payload,
// session id), and of a queued one (agent mode and the contexts only).
QList<WorkspaceField> streamFields();
QList<WorkspaceField> queueFields();

// The create/continue body: {"conversation", "content", "trace_id"} and the fields in
// `params` (streamFields(); JSON ones as JSON, empty ones left out, the session id never: it
// is sessionId()'s header); a null `text` sends `"content": null`, which re-attaches to the
// reply running now. An unknown key or a value that is not what its field takes is Invalid.
Result<QJsonObject> streamBody(const QString &conversationId, const QString &text,
                               const QString &traceId, const QMap<QString, QString> &params = {});
// The queue's POST body: {"content"} and the queueFields() in `params`, checked alike.
Result<QJsonObject> queueBody(const QString &text, const QMap<QString, QString> &params);
// The session id `params` give (trimmed), sent as kSessionHeader; empty when none.
QByteArray sessionId(const QMap<QString, QString> &params);

// A decision as PostHog's resume_payload: {"action": "approve"|"reject", "proposal_id"}
// [D: ee/hogai/core/runner.py reads both], with a rejection's note as "feedback" [I].
QJsonObject resumePayload(const ApprovalDecision &decision);
// Why `text` cannot be sent (empty when it can); `max` is the platform's limit.
QString textProblem(const QString &text, int max);

} // namespace parley::posthog
