#pragma once

#include "core/ApiError.h"

#include <QByteArray>
#include <QDateTime>

namespace parley::ErrorBody {

// Fills `error.code` and `error.detail` from a platform's error body, whatever its shape:
// {"error":{"code","message"}} (Dynamiq, orq), {"error":"queue_full","detail":"…"} and DRF
// {"type","code","detail"} (PostHog), {"message":…}, or plain text / HTML (first words only).
void describe(ApiError &error, const QByteArray &body, const QByteArray &contentType);

// Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); -1 when absent
// or unreadable.
int retryAfterSeconds(const QByteArray &value, const QDateTime &now);

} // namespace parley::ErrorBody
