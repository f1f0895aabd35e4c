// KeyStore parts that need no keychain: key names, how QtKeychain's errors become
// answers a person can act on, the session-only memory store. The real keychain round
// trip is tests/integration/tst_keychain.cpp.

#include "secrets/KeyStore.h"
#include "secrets/KeychainErrors.h"

#include <QTest>

#include <qt6keychain/keychain.h>

#include <optional>

using namespace parley;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(parley::KeyOperation)
Q_DECLARE_METATYPE(parley::KeyResult::Status)

class TstKeyStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyNameIsPlatformSlashBracelessUuid();
    void defaultServiceIsTheAppId();
    void statusNames();
    void classify_data();
    void classify();
    void deleteOfMissingEntryIsSuccess();
    void messagesNeverEmptyForFailures();
    void retryOnlyWhenBackendMayBeStarting_data();
    void retryOnlyWhenBackendMayBeStarting();
    void memoryKeysAnswerWithoutKeychain();
    void memoryAnswerIsAsynchronous();
    void memoryAnswerDroppedWhenContextDies();
    void forgetRemovesOnlyThatKey();
    void emptyNameIsRefused();
};

void TstKeyStore::keyNameIsPlatformSlashBracelessUuid()
{
    const QUuid id(u"{5f0c6a2e-1b7d-4c8e-9a3f-0d2e4b6c8a10}"_s);
    QCOMPARE(KeyStore::keyName(u"posthog"_s, id),
             u"posthog/5f0c6a2e-1b7d-4c8e-9a3f-0d2e4b6c8a10"_s);
    QVERIFY(!KeyStore::keyName(u"orq"_s, QUuid::createUuid()).contains(u'{'));
    QVERIFY(KeyStore::keyName(u"orq"_s, QUuid::createUuid()) !=
            KeyStore::keyName(u"orq"_s, QUuid::createUuid()));
}

void TstKeyStore::defaultServiceIsTheAppId()
{
    KeyStore store;
    QCOMPARE(store.service(), u"io.parley.Parley"_s);
    QCOMPARE(store.backend(), KeyStore::Backend::Unknown);
    QCOMPARE(store.pendingCount(), 0);
    KeyStore testStore(u"io.parley.Parley.tests"_s);
    QCOMPARE(testStore.service(), u"io.parley.Parley.tests"_s);
}

void TstKeyStore::statusNames()
{
    QCOMPARE(KeyResult::statusName(KeyResult::Status::Ok), u"ok"_s);
    QCOMPARE(KeyResult::statusName(KeyResult::Status::NotFound), u"not-found"_s);
    QCOMPARE(KeyResult::statusName(KeyResult::Status::NoBackend), u"no-backend"_s);
    QCOMPARE(KeyResult::statusName(KeyResult::Status::Denied), u"denied"_s);
    QCOMPARE(KeyResult::statusName(KeyResult::Status::Failed), u"failed"_s);
    QVERIFY(KeyResult::success("x").ok());
    QVERIFY(!KeyResult::failure(KeyResult::Status::Failed, u"m"_s).ok());
}

