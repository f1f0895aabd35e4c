#include "providers/ProviderRegistry.h"

#include "core/TranslationContext.h"

#include "rules/InputRules.h"

#include <QCoreApplication>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace parley::ProviderRegistry {

namespace {

struct Entry
{
    InfoFunction info;
    MakeFunction make;
};

// Filled during static initialisation, before main(); read-only after.
std::vector<Entry> &entries()
{
    static std::vector<Entry> list;
    return list;
}

const TranslationContext tr{"parley::ProviderRegistry"};

const Entry *find(const QString &id)
{
    for (const Entry &e : entries()) {
        if (e.info().id == id)
            return &e;
    }
    return nullptr;
}

} // namespace

bool registerPlatform(InfoFunction info, MakeFunction make)
{
    if (!find(info().id))
        entries().push_back({info, make});
    return true;
}

QList<PlatformInfo> platforms()
{
    QList<PlatformInfo> out;
    for (const Entry &e : entries())
        out << e.info();
    std::sort(out.begin(), out.end(), [](const PlatformInfo &a, const PlatformInfo &b) {
        return a.displayName.compare(b.displayName, Qt::CaseInsensitive) < 0;
    });
    return out;
}

PlatformInfo platform(const QString &id)
{
    const Entry *e = find(id);
    return e ? e->info() : PlatformInfo{};
}

std::unique_ptr<Provider> create(const Workspace &workspace, const QByteArray &key,
                                 HttpClient *http)
{
    const Entry *e = find(workspace.platform);
    return e ? e->make(workspace, key, http) : nullptr;
}

Capabilities capabilities(const QString &id)
{
    const Entry *e = find(id);
    if (!e)
        return {};
    const PlatformInfo info = e->info();
    Workspace workspace;
    workspace.platform = info.id;
    workspace.baseUrl = info.defaultBaseUrl;
    for (const WorkspaceField &field : info.fields) {
        if (!field.defaultValue.isEmpty())
            workspace.params.insert(field.key, field.defaultValue);
    }
    // No request is made: the provider only describes itself.
    const std::unique_ptr<Provider> provider = e->make(workspace, QByteArray(), nullptr);
    return provider ? provider->capabilities() : Capabilities{};
}

QString displayNames(std::optional<Capabilities::Action> action)
{
    return displayNames([action](const Capabilities &c) { return !action || c.can(*action); });
}

QString displayNames(const std::function<bool(const Capabilities &)> &offers)
{
    QStringList names;
    for (const PlatformInfo &info : platforms()) {
        if (offers(capabilities(info.id)))
            names << info.displayName;
    }
    if (names.size() < 2)
        return names.join(QString());
    const QString last = names.takeLast();
    //: A list of platform names: "Dynamiq, Fixie" and "PostHog AI".
    return tr("%1 and %2").arg(names.join(u", "_s), last);
}

QMap<QString, QString> validate(const Workspace &workspace)
{
    return InputRules::checkWorkspace(workspace, platform(workspace.platform));
}

} // namespace parley::ProviderRegistry
