#pragma once

#include "BenchOptions.h"
#include "BenchTable.h"
#include "core/PageCursor.h"

#include <QStringList>

namespace parley::bench {

class SandboxThread;

// `parley-cli list` as a whole process (start, every page, ndjson into a file) against curl
// fetching the URLs the CLI asked for, one after the other over one keep-alive connection,
// in one curl process. `sandbox` decides what a page costs (loopback, or a delay fault).
// `targetFor` gives the budget, as a ratio to curl, for the workspace's paging style.
struct CliCase
{
    QString title; // "loopback", "delay=50"
    const SandboxThread *sandbox = nullptr;
    int conversations = 0;
    double (*targetFor)(PageCursor::Style paging) = nullptr;
};
void benchCliList(const CliCase &c, const QStringList &platforms, const BenchOptions &options,
                  const QString &curl, BenchTable &table);

// Path of the built parley-cli next to this bench.
QString cliProgram();

} // namespace parley::bench
