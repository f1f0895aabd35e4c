// NdjsonReader: never crashes, stays within its line bound, and reads the same lines
// whether the stream arrives at once or cut into pieces of any size.
#include "FuzzInput.h"
#include "net/NdjsonReader.h"

using namespace parley;

namespace {

constexpr qsizetype kMaxLine = 4096;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    const QList<NdjsonLine> whole = fuzz::readWhole(NdjsonReader(kMaxLine), in.payload);
    const QList<NdjsonLine> pieces = fuzz::readInPieces(
        NdjsonReader(kMaxLine), in, kMaxLine + 1, "NdjsonReader buffers more than its line limit");

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
