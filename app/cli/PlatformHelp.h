#pragma once

#include <QString>

namespace parley {
class HttpClient;
}

namespace parley::cli {

// The part of --help that depends on the registered platforms: each platform's id,
// default base URL, workspace settings (--param) and list filters (--filter).
QString platformHelpText(HttpClient *http);

} // namespace parley::cli
