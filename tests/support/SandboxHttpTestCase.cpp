#include "support/SandboxHttpTestCase.h"

#include "sandbox/SandboxOptions.h"

namespace parley::test {

bool SandboxHttpTestCase::startSandbox(QString *error)
{
    sandbox::SandboxOptions options;
    options.conversations = kCount;
    options.seed = kSeed;
    options.key = kKey;
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    return m_sandbox->start(error);
}

QUrl SandboxHttpTestCase::urlAt(const QString &prefix, const QString &path,
                                const Query &query) const
{
    return urlWith(m_sandbox->baseUrl(prefix), path, query);
}

} // namespace parley::test
