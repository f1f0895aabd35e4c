#include "store/Outbox.h"

#include "core/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const QString kDriver = u"QSQLITE"_s;
// SQLite result codes that mean "another connection holds the file".
const QString kBusy = u"5"_s;
const QString kLocked = u"6"_s;
const QString kCorrupt = u"11"_s;
const QString kNotADatabase = u"26"_s;

const QString kColumns = u"client_id, seq, workspace_id, conversation_id, text, state, attempts, "
                         "last_error, remote_id, baseline, in_doubt, created_at, updated_at"_s;

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// QtSql binds a null QString as SQL NULL; the text columns are NOT NULL.
QString notNull(const QString &text)
{
    return text.isNull() ? u""_s : text;
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

OutboxEntry readRow(const QSqlQuery &q)
{
    OutboxEntry e;
    e.clientId = QUuid::fromString(q.value(0).toString());
    e.seq = q.value(1).toLongLong();
    e.workspaceId = QUuid::fromString(q.value(2).toString());
    e.conversationId = q.value(3).toString();
    e.text = q.value(4).toString();
    const QString state = q.value(5).toString();
    if (const auto s = OutboxEntry::stateFromName(state)) {
        e.state = *s;
    } else {
        // The schema's CHECK keeps this out; should it happen, the user decides.
        qCWarning(lcStore) << "outbox entry with an unknown state" << state;
        e.state = OutboxEntry::State::Failed;
        e.inDoubt = true;
    }
    e.attempts = q.value(6).toInt();
    e.lastError = q.value(7).toString();
    e.remoteId = q.value(8).toString();
    e.baseline = q.value(9).toInt();
    e.inDoubt = e.inDoubt || q.value(10).toInt() != 0;
    e.createdAt = fromMs(q.value(11).toLongLong());
    e.updatedAt = fromMs(q.value(12).toLongLong());
    return e;
}

} // namespace

QString Outbox::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        return {};
    return dir + u"/outbox.sqlite"_s;
}

Outbox::Outbox()
    : Outbox(defaultPath())
{}

Outbox::Outbox(const QString &filePath)
    : m_path(filePath)
{
    m_connection = u"parley-outbox-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    open();
}

Outbox::~Outbox()
{
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = database();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase Outbox::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

bool Outbox::fail(const QString &what, const QString &sqlError)
{
    m_error = tr("The local outbox %1 cannot be used: %2 (%3).").arg(m_path, what, sqlError);
    qCWarning(lcStore).noquote() << "outbox:" << what << "failed:" << sqlError;
    return false;
}

bool Outbox::report(const QSqlError &error, const QString &what)
{
    if (error.nativeErrorCode() == kBusy || error.nativeErrorCode() == kLocked) {
        m_error = tr("The local outbox %1 is in use by another running Parley; close it "
                     "and try again.")
                      .arg(m_path);
        qCWarning(lcStore).noquote() << "outbox:" << what << "failed: the file is locked";
        return false;
    }
    if (error.nativeErrorCode() == kNotADatabase || error.nativeErrorCode() == kCorrupt) {
        m_error = tr("The local outbox %1 is damaged or is not an outbox file (%2). Move it "
                     "aside to start a new one.")
                      .arg(m_path, error.databaseText());
        qCWarning(lcStore).noquote() << "outbox:" << what << "failed: damaged file";
        return false;
    }
    return fail(what, error.text());
}

bool Outbox::prepare(QSqlQuery &query, const QString &sql, const QString &what)
{
    // SQLite reports most problems (a locked or damaged file) when the statement is
    // prepared; exec() after a failed prepare() only says "No query".
    return query.prepare(sql) || report(query.lastError(), what);
}

bool Outbox::exec(QSqlQuery &query, const QString &what)
{
    return query.exec() || report(query.lastError(), what);
}

void Outbox::open()
{
    if (m_path.isEmpty()) {
        m_error = tr("The local outbox cannot be created: there is no folder for application "
                     "data.");
        qCWarning(lcStore) << "outbox: no AppDataLocation";
        return;
    }
    if (!QSqlDatabase::isDriverAvailable(kDriver)) {
        m_error = tr("The local outbox cannot be used: Qt's SQLite driver is not installed "
                     "(package libqt6sql6-sqlite).");
        qCWarning(lcStore) << "outbox: no QSQLITE driver";
        return;
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder)) {
        m_error =
            tr("The local outbox cannot be created: the folder %1 cannot be made.").arg(folder);
        qCWarning(lcStore).noquote() << "outbox: cannot make" << folder;
        return;
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(kDriver, m_connection);
        db.setDatabaseName(m_path);
        // Never wait for a lock on the GUI thread: another Parley holding the file is an
        // error to report, not a reason to freeze.
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=0"_s);
        if (!db.open()) {
            fail(tr("opening the file"), db.lastError().text());
            return;
        }
    }

    QSqlQuery q(database());
    // Exclusive before WAL: no shared-memory index, and the file stays locked to this
    // connection from its first write on (taken just below).
    if (!prepare(q, u"PRAGMA locking_mode=EXCLUSIVE"_s, tr("setting the locking mode")) ||
        !exec(q, tr("setting the locking mode")))
        return;
    if (!prepare(q, u"PRAGMA journal_mode=WAL"_s, tr("setting the journal mode")) ||
        !exec(q, tr("setting the journal mode")))
        return;
    if (q.next() && q.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        qCInfo(lcStore) << "outbox: WAL refused, journal mode" << q.value(0).toString();
    q.finish();
    if (!prepare(q, u"PRAGMA synchronous=FULL"_s, tr("setting synchronous writes")) ||
        !exec(q, tr("setting synchronous writes")))
        return;
    if (!prepare(q, u"BEGIN IMMEDIATE"_s, tr("locking the file")) ||
        !exec(q, tr("locking the file")))
        return;
    if (!prepare(q, u"COMMIT"_s, tr("locking the file")) || !exec(q, tr("locking the file")))
        return;

    const int version = schemaVersion();
    if (version < 0)
        return;
    if (version > kSchemaVersion) {
        m_error = tr("The local outbox %1 was written by a newer version of Parley (schema %2; "
                     "this one knows %3). It was left untouched.")
                      .arg(m_path)
                      .arg(version)
                      .arg(kSchemaVersion);
        qCWarning(lcStore) << "outbox: schema" << version << "is newer than" << kSchemaVersion;
        return;
    }
    if (version == 0 && !createSchema())
        return;

    if (!prepare(q, u"PRAGMA quick_check"_s, tr("checking the file")) ||
        !exec(q, tr("checking the file")))
        return;
    const QString check = q.next() ? q.value(0).toString() : QString();
    q.finish();
    if (check != u"ok"_s) {
        m_error = tr("The local outbox %1 is damaged (%2). Move it aside to start a new one.")
                      .arg(m_path, check.left(200));
        qCWarning(lcStore) << "outbox: quick_check failed";
        return;
    }

    // An entry still Sending was in flight when Parley stopped: the request may have
    // arrived, so it is checked before anything is sent again.
    if (!prepare(q,
                 u"UPDATE outbox SET state = 'unknown', in_doubt = 1, updated_at = ? "
                 "WHERE state = 'sending'"_s,
                 tr("recovering interrupted sends")))
        return;
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q, tr("recovering interrupted sends")))
        return;
    if (q.numRowsAffected() > 0)
        qCInfo(lcStore) << "outbox:" << q.numRowsAffected()
                        << "entries were being sent when Parley stopped; they will be checked";
    m_error.clear();
    m_open = true;
}

