#pragma once

class QAbstractItemView;

namespace parley {

// For measuring start-up (parley-bench): with PARLEY_REPORT_FIRST_PAINT=1 in the environment
// (read once), the first time `view` has painted rows, one line goes to stderr:
//   parley: first rows painted at monotonic <ns>
// where <ns> is CLOCK_MONOTONIC (std::chrono::steady_clock) in nanoseconds, comparable with
// a time the measuring process took before it started this one. Otherwise it does nothing.
void reportFirstRowsPainted(QAbstractItemView *view);

} // namespace parley
