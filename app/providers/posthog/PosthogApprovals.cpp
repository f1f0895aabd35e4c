#include "providers/posthog/PosthogApprovals.h"

#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parley::posthog {

namespace {

const TranslationContext tr{"parley::posthog"};

// decision_status: "pending" until answered, then "approved" or "rejected"; "auto_rejected"
// when the conversation went on without an answer [D: ee/hogai/core/runner.py].
Approval::Status statusOf(const QString &text)
{
    if (text.isEmpty() || text == "pending"_L1)
        return Approval::Status::Pending;
    if (text == "approved"_L1)
        return Approval::Status::Approved;
    if (text == "rejected"_L1)
        return Approval::Status::Rejected;
    if (text == "auto_rejected"_L1 || text == "expired"_L1)
        return Approval::Status::Expired;
    return Approval::Status::Other;
}

} // namespace

QList<Approval> approvalsFromJson(const QJsonArray &items)
{
    QList<Approval> out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        Approval a;
        if (!items.at(i).isObject()) {
            a.status = Approval::Status::Other;
            a.statusText =
                tr("unreadable: %1, expected an object").arg(JsonFields::typeName(items.at(i)));
            out << a;
            continue;
        }
        const QJsonObject o = items.at(i).toObject();
        JsonFields f = JsonFields::element(u"pending_approvals"_s, i);
        a.id = f.stringOrNumber(o, u"proposal_id"_s);
        a.tool = f.string(o, u"tool_name"_s);
        a.preview = f.string(o, u"preview"_s);
        a.statusText = f.string(o, u"decision_status"_s);
        a.status = statusOf(a.statusText);
        if (a.statusText.isEmpty())
            a.statusText = u"pending"_s;
        a.payloadJson = f.jsonText(o, u"payload"_s);
        a.toolCallId = f.stringOrNumber(o, u"original_tool_call_id"_s);
        a.messageId = f.stringOrNumber(o, u"message_id"_s);
        if (f.failed()) {
            a.status = Approval::Status::Other;
            a.statusText = tr("unreadable: %1").arg(f.error().detail);
        }
        out << a;
    }
    return out;
}

} // namespace parley::posthog
