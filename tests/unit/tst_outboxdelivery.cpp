// The append queue's state machine against a scripted platform (in memory) and a real
// outbox file: delivery, definite and transient failures, answers lost after the platform
// stored the message (checked, never sent twice), requests lost before it did (sent again),
// order per conversation, identical texts, a restart while sending, providers that cannot
// be made or are reset mid-request, and the list model under QAbstractItemModelTester.
// The wire and the real platform emulation are in tests/integration/tst_append_outbox.cpp.
#include "controllers/OutboxDelivery.h"
#include "models/OutboxModel.h"
#include "providers/Provider.h"
#include "store/Outbox.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace parley;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using State = OutboxEntry::State;
using Status = OutboxDelivery::Status;

// What the platform does with one append request.
struct AppendStep
{
    enum Kind
    {
        Deliver, // store it and answer with its id
        Lose,    // store it, answer with `error` (the answer was lost)
        Refuse,  // do not store it, answer with `error`
        Hold,    // store it and never answer
    };
    Kind kind = Deliver;
    ApiError error;
};

// The scripted platform: conversations in memory, a script for appends and fetches, a log.
struct Platform
{
    QHash<QString, ConversationDetail> conversations;
    QList<AppendStep> appendScript; // consumed one per append; empty = Deliver
    QList<ApiError> fetchScript;    // consumed one per fetch; empty or None = answer
    bool hasTranscript = true;      // false: fetches answer without turns
    QStringList log;                // "fetch <conv>", "append <conv> <text>"
    int stored = 0;                 // ids handed out
    QHash<QString, int> inFlight;   // appends not answered yet, per conversation
    int maxInFlightPerConversation = 0;
    int providersMade = 0;

    void addConversation(const QString &id)
    {
        ConversationDetail d;
        d.summary.id = id;
        conversations.insert(id, d);
    }
    int countText(const QString &conv, const QString &text) const
    {
        int n = 0;
        for (const Turn &t : conversations.value(conv).turns)
            n += t.plainText() == text ? 1 : 0;
        return n;
    }
    QString store(const QString &conv, const QString &text)
    {
        Turn t;
        t.id = u"msg-%1"_s.arg(++stored);
        t.role = Turn::Role::Assistant;
        Fragment f;
        f.text = text;
        t.fragments << f;
        conversations[conv].turns << t;
        return t.id;
    }
    int appendCalls() const
    {
        int n = 0;
        for (const QString &l : log)
            n += l.startsWith(u"append "_s) ? 1 : 0;
        return n;
    }
};

class FakeProvider : public Provider
{
public:
    explicit FakeProvider(Platform *platform)
        : Provider(Workspace{}, nullptr)
        , m_platform(platform)
    {}

    QString platform() const override { return u"fake"_s; }
    Capabilities capabilities() const override { return {}; }
    RequestHandle listConversations(const ListQuery &, const PageCursor &, QObject *,
                                    Done<ConversationPage>) override
    {
        return {};
    }

    RequestHandle fetchConversation(const QString &id, QObject *context,
                                    Done<ConversationDetail> done) override
    {
        m_platform->log << u"fetch "_s + id;
        ApiError error;
        if (!m_platform->fetchScript.isEmpty())
            error = m_platform->fetchScript.takeFirst();
        Platform *p = m_platform;
        QTimer::singleShot(0, context, [p, id, error, done = std::move(done)]() {
            if (error.isError()) {
                done(error);
            } else if (!p->conversations.contains(id)) {
                done(ApiError::make(ApiError::Kind::NotFound, u"no such conversation"_s, 404));
            } else {
                ConversationDetail d = p->conversations.value(id);
                d.hasTranscript = p->hasTranscript;
                if (!p->hasTranscript)
                    d.turns.clear();
                done(d);
            }
        });
        return {};
    }

    RequestHandle appendMessage(const QString &conversationId, const QString &text,
                                QObject *context, Done<QString> done) override
    {
        m_platform->log << u"append "_s + conversationId + u' ' + text;
        const AppendStep step = m_platform->appendScript.isEmpty()
                                    ? AppendStep{}
                                    : m_platform->appendScript.takeFirst();
        Platform *p = m_platform;
        if (step.kind != AppendStep::Refuse)
            p->store(conversationId, text);
        if (step.kind == AppendStep::Hold)
            return {};
        const int now = ++p->inFlight[conversationId];
        p->maxInFlightPerConversation = std::max(p->maxInFlightPerConversation, now);
        const QString id = u"msg-%1"_s.arg(p->stored);
        QTimer::singleShot(5, context, [p, step, id, conversationId, done = std::move(done)]() {
            --p->inFlight[conversationId];
            if (step.kind == AppendStep::Deliver)
                done(id);
            else
                done(step.error);
        });
        return {};
    }

private:
    Platform *m_platform;
};

