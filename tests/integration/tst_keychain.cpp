// KeyStore against a real keychain: gnome-keyring on the private D-Bus session that
// tests/run-headless.sh provides. The no-backend case runs this same binary in a child
// process (--probe-child) with no session bus at all.

#include "secrets/KeyStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>

#include <optional>

using namespace parley;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Never the app's own service: a developer's real keys are not touched by a test run.
const QString kService = u"io.parley.Parley.tests"_s;
constexpr int kWaitMs = 20000;
const QByteArray kChildSecret = "parley-child-secret-3f9a61c2";

// Collects one answer. The context dies with the Answer, so a late callback after a
// failed (returned) test function is dropped instead of writing into a dead stack frame.
struct Answer
{
    QObject context;
    std::optional<KeyResult> result;

    KeyStore::Callback callback()
    {
        return [this](const KeyResult &r) { result = r; };
    }
    bool done() const { return result.has_value(); }
};

QString uniqueName(const char *what)
{
    return KeyStore::keyName(QString::fromLatin1(what), QUuid::createUuid());
}

} // namespace

class TstKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTrip();
    void binarySecret();
    void queuedJobsCompleteInOrder();
    void memoryModeComesFirst();
    void writeReplacesMemoryCopy();
    void deleteForgetsMemoryCopy();
    void readForGoneRequesterIsDropped();
    void probeLeavesNothingBehind();
    void pendingWritesSurviveStoreDestruction();
    void noSessionBusReportsNoBackend();
    void busWithoutKeyringReportsNoBackend();

private:
    void runChild(const QString &program, const QStringList &arguments,
                  const QProcessEnvironment &env, const QString &root);
    QHash<QString, QString> m_childAnswers; // step -> "status\tmessage"

    KeyStore *m_store = nullptr;
    bool m_haveBus = false;
};

// The keychain tests need the session bus and unlocked keyring of tests/run-headless.sh.
#define REQUIRE_KEYCHAIN()                                                                         \
    do {                                                                                           \
        if (!m_haveBus)                                                                            \
            QSKIP("no D-Bus session bus: run through tests/run-headless.sh, which starts one "     \
                  "with gnome-keyring (apt-get install dbus gnome-keyring)");                      \
    } while (false)

void TstKeychain::initTestCase()
{
    m_haveBus = !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
    m_store = new KeyStore(kService, this);
    QCOMPARE(m_store->backend(), KeyStore::Backend::Unknown);
}

void TstKeychain::roundTrip()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("posthog");
    QSignalSpy backendSpy(m_store, &KeyStore::backendChanged);

    Answer written;
    m_store->writeKey(name, "phx_first-secret", &written.context, written.callback());
    QVERIFY(!written.done()); // never answered inside the call
    QTRY_VERIFY_WITH_TIMEOUT(written.done(), kWaitMs);
    QVERIFY2(written.result->ok(), qPrintable(written.result->message));
    QCOMPARE(m_store->backend(), KeyStore::Backend::Available);
    QCOMPARE(backendSpy.count(), 1);

    Answer read;
    m_store->readKey(name, &read.context, read.callback());
    QTRY_VERIFY_WITH_TIMEOUT(read.done(), kWaitMs);
    QVERIFY2(read.result->ok(), qPrintable(read.result->message));
    QCOMPARE(read.result->secret, QByteArray("phx_first-secret"));
    QVERIFY(!read.result->fromMemory);

    Answer overwritten;
    m_store->writeKey(name, "phx_second-secret", &overwritten.context, overwritten.callback());
    QTRY_VERIFY_WITH_TIMEOUT(overwritten.done(), kWaitMs);
    QVERIFY2(overwritten.result->ok(), qPrintable(overwritten.result->message));

    Answer reread;
    m_store->readKey(name, &reread.context, reread.callback());
    QTRY_VERIFY_WITH_TIMEOUT(reread.done(), kWaitMs);
    QCOMPARE(reread.result->secret, QByteArray("phx_second-secret"));

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY2(deleted.result->ok(), qPrintable(deleted.result->message));

    Answer gone;
    m_store->readKey(name, &gone.context, gone.callback());
    QTRY_VERIFY_WITH_TIMEOUT(gone.done(), kWaitMs);
    QCOMPARE(gone.result->status, KeyResult::Status::NotFound);
    QVERIFY(gone.result->secret.isEmpty());
    QVERIFY(gone.result->message.contains(name));

    // Deleting again is not an error: the key is gone, as asked.
    Answer deletedTwice;
    m_store->deleteKey(name, &deletedTwice.context, deletedTwice.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deletedTwice.done(), kWaitMs);
    QVERIFY2(deletedTwice.result->ok(), qPrintable(deletedTwice.result->message));
    QCOMPARE(backendSpy.count(), 1);
}

