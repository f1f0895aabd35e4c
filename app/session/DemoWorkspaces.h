#pragma once

#include "core/Workspace.h"

#include <QByteArray>
#include <QList>

#include <functional>

class QObject;

namespace parley {

class KeyStore;

namespace sandbox {
class Sandbox;
}

// The workspaces `parley --demo` shows: one per sandbox platform that ProviderRegistry
// knows, pointing at the in-process sandbox, marked demo (never persisted). Ids are
// stable across runs so that the keychain holds one demo entry per platform, not one per run.
namespace DemoWorkspaces {

QList<Workspace> create(const sandbox::Sandbox &sandbox);
// The params a demo workspace of `platform` gets from its fields alone: each field's
// default or (valid) placeholder, else "demo" (create() adds what the emulation declares).
QMap<QString, QString> paramsFor(const QString &platform);

// Writes `key` for every workspace through the KeyStore, the way real keys are stored.
// Where the keychain cannot take it (no backend, locked), the key is held in memory for
// the session instead. `done` runs once all are stored, with `heldInMemory` true when at
// least one went to memory (the caller says so), unless `context` is gone by then.
void storeKeys(KeyStore *keys, const QList<Workspace> &workspaces, const QByteArray &key,
               QObject *context, std::function<void(bool heldInMemory)> done);

} // namespace DemoWorkspaces

} // namespace parley
