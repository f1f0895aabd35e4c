// WorkspaceSession and SessionPool: one session and one provider per workspace, whoever asks
// (the window, the outbox); the key read once; a session that cannot open says why; closing
// a session lets the outbox go of its provider; Test Connection on a trial session.
#include "controllers/ListPager.h"
#include "models/ConversationListModel.h"
#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "session/SessionPool.h"
#include "session/WorkspaceSession.h"
#include "store/WorkspaceStore.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestSessionPool : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<WorkspaceStore>(m_dir.filePath(u"workspaces.ini"_s));
        m_keys = std::make_unique<KeyStore>(u"io.parley.Parley.tst_sessionpool"_s);
        m_made = 0;
        m_keysSeen.clear();
        m_workspace = {};
        m_workspace.id = QUuid::createUuid();
        m_workspace.name = u"Scripted"_s;
        m_workspace.platform = ProviderRegistry::platforms().constFirst().id;
        QVERIFY(m_store->add(m_workspace));
    }

    void cleanup()
    {
        m_keys.reset();
        m_store.reset();
    }

    void oneSessionAndOneProviderPerWorkspace()
    {
        m_keys->holdInMemory(KeyStore::keyName(m_workspace.platform, m_workspace.id), "k-1");
        SessionPool pool(services());
        WorkspaceSession *session = pool.session(m_workspace.id);
        QVERIFY(session);
        QCOMPARE(pool.session(m_workspace), session);
        QCOMPARE(pool.find(m_workspace.id), session);
        QCOMPARE(session->state(), WorkspaceSession::State::Closed);
        QSignalSpy changed(session, &WorkspaceSession::stateChanged);
        session->open();
        QCOMPARE(session->state(), WorkspaceSession::State::ReadingKey);
        QTRY_VERIFY(session->isOpen());
        QCOMPARE(m_made, 1);
        QCOMPARE(m_keysSeen, QList<QByteArray>{"k-1"});
        session->open(); // open already: nothing happens
        QCOMPARE(m_made, 1);
        QVERIFY(!changed.isEmpty());

        // The outbox asks for the same workspace: it gets the session's provider.
        Provider *given = nullptr;
        QObject context;
        pool.outboxProviders()(m_workspace.id, &context,
                               [&](std::shared_ptr<Provider> p, ApiError e) {
                                   QVERIFY(!e.isError());
                                   given = p.get();
                               });
        QTRY_VERIFY(given);
        QCOMPARE(given, session->provider());
        QCOMPARE(m_made, 1);
    }

    void outboxOpensASessionNobodyShows()
    {
        m_keys->holdInMemory(KeyStore::keyName(m_workspace.platform, m_workspace.id), "k-2");
        SessionPool pool(services());
        QVERIFY(!pool.find(m_workspace.id));
        std::shared_ptr<Provider> given;
        QObject context;
        pool.outboxProviders()(m_workspace.id, &context,
                               [&](std::shared_ptr<Provider> p, ApiError) { given = p; });
        QVERIFY(!given); // never from inside the call
        QTRY_VERIFY(given);
        QCOMPARE(given.get(), pool.find(m_workspace.id)->provider());
        // The list is started by whoever shows it, not by the outbox.
        QVERIFY(!pool.find(m_workspace.id)->hasStartedList());
    }

    void outboxHearsWhyThereIsNoProvider()
    {
        SessionPool pool(services());
        QObject context;
        ApiError why;
        bool answered = false;
        pool.outboxProviders()(QUuid::createUuid(), &context,
                               [&](std::shared_ptr<Provider> p, ApiError e) {
                                   QVERIFY(!p);
                                   why = e;
                                   answered = true;
                               });
        QTRY_VERIFY(answered);
        QVERIFY(why.message().contains(u"no longer exists"_s));
    }

    void sessionWithoutKeyStoreSaysWhy()
    {
        AppServices s = services();
        s.keys = nullptr;
        SessionPool pool(s);
        WorkspaceSession *session = pool.session(m_workspace.id);
        session->open();
        QTRY_COMPARE(session->state(), WorkspaceSession::State::Failed);
        QVERIFY(session->problem().contains(u"no keychain is available"_s));
        QCOMPARE(m_made, 0);
        QVERIFY(!session->canCreate());
        QVERIFY(!session->canWrite());
    }

    void unknownPlatformSaysSo()
    {
        Workspace odd = m_workspace;
        odd.id = QUuid::createUuid();
        odd.platform = u"no-such-platform"_s;
        AppServices s = services();
        s.makeProvider = {}; // the registry decides
        WorkspaceSession session(odd, s);
        session.openWithKey("k");
        QCOMPARE(session.state(), WorkspaceSession::State::Failed);
        QVERIFY(session.problem().contains(u"does not know the platform"_s));
        QVERIFY(!session.provider());
    }

    void closeTellsTheViewAndStartsAnew()
    {
        m_keys->holdInMemory(KeyStore::keyName(m_workspace.platform, m_workspace.id), "k-3");
        SessionPool pool(services());
        QPointer<WorkspaceSession> first = pool.session(m_workspace.id);
        first->open();
        QTRY_VERIFY(first->isOpen());
        QSignalSpy closing(&pool, &SessionPool::sessionClosing);
        pool.close(m_workspace.id);
        QCOMPARE(closing.size(), 1);
        QCOMPARE(closing.constFirst().constFirst().toUuid(), m_workspace.id);
        QVERIFY(!first);
        QVERIFY(!pool.find(m_workspace.id));
        WorkspaceSession *second = pool.session(m_workspace.id);
        second->open();
        QTRY_VERIFY(second->isOpen());
        QCOMPARE(m_made, 2);
    }

    void listStartsOnceWithItsQuery()
    {
        WorkspaceSession session(m_workspace, services());
        QAbstractItemModelTester tester(session.list(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ListQuery query;
        query.pageSize = 3;
        QVERIFY(!session.startList(query)); // not open yet
        session.openWithKey("k-4");
        QVERIFY(session.startList(query));
        QVERIFY(session.hasStartedList());
        QVERIFY(!session.startList(ListQuery{}));
        QCOMPARE(session.list()->query().pageSize, 3);
        QTRY_VERIFY(session.list()->loadedCount() > 0);
        QVERIFY(m_last);
        QCOMPARE(m_last->listCalls.constFirst().query.pageSize, 3);
    }

    void testConnectionOnATrialSession()
    {
        QObject context;
        ApiError result = ApiError::make(ApiError::Kind::Config, u"not answered"_s);
        SessionPool::testConnection(services(), m_workspace, "trial-key", &context,
                                    [&](const ConnectionTest &t) { result = t.error; });
        QTRY_VERIFY(!result.isError());
        QCOMPARE(m_keysSeen, QList<QByteArray>{"trial-key"});

        m_failNext = ApiError::make(ApiError::Kind::Auth, u"bad key"_s, 401);
        result = {};
        bool answered = false;
        SessionPool::testConnection(services(), m_workspace, "wrong-key", &context,
                                    [&](const ConnectionTest &t) {
                                        result = t.error;
                                        answered = true;
                                    });
        QTRY_VERIFY(answered);
        QCOMPARE(result.kind, ApiError::Kind::Auth);
    }

private:
    AppServices services()
    {
        AppServices s;
        s.keys = m_keys.get();
        s.workspaces = m_store.get();
        s.makeProvider = [this](const Workspace &, const QByteArray &key, HttpClient *) {
            ++m_made;
            m_keysSeen << key;
            auto provider = std::make_unique<ScriptedProvider>(makeConversations(7));
            m_last = provider.get();
            if (m_failNext) {
                provider->failNext(*m_failNext);
                m_failNext.reset();
            }
            return std::unique_ptr<Provider>(std::move(provider));
        };
        return s;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<WorkspaceStore> m_store;
    std::unique_ptr<KeyStore> m_keys;
    Workspace m_workspace;
    int m_made = 0;
    QList<QByteArray> m_keysSeen;
    std::optional<ApiError> m_failNext;
    QPointer<ScriptedProvider> m_last; // the provider made last
};

QTEST_GUILESS_MAIN(TestSessionPool)
#include "tst_sessionpool.moc"
