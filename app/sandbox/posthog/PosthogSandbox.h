#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <optional>

namespace parley::sandbox {

// PostHog AI's conversations API under /posthog (see app/providers/posthog/README.md):
//   GET /posthog/api/{projects|environments}/{project_id}/conversations/?limit=&offset=
//   GET /posthog/api/{projects|environments}/{project_id}/conversations/{id}/
// Any project id is accepted; `Authorization: Bearer <key>` is required; errors use
// PostHog's DRF body {"type", "code", "detail", "attr"}.
class PosthogSandbox final : public SandboxPlatform
{
public:
    static constexpr int kDefaultLimit = 100; // DRF PAGE_SIZE
    static constexpr int kMaxLimit = 100;

    explicit PosthogSandbox(const SandboxOptions &options);

    QString prefix() const override;
    void install(SandboxServer &server) override;

    const PosthogSandboxData &data() const { return m_data; }

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;

    PosthogSandboxData m_data;
};

} // namespace parley::sandbox