void TstKeychain::binarySecret()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("fixie");
    const QByteArray secret("\x00\xff\x01key\xc3(\n\x00 end", 14);
    QCOMPARE(secret.size(), 14);

    Answer written;
    m_store->writeKey(name, secret, &written.context, written.callback());
    QTRY_VERIFY_WITH_TIMEOUT(written.done(), kWaitMs);
    QVERIFY2(written.result->ok(), qPrintable(written.result->message));

    Answer read;
    m_store->readKey(name, &read.context, read.callback());
    QTRY_VERIFY_WITH_TIMEOUT(read.done(), kWaitMs);
    QCOMPARE(read.result->secret, secret);

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY(deleted.result->ok());
}

void TstKeychain::queuedJobsCompleteInOrder()
{
    REQUIRE_KEYCHAIN();
    const QString a = uniqueName("dynamiq");
    const QString b = uniqueName("orq");
    QObject context;
    QStringList order;
    QList<KeyResult> results;
    auto record = [&order, &results](const QString &step) {
        return [&order, &results, step](const KeyResult &r) {
            order << step;
            results << r;
        };
    };

    m_store->writeKey(a, "secret-a", &context, record(u"write a"_s));
    m_store->writeKey(b, "secret-b", &context, record(u"write b"_s));
    m_store->readKey(a, &context, record(u"read a"_s));
    m_store->writeKey(a, "secret-a2", &context, record(u"overwrite a"_s));
    m_store->readKey(a, &context, record(u"reread a"_s));
    m_store->readKey(b, &context, record(u"read b"_s));
    m_store->deleteKey(a, &context, record(u"delete a"_s));
    m_store->deleteKey(b, &context, record(u"delete b"_s));
    m_store->readKey(a, &context, record(u"read deleted a"_s));
    QCOMPARE(m_store->pendingCount(), 9);
    QVERIFY(order.isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 9, kWaitMs);
    const QStringList expected{u"write a"_s,     u"write b"_s,  u"read a"_s,
                               u"overwrite a"_s, u"reread a"_s, u"read b"_s,
                               u"delete a"_s,    u"delete b"_s, u"read deleted a"_s};
    QCOMPARE(order, expected);
    QCOMPARE(m_store->pendingCount(), 0);
    for (int i = 0; i < 8; ++i)
        QVERIFY2(results[i].ok(), qPrintable(order[i] + u": "_s + results[i].message));
    QCOMPARE(results[2].secret, QByteArray("secret-a"));
    QCOMPARE(results[4].secret, QByteArray("secret-a2"));
    QCOMPARE(results[5].secret, QByteArray("secret-b"));
    QCOMPARE(results[8].status, KeyResult::Status::NotFound);
}

