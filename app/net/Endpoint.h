#pragma once

#include <QByteArray>
#include <QUrl>

namespace parley {

// Where one workspace's API lives and how it authenticates. The HTTP layer resolves
// request paths against `baseUrl` and adds the auth header only while the request
// stays on baseUrl's scheme, host and port (redirects to anywhere else drop it and fail).
struct Endpoint
{
    QUrl baseUrl;          // may carry a path prefix: http://127.0.0.1:PORT/posthog
    QByteArray authHeader; // "Authorization" or "x-api-key"; empty = no auth
    QByteArray authPrefix; // "Bearer " or empty
    QByteArray secret;     // the key itself; never logged, never persisted by this layer
};

} // namespace parley
