#include "net/RetryPolicy.h"

#include "net/TransportCode.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace parley {

bool RetryPolicy::isTransient(const ApiError &error)
{
    switch (error.kind) {
    case ApiError::Kind::Timeout: // transfer timeout, or HTTP 408
    case ApiError::Kind::RateLimited:
        return true;
    case ApiError::Kind::Server:
        return error.httpStatus == 500 || error.httpStatus == 502 || error.httpStatus == 503 ||
               error.httpStatus == 504;
    case ApiError::Kind::Network:
        return error.code == TransportCode::ConnectionRefused ||
               error.code == TransportCode::ConnectionReset ||
               error.code == TransportCode::ConnectionClosed ||
               error.code == TransportCode::TemporaryFailure;
    default:
        return false;
    }
}

int RetryPolicy::backoffMs(int retriesDone, double jitterValue) const
{
    const double ceiling =
        std::min(double(maxDelayMs), double(baseDelayMs) * std::exp2(std::max(retriesDone, 0)));
    const double share = std::clamp(jitterValue, 0.0, 1.0) * std::max(ceiling, 0.0);
    const int ms = int(std::lround(share));
    return std::clamp(ms, std::max(minDelayMs, 0), std::max({maxDelayMs, minDelayMs, 0}));
}

RetryPolicy::Decision RetryPolicy::decide(int retriesDone, const ApiError &error, bool idempotent,
                                          bool bodyDelivered, qint64 elapsedMs) const
{
    Decision d = decideIgnoringTime(retriesDone, error, idempotent, bodyDelivered);
    if (d.retry && giveUpAfterMs > 0 && elapsedMs >= 0 &&
        elapsedMs + d.delayMs + kMinAttemptMs > giveUpAfterMs)
        d.retry = false; // out of time: the last error stands
    return d;
}

RetryPolicy::Decision RetryPolicy::decideIgnoringTime(int retriesDone, const ApiError &error,
                                                      bool idempotent, bool bodyDelivered) const
{
    Decision d;
    if (!error || !idempotent || bodyDelivered || retriesDone >= maxRetries || !isTransient(error))
        return d;
    const bool asked = error.retryAfterSeconds >= 0 &&
                       (error.kind == ApiError::Kind::RateLimited || error.httpStatus == 503);
    if (asked) {
        if (error.retryAfterSeconds > maxRetryAfterSeconds) {
            d.tooLong = true;
            return d;
        }
        d.retry = true;
        d.delayMs = std::max(error.retryAfterSeconds * 1000, std::max(minDelayMs, 0));
        return d;
    }
    const double j = jitter ? jitter() : QRandomGenerator::global()->generateDouble();
    d.retry = true;
    d.delayMs = backoffMs(retriesDone, j);
    return d;
}

RetryPolicy RetryPolicy::disabled()
{
    RetryPolicy p;
    p.maxRetries = 0;
    return p;
}

} // namespace parley
