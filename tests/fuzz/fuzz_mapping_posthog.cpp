// Posthog's JSON mapping: any body gives rows or a BadResponse error, never a crash.
#include "FuzzInput.h"
#include "providers/posthog/PosthogMapping.h"
#include "providers/posthog/PosthogWriteMapping.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const unsigned seed = size > 0 ? data[size - 1] : 0u;
    fuzz::expectValueOrBadResponse(posthog::parseListPage(body, int(seed % 3) * 100, 100),
                                   "list page");
    fuzz::expectValueOrBadResponse(posthog::parseConversation(body), "conversation");
    fuzz::expectValueOrBadResponse(posthog::parseQueue(body), "queue");
    fuzz::expectValueOrBadResponse(posthog::parseAppended(body), "appended message");
    fuzz::describeAsError(body);
    return 0;
}
