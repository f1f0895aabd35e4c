#pragma once

#include <QJsonArray>
#include <QRandomGenerator>
#include <QString>

namespace parley::sandbox {

// The PostHog emulation's showcase conversation: one analysis that holds every structured
// message type PostHog AI writes (a plan with its steps, tasks, reasoning, a chart, several
// charts with commentary, a saved artifact, a notebook), so that the demo and the tests
// have each of them to show. The newest conversation of every data set is this one.
namespace PosthogShowcase {

QString title();
// The messages, ids drawn from `rng`; `running`: the last question is still being answered.
QJsonArray messages(QRandomGenerator &rng, bool running);

} // namespace PosthogShowcase

} // namespace parley::sandbox
