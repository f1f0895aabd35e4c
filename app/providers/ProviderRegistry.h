#pragma once

#include "providers/Capabilities.h"
#include "providers/Provider.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace parley {

// The platforms Parley knows, and the factory that makes a provider for a workspace.
// Adding a platform = a folder under providers/ plus one line in ProviderRegistry.cpp.
namespace ProviderRegistry {

QList<PlatformInfo> platforms();
// Empty PlatformInfo (id empty) when unknown.
PlatformInfo platform(const QString &id);
// nullptr when the workspace's platform is unknown. `key` goes into the provider's
// Endpoint only; the caller forgets its copy.
std::unique_ptr<Provider> create(const Workspace &workspace, const QByteArray &key,
                                 HttpClient *http);
// Checks a workspace against its platform's fields: empty when fine, else one message
// per problem, keyed by field ("base_url" for the base URL).
QMap<QString, QString> validate(const Workspace &workspace);

} // namespace ProviderRegistry

} // namespace parley
