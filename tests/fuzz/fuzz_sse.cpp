// SseReader: never crashes, stays within its event size bound, and reads the same events
// whether the stream arrives at once or cut into pieces of any size.
#include "FuzzInput.h"
#include "net/SseReader.h"

using namespace parley;

namespace {

constexpr qsizetype kMaxEvent = 4096; // small, so that the size limit is reached often

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    const QList<SseEvent> whole = fuzz::readWhole(SseReader(kMaxEvent), in.payload);
    const QList<SseEvent> pieces = fuzz::readInPieces(
        SseReader(kMaxEvent), in, 3 * kMaxEvent + 8, "SseReader buffers more than its event limit");

    if (pieces != whole)
        fuzz::fail("SseReader gives other events when the stream is split");
    for (const SseEvent &e : whole) {
        if (!e.isError() && e.data.size() > kMaxEvent)
            fuzz::fail("SseReader delivered an event over its size limit");
    }
    return 0;
}
