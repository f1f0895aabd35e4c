#pragma once

#include "core/ApiError.h"

#include <functional>

namespace parley {

// Whether, and after how long, a failed request is sent again: the one place that decides
// it (HttpClient applies it to every request; callers never retry by themselves).
//
// Only idempotent requests are retried, at most `maxRetries` times, and a stream only while
// none of its body has reached the caller. Retried:
// - HTTP 500, 502, 503, 504, 408 and transfer timeouts;
// - Network errors that pass: connection refused, reset or closed before the answer, the
//   network briefly unavailable (never TLS failures, unknown hosts or a write's lost answer);
// - 429, and a 503 with Retry-After: after exactly the time the platform asked for when that
//   is at most `maxRetryAfterSeconds`; a longer wait gives up at once (the error says how
//   long to wait). A 429 without Retry-After backs off like the others.
// Backoff before retry n (1, 2, ...): a uniformly random share (full jitter) of
// baseDelayMs * 2^(n-1), capped at maxDelayMs, never shorter than minDelayMs.
// Everything else (Auth, NotFound, Invalid, Conflict, Quota, BadResponse, Config, Canceled)
// is final.
struct RetryPolicy
{
    int maxRetries = 3;
    int baseDelayMs = 1000;
    int maxDelayMs = 30000;
    int minDelayMs = 250;
    int maxRetryAfterSeconds = 60;
    // 0: no limit. Otherwise how long a plain (not streamed) request may take from its first
    // attempt, retries and their waits included: no attempt's transfer timeout runs past it,
    // and a retry that would have less than kMinAttemptMs of it left is not sent.
    int giveUpAfterMs = 0;
    static constexpr int kMinAttemptMs = 1000;
    // A number in [0, 1] per backoff; empty = QRandomGenerator. Tests inject a fixed one.
    std::function<double()> jitter;

    struct Decision
    {
        bool retry = false;
        int delayMs = 0;      // when retrying
        bool tooLong = false; // not retrying: the platform asked to wait longer than allowed
        explicit operator bool() const { return retry; }
    };

    // After a failed attempt: `retriesDone` is how many retries already went out (0 after the
    // first attempt); `bodyDelivered` whether a stream already handed part of its body over;
    // `elapsedMs` how long the request has taken so far (see giveUpAfterMs; -1: not counted).
    Decision decide(int retriesDone, const ApiError &error, bool idempotent,
                    bool bodyDelivered = false, qint64 elapsedMs = -1) const;
    // The backoff before retry number retriesDone + 1 for a jitter value in [0, 1].
    int backoffMs(int retriesDone, double jitterValue) const;

    // Whether the error is the passing kind a retry may cure (ignores idempotence and Retry-After).
    static bool isTransient(const ApiError &error);
    // A policy that never retries (HttpRequest::retry override, tests of single attempts).
    static RetryPolicy disabled();

private:
    // decide() without giveUpAfterMs.
    Decision decideIgnoringTime(int retriesDone, const ApiError &error, bool idempotent,
                                bool bodyDelivered) const;
};

} // namespace parley
