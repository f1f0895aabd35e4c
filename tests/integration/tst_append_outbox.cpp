// Appends delivered exactly once over real HTTP on 127.0.0.1.
//
// First the transport: Qt sends a request again when its connection drops before the
// answer, which for a POST the server already carried out means a duplicate. HttpClient
// sends requests that are not idempotent from a body Qt cannot rewind, so the drop is
// reported instead (and GETs keep Qt's retry).
//
// Then the whole path against the PostHog emulation (append_message): the text is saved in
// an outbox file before it is sent; it is delivered once and shows in the transcript; typed
// while the sandbox is down, it waits visibly and is delivered once the sandbox is back on
// the same port; Parley quitting while it waits or while the request is in flight does not
// lose or duplicate it; an answer lost after the server stored it is found by looking, not
// by sending again; a message the platform refuses fails with its error until retried or
// discarded, and so does one for a conversation that does not exist.
#include "controllers/OutboxDelivery.h"
#include "models/OutboxModel.h"
#include "models/TranscriptModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/posthog/PosthogSandboxData.h"
#include "store/Outbox.h"

#include <QAbstractItemModelTester>
#include <QHostAddress>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using State = OutboxEntry::State;
using Status = OutboxDelivery::Status;

constexpr quint32 kSeed = 11;
constexpr int kConversations = 5;
const QByteArray kKey = "parley-demo-key";
const QString kAppendPath = u"/posthog/api/projects/[0-9]+/conversations/[^/]+/append_message/"_s;

} // namespace

class TestAppendOutbox : public QObject
{
    Q_OBJECT

private slots:
    void postIsNotSentAgainAfterAReset_data();
    void postIsNotSentAgainAfterAReset();
    void getIsStillRetriedAfterAReset();

