#include "providers/ProviderRegistry.h"

// One include and one entry per platform (each platform folder provides
// `PlatformInfo <name>PlatformInfo()` and `std::unique_ptr<Provider> make<Name>Provider(...)`).

namespace parley::ProviderRegistry {

QList<PlatformInfo> platforms()
{
    return {};
}

PlatformInfo platform(const QString &id)
{
    for (const PlatformInfo &p : platforms()) {
        if (p.id == id)
            return p;
    }
    return {};
}

std::unique_ptr<Provider> create(const Workspace &workspace, const QByteArray &key,
                                 HttpClient *http)
{
    Q_UNUSED(workspace);
    Q_UNUSED(key);
    Q_UNUSED(http);
    return nullptr;
}

QMap<QString, QString> validate(const Workspace &workspace)
{
    Q_UNUSED(workspace);
    return {};
}

} // namespace parley::ProviderRegistry