void TstKeychain::memoryModeComesFirst()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("polyai");

    Answer written;
    m_store->writeKey(name, "in-keychain", &written.context, written.callback());
    QTRY_VERIFY_WITH_TIMEOUT(written.done(), kWaitMs);
    QVERIFY(written.result->ok());

    m_store->holdInMemory(name, "in-memory");
    QVERIFY(m_store->isHeldInMemory(name));
    Answer fromMemory;
    m_store->readKey(name, &fromMemory.context, fromMemory.callback());
    QVERIFY(!fromMemory.done());
    QTRY_VERIFY_WITH_TIMEOUT(fromMemory.done(), kWaitMs);
    QVERIFY(fromMemory.result->ok());
    QVERIFY(fromMemory.result->fromMemory);
    QCOMPARE(fromMemory.result->secret, QByteArray("in-memory"));

    m_store->forget(name);
    QVERIFY(!m_store->isHeldInMemory(name));
    Answer fromKeychain;
    m_store->readKey(name, &fromKeychain.context, fromKeychain.callback());
    QTRY_VERIFY_WITH_TIMEOUT(fromKeychain.done(), kWaitMs);
    QVERIFY(!fromKeychain.result->fromMemory);
    QCOMPARE(fromKeychain.result->secret, QByteArray("in-keychain"));

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY(deleted.result->ok());
}

void TstKeychain::writeReplacesMemoryCopy()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("orq");
    m_store->holdInMemory(name, "old-session-key");

    Answer written;
    m_store->writeKey(name, "new-stored-key", &written.context, written.callback());
    QTRY_VERIFY_WITH_TIMEOUT(written.done(), kWaitMs);
    QVERIFY(written.result->ok());
    QVERIFY(!m_store->isHeldInMemory(name)); // the keychain is the truth now

    Answer read;
    m_store->readKey(name, &read.context, read.callback());
    QTRY_VERIFY_WITH_TIMEOUT(read.done(), kWaitMs);
    QCOMPARE(read.result->secret, QByteArray("new-stored-key"));

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY(deleted.result->ok());
}

void TstKeychain::deleteForgetsMemoryCopy()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("dynamiq");
    m_store->holdInMemory(name, "session-only");

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QVERIFY(!m_store->isHeldInMemory(name)); // at once: no later read may see it
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY(deleted.result->ok());

    Answer read;
    m_store->readKey(name, &read.context, read.callback());
    QTRY_VERIFY_WITH_TIMEOUT(read.done(), kWaitMs);
    QCOMPARE(read.result->status, KeyResult::Status::NotFound);
}

void TstKeychain::readForGoneRequesterIsDropped()
{
    REQUIRE_KEYCHAIN();
    const QString name = uniqueName("fixie");
    Answer written;
    m_store->writeKey(name, "still-written", &written.context, written.callback());

    bool called = false;
    {
        QObject shortLived;
        m_store->readKey(name, &shortLived, [&called](const KeyResult &) { called = true; });
    } // the requester is gone before its read starts: the read is skipped

    Answer after;
    m_store->readKey(name, &after.context, after.callback());
    QTRY_VERIFY_WITH_TIMEOUT(after.done(), kWaitMs);
    QVERIFY(written.done());
    QVERIFY(written.result->ok()); // the write ran although later requests were dropped
    QCOMPARE(after.result->secret, QByteArray("still-written"));
    QVERIFY(!called);

    Answer deleted;
    m_store->deleteKey(name, &deleted.context, deleted.callback());
    QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
    QVERIFY(deleted.result->ok());
}

void TstKeychain::probeLeavesNothingBehind()
{
    REQUIRE_KEYCHAIN();
    Answer probed;
    m_store->probe(&probed.context, probed.callback());
    QTRY_VERIFY_WITH_TIMEOUT(probed.done(), kWaitMs);
    QVERIFY2(probed.result->ok(), qPrintable(probed.result->message));
    QCOMPARE(m_store->backend(), KeyStore::Backend::Available);
    QVERIFY(m_store->backendMessage().isEmpty());

    Answer read;
    m_store->readKey(KeyStore::probeKeyName(), &read.context, read.callback());
    QTRY_VERIFY_WITH_TIMEOUT(read.done(), kWaitMs);
    QCOMPARE(read.result->status, KeyResult::Status::NotFound);
}

