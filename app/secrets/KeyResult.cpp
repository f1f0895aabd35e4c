#include "secrets/KeyResult.h"

namespace parley {

QString KeyResult::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::NotFound:
        return QStringLiteral("not-found");
    case Status::NoBackend:
        return QStringLiteral("no-backend");
    case Status::Denied:
        return QStringLiteral("denied");
    case Status::Failed:
        break;
    }
    return QStringLiteral("failed");
}

} // namespace parley