ApiError error(ApiError::Kind kind, int status = 0)
{
    return ApiError::make(kind, u"scripted"_s, status);
}

} // namespace

class TestOutboxDelivery : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void deliversAfterCountingAndEmits();
    void refusedIsFailedUntilRetriedOrDiscarded();
    void rateLimitedWaitsAndSendsAgainWithoutChecking();
    void lostAnswerIsCheckedAndNotSentAgain();
    void lostRequestIsCheckedAndSentAgain();
    void unreachableWhileCheckingKeepsWaiting();
    void oneAtATimeInOrderPerConversation();
    void failedEntryBlocksTheConversation();
    void identicalTextsAreEachDeliveredOnce();
    void restartWhileSendingChecksFirst();
    void restartResumesPendingEntries();
    void providerSourceErrorFailsUntilRetry();
    void resetProviderMidAppendChecksFirst();
    void noTranscriptMeansTheUserDecides();
    void discardWhileSendingIsRefused();
    void unavailableOutboxAcceptsNothing();
    void blankTextIsRefused();
    void modelFollowsTheQueue();

private:
    std::unique_ptr<OutboxDelivery> makeQueue();
    QString dbPath() const { return m_dir->filePath(u"outbox.sqlite"_s); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Outbox> m_outbox;
    Platform m_platform;
    QList<ApiError> m_sourceErrors; // consumed one per provider request; None = provider
    const QUuid m_ws = QUuid::createUuid();
};

void TestOutboxDelivery::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_outbox = std::make_unique<Outbox>(dbPath());
    QVERIFY2(m_outbox->isOpen(), qPrintable(m_outbox->errorString()));
    m_platform = Platform{};
    m_platform.addConversation(u"c1"_s);
    m_platform.addConversation(u"c2"_s);
    m_sourceErrors.clear();
}

void TestOutboxDelivery::cleanup()
{
    m_outbox.reset();
    m_dir.reset();
}

std::unique_ptr<OutboxDelivery> TestOutboxDelivery::makeQueue()
{
    auto source = [this](const QUuid &workspaceId, QObject *context,
                         OutboxDelivery::ProviderReady done) {
        QVERIFY(workspaceId == m_ws);
        const ApiError e = m_sourceErrors.isEmpty() ? ApiError{} : m_sourceErrors.takeFirst();
        QTimer::singleShot(0, context, [this, e, done = std::move(done)]() {
            if (e.isError()) {
                done(nullptr, e);
                return;
            }
            ++m_platform.providersMade;
            done(std::make_unique<FakeProvider>(&m_platform), {});
        });
    };
    auto q = std::make_unique<OutboxDelivery>(m_outbox.get(), source);
    q->setRetryDelays(10ms, 40ms);
    return q;
}

void TestOutboxDelivery::deliversAfterCountingAndEmits()
{
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QSignalSpy removed(queue.get(), &OutboxDelivery::entryRemoved);
    QString why;
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"hello"_s, &why);
    QVERIFY2(!id.isNull(), qPrintable(why));
    // Saved before anything else happened.
    QCOMPARE(m_outbox->find(id)->state, State::Pending);
    QCOMPARE(queue->entries().size(), 1);
    QVERIFY(m_platform.log.isEmpty());

    QVERIFY(delivered.wait());
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(delivered[0][0].toUuid(), m_ws);
    QCOMPARE(delivered[0][1].toString(), u"c1"_s);
    QCOMPARE(delivered[0][2].toString(), u"msg-1"_s);
    QCOMPARE(delivered[0][3].toString(), u"hello"_s);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(m_platform.log, (QStringList{u"fetch c1"_s, u"append c1 hello"_s}));
    QVERIFY(queue->entries().isEmpty());

    const auto stored = m_outbox->find(id);
    QCOMPARE(stored->state, State::Sent);
    QCOMPARE(stored->remoteId, u"msg-1"_s);
    QCOMPARE(stored->attempts, 1);
    QCOMPARE(stored->baseline, 0);
    QVERIFY(!stored->inDoubt);
    QCOMPARE(m_platform.countText(u"c1"_s, u"hello"_s), 1);

    const Turn t = OutboxDelivery::deliveredTurn(u"msg-1"_s, u"hello"_s);
    QCOMPARE(t.id, u"msg-1"_s);
    QCOMPARE(t.role, Turn::Role::Assistant);
    QCOMPARE(t.plainText(), u"hello"_s);
}

