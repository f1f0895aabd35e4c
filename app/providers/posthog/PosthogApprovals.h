#pragma once

#include "core/Approval.h"

#include <QJsonArray>
#include <QList>

// PostHog's pending_approvals[] (ApprovalPayload: proposal_id, decision_status, tool_name,
// preview, payload, original_tool_call_id, message_id) -> core Approvals. Pure.
namespace parley::posthog {

// Every item becomes an Approval, in order: one PostHog changed the shape of (a field of
// another type, not an object) is kept with the status Other and what was wrong as its
// statusText, never dropped and never failing the conversation around it.
QList<Approval> approvalsFromJson(const QJsonArray &items);

} // namespace parley::posthog
