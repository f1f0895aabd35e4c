// FollowController against a scripted provider: a running conversation is polled at a pace
// that backs off while nothing changes and stops when it ends or the view moves on; where the
// platform offers a stream it is attached once per open and polled after a refusal; a
// conversation started elsewhere can be canceled by the run the fetch named; resume points
// are kept while a reply runs and forgotten when it ends. The TranscriptModel is watched by
// QAbstractItemModelTester.

#include "controllers/FollowController.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "models/TranscriptModel.h"
#include "providers/ReplyStream.h"
#include "support/ModelTestData.h"
#include "support/ReplyTestCase.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace parley;
using parley::test::textTurn;

namespace {

constexpr auto kFirst = 20ms;
constexpr auto kLongest = 80ms;

// c1 with a user question and an answer still being written ("running" by the platform).
ConversationDetail runningDetail(const QString &answerText, bool running = true)
{
    ConversationDetail d = test::makeDetail(u"c1"_s, 0);
    d.turns << textTurn(u"q"_s, Turn::Role::User, u"Question"_s)
            << textTurn(u"a"_s, Turn::Role::Assistant, answerText,
                        running ? Turn::State::InProgress : Turn::State::Done);
    d.summary.status = running ? u"in_progress"_s : u"idle"_s;
    d.running = running;
    d.runId = running ? u"turn-a"_s : QString();
    return d;
}

QString lastText(const TranscriptModel *model)
{
    const int rows = model->rowCount();
    return rows > 0 ? model->turnAt(rows - 1)->plainText() : QString();
}

} // namespace

class TestFollowController : public test::ReplyTestCase
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void pollsARunningConversationUntilItEnds();
    void pollingBacksOffWhileNothingChanges();
    void stopsWhenTheViewMovesOn();
    void idleConversationIsNotPolled();
    void attachesOncePerOpenAndPollsAfterARefusal();
    void attachedStreamGrowsTheTranscript();
    void attachedStreamTakesOverTheFetchedDraft();
    void nothingToFollowSaysWhy();
    void cancelStopsAConversationStartedElsewhere();
    void refusedCancelIsReported();
    void cancelWithoutTheCapabilitySaysWhy();
    void resumePointIsKeptWhileAReplyRunsAndTakenUpOnOpen();
    void turnedOffFollowsNothing();

private:
    void open(const QString &id);

    std::unique_ptr<FollowController> m_follow;
    QHash<QString, QString> m_points; // the resume store
};

void TestFollowController::init()
{
    setUpReplies(Capabilities::List | Capabilities::Transcript | Capabilities::Details |
                     Capabilities::Send | Capabilities::Cancel,
                 runningDetail(u"Hel"_s), test::makeDetail(u"c2"_s, 2));
    m_follow = std::make_unique<FollowController>(m_transcript.get(), m_replies.get());
    m_follow->setPollIntervals(kFirst, kLongest);
    m_points.clear();
    m_follow->setResumeStore([this](const QString &id) { return m_points.value(id); },
                             [this](const QString &id, const QString &point) {
                                 if (point.isEmpty())
                                     m_points.remove(id);
                                 else
                                     m_points.insert(id, point);
                             });
}

void TestFollowController::cleanup()
{
    m_follow.reset();
    tearDownReplies();
}

void TestFollowController::open(const QString &id)
{
    m_transcript->open(id);
    QTRY_VERIFY(m_transcript->isLoaded());
    QCOMPARE(m_transcript->conversationId(), id);
}

