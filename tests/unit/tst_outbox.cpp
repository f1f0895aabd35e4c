// The outbox on a real SQLite file in a temporary folder: entries and every delivery state
// survive closing and reopening, an interrupted send comes back as Unknown, stale
// transitions are refused, the schema is versioned, and a file that cannot be used (a folder
// that cannot exist, a damaged file, a newer schema, another instance holding it) is a clear
// error that accepts nothing.
#include "store/Outbox.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

using State = OutboxEntry::State;

// Runs `sql` on the file through a connection of the test's own, closed afterwards: the
// value in `column` of every row it gives.
QVariantList rawColumn(const QString &path, const QString &sql, int column)
{
    const QString name = u"tst-outbox-raw"_s;
    QVariantList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql)) {
                while (q.next())
                    out << q.value(column);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

// The first value `sql` gives (invalid when none).
QVariant rawQuery(const QString &path, const QString &sql)
{
    return rawColumn(path, sql, 0).value(0);
}

QStringList columnsOf(const QString &path)
{
    QStringList out;
    for (const QVariant &v : rawColumn(path, u"PRAGMA table_info(outbox)"_s, 1))
        out << v.toString();
    return out;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void defaultPathIsInAppData();
    void newEntryIsPending();
    void everyStateSurvivesReopening();
    void sendingBecomesUnknownOnReopen();
    void staleTransitionIsRefused();
    void transitionOfRemovedEntryIsRefused();
    void entriesKeepCreationOrder();
    void sentEntriesAreHiddenAndPruned();
    void removeDeletes();
    void textRoundTripsExactly();
    void schemaIsVersionedAndHoldsNoSecrets();
    void newerSchemaIsLeftUntouched();
    void unwritableFolderIsAnError();
    void damagedFileIsAnError();
    void secondInstanceIsRefusedWhileFirstIsOpen();
    void nothingMissingIsAccepted();

private:
    QString path() const { return m_dir->filePath(u"outbox.sqlite"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
    const QUuid m_ws = QUuid::fromString(u"5f0c6a56-0d7e-4b39-9d3e-8a6f2c1d4b11"_s);
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOutbox::defaultPathIsInAppData()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString expected =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/outbox.sqlite"_s;
    QCOMPARE(Outbox::defaultPath(), expected);
    QFile::remove(expected);
    {
        Outbox outbox;
        QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
        QCOMPARE(outbox.fileName(), expected);
        QVERIFY(QFile::exists(expected));
    }
    QVERIFY(QFile::remove(expected));
    QStandardPaths::setTestModeEnabled(false);
}

void TestOutbox::newEntryIsPending()
{
    Outbox outbox(path());
    QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const auto e = outbox.add(m_ws, u"conv-1"_s, u"hello"_s);
    QVERIFY2(e, qPrintable(outbox.errorString()));
    QVERIFY(!e->clientId.isNull());
    QCOMPARE(e->workspaceId, m_ws);
    QCOMPARE(e->conversationId, u"conv-1"_s);
    QCOMPARE(e->text, u"hello"_s);
    QCOMPARE(e->state, State::Pending);
    QCOMPARE(e->attempts, 0);
    QCOMPARE(e->baseline, -1);
    QVERIFY(!e->inDoubt);
    QVERIFY(e->lastError.isEmpty());
    QVERIFY(e->remoteId.isEmpty());
    QVERIFY(e->createdAt >= before);
    QCOMPARE(e->createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(e->updatedAt, e->createdAt);
    QVERIFY(outbox.errorString().isEmpty());
}

void TestOutbox::everyStateSurvivesReopening()
{
    QUuid pending, unknown, sent, failed;
    {
        Outbox outbox(path());
        QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
        pending = outbox.add(m_ws, u"c1"_s, u"one"_s)->clientId;

        OutboxEntry u = *outbox.add(m_ws, u"c1"_s, u"two"_s);
        u.baseline = 3;
        u.state = State::Sending;
        u.attempts = 1;
        QVERIFY(outbox.save(u, State::Pending));
        u.state = State::Unknown;
        u.inDoubt = true;
        u.lastError = u"reset"_s;
        QVERIFY(outbox.save(u, State::Sending));
        unknown = u.clientId;

        OutboxEntry s = *outbox.add(m_ws, u"c2"_s, u"three"_s);
        s.state = State::Sending;
        s.baseline = 0;
        s.attempts = 1;
        QVERIFY(outbox.save(s, State::Pending));
        s.state = State::Sent;
        s.remoteId = u"msg-9"_s;
        QVERIFY(outbox.save(s, State::Sending));
        sent = s.clientId;

        OutboxEntry f = *outbox.add(m_ws, u"c3"_s, u"four"_s);
        f.state = State::Failed;
        f.lastError = u"The platform rejected the request (HTTP 400)."_s;
        QVERIFY(outbox.save(f, State::Pending));
        failed = f.clientId;
    }

    Outbox again(path());
    QVERIFY2(again.isOpen(), qPrintable(again.errorString()));
    const auto p = again.find(pending);
    QVERIFY(p);
    QCOMPARE(p->state, State::Pending);
    QCOMPARE(p->text, u"one"_s);

    const auto u = again.find(unknown);
    QVERIFY(u);
    QCOMPARE(u->state, State::Unknown);
    QCOMPARE(u->attempts, 1);
    QCOMPARE(u->baseline, 3);
    QVERIFY(u->inDoubt);
    QCOMPARE(u->lastError, u"reset"_s);

    const auto s = again.find(sent);
    QVERIFY(s);
    QCOMPARE(s->state, State::Sent);
    QCOMPARE(s->remoteId, u"msg-9"_s);
    QVERIFY(s->updatedAt >= s->createdAt);

    const auto f = again.find(failed);
    QVERIFY(f);
    QCOMPARE(f->state, State::Failed);
    QCOMPARE(f->lastError, u"The platform rejected the request (HTTP 400)."_s);
    QVERIFY(!f->inDoubt);
}

void TestOutbox::sendingBecomesUnknownOnReopen()
{
    QUuid id;
    {
        Outbox outbox(path());
        OutboxEntry e = *outbox.add(m_ws, u"c1"_s, u"in flight"_s);
        e.state = State::Sending;
        e.baseline = 2;
        e.attempts = 1;
        QVERIFY(outbox.save(e, State::Pending));
        id = e.clientId;
        QCOMPARE(outbox.find(id)->state, State::Sending);
    } // Parley stops with the request in flight

    Outbox again(path());
    QVERIFY2(again.isOpen(), qPrintable(again.errorString()));
    const auto e = again.find(id);
    QVERIFY(e);
    QCOMPARE(e->state, State::Unknown);
    QVERIFY(e->inDoubt);
    QCOMPARE(e->baseline, 2);
    QCOMPARE(e->attempts, 1);
}

void TestOutbox::staleTransitionIsRefused()
{
    Outbox outbox(path());
    OutboxEntry e = *outbox.add(m_ws, u"c1"_s, u"x"_s);
    OutboxEntry stale = e;
    e.state = State::Sending;
    e.baseline = 0;
    QVERIFY(outbox.save(e, State::Pending));

    // A second Pending -> Sending from an old copy must not happen: it would send twice.
    stale.state = State::Sending;
    stale.attempts = 7;
    QVERIFY(!outbox.save(stale, State::Pending));
    QVERIFY(outbox.errorString().contains(u"sending"_s));
    const auto stored = outbox.find(e.clientId);
    QCOMPARE(stored->state, State::Sending);
    QCOMPARE(stored->attempts, 0);
}

void TestOutbox::transitionOfRemovedEntryIsRefused()
{
    Outbox outbox(path());
    OutboxEntry e = *outbox.add(m_ws, u"c1"_s, u"x"_s);
    QVERIFY(outbox.remove(e.clientId));
    e.state = State::Sending;
    QVERIFY(!outbox.save(e, State::Pending));
    QVERIFY(!outbox.errorString().isEmpty());
    QVERIFY(!outbox.find(e.clientId));
}

void TestOutbox::entriesKeepCreationOrder()
{
    QList<QUuid> ids;
    {
        Outbox outbox(path());
        for (int i = 0; i < 5; ++i)
            ids << outbox.add(m_ws, u"c%1"_s.arg(i % 2), u"m%1"_s.arg(i))->clientId;
    }
    Outbox again(path());
    bool ok = false;
    const QList<OutboxEntry> all = again.entries(false, &ok);
    QVERIFY(ok);
    QCOMPARE(all.size(), 5);
    qint64 lastSeq = 0;
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(all[i].clientId, ids[i]);
        QCOMPARE(all[i].text, u"m%1"_s.arg(i));
        QVERIFY(all[i].seq > lastSeq);
        lastSeq = all[i].seq;
    }
    // New entries after reopening still come last.
    const auto later = again.add(m_ws, u"c0"_s, u"later"_s);
    QVERIFY(later->seq > lastSeq);
    QCOMPARE(again.entries().constLast().clientId, later->clientId);
}

void TestOutbox::sentEntriesAreHiddenAndPruned()
{
    Outbox outbox(path());
    OutboxEntry a = *outbox.add(m_ws, u"c1"_s, u"a"_s);
    const OutboxEntry b = *outbox.add(m_ws, u"c1"_s, u"b"_s);
    a.state = State::Sent;
    a.remoteId = u"r1"_s;
    QVERIFY(outbox.save(a, State::Pending));

    QCOMPARE(outbox.entries().size(), 1);
    QCOMPARE(outbox.entries().constFirst().clientId, b.clientId);
    QCOMPARE(outbox.entries(true).size(), 2);

    QCOMPARE(outbox.removeSentBefore(a.updatedAt), 0); // not older than itself
    QCOMPARE(outbox.removeSentBefore(QDateTime::currentDateTimeUtc().addSecs(1)), 1);
    QCOMPARE(outbox.entries(true).size(), 1);
    QVERIFY(outbox.find(b.clientId)); // open entries are never pruned
}

void TestOutbox::removeDeletes()
{
    Outbox outbox(path());
    const OutboxEntry a = *outbox.add(m_ws, u"c1"_s, u"a"_s);
    QVERIFY(outbox.remove(a.clientId));
    QVERIFY(!outbox.find(a.clientId));
    QVERIFY(outbox.errorString().isEmpty()); // absent, not an error
    QVERIFY(outbox.remove(a.clientId));      // removing again is fine
    QVERIFY(outbox.entries(true).isEmpty());
}

void TestOutbox::textRoundTripsExactly()
{
    const QString text = u"Zeile 1\nline two\t«quoted» 😀 ' \" ; DROP TABLE outbox; --\r\n"_s +
                         QString(12000, u'x') + u" \u0000tail"_s;
    QUuid id;
    {
        Outbox outbox(path());
        id = outbox.add(m_ws, u"c1"_s, text)->clientId;
    }
    Outbox again(path());
    QCOMPARE(again.find(id)->text, text);
}

void TestOutbox::schemaIsVersionedAndHoldsNoSecrets()
{
    {
        Outbox outbox(path());
        QVERIFY(outbox.isOpen());
        QCOMPARE(outbox.schemaVersion(), Outbox::kSchemaVersion);
        outbox.add(m_ws, u"c1"_s, u"a"_s);
    }
    QCOMPARE(rawQuery(path(), u"PRAGMA user_version"_s).toInt(), Outbox::kSchemaVersion);
    QCOMPARE(rawQuery(path(), u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    const QStringList columns = columnsOf(path());
    const QStringList expected = {
        u"client_id"_s, u"seq"_s,        u"workspace_id"_s, u"conversation_id"_s, u"text"_s,
        u"state"_s,     u"attempts"_s,   u"last_error"_s,   u"remote_id"_s,       u"baseline"_s,
        u"in_doubt"_s,  u"created_at"_s, u"updated_at"_s};
    QCOMPARE(columns, expected);
    for (const QString &c : columns) {
        QVERIFY2(!c.contains(u"key"_s) && !c.contains(u"secret"_s) && !c.contains(u"token"_s),
                 qPrintable(c));
    }
    // The stored state is the readable name, checked by the schema.
    QCOMPARE(rawQuery(path(), u"SELECT state FROM outbox"_s).toString(), u"pending"_s);
    QVERIFY(!rawQuery(path(), u"UPDATE outbox SET state = 'bogus' RETURNING state"_s).isValid());
}

void TestOutbox::newerSchemaIsLeftUntouched()
{
    rawQuery(path(), u"CREATE TABLE outbox (anything TEXT)"_s);
    rawQuery(path(), u"PRAGMA user_version = 99"_s);
    {
        Outbox outbox(path());
        QVERIFY(!outbox.isOpen());
        QVERIFY2(outbox.errorString().contains(u"newer"_s), qPrintable(outbox.errorString()));
        QVERIFY(!outbox.add(m_ws, u"c1"_s, u"a"_s));
        QVERIFY(!outbox.errorString().isEmpty());
    }
    QCOMPARE(rawQuery(path(), u"PRAGMA user_version"_s).toInt(), 99);
    QCOMPARE(columnsOf(path()), QStringList{u"anything"_s});
}

void TestOutbox::unwritableFolderIsAnError()
{
    // A folder that cannot exist: its parent is a regular file (this holds even for root).
    QFile blocker(m_dir->filePath(u"not-a-folder"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString where = blocker.fileName() + u"/sub/outbox.sqlite"_s;

    Outbox outbox(where);
    QVERIFY(!outbox.isOpen());
    QVERIFY2(outbox.errorString().contains(u"cannot"_s), qPrintable(outbox.errorString()));
    QVERIFY(!outbox.add(m_ws, u"c1"_s, u"do not lose me"_s));
    QVERIFY(!outbox.errorString().isEmpty());
    bool ok = true;
    QVERIFY(outbox.entries(false, &ok).isEmpty());
    QVERIFY(!ok);
    OutboxEntry e;
    e.clientId = QUuid::createUuid();
    QVERIFY(!outbox.save(e, State::Pending));
    QVERIFY(!outbox.remove(e.clientId));
    QCOMPARE(outbox.removeSentBefore(QDateTime::currentDateTimeUtc()), -1);
}

void TestOutbox::damagedFileIsAnError()
{
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'z'));
    file.close();

    Outbox outbox(path());
    QVERIFY(!outbox.isOpen());
    QVERIFY2(outbox.errorString().contains(path()), qPrintable(outbox.errorString()));
    QVERIFY2(outbox.errorString().contains(u"damaged"_s), qPrintable(outbox.errorString()));
    QVERIFY(!outbox.add(m_ws, u"c1"_s, u"do not lose me"_s));
    // The damaged file is left as it was, for the user to move aside or inspect.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(8192, 'z'));
}

void TestOutbox::secondInstanceIsRefusedWhileFirstIsOpen()
{
    auto first = std::make_unique<Outbox>(path());
    QVERIFY(first->isOpen());
    const auto e = first->add(m_ws, u"c1"_s, u"mine"_s);
    QVERIFY(e);
    {
        Outbox second(path());
        QVERIFY(!second.isOpen());
        QVERIFY2(second.errorString().contains(u"another running Parley"_s),
                 qPrintable(second.errorString()));
        QVERIFY(!second.add(m_ws, u"c1"_s, u"theirs"_s));
    }
    // The first one is unaffected.
    QVERIFY(first->add(m_ws, u"c1"_s, u"still mine"_s));
    first.reset();
    Outbox third(path());
    QVERIFY2(third.isOpen(), qPrintable(third.errorString()));
    QCOMPARE(third.entries().size(), 2);
}

void TestOutbox::nothingMissingIsAccepted()
{
    Outbox outbox(path());
    QVERIFY(!outbox.add(QUuid(), u"c1"_s, u"a"_s));
    QVERIFY(!outbox.add(m_ws, QString(), u"a"_s));
    QVERIFY(!outbox.add(m_ws, u"c1"_s, QString()));
    QVERIFY(!outbox.errorString().isEmpty());
    QVERIFY(outbox.entries(true).isEmpty());
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
