#pragma once

#include "providers/Capabilities.h"
#include "providers/Provider.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>
#include <optional>

namespace parley {

// The platforms Parley knows, and the factory that makes a provider for a workspace.
//
// Nothing here names a platform: each platform folder registers itself with
// PARLEY_REGISTER_PLATFORM, and the build links every folder it finds whole (see
// app/CMakeLists.txt), so adding a platform is adding its folder. Every list of platforms a
// user reads (About, --help, empty states, the workspace dialog) comes from platforms().
namespace ProviderRegistry {

using InfoFunction = PlatformInfo (*)();
using MakeFunction = std::unique_ptr<Provider> (*)(const Workspace &, const QByteArray &key,
                                                   HttpClient *);

// Called once per platform at static initialisation; returns true. A second registration of
// the same id is ignored.
bool registerPlatform(InfoFunction info, MakeFunction make);

// Every registered platform, by display name (case-insensitive).
QList<PlatformInfo> platforms();
// Empty PlatformInfo (id empty) when unknown.
PlatformInfo platform(const QString &id);
// nullptr when the workspace's platform is unknown. `key` goes into the provider's
// Endpoint only; the caller forgets its copy.
std::unique_ptr<Provider> create(const Workspace &workspace, const QByteArray &key,
                                 HttpClient *http);
// What a platform can do for a workspace with its fields' defaults (for help texts and
// lists; a real workspace's provider may say more). Empty Capabilities when unknown.
Capabilities capabilities(const QString &id);
// The display names of the registered platforms as one phrase ("A, B and C"); with
// `action`, only those whose default capabilities offer it.
QString displayNames(std::optional<Capabilities::Action> action = std::nullopt);
// The same phrase for the platforms whose default capabilities pass `offers`.
QString displayNames(const std::function<bool(const Capabilities &)> &offers);
// Checks a workspace against its platform's fields: empty when fine, else one message
// per problem, keyed by field ("base_url" for the base URL).
QMap<QString, QString> validate(const Workspace &workspace);

} // namespace ProviderRegistry

} // namespace parley

// In one .cpp file of a platform folder: registers the platform with ProviderRegistry.
// `info` and `make` are the folder's ProviderRegistry::InfoFunction and MakeFunction.
#define PARLEY_REGISTER_PLATFORM(info, make)                                                       \
    namespace {                                                                                    \
    [[maybe_unused]] const bool parleyPlatformRegistered =                                         \
        ::parley::ProviderRegistry::registerPlatform(info, make);                                  \
    }