    void init();
    void cleanup();
    void appendIsDeliveredOnceAndShown();
    void typedWhileSandboxIsDownIsDeliveredWhenItIsBack();
    void quitWhileWaitingThenRestartDeliversOnce();
    void quitWhileSendingThenRestartDoesNotSendTwice();
    void lostAnswerIsFoundNotSentAgain_data();
    void lostAnswerIsFoundNotSentAgain();
    void interruptedBeforeTheRequestLeftIsSentOnce();
    void refusedTextFailsUntilRetriedOrDiscarded();
    void unknownConversationFailsWithTheReason();

private:
    // `request` sent by `http` to the server on 127.0.0.1 at `port`, and its answer.
    HttpResponse run(HttpClient &http, quint16 port, const HttpRequest &request);
    bool startSandbox(quint16 port = 0);
    void stopSandbox() { m_sandbox.reset(); }
    void openOutbox();
    std::unique_ptr<OutboxDelivery> makeQueue();
    std::unique_ptr<Provider> provider() const;
    // The conversation as the platform has it now; empty detail on failure.
    ConversationDetail fetch();
    // How many messages of the transcript carry exactly `text`; -1 when it cannot be read.
    int countInTranscript(const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<Outbox> m_outbox;
    Workspace m_workspace;
    quint16 m_port = 0;
    QString m_conversation;
    int m_providersMade = 0;
};

HttpResponse TestAppendOutbox::run(HttpClient &http, quint16 port, const HttpRequest &request)
{
    Endpoint endpoint;
    endpoint.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    bool done = false;
    HttpResponse response;
    http.send(endpoint, request, this, [&](const HttpResponse &r) {
        response = r;
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
    return response;
}

void TestAppendOutbox::postIsNotSentAgainAfterAReset_data()
{
    QTest::addColumn<bool>("warm");
    QTest::newRow("fresh connection") << false;
    QTest::newRow("kept-alive connection") << true;
}

void TestAppendOutbox::postIsNotSentAgainAfterAReset()
{
    QFETCH(bool, warm);
    SandboxServer server;
    int posts = 0;
    server.route("POST", u"/x/"_s, [&](const SandboxRequest &) {
        ++posts;
        return SandboxReply::json(QJsonObject{{u"id"_s, posts}}, 201);
    });
    server.route("GET", u"/g/"_s,
                 [](const SandboxRequest &) { return SandboxReply::json(QJsonObject{}); });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    // The handler runs, then the connection is reset instead of answering.
    QVERIFY(server.setFaults(u"reset,path=/x/,first=1"_s));

    HttpClient http;
    if (warm)
        QVERIFY(run(http, port, HttpRequest::get(u"/g/"_s)).ok());

    const HttpRequest post =
        HttpRequest::post(u"/x/"_s, QJsonDocument(QJsonObject{{u"content"_s, u"once"_s}}));
    const HttpResponse r = run(http, port, post);
    QCOMPARE(posts, 1);
    QCOMPARE(r.error.kind, ApiError::Kind::Network);
    QVERIFY2(r.error.detail.contains(u"not sent again"_s), qPrintable(r.error.detail));

    // The next POST on the same client goes through normally, once.
    const HttpResponse next = run(http, port, post);
    QVERIFY2(next.ok(), qPrintable(next.error.message()));
    QCOMPARE(next.status, 201);
    QCOMPARE(posts, 2);
}

void TestAppendOutbox::getIsStillRetriedAfterAReset()
{
    SandboxServer server;
    int gets = 0;
    server.route("GET", u"/g/"_s, [&](const SandboxRequest &) {
        ++gets;
        return SandboxReply::json(QJsonObject{{u"n"_s, gets}});
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QVERIFY(server.setFaults(u"reset,path=/g/,first=1"_s));
    HttpClient http;
    const HttpResponse r = run(http, port, HttpRequest::get(u"/g/"_s));
    QVERIFY2(r.ok(), qPrintable(r.error.message()));
    QCOMPARE(gets, 2);
}

// --- the PostHog path ---

void TestAppendOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(startSandbox());
    m_http = std::make_unique<HttpClient>();
    // The transport's own retries of a read (the check before an append) use the default
    // policy, with the random share of each backoff pinned low: with a random one the three
    // retries took anything up to 7 s before the outbox saw the failure, more than the
    // waits below allow. What the outbox does with the failure is the same either way.
    RetryPolicy policy;
    policy.jitter = [] { return 0.0; };
    m_http->setRetryPolicy(policy);
    m_workspace = Workspace{};
    m_workspace.id = QUuid::createUuid();
    m_workspace.name = u"PostHog sandbox"_s;
    m_workspace.platform = u"posthog"_s;
    m_workspace.baseUrl = m_sandbox->baseUrl(u"posthog"_s);
    m_workspace.params.insert(u"project_id"_s, u"1"_s);
    const PosthogSandboxData data(kSeed, kConversations);
    m_conversation = data.idAt(kConversations - 1);
    m_providersMade = 0;
    openOutbox();
}

void TestAppendOutbox::cleanup()
{
    m_outbox.reset();
    m_http.reset();
    m_sandbox.reset();
    m_dir.reset();
}

bool TestAppendOutbox::startSandbox(quint16 port)
{
    SandboxOptions options;
    options.seed = kSeed;
    options.conversations = kConversations;
    options.key = kKey;
    options.port = port;
    m_sandbox = std::make_unique<Sandbox>(options);
    QString error;
    if (!m_sandbox->start(&error)) {
        qWarning() << "sandbox:" << error;
        return false;
    }
    m_port = m_sandbox->port();
    return true;
}

void TestAppendOutbox::openOutbox()
{
    m_outbox = std::make_unique<Outbox>(m_dir->filePath(u"outbox.sqlite"_s));
    QVERIFY2(m_outbox->isOpen(), qPrintable(m_outbox->errorString()));
}

std::unique_ptr<Provider> TestAppendOutbox::provider() const
{
    return ProviderRegistry::create(m_workspace, kKey, m_http.get());
}

std::unique_ptr<OutboxDelivery> TestAppendOutbox::makeQueue()
{
    // As the app does it: the key comes from the keychain later, then the registry makes
    // the provider.
    auto source = [this](const QUuid &workspaceId, QObject *context,
                         OutboxDelivery::ProviderReady done) {
        QTimer::singleShot(0, context, [this, workspaceId, done = std::move(done)]() {
            if (workspaceId != m_workspace.id) {
                done(nullptr, ApiError::make(ApiError::Kind::Config, u"no such workspace"_s));
                return;
            }
            ++m_providersMade;
            done(provider(), {});
        });
    };
    auto queue = std::make_unique<OutboxDelivery>(m_outbox.get(), source);
    queue->setRetryDelays(50ms, 200ms);
    return queue;
}

ConversationDetail TestAppendOutbox::fetch()
{
    auto p = provider();
    bool done = false;
    ConversationDetail detail;
    p->fetchConversation(m_conversation, this, [&](Result<ConversationDetail> r) {
        if (r.ok())
            detail = r.value();
        else
            qWarning() << "fetch failed:" << r.error().message();
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
    return detail;
}

int TestAppendOutbox::countInTranscript(const QString &text)
{
    const ConversationDetail d = fetch();
    if (d.summary.id.isEmpty())
        return -1;
    int n = 0;
    for (const Turn &t : d.turns)
        n += t.plainText() == text ? 1 : 0;
    return n;
}

void TestAppendOutbox::appendIsDeliveredOnceAndShown()
{
    QVERIFY(provider()->capabilities().actions.testFlag(Capabilities::Append));
    TranscriptModel transcript;
    QAbstractItemModelTester tester(&transcript,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    transcript.setDetail(fetch());
    const int before = transcript.rowCount();
    QVERIFY(before > 0);

    auto queue = makeQueue();
    OutboxModel pending(queue.get());
    QAbstractItemModelTester pendingTester(&pending,
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    pending.setScope(m_workspace.id, m_conversation);
    // What the window does with a delivered message.
    connect(
        queue.get(), &OutboxDelivery::delivered, &transcript,
        [&](const QUuid &ws, const QString &conv, const QString &remoteId, const QString &text) {
            if (ws == m_workspace.id && conv == m_conversation)
                transcript.upsertTurn(OutboxDelivery::deliveredTurn(remoteId, text));
        });
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);

    const QString text =
        u"Note from support: refund issued (%1)"_s.arg(QUuid::createUuid().toString());
    QString why;
    const QUuid id = queue->enqueue(m_workspace.id, m_conversation, text, &why);
    QVERIFY2(!id.isNull(), qPrintable(why));
    QCOMPARE(pending.rowCount(), 1);
    QCOMPARE(m_outbox->find(id)->state, State::Pending);

    QVERIFY(delivered.wait(10000));
    const QString remoteId = delivered[0][2].toString();
    QVERIFY(!remoteId.isEmpty());
    QCOMPARE(delivered[0][3].toString(), text);
    QCOMPARE(pending.rowCount(), 0);
    QCOMPARE(transcript.rowCount(), before + 1);
    QCOMPARE(transcript.turnAt(before)->plainText(), text);

    const auto stored = m_outbox->find(id);
    QCOMPARE(stored->state, State::Sent);
    QCOMPARE(stored->remoteId, remoteId);
    QCOMPARE(stored->attempts, 1);

    // The platform has it once, under the id we were given; reloading shows it once.
    const ConversationDetail after = fetch();
    int found = 0;
    for (const Turn &t : after.turns) {
        if (t.plainText() == text) {
            ++found;
            QCOMPARE(t.id, remoteId);
        }
    }
    QCOMPARE(found, 1);
    transcript.setDetail(after);
    QCOMPARE(transcript.rowCount(), before + 1);
    transcript.upsertTurn(OutboxDelivery::deliveredTurn(remoteId, text)); // late echo: no copy
    QCOMPARE(transcript.rowCount(), before + 1);
}

void TestAppendOutbox::typedWhileSandboxIsDownIsDeliveredWhenItIsBack()
{
    const quint16 port = m_port;
    stopSandbox();
    auto queue = makeQueue();
    OutboxModel pending(queue.get());
    QAbstractItemModelTester tester(&pending,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QString text = u"typed while down %1"_s.arg(QUuid::createUuid().toString());
    const QUuid id = queue->enqueue(m_workspace.id, m_conversation, text);
    QVERIFY(!id.isNull());

    // It stays visible, waiting, with the reason.
    QTRY_COMPARE(queue->status(id), Status::Waiting);
    QCOMPARE(pending.rowCount(), 1);
    QCOMPARE(pending.data(pending.index(0), OutboxModel::StatusRole).toInt(), int(Status::Waiting));
    QVERIFY2(queue->entry(id)->lastError.contains(u"Could not reach"_s),
             qPrintable(queue->entry(id)->lastError));
    QVERIFY(queue->canRetry(id));
    QCOMPARE(m_outbox->find(id)->state, State::Pending);
    QTest::qWait(400); // several attempts while down
    QVERIFY(delivered.isEmpty());

    QVERIFY(startSandbox(port));
    QCOMPARE(m_port, port);
    QVERIFY(delivered.wait(10000));
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(pending.rowCount(), 0);
    QCOMPARE(countInTranscript(text), 1);
    QCOMPARE(m_outbox->find(id)->state, State::Sent);
}

void TestAppendOutbox::quitWhileWaitingThenRestartDeliversOnce()
{
    const quint16 port = m_port;
    stopSandbox();
    const QString text = u"survives a restart %1"_s.arg(QUuid::createUuid().toString());
    QUuid id;
    {
        auto queue = makeQueue();
        id = queue->enqueue(m_workspace.id, m_conversation, text);
        QVERIFY(!id.isNull());
        QTRY_COMPARE(queue->status(id), Status::Waiting);
    } // Parley quits
    m_outbox.reset();

    QVERIFY(startSandbox(port));
    openOutbox();
    QCOMPARE(m_outbox->find(id)->state, State::Pending);
    auto queue = makeQueue();
    QCOMPARE(queue->entries().size(), 1);
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QVERIFY(delivered.wait(10000));
    QCOMPARE(delivered[0][3].toString(), text);
    QCOMPARE(countInTranscript(text), 1);
}

void TestAppendOutbox::quitWhileSendingThenRestartDoesNotSendTwice()
{
    // The platform stores the message, then never answers.
    QVERIFY(m_sandbox->server()->setFaults(u"hang,path="_s + kAppendPath));
    const QString text = u"in flight at quit %1"_s.arg(QUuid::createUuid().toString());
    QUuid id;
    {
        auto queue = makeQueue();
        id = queue->enqueue(m_workspace.id, m_conversation, text);
        QTRY_COMPARE_WITH_TIMEOUT(countInTranscript(text), 1, 10000);
        QCOMPARE(queue->status(id), Status::Sending);
        QCOMPARE(m_outbox->find(id)->state, State::Sending);
    } // Parley quits with the request in flight
    m_outbox.reset();
    QVERIFY(m_sandbox->server()->setFaults(QString()));

    openOutbox();
    QCOMPARE(m_outbox->find(id)->state, State::Unknown);
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QVERIFY(delivered.wait(10000));
    QCOMPARE(countInTranscript(text), 1);
    const auto e = m_outbox->find(id);
    QCOMPARE(e->state, State::Sent);
    QCOMPARE(e->attempts, 1); // checked and found: not sent again
    QVERIFY(!e->remoteId.isEmpty());
}

void TestAppendOutbox::lostAnswerIsFoundNotSentAgain_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("reset after storing") << u"reset"_s;
    QTest::newRow("502 page after storing") << u"html=502"_s;
    QTest::newRow("503 after storing") << u"status=503"_s;
    QTest::newRow("half the answer") << u"truncated"_s;
}

void TestAppendOutbox::lostAnswerIsFoundNotSentAgain()
{
    QFETCH(QString, fault);
    QVERIFY(m_sandbox->server()->setFaults(fault + u",first=1,path="_s + kAppendPath));
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QString text = u"answer lost %1"_s.arg(QUuid::createUuid().toString());
    const QUuid id = queue->enqueue(m_workspace.id, m_conversation, text);
    bool sawUnknown = false;
    connect(queue.get(), &OutboxDelivery::entryChanged, this, [&](const QUuid &changedId) {
        const auto e = queue->entry(changedId);
        sawUnknown = sawUnknown || (e && e->state == State::Unknown);
    });
    QVERIFY(delivered.wait(10000));
    QVERIFY(sawUnknown);
    QCOMPARE(countInTranscript(text), 1);
    const auto e = m_outbox->find(id);
    QCOMPARE(e->state, State::Sent);
    QCOMPARE(e->attempts, 1);
    // The id is the stored message's, found by looking.
    bool idFound = false;
    for (const Turn &t : fetch().turns)
        idFound = idFound || (t.id == e->remoteId && t.plainText() == text);
    QVERIFY(idFound);
}

void TestAppendOutbox::interruptedBeforeTheRequestLeftIsSentOnce()
{
    // Parley wrote Sending and stopped before the request left: on disk it looks exactly
    // like a request in flight.
    const QString text = u"never left %1"_s.arg(QUuid::createUuid().toString());
    QUuid id;
    {
        OutboxEntry e = *m_outbox->add(m_workspace.id, m_conversation, text);
        e.baseline = countInTranscript(text);
        QCOMPARE(e.baseline, 0);
        e.state = State::Sending;
        e.attempts = 1;
        e.inDoubt = true;
        QVERIFY(m_outbox->save(e, State::Pending));
        id = e.clientId;
    }
    m_outbox.reset();
    openOutbox();
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QVERIFY(delivered.wait(10000));
    QCOMPARE(countInTranscript(text), 1);
    QCOMPARE(m_outbox->find(id)->attempts, 2); // looked, not there, sent
}

void TestAppendOutbox::refusedTextFailsUntilRetriedOrDiscarded()
{
    auto queue = makeQueue();
    OutboxModel pending(queue.get());
    QAbstractItemModelTester tester(&pending,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString text = QString(10001, u'x'); // append_message takes at most 10,000
    const QUuid id = queue->enqueue(m_workspace.id, m_conversation, text);
    QVERIFY(!id.isNull());
    QTRY_COMPARE_WITH_TIMEOUT(queue->status(id), Status::Failed, 10000);
    const auto e = queue->entry(id);
    QVERIFY2(e->lastError.contains(u"10000"_s), qPrintable(e->lastError));
    QCOMPARE(pending.rowCount(), 1);
    QCOMPARE(pending.data(pending.index(0), OutboxModel::StatusTextRole).toString(), e->lastError);
    QVERIFY(pending.data(pending.index(0), OutboxModel::CanRetryRole).toBool());
    QCOMPARE(m_outbox->find(id)->state, State::Failed);

    // Retrying sends it again and it is refused again.
    const int attempts = m_outbox->find(id)->attempts;
    QVERIFY(queue->retry(id));
    QTRY_COMPARE_WITH_TIMEOUT(m_outbox->find(id)->attempts, attempts + 1, 10000);
    QTRY_COMPARE(queue->status(id), Status::Failed);

    QVERIFY(queue->discard(id));
    QCOMPARE(pending.rowCount(), 0);
    QVERIFY(!m_outbox->find(id));
    QVERIFY(!queue->retry(id));
    QCOMPARE(countInTranscript(text), 0);
}

void TestAppendOutbox::unknownConversationFailsWithTheReason()
{
    auto queue = makeQueue();
    const QString missing = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QUuid id = queue->enqueue(m_workspace.id, missing, u"to nowhere"_s);
    QTRY_COMPARE_WITH_TIMEOUT(queue->status(id), Status::Failed, 10000);
    const auto e = m_outbox->find(id);
    QCOMPARE(e->state, State::Failed);
    QVERIFY2(e->lastError.contains(u"404"_s), qPrintable(e->lastError));
    QCOMPARE(e->attempts, 0); // refused while looking, before anything was sent
    QVERIFY(!e->inDoubt);
}

QTEST_GUILESS_MAIN(TestAppendOutbox)
#include "tst_append_outbox.moc"