void TestFollowController::pollsARunningConversationUntilItEnds()
{
    open(u"c1"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Polling);
    QVERIFY(m_transcript->isRunning());
    QCOMPARE(lastText(m_transcript->model()), u"Hel"_s);
    const qsizetype fetchesAtOpen = m_provider->detailCalls.size();

    // The reply grows on the platform: the transcript follows without a reload.
    m_provider->details[u"c1"_s] = runningDetail(u"Hello, wor"_s);
    QTRY_COMPARE(lastText(m_transcript->model()), u"Hello, wor"_s);
    QVERIFY(m_provider->detailCalls.size() > fetchesAtOpen);
    QCOMPARE(m_follow->state(), FollowController::State::Polling);

    // It ends: the last fetch shows the final state and following stops.
    m_provider->details[u"c1"_s] = runningDetail(u"Hello, world."_s, false);
    QTRY_COMPARE(m_follow->state(), FollowController::State::Idle);
    QCOMPARE(lastText(m_transcript->model()), u"Hello, world."_s);
    QCOMPARE(m_transcript->model()->summary().status, u"idle"_s);
    QVERIFY(!m_transcript->isRunning());
    const qsizetype fetchesAtEnd = m_provider->detailCalls.size();
    // Nothing is fetched after the end: a fetch would come within the longest interval.
    QSignalSpy requested(m_provider.get(), &test::ScriptedProvider::requested);
    QVERIFY(!requested.wait(int(kLongest.count()) * 3));
    QCOMPARE(m_provider->detailCalls.size(), fetchesAtEnd);
}

void TestFollowController::pollingBacksOffWhileNothingChanges()
{
    open(u"c1"_s);
    QCOMPARE(m_follow->pollInterval(), kFirst);
    QSignalSpy loaded(m_transcript.get(), &TranscriptController::loaded);
    QVERIFY(loaded.wait());
    QCOMPARE(m_follow->pollInterval(), 2 * kFirst);
    QVERIFY(loaded.wait());
    QCOMPARE(m_follow->pollInterval(), kLongest); // 4 × first = the longest
    QVERIFY(loaded.wait());
    QCOMPARE(m_follow->pollInterval(), kLongest); // and no further

    // Something moves: the pace is back to the first interval.
    m_provider->details[u"c1"_s] = runningDetail(u"Hello"_s);
    QVERIFY(loaded.wait());
    QCOMPARE(lastText(m_transcript->model()), u"Hello"_s);
    QCOMPARE(m_follow->pollInterval(), kFirst);
}

void TestFollowController::stopsWhenTheViewMovesOn()
{
    open(u"c1"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Polling);
    open(u"c2"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Idle);
    const QStringList fetched = m_provider->detailCalls;
    QCOMPARE(fetched.constLast(), u"c2"_s);
    QSignalSpy requested(m_provider.get(), &test::ScriptedProvider::requested);
    QVERIFY(!requested.wait(int(kLongest.count()) * 3));
    QCOMPARE(m_provider->detailCalls, fetched); // c1 is not fetched again
}

void TestFollowController::idleConversationIsNotPolled()
{
    open(u"c2"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Idle);
    QCOMPARE(m_follow->note(), QString()); // nothing worth a word: it simply is not running
    QSignalSpy requested(m_provider.get(), &test::ScriptedProvider::requested);
    QVERIFY(!requested.wait(int(kLongest.count()) * 2));
    QCOMPARE(m_provider->detailCalls, QStringList{u"c2"_s});
    QVERIFY(m_provider->attachCalls.isEmpty());
}

void TestFollowController::attachesOncePerOpenAndPollsAfterARefusal()
{
    m_provider->plan = FollowPlan::attach();
    open(u"c1"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Attached);
    QCOMPARE(m_provider->attachCalls.size(), 1);
    QCOMPARE(m_provider->attachCalls[0].conversationId, u"c1"_s);
    QVERIFY(m_replies->isRunning());
    QVERIFY(m_replies->isFollowed());
    QCOMPARE(m_replies->statusText(), u"Following the reply…"_s);

    // The platform refuses (PostHog: 403 for another user's conversation): poll instead.
    ReplyStream *stream = m_provider->lastStream();
    QVERIFY(stream);
    stream->finish(ApiError::make(ApiError::Kind::Forbidden, u"not yours"_s, 403));
    QTRY_COMPARE(m_follow->state(), FollowController::State::Polling);
    QCOMPARE(m_provider->attachCalls.size(), 1); // never again while it stays open
    m_provider->details[u"c1"_s] = runningDetail(u"Hello"_s);
    QTRY_COMPARE(lastText(m_transcript->model()), u"Hello"_s);
    QCOMPARE(m_provider->attachCalls.size(), 1);

    // Opened again later: one more attempt.
    open(u"c2"_s);
    open(u"c1"_s);
    QCOMPARE(m_provider->attachCalls.size(), 2);
    QCOMPARE(m_follow->state(), FollowController::State::Attached);
}

