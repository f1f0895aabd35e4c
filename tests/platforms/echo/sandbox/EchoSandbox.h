#pragma once

#include "EchoThreads.h"

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"

#include <optional>

namespace parley::sandbox {

// The Echo server under /echo (see tests/platforms/echo/provider/README.md); every room
// holds the same threads. `X-Echo-Key` is required; errors are {"fault": {"reason", "text"}}.
class EchoSandbox final : public SandboxPlatform
{
public:
    static constexpr int kDefaultCount = 20;
    static constexpr int kMaxCount = 40;

    explicit EchoSandbox(const SandboxOptions &options);

    void install(SandboxServer &server) override;
    QMap<QString, QString>
    demoParams(const std::function<QUrl(const QString &)> &urlOf) const override;

private:
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply open(const SandboxRequest &request) const;
    SandboxReply append(const SandboxRequest &request);
    std::optional<SandboxReply> rejectKey(const SandboxRequest &request) const;

    EchoThreads m_threads;
};

} // namespace parley::sandbox
