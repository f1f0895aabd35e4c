// PostHog AI's write side over real HTTP against the sandbox: a started conversation
// streams (its id known at once, id-less snapshots replaced by the final message, the echo
// replacing the user's own turn); a busy conversation refuses a second message (Conflict);
// the queue holds two follow-ups and is worked through when the reply ends; cancel stops a
// reply and empties the queue; a blank message is refused first. Append and the length
// limit are checked for every platform by conformance_posthog.
#include "models/TranscriptModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "support/Await.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <optional>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestPosthogWrite : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(10, 20, &error), qPrintable(error));
        m_provider = provider(m_fx.key());
    }
    void cleanupTestCase()
    {
        m_provider.reset();
        m_fx.stop();
    }

    void startStreamsAndReplacesDrafts()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        NewConversation request;
        request.text = u"How many signups last week?"_s;
        ReplyStream *stream = m_provider->startConversation(request, this);
        QString knownId;
        int drafts = 0;
        // Whoever hears of the new conversation may fetch it at once (the window does): it
        // must exist on the platform by then.
        std::optional<Result<ConversationDetail>> fetched;
        connect(stream, &ReplyStream::conversationChanged, this, [&](const Conversation &c) {
            if (!knownId.isEmpty())
                return;
            knownId = c.id;
            m_provider->fetchConversation(
                c.id, this, [&](Result<ConversationDetail> r) { fetched = std::move(r); });
        });
        connect(stream, &ReplyStream::turnChanged, this,
                [&](const Turn &turn, const QString &replaces) {
                    drafts += turn.state == Turn::State::InProgress ? 1 : 0;
                    if (replaces.isEmpty() || !model.updateTurn(replaces, turn))
                        model.upsertTurn(turn);
                });
        QTRY_VERIFY(!knownId.isEmpty());
        QTRY_VERIFY(fetched.has_value());
        QVERIFY2(fetched->ok(), qPrintable(fetched->error().message()));
        QCOMPARE(fetched->value().summary.id, knownId);
        QSignalSpy finished(stream, &ReplyStream::finished);
        QVERIFY(finished.count() > 0 || finished.wait(20000));
        QVERIFY2(!stream->error(), qPrintable(stream->error().message()));
        QVERIFY2(drafts > 2, "the reply arrived as growing snapshots");
        QCOMPARE(model.rowCount(), 2); // the echoed question and the final answer, no drafts
        QCOMPARE(model.turnAt(0)->plainText(), request.text);
        QVERIFY(!model.turnAt(0)->id.startsWith(u"local-"_s));
        QCOMPARE(model.turnAt(1)->state, Turn::State::Done);
        QVERIFY(!model.turnAt(1)->id.startsWith(u"draft-"_s));

        const ConversationDetail detail = open(knownId);
        QCOMPARE(detail.turns.size(), 2);
        QCOMPARE(detail.turns.at(1).plainText(), model.turnAt(1)->plainText());
        QCOMPARE(detail.summary.status, u"idle"_s);
    }

    void busyConversationQueueAndDrain()
    {
        Running first;
        QVERIFY(startRunning(u"Summarise the funnel"_s, &first));
        const QString id = first.id;

        ReplyStream *second = m_provider->sendMessage(id, u"And last month?"_s, this);
        QSignalSpy secondDone(second, &ReplyStream::finished);
        QVERIFY(secondDone.wait(10000));
        QCOMPARE(second->error().kind, ApiError::Kind::Conflict);
        QVERIFY(second->error().message().contains(u"queue"_s));

        FollowUpQueue queue = change(id, {FollowUpChange::Op::Add, {}, u"Follow-up A"_s});
        queue = change(id, {FollowUpChange::Op::Add, {}, u"Follow-up B"_s});
        QCOMPARE(queue.items.size(), 2);
        QCOMPARE(queue.maxItems, 2);
        QVERIFY(queue.isFull());
        const ApiError full = changeError(id, {FollowUpChange::Op::Add, {}, u"Follow-up C"_s});
        QCOMPARE(full.kind, ApiError::Kind::Conflict);
        QCOMPARE(full.code, u"queue_full"_s);

        queue = change(id, {FollowUpChange::Op::Edit, queue.items.at(1).id, u"Follow-up B2"_s});
        QCOMPARE(queue.items.at(1).content, u"Follow-up B2"_s);
        queue = change(id, {FollowUpChange::Op::Delete, queue.items.at(0).id, {}});
        QCOMPARE(queue.items.size(), 1);

        QVERIFY(first.done->count() > 0 || first.done->wait(30000));
        // Worked through: the queue is empty, its message and an answer are in the transcript.
        const ConversationDetail detail = open(id);
        QCOMPARE(detail.turns.size(), 4);
        QCOMPARE(detail.turns.at(2).plainText(), u"Follow-up B2"_s);
        QCOMPARE(fetchFollowUps(id).items.size(), 0);
    }

    void cancelStopsTheReplyAndClearsTheQueue()
    {
        Running run;
        QVERIFY(startRunning(u"A long analysis please"_s, &run));
        const QString id = run.id;
        change(id, {FollowUpChange::Op::Add, {}, u"Queued, then dropped"_s});

        std::optional<ApiError> canceled;
        m_provider->cancelRun(id, run.stream->runId(), this, [&](ApiError e) { canceled = e; });
        QTRY_VERIFY(canceled.has_value());
        QVERIFY2(!*canceled, qPrintable(canceled->message()));
        QVERIFY(run.done->count() > 0 || run.done->wait(10000));
        QCOMPARE(open(id).summary.status, u"idle"_s);
        QCOMPARE(fetchFollowUps(id).items.size(), 0);
    }

    void blankMessageIsRefusedBeforeSending()
    {
        ReplyStream *stream = m_provider->sendMessage(firstListed(), u"   "_s, this);
        QSignalSpy done(stream, &ReplyStream::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(stream->error().kind, ApiError::Kind::Invalid);
    }

    void wrongKeyIsAnAuthError()
    {
        auto wrong = provider("wrong-key");
        NewConversation request;
        request.text = u"Hi"_s;
        ReplyStream *stream = wrong->startConversation(request, this);
        QSignalSpy done(stream, &ReplyStream::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(stream->error().kind, ApiError::Kind::Auth);
    }

private:
    // A started conversation whose reply the server is running: its stream, a spy on the
    // stream's end, and the conversation's id.
    struct Running
    {
        ReplyStream *stream = nullptr;
        std::unique_ptr<QSignalSpy> done;
        QString id;
    };

    // Starts a conversation with `text` into `run`; true once its id is known (within five
    // seconds) and the server has started the reply (a turn changed within ten more).
    bool startRunning(const QString &text, Running *run)
    {
        NewConversation request;
        request.text = text;
        run->stream = m_provider->startConversation(request, this);
        run->done = std::make_unique<QSignalSpy>(run->stream, &ReplyStream::finished);
        connect(run->stream, &ReplyStream::conversationChanged, this,
                [run](const Conversation &c) { run->id = c.id; });
        if (!QTest::qWaitFor([run] { return !run->id.isEmpty(); }, 5000))
            return false;
        QSignalSpy progress(run->stream, &ReplyStream::turnChanged);
        return progress.wait(10000);
    }

    std::unique_ptr<Provider> provider(const QByteArray &key) const
    {
        Workspace ws = m_fx.workspace(u"posthog"_s);
        ws.params.insert(u"project_id"_s, u"1"_s);
        return m_fx.provider(ws, key);
    }
    ConversationDetail open(const QString &id)
    {
        const auto detail = openConversation(*m_provider, id, this);
        return detail && detail->ok() ? detail->value() : ConversationDetail{};
    }
    QString firstListed()
    {
        const auto page =
            listPage(*m_provider, 1, PageCursor::first(PageCursor::Style::Offset), this);
        if (!page || !page->ok() || page->value().items.isEmpty())
            return {};
        return page->value().items.constFirst().id;
    }
    Result<FollowUpQueue> queueCall(const QString &id, const std::optional<FollowUpChange> &c)
    {
        const auto result = await<FollowUpQueue>([&](Provider::Done<FollowUpQueue> done) {
            if (c)
                m_provider->changeFollowUps(id, *c, this, std::move(done));
            else
                m_provider->fetchFollowUps(id, this, std::move(done));
        });
        return result ? *result : Result<FollowUpQueue>(ApiError::make(ApiError::Kind::Timeout));
    }
    FollowUpQueue change(const QString &id, const FollowUpChange &c)
    {
        const Result<FollowUpQueue> r = queueCall(id, c);
        return r.ok() ? r.value() : FollowUpQueue{};
    }
    ApiError changeError(const QString &id, const FollowUpChange &c)
    {
        return queueCall(id, c).error();
    }
    FollowUpQueue fetchFollowUps(const QString &id)
    {
        const Result<FollowUpQueue> r = queueCall(id, std::nullopt);
        return r.ok() ? r.value() : FollowUpQueue{};
    }

    PlatformSandbox m_fx;
    std::unique_ptr<Provider> m_provider;
};

QTEST_GUILESS_MAIN(TestPosthogWrite)
#include "tst_posthog_write.moc"
