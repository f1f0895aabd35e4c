#pragma once

#include <QLatin1String>

namespace parley::TransportCode {

// ApiError::code of the Network errors the HTTP layer reports itself (a platform's own codes
// come with HTTP statuses, never with Network). The retry policy tells passing trouble
// (refused, reset, closed before an answer) from lasting trouble (TLS, unknown host) by them.
inline constexpr QLatin1String ConnectionRefused{"connection-refused"};
inline constexpr QLatin1String ConnectionReset{"connection-reset"};
inline constexpr QLatin1String ConnectionClosed{"connection-closed"}; // before any answer
inline constexpr QLatin1String TemporaryFailure{"network-unavailable"};
inline constexpr QLatin1String HostNotFound{"host-not-found"};
inline constexpr QLatin1String Tls{"tls"}; // the secure connection could not be verified
inline constexpr QLatin1String NotResent{"not-sent-again"}; // a write whose connection dropped
inline constexpr QLatin1String CutOff{"cut-off"};           // BadResponse: body shorter than sent
inline constexpr QLatin1String NotJson{"not-json"};         // BadResponse: wrong content type

} // namespace parley::TransportCode
