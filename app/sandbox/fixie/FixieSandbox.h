#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/fixie/FixieSandboxData.h"

#include <optional>

namespace parley::sandbox {

// Fixie's agent conversations under /fixie (see app/providers/fixie/README.md):
//   GET /fixie/api/v1/agents/{agentId}/conversations?offset=&limit=
//   GET /fixie/api/v1/agents/{agentId}/conversations/{conversationId}
// Any agent id is accepted (every agent sees the same conversations);
// `Authorization: Bearer <key>` is required. Errors are plain text, as Fixie gives no
// error schema. `limit` is 1..100 (documented maximum); more is a 400.
class FixieSandbox final : public SandboxPlatform
{
public:
    static constexpr int kDefaultLimit = 20; // "a sensible default": not documented
    static constexpr int kMaxLimit = 100;

    explicit FixieSandbox(const SandboxOptions &options);

    QString prefix() const override;
    void install(SandboxServer &server) override;

    const FixieSandboxData &data() const { return m_data; }

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;

    FixieSandboxData m_data;
};

} // namespace parley::sandbox
