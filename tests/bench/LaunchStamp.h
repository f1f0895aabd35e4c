#pragma once

#include <QStringList>

namespace parley::bench {

// parley-bench-gui --launch [--ws-platform ID --ws-url URL --ws-param K=V...] -- PROGRAM ARGS:
// optionally saves one workspace the way the window does (WorkspaceStore under the
// environment's XDG_CONFIG_HOME, its key from PARLEY_API_KEY written to the keychain), then
// prints "exec-at <steady_clock ns>" on stdout and replaces itself with PROGRAM (the key no
// longer in the environment). Returns only on failure, with the exit code.
int launchStamped(const QStringList &arguments);

} // namespace parley::bench
