#pragma once

#include "BenchOptions.h"
#include "BenchTable.h"

#include <QElapsedTimer>

namespace parley::bench {

// The child side (--startup-probe <platform>): what `parley --demo` does before its first
// rows, without widgets and without the keychain: Sandbox on the main thread, HttpClient,
// the registry's provider, a ConversationListModel with the default query; stops at the
// first rowsInserted and prints "first-rows <ms since main> <ms since Sandbox> <rows>".
int runStartupProbe(const BenchOptions &options, const QElapsedTimer &sinceMain);

// The parent side: runs the probe as a fresh process `runs` times per platform and reports
// the time from starting the process to its line, and the probe's own in-process figure.
void benchStartup(const QStringList &platforms, const BenchOptions &options, BenchTable &table);

} // namespace parley::bench