bool Outbox::createSchema()
{
    QSqlDatabase db = database();
    if (!db.transaction())
        return fail(tr("starting a transaction"), db.lastError().text());
    QSqlQuery q(db);
    const QString table =
        u"CREATE TABLE IF NOT EXISTS outbox ("
        " client_id TEXT PRIMARY KEY NOT NULL,"
        " seq INTEGER NOT NULL UNIQUE,"
        " workspace_id TEXT NOT NULL,"
        " conversation_id TEXT NOT NULL,"
        " text TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('pending','sending','unknown','sent','failed')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT NOT NULL DEFAULT '',"
        " remote_id TEXT NOT NULL DEFAULT '',"
        " baseline INTEGER NOT NULL DEFAULT -1,"
        " in_doubt INTEGER NOT NULL DEFAULT 0,"
        " created_at INTEGER NOT NULL,"
        " updated_at INTEGER NOT NULL)"_s;
    const QStringList statements = {
        table,
        u"CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, seq)"_s,
        u"PRAGMA user_version = %1"_s.arg(kSchemaVersion),
    };
    for (const QString &sql : statements) {
        if (!prepare(q, sql, tr("creating the tables")) || !exec(q, tr("creating the tables"))) {
            q.finish();
            db.rollback();
            return false;
        }
    }
    q.finish();
    if (!db.commit()) {
        const QString why = db.lastError().text();
        db.rollback();
        return fail(tr("creating the tables"), why);
    }
    return true;
}

int Outbox::schemaVersion()
{
    QSqlQuery q(database());
    if (!prepare(q, u"PRAGMA user_version"_s, tr("reading the schema version")) ||
        !exec(q, tr("reading the schema version")))
        return -1;
    if (!q.next()) {
        fail(tr("reading the schema version"), tr("no answer"));
        return -1;
    }
    return q.value(0).toInt();
}

