#include "providers/ProviderRegistry.h"

#include <QCoreApplication>
#include <QRegularExpression>

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

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::ProviderRegistry", text);
}

const Entry *find(const QString &id)
{
    for (const Entry &e : entries()) {
        if (e.info().id == id)
            return &e;
    }
    return nullptr;
}

// Empty when `url` is usable as a base URL, else what is wrong with it.
QString checkBaseUrl(const QUrl &url, const PlatformInfo &info)
{
    if (!url.isValid())
        return tr("The base URL is not a valid address.");
    const QString scheme = url.scheme().toLower();
    if (url.isRelative() || (scheme != "https"_L1 && scheme != "http"_L1))
        return info.defaultBaseUrl.isEmpty()
                   ? tr("The base URL must start with https://.")
                   : tr("The base URL must start with https:// (for example %1).")
                         .arg(info.defaultBaseUrl.toString());
    if (url.host().isEmpty())
        return tr("The base URL has no host name.");
    if (!url.userInfo().isEmpty())
        return tr("The base URL must not contain a user name or password; enter the API key in "
                  "its own field.");
    if (url.hasQuery() || url.hasFragment())
        return tr("The base URL must not contain “?” or “#” parts.");
    // The same rule the HTTP layer enforces, said before the workspace is saved.
    if (scheme == "http"_L1 && !HttpClient::isLoopback(url))
        return tr("Plain http:// would send the API key unencrypted over the network: use "
                  "https://. Plain http:// is allowed only for addresses on this computer, "
                  "such as 127.0.0.1.");
    return {};
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
    QStringList names;
    for (const PlatformInfo &info : platforms()) {
        if (!action || capabilities(info.id).can(*action))
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
    QMap<QString, QString> problems;
    const Entry *e = find(workspace.platform);
    if (!e) {
        problems.insert(u"platform"_s,
                        tr("Parley does not know the platform “%1”.").arg(workspace.platform));
        return problems;
    }
    const PlatformInfo info = e->info();

    // An empty base URL means the platform's default.
    if (!workspace.baseUrl.isEmpty() || info.defaultBaseUrl.isEmpty()) {
        const QString problem = checkBaseUrl(workspace.baseUrl, info);
        if (!problem.isEmpty())
            problems.insert(u"base_url"_s, problem);
    }

    for (const WorkspaceField &field : info.fields) {
        const QString value = workspace.param(field.key).trimmed();
        if (value.isEmpty()) {
            if (field.required)
                problems.insert(field.key, tr("%1 is required.").arg(field.label));
            continue;
        }
        if (!field.choices.isEmpty() && !field.choices.contains(value)) {
            problems.insert(
                field.key,
                tr("The %1 must be one of: %2.").arg(field.label, field.choices.join(u", "_s)));
            continue;
        }
        if (field.pattern.isEmpty())
            continue;
        const QRegularExpression re(QRegularExpression::anchoredPattern(field.pattern));
        if (re.match(value).hasMatch())
            continue;
        problems.insert(field.key, field.placeholder.isEmpty()
                                       ? tr("“%1” is not a valid %2.").arg(value, field.label)
                                       : tr("“%1” is not a valid %2 (expected something like %3).")
                                             .arg(value, field.label, field.placeholder));
    }
    return problems;
}

} // namespace parley::ProviderRegistry
