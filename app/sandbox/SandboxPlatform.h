#pragma once

#include "sandbox/SandboxOptions.h"

#include <QString>

namespace parley::sandbox {

class SandboxServer;

// One platform's emulation. It registers its routes under "/<prefix>/..." and answers
// as the platform documents: auth header, error bodies, paging, filters, shapes.
// Conversation i (0 <= i < options.conversations) is generated on demand from
// (seed, platform, i) so that 100,000 conversations cost no memory; state changed by
// write calls is kept in a small overlay.
class SandboxPlatform
{
public:
    explicit SandboxPlatform(const SandboxOptions &options)
        : m_options(options)
    {}
    virtual ~SandboxPlatform() = default;
    SandboxPlatform(const SandboxPlatform &) = delete;
    SandboxPlatform &operator=(const SandboxPlatform &) = delete;

    virtual QString prefix() const = 0; // "posthog" -> routes under /posthog/
    virtual void install(SandboxServer &server) = 0;

protected:
    const SandboxOptions &options() const { return m_options; }

private:
    SandboxOptions m_options;
};

} // namespace parley::sandbox