void TstKeychain::pendingWritesSurviveStoreDestruction()
{
    REQUIRE_KEYCHAIN();
    const QString first = uniqueName("posthog");
    const QString second = uniqueName("posthog");
    {
        KeyStore shortLived(kService);
        QObject requester;
        shortLived.writeKey(first, "first-key", &requester, [](const KeyResult &) {});
        shortLived.writeKey(second, "second-key", &requester, [](const KeyResult &) {});
        QCOMPARE(shortLived.pendingCount(), 2);
    } // the window that asked closed before the keychain answered

    // QtKeychain runs jobs in the order they were started, so these reads come after.
    Answer readFirst;
    Answer readSecond;
    m_store->readKey(first, &readFirst.context, readFirst.callback());
    m_store->readKey(second, &readSecond.context, readSecond.callback());
    QTRY_VERIFY_WITH_TIMEOUT(readSecond.done(), kWaitMs);
    QVERIFY(readFirst.done());
    QCOMPARE(readFirst.result->secret, QByteArray("first-key"));
    QCOMPARE(readSecond.result->secret, QByteArray("second-key"));

    for (const QString &name : {first, second}) {
        Answer deleted;
        m_store->deleteKey(name, &deleted.context, deleted.callback());
        QTRY_VERIFY_WITH_TIMEOUT(deleted.done(), kWaitMs);
        QVERIFY(deleted.result->ok());
    }
}

// A clean environment for a child: its own HOME and XDG folders under `root`, no desktop
// session variables, no session bus (GLib also looks for $XDG_RUNTIME_DIR/bus: it points
// at an empty folder).
static QProcessEnvironment childEnvironment(const QString &root)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *var :
         {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP",
          "DESKTOP_SESSION", "KDE_FULL_SESSION", "KDE_SESSION_VERSION", "GNOME_DESKTOP_SESSION_ID"})
        env.remove(QString::fromLatin1(var));
    env.insert(u"HOME"_s, root);
    env.insert(u"XDG_RUNTIME_DIR"_s, root + u"/runtime"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, root + u"/config"_s);
    env.insert(u"XDG_DATA_HOME"_s, root + u"/data"_s);
    env.insert(u"XDG_CACHE_HOME"_s, root + u"/cache"_s);
    QDir(root).mkpath(u"runtime"_s);
    QFile::setPermissions(root + u"/runtime"_s,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return env;
}

void TstKeychain::runChild(const QString &program, const QStringList &arguments,
                           const QProcessEnvironment &env, const QString &root)
{
    m_childAnswers.clear();
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start(program, arguments);
    QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));
    if (!child.waitForFinished(60000)) { // bounded: a hanging keychain fails the test
        child.kill();
        child.waitForFinished(5000);
        QFAIL("the keychain child did not answer within 60 s");
    }
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    const QString err = QString::fromUtf8(child.readAllStandardError());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             qPrintable(u"child failed:\n"_s + out + err));

    for (const QString &line : out.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype space = line.indexOf(u' ');
        if (space > 0)
            m_childAnswers.insert(line.left(space), line.mid(space + 1));
    }
    QVERIFY2(!out.contains(QString::fromLatin1(kChildSecret)), "the secret reached stdout");
    QVERIFY2(!err.contains(QString::fromLatin1(kChildSecret)), "the secret reached the log");

    // No plaintext fallback: nothing the child left on disk holds the secret.
    QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            continue; // sockets and the like
        const QByteArray content = file.readAll();
        QVERIFY2(!content.contains(kChildSecret), qPrintable(file.fileName()));
        QVERIFY2(!content.contains(kChildSecret.toBase64()), qPrintable(file.fileName()));
    }
    // A key held in memory is readable without a keychain, and deleting it is no error.
    QCOMPARE(m_childAnswers.value(u"memory-read"_s), u"ok\tfrom-memory"_s);
    QCOMPARE(m_childAnswers.value(u"memory-delete"_s), u"ok\t"_s);
}

