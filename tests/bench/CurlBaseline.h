#pragma once

#include "PagingBench.h"

namespace parley::bench {

// Path of the curl executable, empty when there is none.
QString curlProgram();

// The same GETs with one curl process over one keep-alive connection: a config file lists
// every URL (bodies to /dev/null) with the headers Parley sent. The time includes starting
// curl (a few milliseconds). The config file holds the sandbox's demo key only and is
// removed afterwards.
PlainFetch fetchWithCurl(const QString &curl, const QList<RecordedGet> &gets, int timeoutMs);

} // namespace parley::bench
