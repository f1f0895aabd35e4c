#pragma once

#include "core/Result.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <optional>

namespace parley::test {

// How long a test waits for one asynchronous answer before it gives up.
inline constexpr int kAnswerTimeoutMs = 15000;

// Runs one asynchronous call and waits (tests only) for its single answer. `call` gets the
// function to answer through; the answer is nullopt when none came in time. `answers`, when
// given, counts the answers, including a second (wrong) one arriving right after the first.
template<typename Answer, typename Call>
std::optional<Answer> awaitAnswer(Call call, int *answers = nullptr)
{
    std::optional<Answer> out;
    int count = 0;
    QEventLoop loop;
    call([&out, &count, &loop](Answer a) {
        ++count;
        out.emplace(std::move(a));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(kAnswerTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QCoreApplication::processEvents(); // a second (wrong) answer would arrive here
    if (answers)
        *answers = count;
    return out;
}

// The same for a provider call that answers with a Result<T>.
template<typename T, typename Call>
std::optional<Result<T>> await(Call call, int *answers = nullptr)
{
    return awaitAnswer<Result<T>>(std::move(call), answers);
}

} // namespace parley::test