void TstKeychain::noSessionBusReportsNoBackend()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    runChild(QCoreApplication::applicationFilePath(), {u"--probe-child"_s},
             childEnvironment(home.path()), home.path());
    if (QTest::currentTestFailed())
        return;

    for (const QString &step : {u"probe"_s, u"write"_s, u"read"_s}) {
        const QString answer = m_childAnswers.value(step);
        QVERIFY2(answer.startsWith(u"no-backend\t"_s), qPrintable(step + u": "_s + answer));
        const QString message = answer.section(u'\t', 1);
        QVERIFY2(message.startsWith(u"No keychain service is available ("_s), qPrintable(message));
        QVERIFY2(message.contains(u"in memory for this session"_s), qPrintable(message));
    }
    QCOMPARE(m_childAnswers.value(u"backend"_s), u"Unavailable"_s);
}

// A session bus on which the Secret Service starts (gnome-keyring, by D-Bus activation)
// but has no keyring and no way to prompt for one: writes cannot succeed, reads find nothing.
void TstKeychain::busWithoutKeyringReportsNoBackend()
{
    const QString dbusRunSession = QStandardPaths::findExecutable(u"dbus-run-session"_s);
    if (dbusRunSession.isEmpty())
        QSKIP("dbus-run-session is not installed: apt-get install dbus-daemon");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    runChild(dbusRunSession, {u"--"_s, QCoreApplication::applicationFilePath(), u"--probe-child"_s},
             childEnvironment(home.path()), home.path());
    if (QTest::currentTestFailed())
        return;

    for (const QString &step : {u"probe"_s, u"write"_s}) {
        const QString answer = m_childAnswers.value(step);
        QVERIFY2(answer.startsWith(u"no-backend\t"_s), qPrintable(step + u": "_s + answer));
        QVERIFY2(answer.contains(u"no default keyring"_s), qPrintable(answer));
    }
    QVERIFY2(m_childAnswers.value(u"read"_s).startsWith(u"not-found\t"_s),
             qPrintable(m_childAnswers.value(u"read"_s)));
    // A read that finds nothing does not make the keychain look usable again.
    QCOMPARE(m_childAnswers.value(u"backend"_s), u"Unavailable"_s);
}

// The child: a KeyStore in whatever keychain environment it was given. Prints one line per answer:
// "<step> <status>\t<message>", then "backend <state>".
static int runProbeChild()
{
    QLoggingCategory::setFilterRules(u"parley.secrets.debug=true"_s);
    KeyStore store(kService);
    store.setRetryDelay(200ms); // the one retry still happens, quickly
    QObject context;
    QTextStream out(stdout);
    auto report = [&out](const QString &step) {
        return [&out, step](const KeyResult &r) {
            out << step << u' ' << KeyResult::statusName(r.status) << u'\t'
                << (r.ok() && r.fromMemory ? u"from-memory"_s : r.message) << Qt::endl;
        };
    };
    const QString name = KeyStore::keyName(u"posthog"_s, QUuid::createUuid());
    const QString memoryName = KeyStore::keyName(u"orq"_s, QUuid::createUuid());

    store.probe(&context, report(u"probe"_s));
    store.writeKey(name, kChildSecret, &context, report(u"write"_s));
    store.readKey(name, &context, report(u"read"_s));
    store.holdInMemory(memoryName, kChildSecret);
    store.readKey(memoryName, &context, report(u"memory-read"_s));
    store.deleteKey(memoryName, &context, [&](const KeyResult &r) {
        report(u"memory-delete"_s)(r);
        out << "backend " << QVariant::fromValue(store.backend()).toString() << Qt::endl;
        QCoreApplication::exit(0);
    });
    QTimer::singleShot(45s, &context, [] {
        QTextStream(stderr) << "child: no answer within 45 s\n";
        QCoreApplication::exit(3);
    });
    return QCoreApplication::exec();
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(u"--probe-child"_s))
        return runProbeChild();
    TstKeychain test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychain.moc"