void TestFollowController::attachedStreamGrowsTheTranscript()
{
    m_provider->plan = FollowPlan::attach();
    open(u"c1"_s);
    ReplyStream *stream = m_provider->lastStream();
    QVERIFY(stream);
    stream->upsertTurn(
        textTurn(u"a"_s, Turn::Role::Assistant, u"Hello, w"_s, Turn::State::InProgress));
    QTRY_COMPARE(lastText(m_transcript->model()), u"Hello, w"_s);
    QCOMPARE(m_transcript->model()->rowCount(), 2); // the same turn, grown in place

    // It ends well: the conversation is fetched once more for its final state.
    m_provider->details[u"c1"_s] = runningDetail(u"Hello, world."_s, false);
    stream->upsertTurn(textTurn(u"a"_s, Turn::Role::Assistant, u"Hello, world."_s));
    stream->finish();
    QTRY_COMPARE(m_transcript->model()->summary().status, u"idle"_s);
    QTRY_COMPARE(m_follow->state(), FollowController::State::Idle);
    QCOMPARE(lastText(m_transcript->model()), u"Hello, world."_s);
    QVERIFY(!m_replies->isRunning());
}

void TestFollowController::attachedStreamTakesOverTheFetchedDraft()
{
    // PostHog: the fetch shows the reply so far without its id; the stream names it its own
    // way. One reply, one row.
    m_provider->plan = FollowPlan::attach();
    open(u"c1"_s);
    ReplyStream *stream = m_provider->lastStream();
    QVERIFY(stream);
    stream->upsertTurn(textTurn(u"q"_s, Turn::Role::User, u"Question"_s)); // echoed as is
    stream->upsertTurn(
        textTurn(u"draft-1"_s, Turn::Role::Assistant, u"Hello, wo"_s, Turn::State::InProgress));
    QTRY_COMPARE(lastText(m_transcript->model()), u"Hello, wo"_s);
    QCOMPARE(m_transcript->model()->rowCount(), 2);
    QCOMPARE(m_transcript->model()->rowOfId(u"a"_s), -1);
    // A second assistant turn of the same reply is a turn of its own.
    stream->upsertTurn(textTurn(u"tool-1"_s, Turn::Role::Assistant, u"(looked it up)"_s));
    QTRY_COMPARE(m_transcript->model()->rowCount(), 3);
}

void TestFollowController::nothingToFollowSaysWhy()
{
    m_provider->plan = FollowPlan::none(u"Nothing runs on this platform."_s);
    QSignalSpy changed(m_follow.get(), &FollowController::stateChanged);
    open(u"c1"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Idle);
    QCOMPARE(m_follow->note(), u"Nothing runs on this platform."_s);
    QVERIFY(changed.size() >= 1);
    QVERIFY(m_provider->attachCalls.isEmpty());
    QSignalSpy requested(m_provider.get(), &test::ScriptedProvider::requested);
    QVERIFY(!requested.wait(int(kLongest.count()) * 2));
}

