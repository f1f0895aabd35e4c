// Dynamiq's run events: any event stream, cut anywhere, ends in a turn and at most one
// end of the run; nothing after the end changes the turn.
#include "FuzzInput.h"
#include "providers/dynamiq/DynamiqRunReader.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    SseReader sse(16 * 1024);
    dynamiq::RunReader run(QStringLiteral("user-1"), QStringLiteral("draft-1"),
                           QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
    int ends = 0;
    auto apply = [&](const dynamiq::RunReader::Step &step) {
        if (step.ended)
            ++ends;
        if (ends > 1)
            fuzz::fail("the run ended twice");
    };
    qsizetype pos = 0;
    int turn = 0;
    while (pos < in.payload.size()) {
        const qsizetype n = in.chunkSizes.at(turn++ % in.chunkSizes.size());
        const auto events =
            sse.feed(QByteArrayView(in.payload).sliced(pos, qMin(n, in.payload.size() - pos)));
        pos += n;
        for (const SseEvent &e : events) {
            const bool wasOver = run.isOver();
            const Turn before = run.turn();
            apply(run.feed(e));
            if (wasOver && run.turn().plainText() != before.plainText())
                fuzz::fail("an event after the end changed the turn");
        }
    }
    for (const SseEvent &e : sse.finish())
        apply(run.feed(e));
    if (!run.isOver())
        apply(run.end());
    if (!run.isOver())
        fuzz::fail("the run is not over after the stream ended");
    return 0;
}