void TestOutboxDelivery::refusedIsFailedUntilRetriedOrDiscarded()
{
    m_platform.appendScript << AppendStep{AppendStep::Refuse, error(ApiError::Kind::Invalid, 400)};
    auto queue = makeQueue();
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"too long"_s);
    QTRY_COMPARE(queue->status(id), Status::Failed);
    const auto e = queue->entry(id);
    QCOMPARE(e->state, State::Failed);
    QCOMPARE(e->lastError, error(ApiError::Kind::Invalid, 400).message());
    QCOMPARE(queue->statusText(id), e->lastError);
    QVERIFY(queue->canRetry(id));
    QVERIFY(queue->canDiscard(id));
    QCOMPARE(m_outbox->find(id)->state, State::Failed);
    QVERIFY(!m_outbox->find(id)->inDoubt);

    // Nothing more happens by itself.
    const int calls = int(m_platform.log.size());
    QTest::qWait(100);
    QCOMPARE(m_platform.log.size(), calls);

    // Retry: refused again.
    m_platform.appendScript << AppendStep{AppendStep::Refuse, error(ApiError::Kind::Invalid, 400)};
    QVERIFY(queue->retry(id));
    QTRY_COMPARE(m_platform.appendCalls(), 2);
    QTRY_COMPARE(queue->status(id), Status::Failed);
    QCOMPARE(m_outbox->find(id)->attempts, 2);

    QString why;
    QVERIFY(queue->discard(id, &why));
    QVERIFY(!queue->entry(id));
    QVERIFY(!m_outbox->find(id));
    QVERIFY(!queue->retry(id));
    QVERIFY(!queue->discard(id, &why));
    QVERIFY(!why.isEmpty());
    QCOMPARE(m_platform.countText(u"c1"_s, u"too long"_s), 0);
}

void TestOutboxDelivery::rateLimitedWaitsAndSendsAgainWithoutChecking()
{
    m_platform.appendScript << AppendStep{AppendStep::Refuse,
                                          error(ApiError::Kind::RateLimited, 429)};
    auto queue = makeQueue();
    queue->setRetryDelays(300ms, 300ms);
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"later"_s);
    QTRY_COMPARE(queue->status(id), Status::Waiting);
    QVERIFY(queue->nextAttempt(id).isValid());
    QVERIFY(queue->nextAttempt(id) > QDateTime::currentDateTimeUtc());
    QCOMPARE(queue->entry(id)->state, State::Pending); // not processed: no check needed
    QVERIFY(queue->statusText(id).contains(u"tries again"_s));
    QVERIFY(queue->canRetry(id));
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.log,
             (QStringList{u"fetch c1"_s, u"append c1 later"_s, u"append c1 later"_s}));
    QCOMPARE(m_platform.countText(u"c1"_s, u"later"_s), 1);
    QCOMPARE(m_outbox->find(id)->attempts, 2);
}

void TestOutboxDelivery::lostAnswerIsCheckedAndNotSentAgain()
{
    auto queue = makeQueue();
    queue->setRetryDelays(300ms, 300ms);
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    m_platform.store(u"c1"_s, u"again"_s); // the same text is already there once
    m_platform.appendScript << AppendStep{AppendStep::Lose, error(ApiError::Kind::Network)};
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"again"_s);
    QTRY_COMPARE(queue->status(id), Status::Waiting);
    QCOMPARE(queue->entry(id)->state, State::Unknown);
    QCOMPARE(m_outbox->find(id)->state, State::Unknown);
    QVERIFY(m_outbox->find(id)->inDoubt);
    QCOMPARE(m_outbox->find(id)->baseline, 1);
    QVERIFY(queue->statusText(id).contains(u"only if it did not arrive"_s));

    QVERIFY(delivered.wait());
    QCOMPARE(delivered[0][2].toString(), u"msg-2"_s); // the id of the stored message
    QCOMPARE(m_platform.appendCalls(), 1);
    QCOMPARE(m_platform.countText(u"c1"_s, u"again"_s), 2);
    QCOMPARE(m_platform.log, (QStringList{u"fetch c1"_s, u"append c1 again"_s, u"fetch c1"_s}));
    QCOMPARE(m_outbox->find(id)->state, State::Sent);
    QCOMPARE(m_outbox->find(id)->remoteId, u"msg-2"_s);
}

