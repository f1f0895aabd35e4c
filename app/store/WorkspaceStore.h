#pragma once

#include "core/Workspace.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>

#include <memory>
#include <optional>

class QSettings;

namespace parley {

// The user's workspaces, kept in QSettings (array "workspaces": id, name, platform,
// baseUrl, params). Plain settings only: an API key is never stored here — a parameter
// whose name looks like a key, secret, token or password is refused with a message that
// sends the user to the key field, and so is a base URL carrying a password or a
// key-like query item. Demo workspaces (Workspace::demo) live in memory only.
//
// Field validation (required ids, URL rules of each platform) is ProviderRegistry's job;
// this store only guards what it writes. Removing a workspace does not delete its key:
// the caller asks KeyStore::deleteKey as well.
class WorkspaceStore : public QObject
{
    Q_OBJECT

public:
    // The application's settings (QSettings with QCoreApplication's names).
    explicit WorkspaceStore(QObject *parent = nullptr);
    // An INI file at `filePath`; tests use a temporary file.
    explicit WorkspaceStore(const QString &filePath, QObject *parent = nullptr);
    ~WorkspaceStore() override;

    // Saved workspaces in their saved order, then demo workspaces in the order added.
    QList<Workspace> workspaces() const { return m_workspaces; }
    std::optional<Workspace> findById(const QUuid &id) const;
    bool contains(const QUuid &id) const { return indexOf(id) >= 0; }
    int count() const { return int(m_workspaces.size()); }

    // Each returns false and sets *error (a sentence for the user) when refused; nothing
    // changes then. A change is written to disk at once and announced by changed().
    bool add(const Workspace &workspace, QString *error = nullptr);
    bool update(const Workspace &workspace, QString *error = nullptr);
    bool remove(const QUuid &id);
    // Forgets every demo workspace (the sandbox went away).
    void removeDemoWorkspaces();

    // Re-reads the file (e.g. after another process changed it).
    void reload();

    // Why a workspace cannot be stored as it is, or an empty string.
    static QString storageProblem(const Workspace &workspace);
    // True for parameter names such as "api_key", "apiKey", "client_secret", "x_token",
    // "password"; false for "key_type", "token_url", "project_id".
    static bool looksLikeSecretName(const QString &name);

    QString fileName() const;
    // False (and a warning in the log) when the last write failed.
    bool lastWriteOk() const { return m_lastWriteOk; }

Q_SIGNALS:
    void changed();

private:
    int indexOf(const QUuid &id) const;
    void load();
    void save();

    std::unique_ptr<QSettings> m_settings;
    QList<Workspace> m_workspaces;
    bool m_lastWriteOk = true;
};

} // namespace parley
