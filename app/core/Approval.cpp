#include "core/Approval.h"

namespace parley {

QString Approval::statusName() const
{
    switch (status) {
    case Status::Pending:
        return QStringLiteral("pending");
    case Status::Approved:
        return QStringLiteral("approved");
    case Status::Rejected:
        return QStringLiteral("rejected");
    case Status::Expired:
        return QStringLiteral("expired");
    case Status::Other:
        break;
    }
    return statusText.isEmpty() ? QStringLiteral("unknown") : statusText;
}

} // namespace parley