void TestOutboxDelivery::lostRequestIsCheckedAndSentAgain()
{
    m_platform.appendScript << AppendStep{AppendStep::Refuse, error(ApiError::Kind::Timeout)};
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"  padded  "_s);
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.log, (QStringList{u"fetch c1"_s, u"append c1   padded  "_s, u"fetch c1"_s,
                                          u"append c1   padded  "_s}));
    QCOMPARE(m_platform.countText(u"c1"_s, u"  padded  "_s), 1);
    const auto e = m_outbox->find(id);
    QCOMPARE(e->state, State::Sent);
    QCOMPARE(e->attempts, 2);
}

void TestOutboxDelivery::unreachableWhileCheckingKeepsWaiting()
{
    m_platform.appendScript << AppendStep{AppendStep::Lose, error(ApiError::Kind::Server, 502)};
    m_platform.fetchScript << ApiError{} << error(ApiError::Kind::Network)
                           << error(ApiError::Kind::Server, 503)
                           << error(ApiError::Kind::RateLimited, 429);
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"x"_s);
    QVERIFY(delivered.wait(5000));
    QCOMPARE(m_platform.appendCalls(), 1);
    QCOMPARE(m_platform.log.count(u"fetch c1"_s), 5);
    QCOMPARE(m_platform.countText(u"c1"_s, u"x"_s), 1);
    QCOMPARE(m_outbox->find(id)->state, State::Sent);
}

void TestOutboxDelivery::oneAtATimeInOrderPerConversation()
{
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QStringList texts = {u"one"_s, u"two"_s, u"three"_s};
    for (const QString &t : texts)
        QVERIFY(!queue->enqueue(m_ws, u"c1"_s, t).isNull());
    QVERIFY(!queue->enqueue(m_ws, u"c2"_s, u"other"_s).isNull());
    QCOMPARE(queue->status(queue->entries().at(1).clientId), Status::Queued);
    QTRY_COMPARE(delivered.size(), 4);
    QStringList c1Order;
    for (const auto &args : delivered) {
        if (args[1].toString() == u"c1"_s)
            c1Order << args[3].toString();
    }
    QCOMPARE(c1Order, texts);
    QStringList appended;
    for (const Turn &t : m_platform.conversations.value(u"c1"_s).turns)
        appended << t.plainText();
    QCOMPARE(appended, texts);
    // Never more than one append per conversation at a time.
    QCOMPARE(m_platform.maxInFlightPerConversation, 1);
}

void TestOutboxDelivery::failedEntryBlocksTheConversation()
{
    m_platform.appendScript << AppendStep{AppendStep::Refuse,
                                          error(ApiError::Kind::Forbidden, 403)};
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid a = queue->enqueue(m_ws, u"c1"_s, u"a"_s);
    const QUuid b = queue->enqueue(m_ws, u"c1"_s, u"b"_s);
    QTRY_COMPARE(queue->status(a), Status::Failed);
    QCOMPARE(queue->status(b), Status::Blocked);
    QVERIFY(queue->statusText(b).contains(u"earlier message"_s));
    QVERIFY(!queue->canRetry(b));
    QTest::qWait(50);
    QCOMPARE(m_platform.appendCalls(), 1);

    QVERIFY(queue->discard(a));
    QVERIFY(delivered.wait());
    QCOMPARE(delivered[0][3].toString(), u"b"_s);
    QCOMPARE(m_platform.countText(u"c1"_s, u"a"_s), 0);
}

void TestOutboxDelivery::identicalTextsAreEachDeliveredOnce()
{
    m_platform.appendScript << AppendStep{}
                            << AppendStep{AppendStep::Lose, error(ApiError::Kind::Timeout)};
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    queue->enqueue(m_ws, u"c1"_s, u"ok"_s);
    queue->enqueue(m_ws, u"c1"_s, u"ok"_s);
    QTRY_COMPARE(delivered.size(), 2);
    QCOMPARE(m_platform.countText(u"c1"_s, u"ok"_s), 2);
    QCOMPARE(m_platform.appendCalls(), 2);
    QVERIFY(delivered[0][2].toString() != delivered[1][2].toString());
}

