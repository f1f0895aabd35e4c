#pragma once

#include "core/Workspace.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace parley::bench {

// A workspace of `platform` pointing at `baseUrl` (a sandbox prefix), with the settings of
// that platform's demo workspace among `demo` (DemoWorkspaces::create of the sandbox).
Workspace sandboxWorkspace(const QList<Workspace> &demo, const QString &platform,
                           const QUrl &baseUrl);

// The registered platforms the sandbox emulates, in the sandbox's order (the order --demo
// creates its workspaces in), restricted to `wanted` when it is not empty.
QStringList benchPlatforms(const QStringList &sandboxPrefixes, const QStringList &wanted);

} // namespace parley::bench
