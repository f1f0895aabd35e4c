#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace parley {

// An operation the agent wants to run only once a person agrees to it: the agent stops and
// waits until it is approved or rejected (ConversationDetail::approvals). Platforms that
// offer it have Capabilities::Approvals.
struct Approval
{
    enum class Status
    {
        Pending,  // waiting for a decision
        Approved, // a person approved it (the agent went on to run it)
        Rejected, // a person rejected it
        Expired,  // the platform dropped it (the conversation moved on without a decision)
        Other,    // a status Parley does not know; statusText says it
    };

    QString id = {};      // what a decision names
    QString tool = {};    // the operation the agent wants to run
    QString preview = {}; // the platform's description of what it would do
    Status status = Status::Pending;
    QString statusText = {};  // the platform's own word for the status
    QString payloadJson = {}; // what the operation would be run with, as JSON; may be empty
    QString toolCallId = {};  // the agent's call that asked for it, where named
    QString messageId = {};   // the transcript message it belongs to, where named

    bool isPending() const { return status == Status::Pending; }
    bool operator==(const Approval &) const = default;
    // "pending", "approved", … (statusText for Other), for the CLI and logs.
    QString statusName() const;
};

// An answer to one approval.
struct ApprovalDecision
{
    QString approvalId = {};
    bool approve = true;
    QString note = {}; // a rejection's reason for the agent; optional
};

} // namespace parley

Q_DECLARE_METATYPE(parley::Approval)
