#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/orq/OrqSandboxData.h"

#include <optional>

namespace parley::sandbox {

// orq.ai's Conversations API under /orq (see app/providers/orq/README.md), in both
// published spellings of the list call:
//   GET /orq/v2/conversations?limit=&starting_after=&ending_before=          (2025-12)
//   GET /orq/v2/conversations/?limit=&startingAfter=&endingBefore=&entityId= (2026-02)
//   GET /orq/v2/conversations/{id}                                           one, with messages
// `Authorization: Bearer <key>` is required. Errors use orq's body
// {"error": {"code", "message", "doc_url"}}, except the documented {"message"} of a
// conversation that does not exist. A query parameter the revision does not know (e.g. the
// other revision's cursor spelling) is a 400 here, so that a client mixing them is caught.
class OrqSandbox final : public SandboxPlatform
{
public:
    static constexpr int kDefaultLimit = 10;
    static constexpr int kMaxLimit = 100;

    explicit OrqSandbox(const SandboxOptions &options);

    QString prefix() const override;
    void install(SandboxServer &server) override;

    const OrqSandboxData &data() const { return m_data; }

private:
    SandboxReply list(const SandboxRequest &request, bool camel) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;

    OrqSandboxData m_data;
};

} // namespace parley::sandbox
