#pragma once

#include "BenchTable.h"
#include "core/Workspace.h"

#include <QByteArray>

namespace parley::sandbox {
class Sandbox;
}

namespace parley::bench {

// A PostHog conversation body (GET .../conversations/{id}/) with exactly `messages` messages:
// the messages of the sandbox's own generated conversations one after another, so the mix
// (questions, answers, tool calls and results, visualizations, failures) is the sandbox's.
QByteArray makePosthogTranscript(int messages, quint32 seed);

// Serves `body` as every PostHog conversation under the sandbox prefix `prefix` (a route of
// its own, added before the sandbox listens).
void serveTranscript(sandbox::Sandbox &sandbox, const QString &prefix, const QByteArray &body);

// Parsing `body` with PosthogMapping, then TranscriptModel::setDetail() plus the data() a
// view asks for its first screen of rows. Adds its rows to `table`.
void benchTranscriptModel(const QByteArray &body, int turns, int runs, BenchTable &table);

// The whole way as the app opens it: TranscriptController::open() over HTTP with the PostHog
// provider (body parsed off the GUI thread, as the provider does for large bodies) to the
// first screen's data().
void benchTranscriptOverHttp(const Workspace &workspace, const QByteArray &key, int turns, int runs,
                             int timeoutMs, BenchTable &table);

} // namespace parley::bench
