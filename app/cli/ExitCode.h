#pragma once

#include "core/ApiError.h"

namespace parley::cli {

// parley-cli's exit status, documented in --help; scripts branch on these.
enum class ExitCode
{
    Ok = 0,
    Failure = 1,       // anything not covered below (should not happen)
    Usage = 2,         // wrong arguments, unknown filter, invalid workspace settings
    Auth = 3,          // the platform rejected the key, or no key could be found
    NotFound = 4,      // the conversation (or the project/agent in the URL) does not exist
    Unavailable = 5,   // network, timeout, server error, rate limit, quota: retry later
    BadResponse = 6,   // the server answered something that is not the platform's API
    Conflict = 7,      // the conversation is busy answering, or its queue is full
    TimedOut = 8,      // link: the account was not linked in time
    Interrupted = 130, // Ctrl+C (SIGINT): the request was canceled
};

// The exit status for a failed request.
ExitCode exitCodeFor(const ApiError &error);

} // namespace parley::cli