void TestFollowController::cancelStopsAConversationStartedElsewhere()
{
    open(u"c1"_s);
    QVERIFY(!m_replies->isRunning()); // not this window's reply
    QCOMPARE(m_follow->whyNotCancel(), QString());
    m_provider->holdReplies = true;
    m_follow->cancel();
    QCOMPARE(m_follow->state(), FollowController::State::Canceling);
    QCOMPARE(m_follow->whyNotCancel(), u"Canceling…"_s);
    QCOMPARE(m_provider->cancelCalls.size(), 1);
    QCOMPARE(m_provider->cancelCalls[0].conversationId, u"c1"_s);
    QCOMPARE(m_provider->cancelCalls[0].runId, u"turn-a"_s); // the run the fetch named

    // The platform stops it: the conversation is fetched again and shows how it ended.
    ConversationDetail stopped = runningDetail(u"Hel"_s, false);
    stopped.turns.last().state = Turn::State::Stopped;
    m_provider->details[u"c1"_s] = stopped;
    m_provider->holdReplies = false;
    m_provider->releaseAll();
    QTRY_COMPARE(m_follow->state(), FollowController::State::Idle);
    QCOMPARE(m_transcript->model()->turnAt(1)->state, Turn::State::Stopped);
    QCOMPARE(m_follow->whyNotCancel(), u"This conversation is not running."_s);
}

void TestFollowController::refusedCancelIsReported()
{
    open(u"c1"_s);
    QSignalSpy failed(m_follow.get(), &FollowController::cancelFailed);
    m_provider->failNext(ApiError::make(ApiError::Kind::Conflict, u"already ended"_s, 409));
    m_follow->cancel();
    QVERIFY(failed.wait());
    QCOMPARE(failed.at(0).at(0).value<ApiError>().kind, ApiError::Kind::Conflict);
    QCOMPARE(m_follow->state(), FollowController::State::Polling); // it goes on
}

void TestFollowController::cancelWithoutTheCapabilitySaysWhy()
{
    m_provider->actions = Capabilities::List | Capabilities::Transcript | Capabilities::Details;
    open(u"c1"_s);
    QCOMPARE(m_follow->whyNotCancel(),
             u"This platform does not let Parley stop a running conversation."_s);
    m_follow->cancel();
    QVERIFY(m_provider->cancelCalls.isEmpty());
    m_transcript->close();
    QCOMPARE(m_follow->whyNotCancel(), u"Open a conversation first."_s);
}

void TestFollowController::resumePointIsKeptWhileAReplyRunsAndTakenUpOnOpen()
{
    open(u"c2"_s);
    QVERIFY(m_replies->send(u"Hi"_s));
    ReplyStream *stream = m_provider->lastStream();
    QVERIFY(stream);
    stream->setResumePoint(u"run-7@3"_s);
    QCOMPARE(m_points.value(u"c2"_s), u"run-7@3"_s);

    // The window moves on mid-reply (or Parley quits): the point stays; opening the
    // conversation again takes the reply up from there, whatever the platform's plan says.
    open(u"c1"_s);
    QCOMPARE(m_points.value(u"c2"_s), u"run-7@3"_s);
    m_provider->plan = FollowPlan::none(u"No status on this platform."_s);
    open(u"c2"_s);
    QCOMPARE(m_provider->attachCalls.size(), 1);
    QCOMPARE(m_provider->attachCalls[0].conversationId, u"c2"_s);
    QCOMPARE(m_provider->attachCalls[0].resumePoint, u"run-7@3"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Attached);

    // It ends: nothing is left to take up.
    m_provider->lastStream()->finish();
    QTRY_VERIFY(!m_points.contains(u"c2"_s));
    QTRY_COMPARE(m_follow->state(), FollowController::State::Idle);
}

void TestFollowController::turnedOffFollowsNothing()
{
    m_follow->setEnabled(false);
    open(u"c1"_s);
    QCOMPARE(m_follow->state(), FollowController::State::Idle);
    QSignalSpy requested(m_provider.get(), &test::ScriptedProvider::requested);
    QVERIFY(!requested.wait(int(kLongest.count()) * 2));

    // On again: the open conversation is followed at once.
    m_follow->setEnabled(true);
    QCOMPARE(m_follow->state(), FollowController::State::Polling);
    m_provider->details[u"c1"_s] = runningDetail(u"Hello"_s);
    QTRY_COMPARE(lastText(m_transcript->model()), u"Hello"_s);
}

QTEST_GUILESS_MAIN(TestFollowController)
#include "tst_followcontroller.moc"
