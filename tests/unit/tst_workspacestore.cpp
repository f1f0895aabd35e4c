// WorkspaceStore on a temporary INI file: round trips, demo workspaces kept out of the file,
// and no key ever written (the file is searched for the secret itself).

#include "secrets/KeyStore.h"
#include "store/WorkspaceStore.h"
#include "support/TextRows.h"

#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;
using parley::test::addTextRows;

namespace {

const QByteArray kSecret = "phx_Zq81SECRETsecretKEYd3adb33f";

Workspace makeWorkspace(const QString &name, const QString &platform = u"posthog"_s)
{
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.name = name;
    ws.platform = platform;
    ws.baseUrl = QUrl(u"https://eu.posthog.com"_s);
    ws.params = {{u"project_id"_s, u"12345"_s}};
    return ws;
}

} // namespace

class TstWorkspaceStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void emptyFile();
    void roundTrip();
    void updateAndRemove();
    void shorterListLeavesNothingBehind();
    void refusesDuplicatesAndNullIds();
    void demoWorkspacesAreNeverPersisted();
    void secretNames_data();
    void secretNames();
    void secretParamIsRefused();
    void secretParamRefusedOnUpdate();
    void urlWithCredentialsIsRefused_data();
    void urlWithCredentialsIsRefused();
    void unusableParamNameIsRefused();
    void handEditedSecretIsScrubbedOnLoad();
    void keyNeverReachesTheFile();
    void reloadSeesOtherWritersAndKeepsDemos();

