// PolyAI's JSON mapping (both API versions): any body gives rows or a BadResponse error,
// never a crash; a page's details match its rows one to one.
#include "FuzzInput.h"
#include "providers/polyai/PolyaiMapping.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    for (polyai::ApiVersion version : {polyai::ApiVersion::V1, polyai::ApiVersion::V3}) {
        const auto page = polyai::parseListPage(body, version,
                                                PageCursor::first(version == polyai::ApiVersion::V1
                                                                      ? PageCursor::Style::Offset
                                                                      : PageCursor::Style::Cursor));
        fuzz::expectValueOrBadResponse(page, "list page");
        if (page.ok() && page.value().details.size() != page.value().page.items.size())
            fuzz::fail("PolyAI details do not match the rows");
    }
    fuzz::expectValueOrBadResponse(polyai::parseConversation(body), "conversation");
    fuzz::describeAsError(body);
    return 0;
}