void TstKeyStore::classify_data()
{
    QTest::addColumn<KeyOperation>("op");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("backendText");
    QTest::addColumn<KeyResult::Status>("expected");
    QTest::addColumn<QString>("messageStart");

    using S = KeyResult::Status;
    const auto R = KeyOperation::Read;
    const auto W = KeyOperation::Write;
    const auto D = KeyOperation::Delete;

    // Texts as libsecret / GLib / QtKeychain produce them (see QT64-NOTES.md).
    const QString noX11 = u"Cannot autolaunch D-Bus without X11 $DISPLAY"_s;
    const QString notActivatable =
        u"The name org.freedesktop.secrets was not provided by any .service files"_s;
    const QString noLogin =
        u"Object does not exist at path \u201c/org/freedesktop/secrets/collection/login\u201d"_s;
    const QString locked = u"Cannot create an item in a locked collection"_s;

    QTest::newRow("read: not found") << R << int(QKeychain::EntryNotFound) << u"No match"_s
                                     << S::NotFound << u"No API key is stored"_s;
    QTest::newRow("read: no X11 autolaunch")
        << R << int(QKeychain::OtherError) << noX11 << S::NoBackend
        << u"No keychain service is available"_s;
    QTest::newRow("write: no X11 autolaunch")
        << W << int(QKeychain::OtherError) << noX11 << S::NoBackend
        << u"No keychain service is available"_s;
    QTest::newRow("write: service not activatable")
        << W << int(QKeychain::OtherError) << notActivatable << S::NoBackend
        << u"No keychain service is available"_s;
    QTest::newRow("read: qtkeychain NoBackendAvailable")
        << R << int(QKeychain::NoBackendAvailable) << u"No keychain service available"_s
        << S::NoBackend << u"No keychain service is available"_s;
    QTest::newRow("write: not implemented")
        << W << int(QKeychain::NotImplemented) << QString() << S::NoBackend
        << u"No keychain service is available"_s;
    QTest::newRow("write: no login collection")
        << W << int(QKeychain::EntryNotFound) << noLogin << S::NoBackend
        << u"The keychain has no default keyring"_s;
    QTest::newRow("read: no login collection") << R << int(QKeychain::EntryNotFound) << noLogin
                                               << S::NotFound << u"No API key is stored"_s;
    QTest::newRow("write: locked collection")
        << W << int(QKeychain::AccessDenied) << locked << S::Denied
        << u"The keychain is locked or refused access"_s;
    QTest::newRow("write: locked, reported as other")
        << W << int(QKeychain::OtherError) << locked << S::Denied
        << u"The keychain is locked or refused access"_s;
    QTest::newRow("read: user denied") << R << int(QKeychain::AccessDeniedByUser) << QString()
                                       << S::Denied << u"The keychain is locked"_s;
    QTest::newRow("write: prompt dismissed")
        << W << int(QKeychain::OtherError) << u"The prompt was dismissed"_s << S::Denied
        << u"The keychain is locked"_s;
    QTest::newRow("read: other") << R << int(QKeychain::OtherError) << u"Unknown error"_s
                                 << S::Failed << u"The keychain could not read the key"_s;
    QTest::newRow("write: other") << W << int(QKeychain::OtherError) << u"I/O error"_s << S::Failed
                                  << u"The keychain could not store the key"_s;
    QTest::newRow("delete: could not delete")
        << D << int(QKeychain::CouldNotDeleteEntry) << u"Could not delete"_s << S::Failed
        << u"The keychain could not delete the key"_s;
    QTest::newRow("no error") << R << int(QKeychain::NoError) << QString() << S::Ok << QString();
}

void TstKeyStore::classify()
{
    QFETCH(KeyOperation, op);
    QFETCH(int, code);
    QFETCH(QString, backendText);
    QFETCH(KeyResult::Status, expected);
    QFETCH(QString, messageStart);

    const QString name = u"posthog/5f0c6a2e-1b7d-4c8e-9a3f-0d2e4b6c8a10"_s;
    const KeyResult r = classifyKeychainError(op, code, backendText, name);
    QCOMPARE(r.status, expected);
    QVERIFY2(r.message.startsWith(messageStart), qPrintable(r.message));
    QVERIFY(r.secret.isEmpty());
    if (!backendText.isEmpty() && expected != KeyResult::Status::NotFound)
        QVERIFY2(r.message.contains(backendText), qPrintable(r.message)); // the detail is kept
    if (expected == KeyResult::Status::NotFound)
        QVERIFY(r.message.contains(name));
}

void TstKeyStore::deleteOfMissingEntryIsSuccess()
{
    const KeyResult r = classifyKeychainError(KeyOperation::Delete, QKeychain::EntryNotFound,
                                              u"No match"_s, u"orq/x"_s);
    QVERIFY(r.ok());
    QVERIFY(r.message.isEmpty());
}

void TstKeyStore::messagesNeverEmptyForFailures()
{
    for (int code : {int(QKeychain::AccessDenied), int(QKeychain::NoBackendAvailable),
                     int(QKeychain::OtherError), int(QKeychain::CouldNotDeleteEntry)}) {
        for (auto op : {KeyOperation::Read, KeyOperation::Write, KeyOperation::Delete}) {
            const KeyResult r = classifyKeychainError(op, code, QString(), u"k"_s);
            QVERIFY(!r.ok());
            QVERIFY(r.message.endsWith(u'.'));
            QVERIFY2(r.message.contains(u"no details given"_s), qPrintable(r.message));
        }
    }
}

