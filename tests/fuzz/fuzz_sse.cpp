// SseReader: never crashes, stays within its event size bound, and reads the same events
// whether the stream arrives at once or cut into pieces of any size.
#include "FuzzInput.h"
#include "net/SseReader.h"

using namespace parley;

namespace {

constexpr qsizetype kMaxEvent = 4096; // small, so that the size limit is reached often

QList<SseEvent> readWhole(const QByteArray &bytes)
{
    SseReader reader(kMaxEvent);
    QList<SseEvent> events = reader.feed(bytes);
    events += reader.finish();
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    const QList<SseEvent> whole = readWhole(in.payload);

    SseReader reader(kMaxEvent);
    QList<SseEvent> pieces;
    qsizetype pos = 0;
    int turn = 0;
    while (pos < in.payload.size()) {
        const qsizetype n = in.chunkSizes.at(turn++ % in.chunkSizes.size());
        pieces +=
            reader.feed(QByteArrayView(in.payload).sliced(pos, qMin(n, in.payload.size() - pos)));
        pos += n;
        if (reader.bufferedBytes() > 3 * kMaxEvent + 8)
            fuzz::fail("SseReader buffers more than its event limit");
    }
    pieces += reader.finish();

    if (pieces != whole)
        fuzz::fail("SseReader gives other events when the stream is split");
    for (const SseEvent &e : whole) {
        if (!e.isError() && e.data.size() > kMaxEvent)
            fuzz::fail("SseReader delivered an event over its size limit");
    }
    return 0;
}
