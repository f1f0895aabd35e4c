// Dynamiq's JSON mapping, read and write side: any body gives values or a BadResponse
// error, never a crash.
#include "FuzzInput.h"
#include "net/HttpClient.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqWriteMapping.h"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const unsigned seed = size > 0 ? data[size - 1] : 0u;
    fuzz::expectValueOrBadResponse(dynamiq::parseListPage(body, 1 + int(seed % 3), 50),
                                   "list page");
    fuzz::expectValueOrBadResponse(dynamiq::parseConversation(body), "conversation");
    fuzz::expectValueOrBadResponse(dynamiq::parseCreated(body), "created conversation");
    fuzz::expectValueOrBadResponse(dynamiq::parseRequirementStatus(body, QStringLiteral("u")),
                                   "requirement status");
    fuzz::expectValueOrBadResponse(dynamiq::parseConnectToken(body), "connect token");
    const auto url = dynamiq::parseAuthorizeUrl(body);
    // Plain http only to loopback hosts: the rule HttpClient applies to requests.
    if (url.ok() && url.value().scheme() != QLatin1String("https") &&
        !HttpClient::isLoopback(url.value()))
        fuzz::fail("an authorization URL that is neither https nor loopback was accepted");
    fuzz::describeAsError(body);
    return 0;
}
