#pragma once

#include "BenchOptions.h"
#include "BenchTable.h"

namespace parley::bench {

class SandboxThread;

// The real `parley` from exec to its first rows painted (PARLEY_REPORT_FIRST_PAINT=1),
// offscreen and on Xvfb (xvfb-run), for --demo and for a saved workspace on `sandbox`'s
// `platform` (its key read from gnome-keyring). Each run is a fresh HOME and XDG folders in
// a private D-Bus session with an unlocked gnome-keyring, as tests/run-headless.sh makes.
void benchFirstPaint(const SandboxThread &sandbox, const QString &platform,
                     const BenchOptions &options, BenchTable &table);

} // namespace parley::bench
