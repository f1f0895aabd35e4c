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

// Runs `compute()` (pure, returning Result<T>) and passes the result to `done`: inline
// unless `offThread`, else on a worker thread with the result delivered back on `context`'s
// thread. Nothing is delivered once `context` is destroyed.
template<typename T, typename Compute>
void deliverComputed(bool offThread, QObject *context, Compute compute,
                     std::function<void(Result<T>)> done)
{
    if (!offThread) {
        done(compute());
        return;
    }
    auto *watcher = new QFutureWatcher<Result<T>>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() {
                         watcher->deleteLater();
                         done(watcher->future().result());
                     });
    watcher->setFuture(QtConcurrent::run(std::move(compute)));
}

// Runs `parse(body)` (a pure function returning Result<T>) and passes the result to
// `done` as deliverComputed does, off the GUI thread for bodies of kParseOffThreadBytes on.
template<typename T, typename Parse>
void deliverParsed(const QByteArray &body, QObject *context, Parse parse,
                   std::function<void(Result<T>)> done)
{
    deliverComputed<T>(
        body.size() >= kParseOffThreadBytes, context,
        [body, parse = std::move(parse)]() { return parse(body); }, std::move(done));
}

// deliverParsed() that always parses on the thread pool, whatever the body's size: for list
// pages, so that the pager can ask for the next page while this one is read.
template<typename T, typename Parse>
void deliverParsedOnWorker(const QByteArray &body, QObject *context, Parse parse,
                           std::function<void(Result<T>)> done)
{
    deliverComputed<T>(
        true, context, [body, parse = std::move(parse)]() { return parse(body); }, std::move(done));
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
