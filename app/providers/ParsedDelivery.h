#pragma once

#include "core/ApiError.h"
#include "core/Result.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <utility>

// Small helpers every provider uses to hand results back the way Provider promises:
// exactly once, on the context object's thread, never from inside the call itself, and
// without parsing a large body on the GUI thread.
namespace parley {

// Bodies at least this large are parsed on the thread pool (a 100-row page is ~60 KB and
// parses in about a millisecond; a long transcript can take much more than a frame).
inline constexpr qsizetype kParseOffThreadBytes = 256 * 1024;

// Runs `parse(body)` (a pure function returning Result<T>) and passes the result to
// `done`: inline for small bodies, else on a worker thread with the result delivered back
// on `context`'s thread. Nothing is delivered once `context` is destroyed.
template<typename T, typename Parse>
void deliverParsed(const QByteArray &body, QObject *context, Parse parse,
                   std::function<void(Result<T>)> done)
{
    if (body.size() < kParseOffThreadBytes) {
        done(parse(body));
        return;
    }
    auto *watcher = new QFutureWatcher<Result<T>>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() {
                         watcher->deleteLater();
                         done(watcher->future().result());
                     });
    watcher->setFuture(
        QtConcurrent::run([body, parse = std::move(parse)]() { return parse(body); }));
}

// Reports an error found before any request was sent, from the event loop, so that
// callers never see `done` run before the call that started it has returned.
template<typename T>
void failLater(QObject *context, std::function<void(Result<T>)> done, ApiError error)
{
    QTimer::singleShot(0, context, [done = std::move(done), error = std::move(error)]() {
        done(Result<T>(error));
    });
}

} // namespace parley
