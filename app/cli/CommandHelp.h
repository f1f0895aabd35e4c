#pragma once

#include <QString>

namespace parley {
class HttpClient;
}

namespace parley::cli {

// Help for one command (`parley-cli COMMAND --help`, `parley-cli help COMMAND`), and the
// usage line a parsing error ends with.

// True for the commands parley-cli knows (list, show, send, ...).
bool isCommandName(const QString &name);
// "Usage: parley-cli WHERE send ID TEXT|- [--format text|ndjson]"; empty for unknown names.
QString commandUsage(const QString &name);
// The usage line, what the command does, its options and exit codes, and for actions
// which platforms offer them (and, for create, each platform's fields).
QString commandHelpText(const QString &name, HttpClient *http);

} // namespace parley::cli