void TestOutboxDelivery::restartWhileSendingChecksFirst()
{
    m_platform.appendScript << AppendStep{AppendStep::Hold, {}};
    auto queue = makeQueue();
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"in flight"_s);
    QTRY_COMPARE(m_platform.appendCalls(), 1);
    QCOMPARE(queue->status(id), Status::Sending);
    QCOMPARE(m_outbox->find(id)->state, State::Sending);

    // Parley quits with the request in flight (the platform stored the message).
    queue.reset();
    m_outbox.reset();
    m_outbox = std::make_unique<Outbox>(dbPath());
    QVERIFY(m_outbox->isOpen());
    QCOMPARE(m_outbox->find(id)->state, State::Unknown);

    queue = makeQueue();
    QCOMPARE(queue->entries().size(), 1);
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.appendCalls(), 1);
    QCOMPARE(m_platform.countText(u"c1"_s, u"in flight"_s), 1);
    QCOMPARE(m_outbox->find(id)->state, State::Sent);
}

void TestOutboxDelivery::restartResumesPendingEntries()
{
    m_sourceErrors << error(ApiError::Kind::Config); // first run: no provider
    auto queue = makeQueue();
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"kept"_s);
    QTRY_COMPARE(queue->status(id), Status::Failed);
    queue.reset();
    m_outbox.reset();

    m_outbox = std::make_unique<Outbox>(dbPath());
    queue = makeQueue();
    QCOMPARE(queue->entries().size(), 1);
    QCOMPARE(queue->status(id), Status::Failed); // still waiting for the user
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    QVERIFY(queue->retry(id));
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.countText(u"c1"_s, u"kept"_s), 1);
}

void TestOutboxDelivery::providerSourceErrorFailsUntilRetry()
{
    m_sourceErrors << ApiError::make(ApiError::Kind::Config, u"no API key stored"_s);
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"x"_s);
    QTRY_COMPARE(queue->status(id), Status::Failed);
    QVERIFY(queue->entry(id)->lastError.contains(u"no API key stored"_s));
    QVERIFY(m_platform.log.isEmpty());
    QVERIFY(queue->retry(id));
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.providersMade, 1);
}

void TestOutboxDelivery::resetProviderMidAppendChecksFirst()
{
    m_platform.appendScript << AppendStep{AppendStep::Hold, {}};
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"held"_s);
    QTRY_COMPARE(m_platform.appendCalls(), 1);
    queue->resetProvider(m_ws);
    QCOMPARE(queue->entry(id)->state, State::Unknown);
    QCOMPARE(m_outbox->find(id)->state, State::Unknown);
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.providersMade, 2);
    QCOMPARE(m_platform.appendCalls(), 1);
    QCOMPARE(m_platform.countText(u"c1"_s, u"held"_s), 1);
}

void TestOutboxDelivery::noTranscriptMeansTheUserDecides()
{
    m_platform.hasTranscript = false;
    m_platform.appendScript << AppendStep{AppendStep::Lose, error(ApiError::Kind::Timeout)};
    auto queue = makeQueue();
    QSignalSpy delivered(queue.get(), &OutboxDelivery::delivered);
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"blind"_s);
    QTRY_COMPARE(queue->status(id), Status::Failed);
    QVERIFY(queue->entry(id)->lastError.contains(u"cannot tell"_s));
    QVERIFY(queue->entry(id)->inDoubt);
    QCOMPARE(m_platform.appendCalls(), 1);
    QVERIFY(queue->retry(id)); // the user chose to send it again
    QVERIFY(delivered.wait());
    QCOMPARE(m_platform.appendCalls(), 2);
}