std::optional<OutboxEntry> Outbox::add(const QUuid &workspaceId, const QString &conversationId,
                                       const QString &text)
{
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return std::nullopt;
    }
    if (workspaceId.isNull() || conversationId.isEmpty() || text.isEmpty()) {
        m_error = tr("Nothing to save: the workspace, the conversation or the text is missing.");
        return std::nullopt;
    }
    const QUuid id = QUuid::createUuid();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(database());
    if (!prepare(q,
                 u"INSERT INTO outbox (client_id, seq, workspace_id, conversation_id, text, "
                 "state, attempts, last_error, remote_id, baseline, in_doubt, created_at, "
                 "updated_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?, ?, "
                 "?, 'pending', 0, '', '', -1, 0, ?, ?)"_s,
                 tr("saving the message")))
        return std::nullopt;
    q.addBindValue(idText(id));
    q.addBindValue(idText(workspaceId));
    q.addBindValue(conversationId);
    q.addBindValue(text);
    q.addBindValue(now);
    q.addBindValue(now);
    if (!exec(q, tr("saving the message")))
        return std::nullopt;
    q.finish();
    std::optional<OutboxEntry> saved = find(id);
    if (!saved && m_error.isEmpty())
        fail(tr("saving the message"), tr("the new entry cannot be read back"));
    return saved;
}

bool Outbox::save(OutboxEntry &entry, OutboxEntry::State expected)
{
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return false;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(database());
    if (!prepare(q,
                 u"UPDATE outbox SET state = ?, attempts = ?, last_error = ?, remote_id = ?, "
                 "baseline = ?, in_doubt = ?, updated_at = ? WHERE client_id = ? AND state = ?"_s,
                 tr("recording the delivery state")))
        return false;
    q.addBindValue(OutboxEntry::stateName(entry.state));
    q.addBindValue(entry.attempts);
    q.addBindValue(notNull(entry.lastError));
    q.addBindValue(notNull(entry.remoteId));
    q.addBindValue(entry.baseline);
    q.addBindValue(entry.inDoubt ? 1 : 0);
    q.addBindValue(now);
    q.addBindValue(idText(entry.clientId));
    q.addBindValue(OutboxEntry::stateName(expected));
    if (!exec(q, tr("recording the delivery state")))
        return false;
    if (q.numRowsAffected() == 1) {
        entry.updatedAt = fromMs(now);
        m_error.clear();
        return true;
    }
    q.finish();
    const std::optional<OutboxEntry> stored = find(entry.clientId);
    if (!m_error.isEmpty())
        return false;
    if (!stored) {
        m_error = tr("The message is no longer in the local outbox.");
    } else {
        m_error = tr("The message changed in the local outbox meanwhile (it is now “%1”).")
                      .arg(OutboxEntry::stateName(stored->state));
    }
    qCWarning(lcStore).noquote() << "outbox: stale transition" << OutboxEntry::stateName(expected)
                                 << "->" << OutboxEntry::stateName(entry.state) << "refused";
    return false;
}

bool Outbox::remove(const QUuid &clientId)
{
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return false;
    }
    QSqlQuery q(database());
    if (!prepare(q, u"DELETE FROM outbox WHERE client_id = ?"_s, tr("removing the message")))
        return false;
    q.addBindValue(idText(clientId));
    if (!exec(q, tr("removing the message")))
        return false;
    m_error.clear();
    return true;
}

std::optional<OutboxEntry> Outbox::find(const QUuid &clientId)
{
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return std::nullopt;
    }
    QSqlQuery q(database());
    if (!prepare(q, u"SELECT %1 FROM outbox WHERE client_id = ?"_s.arg(kColumns),
                 tr("reading the message")))
        return std::nullopt;
    q.addBindValue(idText(clientId));
    if (!exec(q, tr("reading the message")))
        return std::nullopt;
    m_error.clear();
    if (!q.next())
        return std::nullopt;
    return readRow(q);
}

QList<OutboxEntry> Outbox::entries(bool includeSent, bool *ok)
{
    if (ok)
        *ok = false;
    QList<OutboxEntry> out;
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return out;
    }
    QSqlQuery q(database());
    q.setForwardOnly(true);
    const QString sql =
        includeSent ? u"SELECT %1 FROM outbox ORDER BY seq"_s.arg(kColumns)
                    : u"SELECT %1 FROM outbox WHERE state <> 'sent' ORDER BY seq"_s.arg(kColumns);
    if (!prepare(q, sql, tr("reading the messages")) || !exec(q, tr("reading the messages")))
        return out;
    while (q.next())
        out.append(readRow(q));
    m_error.clear();
    if (ok)
        *ok = true;
    return out;
}

int Outbox::removeSentBefore(const QDateTime &cutoff)
{
    if (!m_open) {
        if (m_error.isEmpty())
            m_error = tr("The local outbox is not open.");
        return -1;
    }
    QSqlQuery q(database());
    if (!prepare(q, u"DELETE FROM outbox WHERE state = 'sent' AND updated_at < ?"_s,
                 tr("removing delivered messages")))
        return -1;
    q.addBindValue(cutoff.toMSecsSinceEpoch());
    if (!exec(q, tr("removing delivered messages")))
        return -1;
    m_error.clear();
    return q.numRowsAffected();
}

} // namespace parley