void TstKeyStore::retryOnlyWhenBackendMayBeStarting_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("retry");
    QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << QString() << true;
    QTest::newRow("no D-Bus") << int(QKeychain::OtherError)
                              << u"Cannot autolaunch D-Bus without X11 $DISPLAY"_s << true;
    QTest::newRow("not found") << int(QKeychain::EntryNotFound) << u"No match"_s << false;
    QTest::newRow("locked") << int(QKeychain::AccessDenied) << u"locked collection"_s << false;
    QTest::newRow("other") << int(QKeychain::OtherError) << u"I/O error"_s << false;
}

void TstKeyStore::retryOnlyWhenBackendMayBeStarting()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(bool, retry);
    QCOMPARE(mayBeBackendStarting(code, text), retry);
}

void TstKeyStore::memoryKeysAnswerWithoutKeychain()
{
    KeyStore store(u"io.parley.Parley.tests"_s);
    const QString name = KeyStore::keyName(u"fixie"_s, QUuid::createUuid());
    QVERIFY(!store.isHeldInMemory(name));
    store.holdInMemory(name, "fx-session-key");
    QVERIFY(store.isHeldInMemory(name));

    QObject context;
    std::optional<KeyResult> answer;
    store.readKey(name, &context, [&answer](const KeyResult &r) { answer = r; });
    QCOMPARE(store.pendingCount(), 0); // no keychain job for a key held in memory
    QTRY_VERIFY(answer.has_value());
    QVERIFY(answer->ok());
    QVERIFY(answer->fromMemory);
    QCOMPARE(answer->secret, QByteArray("fx-session-key"));
    QCOMPARE(store.backend(), KeyStore::Backend::Unknown); // the keychain was not asked

    store.holdInMemory(name, "fx-replaced");
    answer.reset();
    store.readKey(name, &context, [&answer](const KeyResult &r) { answer = r; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(answer->secret, QByteArray("fx-replaced"));
}

void TstKeyStore::memoryAnswerIsAsynchronous()
{
    KeyStore store(u"io.parley.Parley.tests"_s);
    store.holdInMemory(u"a"_s, "1");
    QObject context;
    bool called = false;
    store.readKey(u"a"_s, &context, [&called](const KeyResult &) { called = true; });
    QVERIFY(!called);
    QTRY_VERIFY(called);
}

void TstKeyStore::memoryAnswerDroppedWhenContextDies()
{
    KeyStore store(u"io.parley.Parley.tests"_s);
    store.holdInMemory(u"a"_s, "1");
    bool called = false;
    {
        QObject context;
        store.readKey(u"a"_s, &context, [&called](const KeyResult &) { called = true; });
    }
    QObject witness;
    bool witnessCalled = false;
    store.readKey(u"a"_s, &witness, [&witnessCalled](const KeyResult &) { witnessCalled = true; });
    QTRY_VERIFY(witnessCalled); // answers queued after the dropped one have been delivered
    QVERIFY(!called);
}

void TstKeyStore::forgetRemovesOnlyThatKey()
{
    KeyStore store(u"io.parley.Parley.tests"_s);
    store.holdInMemory(u"a"_s, "1");
    store.holdInMemory(u"b"_s, "2");
    store.forget(u"a"_s);
    store.forget(u"never-held"_s);
    QVERIFY(!store.isHeldInMemory(u"a"_s));
    QVERIFY(store.isHeldInMemory(u"b"_s));
}

void TstKeyStore::emptyNameIsRefused()
{
    KeyStore store(u"io.parley.Parley.tests"_s);
    QObject context;
    std::optional<KeyResult> answer;
    store.writeKey(QString(), "x", &context, [&answer](const KeyResult &r) { answer = r; });
    QCOMPARE(store.pendingCount(), 0);
    QVERIFY(!answer.has_value());
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(answer->status, KeyResult::Status::Failed);
    QVERIFY(!answer->message.isEmpty());
}

QTEST_GUILESS_MAIN(TstKeyStore)
#include "tst_keystore.moc"
