#pragma once

#include "store/OutboxEntry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace parley {

// The local outbox: messages the operator appended, saved on disk before they are sent so
// that none is lost (see OutboxEntry for the states). A SQLite file, by default
// "outbox.sqlite" in QStandardPaths::AppDataLocation, opened through QtSql with a
// connection of its own.
//
// - Durable: WAL journal with synchronous=FULL, so a call that returned true is on disk.
// - One owner: the file is locked exclusively while an Outbox has it open, so a second
//   Parley process cannot send the same entries; it gets a clear error instead.
// - Versioned schema (PRAGMA user_version); a file from a newer Parley is left untouched.
// - Every SQL failure is reported (false / nullopt / errorString() and the parley.store log),
//   never ignored: a caller that cannot save a message keeps the user's draft.
// - Never holds keys: only workspace and conversation ids, the text and delivery facts.
//
// GUI thread only (QtSql connections belong to the thread that made them).
class Outbox
{
    Q_DECLARE_TR_FUNCTIONS(parley::Outbox)

public:
    static constexpr int kSchemaVersion = 1;

    // AppDataLocation/outbox.sqlite.
    static QString defaultPath();

    // Opens (creating if needed) the outbox at defaultPath().
    Outbox();
    // Opens (creating if needed) the outbox at `filePath`; tests use a temporary file.
    explicit Outbox(const QString &filePath);
    ~Outbox();
    Outbox(const Outbox &) = delete;
    Outbox &operator=(const Outbox &) = delete;

    // False when the file could not be opened or created; errorString() says why.
    bool isOpen() const { return m_open; }
    QString fileName() const { return m_path; }
    // Why the outbox is not open, or why the last call failed; empty after a success.
    QString errorString() const { return m_error; }

    // Saves a new Pending entry with a fresh client id. nullopt (errorString() set) when it
    // was not saved: the caller must keep the text where the user typed it.
    std::optional<OutboxEntry> add(const QUuid &workspaceId, const QString &conversationId,
                                   const QString &text);
    // Writes the entry's delivery fields (state, attempts, lastError, remoteId, baseline,
    // inDoubt) and stamps updatedAt, but only if the stored state is still `expected`: a
    // transition made from a stale copy is refused. False (errorString() set) when nothing
    // was written.
    bool save(OutboxEntry &entry, OutboxEntry::State expected);
    // Deletes the entry. Deleting an entry that is not there is a success.
    bool remove(const QUuid &clientId);

    // nullopt when absent or on error (errorString() tells which: empty when absent).
    std::optional<OutboxEntry> find(const QUuid &clientId);
    // Entries in creation order; Sent ones only with `includeSent`. `ok` false on error.
    QList<OutboxEntry> entries(bool includeSent = false, bool *ok = nullptr);
    // Deletes Sent entries last changed before `cutoff`; the number deleted, -1 on error.
    int removeSentBefore(const QDateTime &cutoff);
    // PRAGMA user_version of the open file, -1 on error.
    int schemaVersion();

private:
    void open();
    bool createSchema();
    bool fail(const QString &what, const QString &sqlError);
    QSqlDatabase database() const;
    bool report(const QSqlError &error, const QString &what);
    bool prepare(QSqlQuery &query, const QString &sql, const QString &what);
    bool exec(QSqlQuery &query, const QString &what);

    QString m_path;
    QString m_connection;
    QString m_error;
    bool m_open = false;
};

} // namespace parley
