// NdjsonReader: never crashes, stays within its line bound, and reads the same lines
// whether the stream arrives at once or cut into pieces of any size.
#include "FuzzInput.h"
#include "net/NdjsonReader.h"

using namespace parley;

namespace {

constexpr qsizetype kMaxLine = 4096;

QList<NdjsonLine> readWhole(const QByteArray &bytes)
{
    NdjsonReader reader(kMaxLine);
    QList<NdjsonLine> lines = reader.feed(bytes);
    lines += reader.finish();
    return lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    const QList<NdjsonLine> whole = readWhole(in.payload);

    NdjsonReader reader(kMaxLine);
    QList<NdjsonLine> pieces;
    qsizetype pos = 0;
    int turn = 0;
    while (pos < in.payload.size()) {
        const qsizetype n = in.chunkSizes.at(turn++ % in.chunkSizes.size());
        pieces +=
            reader.feed(QByteArrayView(in.payload).sliced(pos, qMin(n, in.payload.size() - pos)));
        pos += n;
        if (reader.bufferedBytes() > kMaxLine + 1)
            fuzz::fail("NdjsonReader buffers more than its line limit");
    }
    pieces += reader.finish();

    if (pieces != whole)
        fuzz::fail("NdjsonReader gives other lines when the stream is split");
    qsizetype last = 0;
    for (const NdjsonLine &line : whole) {
        if (line.number <= last)
            fuzz::fail("NdjsonReader line numbers do not grow");
        last = line.number;
    }
    return 0;
}