private:
    QString file() const { return m_dir->filePath(u"parley.ini"_s); }
    QByteArray fileContent() const
    {
        QFile f(file());
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return f.readAll();
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstWorkspaceStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstWorkspaceStore::emptyFile()
{
    WorkspaceStore store(file());
    QCOMPARE(store.count(), 0);
    QVERIFY(!store.findById(QUuid::createUuid()).has_value());
    QVERIFY(!store.findById(QUuid()).has_value());
    QVERIFY(!store.remove(QUuid::createUuid()));
    QCOMPARE(store.fileName(), file());
}

void TstWorkspaceStore::roundTrip()
{
    Workspace posthog = makeWorkspace(u"PostHog EU"_s);
    Workspace polyai = makeWorkspace(u"PolyAI – support line"_s, u"polyai"_s);
    polyai.baseUrl = QUrl(u"https://api.uk-1.platform.polyai.app/base/path?region=uk-1"_s);
    polyai.params = {{u"account_id"_s, u"ws-acme"_s},
                     {u"project_id"_s, u"PROJECT-42"_s},
                     {u"api_version"_s, u"v3"_s},
                     {u"region"_s, u"uk-1"_s},
                     {u"key_type"_s, u"project"_s}}; // describes the key, does not hold it
    {
        WorkspaceStore store(file());
        QSignalSpy spy(&store, &WorkspaceStore::changed);
        QString error;
        QVERIFY2(store.add(posthog, &error), qPrintable(error));
        QVERIFY2(store.add(polyai, &error), qPrintable(error));
        QCOMPARE(spy.count(), 2);
        QVERIFY(store.lastWriteOk());
        QCOMPARE(store.findById(polyai.id).value(), polyai);
    }
    WorkspaceStore reread(file());
    QCOMPARE(reread.workspaces(), (QList<Workspace>{posthog, polyai}));
    QCOMPARE(reread.findById(posthog.id).value(), posthog);
}

void TstWorkspaceStore::updateAndRemove()
{
    Workspace ws = makeWorkspace(u"Before"_s);
    Workspace other = makeWorkspace(u"Other"_s, u"orq"_s);
    {
        WorkspaceStore store(file());
        QVERIFY(store.add(ws));
        QVERIFY(store.add(other));
        QSignalSpy spy(&store, &WorkspaceStore::changed);

        QVERIFY(store.update(ws)); // unchanged: nothing to announce
        QCOMPARE(spy.count(), 0);

        ws.name = u"After"_s;
        ws.params.insert(u"project_id"_s, u"999"_s);
        QVERIFY(store.update(ws));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(store.findById(ws.id)->name, u"After"_s);

        QVERIFY(store.remove(other.id));
        QCOMPARE(spy.count(), 2);
        QVERIFY(!store.contains(other.id));
        QVERIFY(!store.remove(other.id));
        QCOMPARE(spy.count(), 2);
    }
    WorkspaceStore reread(file());
    QCOMPARE(reread.workspaces(), QList<Workspace>{ws});
}

void TstWorkspaceStore::shorterListLeavesNothingBehind()
{
    const Workspace a = makeWorkspace(u"A"_s);
    const Workspace b = makeWorkspace(u"B"_s);
    const Workspace c = makeWorkspace(u"C"_s);
    {
        WorkspaceStore store(file());
        QVERIFY(store.add(a));
        QVERIFY(store.add(b));
        QVERIFY(store.add(c));
        QVERIFY(store.remove(a.id));
        QVERIFY(store.remove(b.id));
    }
    const QByteArray content = fileContent();
    QVERIFY(content.contains(c.id.toString(QUuid::WithoutBraces).toLatin1()));
    QVERIFY(!content.contains(a.id.toString(QUuid::WithoutBraces).toLatin1()));
    QVERIFY(!content.contains(b.id.toString(QUuid::WithoutBraces).toLatin1()));
    WorkspaceStore reread(file());
    QCOMPARE(reread.workspaces(), QList<Workspace>{c});
}

void TstWorkspaceStore::refusesDuplicatesAndNullIds()
{
    WorkspaceStore store(file());
    const Workspace ws = makeWorkspace(u"Once"_s);
    QVERIFY(store.add(ws));
    QSignalSpy spy(&store, &WorkspaceStore::changed);

    QString error;
    QVERIFY(!store.add(ws, &error));
    QVERIFY(!error.isEmpty());

    Workspace noId = makeWorkspace(u"No id"_s);
    noId.id = QUuid();
    error.clear();
    QVERIFY(!store.add(noId, &error));
    QVERIFY(!error.isEmpty());

    error.clear();
    QVERIFY(!store.update(makeWorkspace(u"Never added"_s), &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(spy.count(), 0);
    QCOMPARE(store.count(), 1);
}

void TstWorkspaceStore::demoWorkspacesAreNeverPersisted()
{
    const Workspace real = makeWorkspace(u"Real"_s);
    Workspace demo = makeWorkspace(u"Demo PostHog (sandbox)"_s);
    demo.demo = true;
    demo.baseUrl = QUrl(u"http://127.0.0.1:40123/posthog"_s);
    {
        WorkspaceStore store(file());
        QSignalSpy spy(&store, &WorkspaceStore::changed);
        QVERIFY(store.add(real));
        QVERIFY(store.add(demo));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(store.count(), 2);
        QCOMPARE(store.findById(demo.id).value(), demo);

        demo.name = u"Demo renamed"_s;
        QVERIFY(store.update(demo));
        QCOMPARE(store.findById(demo.id)->name, u"Demo renamed"_s);
    }
    const QByteArray content = fileContent();
    QVERIFY(!content.contains(demo.id.toString(QUuid::WithoutBraces).toLatin1()));
    QVERIFY(!content.contains("Demo"));
    QVERIFY(!content.contains("127.0.0.1"));
    WorkspaceStore reread(file());
    QCOMPARE(reread.workspaces(), QList<Workspace>{real});

    QVERIFY(reread.add(demo));
    QSignalSpy spy(&reread, &WorkspaceStore::changed);
    reread.removeDemoWorkspaces();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(reread.workspaces(), QList<Workspace>{real});
    reread.removeDemoWorkspaces();
    QCOMPARE(spy.count(), 1);
}

void TstWorkspaceStore::secretNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("secret");
    for (const char *n : {"api_key",       "apiKey",       "APIKey",
                          "x-api-key",     "key",          "secret",
                          "client_secret", "token",        "x_token",
                          "access_token",  "accessToken",  "password",
                          "passwd",        "auth",         "Authorization",
                          "bearer",        "jwt",          "personal_api_key",
                          "xapikey",       "refreshtoken", "private_key"})
        QTest::newRow(n) << QString::fromLatin1(n) << true;
    for (const char *n : {"project_id", "account_id", "agent_id", "api_version", "region",
                          "app_hostname", "org_id", "environment", "key_type", "token_url",
                          "auth_method", "monkey", "keyboard", "tokenizer_name", "id", ""})
        QTest::newRow(*n ? n : "(empty)") << QString::fromLatin1(n) << false;
}

void TstWorkspaceStore::secretNames()
{
    QFETCH(QString, name);
    QFETCH(bool, secret);
    QCOMPARE(WorkspaceStore::looksLikeSecretName(name), secret);
}

void TstWorkspaceStore::secretParamIsRefused()
{
    WorkspaceStore store(file());
    QSignalSpy spy(&store, &WorkspaceStore::changed);
    Workspace ws = makeWorkspace(u"Leaky"_s);
    ws.params.insert(u"api_key"_s, QString::fromLatin1(kSecret));

    QString error;
    QVERIFY(!store.add(ws, &error));
    QVERIFY2(error.contains(u"api_key"_s), qPrintable(error));
    QVERIFY2(error.contains(u"keychain"_s), qPrintable(error));
    QVERIFY(!error.contains(QString::fromLatin1(kSecret))); // the message never repeats it
    QCOMPARE(spy.count(), 0);
    QCOMPARE(store.count(), 0);
    QVERIFY(!fileContent().contains(kSecret));
}

void TstWorkspaceStore::secretParamRefusedOnUpdate()
{
    WorkspaceStore store(file());
    const Workspace ws = makeWorkspace(u"Clean"_s);
    QVERIFY(store.add(ws));
    Workspace leaky = ws;
    leaky.params.insert(u"X-Token"_s, QString::fromLatin1(kSecret));
    QString error;
    QVERIFY(!store.update(leaky, &error));
    QVERIFY2(error.contains(u"X-Token"_s), qPrintable(error));
    QCOMPARE(store.findById(ws.id).value(), ws);
    QVERIFY(!fileContent().contains(kSecret));
}

void TstWorkspaceStore::urlWithCredentialsIsRefused_data()
{
    addTextRows("url", "mentions",
                {{"password", "https://user:%1@eu.posthog.com", "password"},
                 {"user as token", "https://%1@eu.posthog.com", "user name"},
                 {"query api_key", "https://api.orq.ai/v2?api_key=%1", "api_key"},
                 {"query token", "https://api.orq.ai/?region=eu&token=%1", "token"}});
}

void TstWorkspaceStore::urlWithCredentialsIsRefused()
{
    QFETCH(QString, url);
    QFETCH(QString, mentions);
    WorkspaceStore store(file());
    Workspace ws = makeWorkspace(u"URL"_s);
    ws.baseUrl = QUrl(url.arg(QString::fromLatin1(kSecret)));
    QVERIFY(ws.baseUrl.isValid());
    QString error;
    QVERIFY(!store.add(ws, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(QString::fromLatin1(kSecret)));
    QVERIFY(!fileContent().contains(kSecret));
}

void TstWorkspaceStore::unusableParamNameIsRefused()
{
    WorkspaceStore store(file());
    for (const QString &name : {u"a/b"_s, u"a\\b"_s, u" "_s}) {
        Workspace ws = makeWorkspace(u"Odd"_s);
        ws.params.insert(name, u"v"_s);
        QString error;
        QVERIFY2(!store.add(ws, &error), qPrintable(name));
        QVERIFY(!error.isEmpty());
    }
    QCOMPARE(store.count(), 0);
}

void TstWorkspaceStore::handEditedSecretIsScrubbedOnLoad()
{
    const QUuid id = QUuid::createUuid();
    {
        QSettings raw(file(), QSettings::IniFormat);
        raw.beginWriteArray(u"workspaces"_s);
        raw.setArrayIndex(0);
        raw.setValue(u"id"_s, id.toString(QUuid::WithoutBraces));
        raw.setValue(u"name"_s, u"Hand edited"_s);
        raw.setValue(u"platform"_s, u"orq"_s);
        raw.setValue(u"baseUrl"_s, u"https://me:%1@api.orq.ai/?apiKey=%1&region=eu"_s.arg(
                                       QString::fromLatin1(kSecret)));
        raw.setValue(u"params/project_id"_s, u"p1"_s);
        raw.setValue(u"params/api_key"_s, QString::fromLatin1(kSecret));
        raw.endArray();
    }
    QVERIFY(fileContent().contains(kSecret));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"dropped parameter api_key"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"removed secret-looking data"_s));
    WorkspaceStore store(file());
    QCOMPARE(store.count(), 1);
    const Workspace ws = store.findById(id).value();
    QCOMPARE(ws.params, (QMap<QString, QString>{{u"project_id"_s, u"p1"_s}}));
    QCOMPARE(ws.baseUrl, QUrl(u"https://api.orq.ai/?region=eu"_s));
    QVERIFY2(!fileContent().contains(kSecret), fileContent().constData()); // rewritten at once
}

// The whole flow of adding a workspace: the key goes to the KeyStore (here: session memory,
// no keychain needed), the workspace to the store. The file never sees the key.
void TstWorkspaceStore::keyNeverReachesTheFile()
{
    KeyStore keys(u"io.parley.Parley.tests"_s);
    Workspace ws = makeWorkspace(u"With a key"_s);
    {
        WorkspaceStore store(file());
        keys.holdInMemory(KeyStore::keyName(ws.platform, ws.id), kSecret);
        QVERIFY(store.add(ws));
        ws.name = u"Renamed"_s;
        QVERIFY(store.update(ws));
    }
    const QByteArray content = fileContent();
    QVERIFY(!content.isEmpty());
    QVERIFY(content.contains("Renamed"));
    QVERIFY(!content.contains(kSecret));
    QVERIFY(!content.contains(kSecret.toBase64()));
    QVERIFY(!content.toLower().contains("secret"));
    QVERIFY(!content.toLower().contains("token"));
}

void TstWorkspaceStore::reloadSeesOtherWritersAndKeepsDemos()
{
    WorkspaceStore first(file());
    Workspace demo = makeWorkspace(u"Demo"_s);
    demo.demo = true;
    QVERIFY(first.add(demo));

    const Workspace added = makeWorkspace(u"From elsewhere"_s);
    {
        WorkspaceStore second(file());
        QVERIFY(second.add(added));
    }
    QSignalSpy spy(&first, &WorkspaceStore::changed);
    first.reload();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(first.workspaces(), (QList<Workspace>{added, demo}));
    first.reload();
    QCOMPARE(spy.count(), 1);
}

QTEST_GUILESS_MAIN(TstWorkspaceStore)
#include "tst_workspacestore.moc"
