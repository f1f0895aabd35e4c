#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstddef>
#include <cstdint>

namespace parley::fuzz {

// Splits the fuzzer's input into a choice of chunk sizes (its first bytes) and a payload,
// so that one input exercises both what a stream says and how it is cut into pieces.
struct SplitInput
{
    QList<qsizetype> chunkSizes; // 1..64, used in turn; never empty
    QByteArray payload;

    static SplitInput from(const uint8_t *data, size_t size)
    {
        SplitInput in;
        size_t used = 0;
        const size_t header = size > 0 ? std::min<size_t>(data[0] % 8, size - 1) : 0;
        for (size_t i = 1; i <= header; ++i)
            in.chunkSizes.append(qsizetype(data[i] % 64) + 1);
        used = size > 0 ? header + 1 : 0;
        if (in.chunkSizes.isEmpty())
            in.chunkSizes.append(1);
        in.payload =
            QByteArray(reinterpret_cast<const char *>(data) + used, qsizetype(size - used));
        return in;
    }
};

// Stops the run with a crash libFuzzer records, when a property does not hold.
[[noreturn]] void fail(const char *what);

// A stream reader's items for `bytes` given at once.
template<typename Reader>
auto readWhole(Reader reader, const QByteArray &bytes)
{
    auto items = reader.feed(bytes);
    items += reader.finish();
    return items;
}

// A stream reader's items for `in.payload` cut into pieces of `in.chunkSizes` (in turn);
// fails with `overflow` when the reader ever holds more than `maxBuffered` bytes.
template<typename Reader>
auto readInPieces(Reader reader, const SplitInput &in, qsizetype maxBuffered, const char *overflow)
{
    decltype(reader.finish()) items;
    qsizetype pos = 0;
    int turn = 0;
    while (pos < in.payload.size()) {
        const qsizetype n = in.chunkSizes.at(turn++ % in.chunkSizes.size());
        items +=
            reader.feed(QByteArrayView(in.payload).sliced(pos, qMin(n, in.payload.size() - pos)));
        pos += n;
        if (reader.bufferedBytes() > maxBuffered)
            fail(overflow);
    }
    items += reader.finish();
    return items;
}

} // namespace parley::fuzz

#include "core/ApiError.h"
#include "core/Result.h"
#include "net/ErrorBody.h"

namespace parley::fuzz {

// A mapping either gives a value or says the body is not what it expected: any other
// error kind (or none with no value) is a bug.
template<typename T>
void expectValueOrBadResponse(const Result<T> &result, const char *what)
{
    if (!result.ok() && result.error().kind != ApiError::Kind::BadResponse)
        fail(what);
}

// Every platform's error bodies go through ErrorBody; it must read any bytes.
inline void describeAsError(const QByteArray &body)
{
    ApiError e = ApiError::make(ApiError::Kind::Server, {}, 500);
    ErrorBody::describe(e, body, "application/json");
    ErrorBody::describe(e, body, "text/html");
    if (e.detail.size() > body.size() + 200)
        fail("ErrorBody made a detail longer than the body");
}

} // namespace parley::fuzz
