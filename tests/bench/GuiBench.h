#pragma once

#include "BenchOptions.h"
#include "BenchTable.h"

#include <QStringList>

namespace parley::bench {

// The longest GUI-thread stall (parley-bench-gui, offscreen, a child process per flow and
// run): paging every conversation of each platform into the shown list, a 10,000-delta reply
// streaming into the shown transcript, a long transcript opened and scrolled to its end.
void benchGuiStalls(const QStringList &platforms, const BenchOptions &options, BenchTable &table);

// Path of a program built next to this bench (parley-bench-gui, parley).
QString guiBenchProgram();

} // namespace parley::bench
