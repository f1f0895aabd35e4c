// Fixie's JSON mapping, read side and streamed snapshots: any body gives values or a
// BadResponse error, never a crash.
#include "FuzzInput.h"
#include "providers/fixie/FixieMapping.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const unsigned seed = size > 0 ? data[size - 1] : 0u;
    fuzz::expectValueOrBadResponse(fixie::parseListPage(body, int(seed % 3) * 50, 50), "list page");
    fuzz::expectValueOrBadResponse(fixie::parseConversation(body), "conversation");
    // One NDJSON line as the streams deliver it (any JSON value).
    const QJsonDocument line = QJsonDocument::fromJson("[" + body + "]");
    const QJsonValue value =
        line.isArray() && !line.array().isEmpty() ? line.array().at(0) : QJsonValue();
    fuzz::expectValueOrBadResponse(fixie::conversationSnapshot(value), "conversation snapshot");
    fuzz::expectValueOrBadResponse(fixie::turnSnapshot(value), "turn snapshot");
    fuzz::describeAsError(body);
    return 0;
}
