// Dynamiq's JSON mapping: any body gives rows or a BadResponse error, never a crash.
#include "FuzzInput.h"
#include "providers/dynamiq/DynamiqMapping.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const unsigned seed = size > 0 ? data[size - 1] : 0u;
    fuzz::expectValueOrBadResponse(dynamiq::parseListPage(body, 1 + int(seed % 3), 50),
                                   "list page");
    fuzz::expectValueOrBadResponse(dynamiq::parseConversation(body), "conversation");
    fuzz::describeAsError(body);
    return 0;
}
