#include "cli/ExitCode.h"

namespace parley::cli {

ExitCode exitCodeFor(const ApiError &error)
{
    using Kind = ApiError::Kind;
    switch (error.kind) {
    case Kind::None:
        return ExitCode::Ok;
    case Kind::Auth:
    case Kind::Forbidden:
        return ExitCode::Auth;
    case Kind::NotFound:
        return ExitCode::NotFound;
    case Kind::Network:
    case Kind::Timeout:
    case Kind::RateLimited:
    case Kind::Quota:
    case Kind::Server:
        return ExitCode::Unavailable;
    case Kind::Conflict:
        return ExitCode::Conflict;
    case Kind::BadResponse:
        return ExitCode::BadResponse;
    // The platform refused the parameters we were given, or the workspace settings
    // cannot work: both are fixed by changing the command line or the workspace.
    case Kind::Invalid:
    case Kind::Config:
        return ExitCode::Usage;
    case Kind::Canceled:
        break;
    }
    return ExitCode::Failure;
}

} // namespace parley::cli
