// PostHog's create/continue stream: any bytes, cut anywhere, give turn updates or an error
// and never a crash; a draft never outlives the end of the stream.
#include "FuzzInput.h"
#include "providers/posthog/PosthogStreamReader.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::SplitInput in = fuzz::SplitInput::from(data, size);
    SseReader sse(16 * 1024);
    posthog::StreamReader reader(QStringLiteral("local-1"));
    bool draftOpen = false;
    auto apply = [&](const posthog::StreamReader::Step &step) {
        for (const auto &u : step.turns)
            draftOpen = u.turn.id.startsWith(QLatin1String("draft-")) &&
                        u.turn.state == Turn::State::InProgress;
    };
    qsizetype pos = 0;
    int turn = 0;
    while (pos < in.payload.size()) {
        const qsizetype n = in.chunkSizes.at(turn++ % in.chunkSizes.size());
        for (const SseEvent &e :
             sse.feed(QByteArrayView(in.payload).sliced(pos, qMin(n, in.payload.size() - pos))))
            apply(reader.feed(e));
        pos += n;
    }
    for (const SseEvent &e : sse.finish())
        apply(reader.feed(e));
    apply(reader.end());
    if (draftOpen)
        fuzz::fail("a draft is still in progress after the stream ended");
    return 0;
}