void TestOutboxDelivery::discardWhileSendingIsRefused()
{
    m_platform.appendScript << AppendStep{AppendStep::Hold, {}};
    auto queue = makeQueue();
    const QUuid id = queue->enqueue(m_ws, u"c1"_s, u"busy"_s);
    QTRY_COMPARE(queue->status(id), Status::Sending);
    QTRY_COMPARE(m_platform.appendCalls(), 1);
    QVERIFY(!queue->canDiscard(id));
    QString why;
    QVERIFY(!queue->discard(id, &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(m_outbox->find(id));
}

void TestOutboxDelivery::unavailableOutboxAcceptsNothing()
{
    QFile blocker(m_dir->filePath(u"file"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    Outbox broken(blocker.fileName() + u"/outbox.sqlite"_s);
    OutboxDelivery queue(&broken, nullptr);
    QVERIFY(!queue.isAvailable());
    QVERIFY(!queue.unavailableReason().isEmpty());
    QString why;
    QVERIFY(queue.enqueue(m_ws, u"c1"_s, u"keep my draft"_s, &why).isNull());
    QCOMPARE(why, broken.errorString());
    QVERIFY(queue.entries().isEmpty());
}

void TestOutboxDelivery::blankTextIsRefused()
{
    auto queue = makeQueue();
    QString why;
    QVERIFY(queue->enqueue(m_ws, u"c1"_s, u"  \n\t "_s, &why).isNull());
    QVERIFY(!why.isEmpty());
    QVERIFY(queue->enqueue(m_ws, QString(), u"x"_s, &why).isNull());
    QVERIFY(queue->enqueue(QUuid(), u"c1"_s, u"x"_s, &why).isNull());
    QVERIFY(m_outbox->entries(true).isEmpty());
}

void TestOutboxDelivery::modelFollowsTheQueue()
{
    m_platform.appendScript << AppendStep{AppendStep::Refuse, error(ApiError::Kind::Invalid, 422)};
    auto queue = makeQueue();
    OutboxModel all(queue.get());
    OutboxModel c2(queue.get());
    QAbstractItemModelTester t1(&all, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&c2, QAbstractItemModelTester::FailureReportingMode::QtTest);
    c2.setScope(m_ws, u"c2"_s);

    const QUuid bad = queue->enqueue(m_ws, u"c1"_s, u"bad"_s);
    const QUuid good = queue->enqueue(m_ws, u"c2"_s, u"good"_s);
    QCOMPARE(all.rowCount(), 2);
    QCOMPARE(c2.rowCount(), 1);
    QCOMPARE(all.clientIdAt(0), bad);
    QCOMPARE(c2.clientIdAt(0), good);
    QCOMPARE(all.data(all.index(0), Qt::DisplayRole).toString(), u"bad"_s);
    QCOMPARE(all.data(all.index(1), OutboxModel::StateRole).toString(), u"pending"_s);

    QSignalSpy changed(&all, &QAbstractItemModel::dataChanged);
    QTRY_COMPARE(c2.rowCount(), 0); // delivered: gone
    QTRY_COMPARE(all.rowCount(), 1);
    QTRY_COMPARE(all.data(all.index(0), OutboxModel::StatusRole).toInt(), int(Status::Failed));
    QVERIFY(!changed.isEmpty());
    const QModelIndex i = all.index(0);
    QCOMPARE(all.data(i, OutboxModel::StateRole).toString(), u"failed"_s);
    QVERIFY(!all.data(i, OutboxModel::ErrorRole).toString().isEmpty());
    QCOMPARE(all.data(i, OutboxModel::StatusTextRole), all.data(i, OutboxModel::ErrorRole));
    QVERIFY(all.data(i, OutboxModel::CanRetryRole).toBool());
    QVERIFY(all.data(i, OutboxModel::CanDiscardRole).toBool());
    QCOMPARE(all.data(i, OutboxModel::AttemptsRole).toInt(), 1);
    QCOMPARE(all.data(i, OutboxModel::ConversationIdRole).toString(), u"c1"_s);
    QCOMPARE(all.data(i, OutboxModel::WorkspaceIdRole).toUuid(), m_ws);
    QCOMPARE(all.data(i, OutboxModel::ClientIdRole).toUuid(), bad);
    QVERIFY(all.data(i, OutboxModel::CreatedAtRole).toDateTime().isValid());
    QVERIFY(!all.data(i, OutboxModel::NextAttemptRole).toDateTime().isValid());
    QVERIFY(all.roleNames().contains(OutboxModel::StatusTextRole));

    // Scope changes reset; another workspace shows nothing.
    c2.setScope(m_ws, u"c1"_s);
    QCOMPARE(c2.rowCount(), 1);
    c2.setScope(QUuid::createUuid());
    QCOMPARE(c2.rowCount(), 0);

    QVERIFY(queue->discard(bad));
    QCOMPARE(all.rowCount(), 0);
    queue->enqueue(m_ws, u"c1"_s, u"last"_s);
    QCOMPARE(all.rowCount(), 1);
    queue.reset(); // the model empties when its queue goes
    QCOMPARE(all.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestOutboxDelivery)
#include "tst_outboxdelivery.moc"
