// Orq's JSON mapping: any body gives rows or a BadResponse error, never a crash.
#include "FuzzInput.h"
#include "providers/orq/OrqMapping.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    fuzz::expectValueOrBadResponse(orq::parseListPage(body), "list page");
    fuzz::expectValueOrBadResponse(orq::parseConversation(body), "conversation");
    fuzz::describeAsError(body);
    return 0;
}
