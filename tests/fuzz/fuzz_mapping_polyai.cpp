// PolyAI's JSON mapping (both API versions): any body gives rows or a BadResponse error,
// never a crash; a page keeps each row's item, and opening one says what its row says.
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
        if (!page.ok())
            continue;
        const polyai::ListPage &p = page.value();
        if (p.rows.size() != p.page.items.size())
            fuzz::fail("PolyAI rows do not match the page's conversations");
        for (qsizetype i = 0; i < p.rows.size(); ++i) {
            const Conversation full = polyai::detailFromRow(p.rows.at(i)).summary;
            const Conversation &row = p.page.items.at(i);
            if (full.id != row.id || full.title != row.title || full.updatedAt != row.updatedAt ||
                full.isUnreadable() != row.isUnreadable())
                fuzz::fail("an opened PolyAI conversation says other than its row");
        }
    }
    fuzz::expectValueOrBadResponse(polyai::parseConversation(body), "conversation");
    fuzz::describeAsError(body);
    return 0;
}
