// ReplyController against a scripted provider whose streams the test drives: turns reach
// the open transcript (merged per apply interval), acceptance, failures before and after
// it, cancel, starting a conversation, and replies that must never reach another
// conversation's transcript. The TranscriptModel is watched by QAbstractItemModelTester.

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
using parley::test::ScriptedProvider;
using parley::test::textTurn;

namespace {

Turn userTurn(const QString &id, const QString &text)
{
    return textTurn(id, Turn::Role::User, text);
}

Turn answer(const QString &id, const QString &text, Turn::State state = Turn::State::InProgress)
{
    return textTurn(id, Turn::Role::Assistant, text, state);
}

QStringList texts(const TranscriptModel &model)
{
    QStringList out;
    for (const Turn &t : model.turns())
        out << t.plainText();
    return out;
}

} // namespace

class TestReplyController : public test::ReplyTestCase
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sendStreamsTurnsIntoTranscript();
    void finalTurnReplacesDraft();
    void updatesAreMergedPerInterval();
    void replyForOneConversationNeverReachesAnother();
    void providerChangeDropsReply();
    void refusedBeforeAcceptanceKeepsTextAndTurnsGo();
    void failureFoundBeforeSending();
    void cutOffAfterAcceptanceRefetches();
    void cancelShowsCancelingUntilStreamEnds();
    void cancelAcceptedButStreamSilentIsClosed();
    void cancelRefusedKeepsStreaming();
    void startOpensNewConversationWithItsReply();
    void startFailingBeforeCreationClearsTranscript();
    void reloadWhileStreamingKeepsStreamedTurns();
    void platformWithoutTranscriptKeepsSessionTurns();
    void sendRefusals();

private:
    // Opens `id` and waits until it is loaded; the model of its transcript.
    TranscriptModel *openConversation(const QString &id);
};

void TestReplyController::init()
{
    setUpReplies(Capabilities::List | Capabilities::Transcript | Capabilities::Details |
                     Capabilities::Send | Capabilities::Create | Capabilities::Cancel,
                 test::makeDetail(u"c1"_s, 4), test::makeDetail(u"c2"_s, 2));
}

void TestReplyController::cleanup()
{
    tearDownReplies();
}

TranscriptModel *TestReplyController::openConversation(const QString &id)
{
    m_transcript->open(id);
    [&] {
        QTRY_VERIFY(m_transcript->isLoaded());
        QCOMPARE(m_transcript->conversationId(), id);
    }();
    return m_transcript->model();
}

void TestReplyController::sendStreamsTurnsIntoTranscript()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QSignalSpy accepted(m_replies.get(), &ReplyController::accepted);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QSignalSpy states(m_replies.get(), &ReplyController::stateChanged);

    QVERIFY(m_replies->send(u"How are you?"_s));
    QCOMPARE(m_provider->sendCalls.size(), 1);
    QCOMPARE(m_provider->sendCalls[0].conversationId, u"c1"_s);
    QCOMPARE(m_provider->sendCalls[0].text, u"How are you?"_s);
    QCOMPARE(m_replies->state(), ReplyController::State::Streaming);
    QCOMPARE(m_replies->statusText(), u"Sending…"_s);
    QCOMPARE(states.size(), 1);
    ReplyStream *stream = m_provider->lastStream();
    QVERIFY(stream);

    // The user's own message does not prove the platform took it.
    stream->upsertTurn(userTurn(u"u1"_s, u"How are you?"_s));
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(accepted.size(), 0);
    QVERIFY(!m_replies->isAccepted());

    // The run starting does.
    stream->setRun(u"run-1"_s);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted[0][0].toString(), u"c1"_s);
    QCOMPARE(accepted[0][1].toString(), u"How are you?"_s);
    QCOMPARE(m_replies->statusText(), u"Thinking…"_s);
    stream->setStatus(u"Searching the docs…"_s);
    QCOMPARE(m_replies->statusText(), u"Searching the docs…"_s);
    stream->setStatus(QString());

    stream->upsertTurn(answer(u"a1"_s, u"Fine"_s));
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(m_replies->statusText(), u"Replying…"_s);
    stream->upsertTurn(answer(u"a1"_s, u"Fine, thanks"_s));
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->turnAt(5)->plainText(), u"Fine, thanks"_s);
    QCOMPARE(model->turnAt(5)->state, Turn::State::InProgress);
    stream->upsertTurn(answer(u"a1"_s, u"Fine, thanks."_s, Turn::State::Done));
    const int fetches = int(m_provider->detailCalls.size());
    stream->finish();

    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][0].toString(), u"c1"_s);
    QCOMPARE(finished[0][1].toString(), u"How are you?"_s);
    QVERIFY(!finished[0][2].value<ApiError>().isError());
    QCOMPARE(finished[0][3].toBool(), true);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    QCOMPARE(m_replies->statusText(), QString());
    QCOMPARE(model->turnAt(5)->state, Turn::State::Done);
    QCOMPARE(model->turnAt(4)->plainText(), u"How are you?"_s);
    // A complete reply is shown as streamed; one fetch asks for the conversation's new state.
    QCOMPARE(int(m_provider->detailCalls.size()), fetches + 1);
    QTRY_VERIFY(m_provider->streams().constLast().isNull()); // the stream is released
}

void TestReplyController::finalTurnReplacesDraft()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QVERIFY(m_replies->send(u"hi"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"local-1"_s, u"hi"_s));
    // The platform's copy of the user's message replaces the local one.
    stream->upsertTurn(userTurn(u"srv-1"_s, u"hi"_s), u"local-1"_s);
    stream->upsertTurn(answer(u"draft-1"_s, u"Hel"_s));
    stream->upsertTurn(answer(u"draft-1"_s, u"Hello"_s));
    stream->upsertTurn(answer(u"msg-9"_s, u"Hello!"_s, Turn::State::Done), u"draft-1"_s);
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->turnAt(4)->id, u"srv-1"_s);
    QCOMPARE(model->turnAt(5)->id, u"msg-9"_s);
    QCOMPARE(model->turnAt(5)->plainText(), u"Hello!"_s);
    QCOMPARE(model->rowOfId(u"draft-1"_s), -1);
    QCOMPARE(model->rowOfId(u"local-1"_s), -1);
    stream->finish();
}

void TestReplyController::updatesAreMergedPerInterval()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    m_replies->setApplyInterval(40ms);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);

    QVERIFY(m_replies->send(u"Tell me a story"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->setRun(u"r"_s);
    // 500 tokens arrive in one go: the first is shown at once, the rest as one change.
    QString text;
    for (int i = 0; i < 500; ++i) {
        text += u"word%1 "_s.arg(i);
        stream->upsertTurn(answer(u"a1"_s, text));
    }
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model->turnAt(4)->plainText(), u"word0 "_s);
    QTRY_COMPARE(model->turnAt(4)->plainText(), text);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model->rowCount(), 5);

    // The end applies what is pending at once.
    stream->upsertTurn(answer(u"a1"_s, text + u"The end."_s));
    stream->upsertTurn(answer(u"a1"_s, text + u"The end."_s, Turn::State::Done));
    stream->finish();
    QCOMPARE(model->turnAt(4)->plainText(), text + u"The end."_s);
    QCOMPARE(model->turnAt(4)->state, Turn::State::Done);
    QCOMPARE(model->rowCount(), 5);
}

void TestReplyController::replyForOneConversationNeverReachesAnother()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    m_replies->setApplyInterval(50ms);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QVERIFY(m_replies->send(u"for c1"_s));
    QPointer<ReplyStream> stream = m_provider->lastStream();
    stream->setRun(u"r"_s);
    stream->upsertTurn(answer(u"a1"_s, u"one"_s));     // applied at once
    stream->upsertTurn(answer(u"a1"_s, u"one two"_s)); // waiting for the interval
    QCOMPARE(model->rowCount(), 5);

    // The user opens c2: the reply is dropped on the spot.
    m_transcript->open(u"c2"_s);
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    QTRY_VERIFY(m_transcript->isLoaded());
    QCOMPARE(model->summary().id, u"c2"_s);
    const QStringList c2 = texts(*model);
    QCOMPARE(c2.size(), 2);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    if (stream)
        stream->upsertTurn(answer(u"a1"_s, u"one two three"_s)); // no one listens
    QVERIFY(!inserted.wait(150)); // nor does the pending update arrive later
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(texts(*model), c2);
    QCOMPARE(finished.size(), 0);
    QTRY_VERIFY(stream.isNull());

    // Back on c1, the platform's state is shown; nothing is sent again.
    openConversation(u"c1"_s);
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(m_provider->sendCalls.size(), 1);
}

void TestReplyController::providerChangeDropsReply()
{
    openConversation(u"c1"_s);
    QVERIFY(m_replies->send(u"x"_s));
    QPointer<ReplyStream> stream = m_provider->lastStream();
    m_transcript->setProvider(nullptr);
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    QTRY_VERIFY(stream.isNull());
    QCOMPARE(m_transcript->model()->rowCount(), 0);
}

void TestReplyController::refusedBeforeAcceptanceKeepsTextAndTurnsGo()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QSignalSpy accepted(m_replies.get(), &ReplyController::accepted);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QVERIFY(m_replies->send(u"busy?"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"local-1"_s, u"busy?"_s));
    QCOMPARE(model->rowCount(), 5);
    const int fetches = int(m_provider->detailCalls.size());
    stream->finish(ApiError::make(ApiError::Kind::Conflict, u"Cannot resume streaming"_s, 409));

    QCOMPARE(accepted.size(), 0);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][1].toString(), u"busy?"_s);
    QCOMPARE(finished[0][2].value<ApiError>().kind, ApiError::Kind::Conflict);
    QCOMPARE(finished[0][3].toBool(), false);
    QCOMPARE(m_replies->error().kind, ApiError::Kind::Conflict);
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    // The local turn goes: the platform's state is fetched again.
    QCOMPARE(int(m_provider->detailCalls.size()), fetches + 1);
    QTRY_COMPARE(model->rowCount(), 4);
    QCOMPARE(model->rowOfId(u"local-1"_s), -1);
}

void TestReplyController::failureFoundBeforeSending()
{
    openConversation(u"c1"_s);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    m_provider->failNextStream(ApiError::make(ApiError::Kind::Network, u"connection refused"_s));
    QVERIFY(m_replies->send(u"hello"_s));
    QVERIFY(finished.wait());
    QCOMPARE(finished[0][2].value<ApiError>().kind, ApiError::Kind::Network);
    QCOMPARE(finished[0][3].toBool(), false);
    QCOMPARE(m_transcript->model()->rowCount(), 4);
    QVERIFY(!m_replies->isRunning());
}

void TestReplyController::cutOffAfterAcceptanceRefetches()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QVERIFY(m_replies->send(u"q"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(answer(u"a1"_s, u"partial"_s));
    m_provider->holdReplies = true;
    stream->finish(ApiError::make(ApiError::Kind::BadResponse, u"the reply was cut off"_s));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][3].toBool(), true);
    // Until the fetch answers, the cut-off turn says it failed.
    QCOMPARE(model->turnAt(4)->state, Turn::State::Error);
    QVERIFY(!model->turnAt(4)->errorDetail.isEmpty());
    QCOMPARE(m_provider->pendingCount(), 1);
    m_provider->releaseAll();
    QTRY_COMPARE(model->rowCount(), 4);
}

void TestReplyController::cancelShowsCancelingUntilStreamEnds()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QVERIFY(m_replies->send(u"long task"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->setRun(u"run-7"_s);
    stream->upsertTurn(answer(u"a1"_s, u"working"_s));

    m_replies->cancel();
    QCOMPARE(m_replies->state(), ReplyController::State::Canceling);
    QCOMPARE(m_replies->statusText(), u"Canceling…"_s);
    QCOMPARE(m_provider->cancelCalls.size(), 1);
    QCOMPARE(m_provider->cancelCalls[0].conversationId, u"c1"_s);
    QCOMPARE(m_provider->cancelCalls[0].runId, u"run-7"_s);
    m_replies->cancel(); // once is enough
    QCOMPARE(m_provider->cancelCalls.size(), 1);

    // The platform accepts; the stream has not ended yet: still canceling.
    QTRY_COMPARE(m_provider->pendingCount(), 0);
    QCOMPARE(m_replies->state(), ReplyController::State::Canceling);

    const int fetches = int(m_provider->detailCalls.size());
    stream->upsertTurn(answer(u"a1"_s, u"working"_s, Turn::State::Stopped));
    stream->finish();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][2].value<ApiError>().kind, ApiError::Kind::Canceled);
    QCOMPARE(finished[0][3].toBool(), true);
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    QCOMPARE(model->turnAt(4)->state, Turn::State::Stopped);
    // The final state comes from the platform.
    QCOMPARE(int(m_provider->detailCalls.size()), fetches + 1);
    QTRY_COMPARE(model->rowCount(), 4);
}

void TestReplyController::cancelAcceptedButStreamSilentIsClosed()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    m_replies->setCancelGrace(20ms);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    QVERIFY(m_replies->send(u"long task"_s));
    QPointer<ReplyStream> stream = m_provider->lastStream();
    stream->upsertTurn(answer(u"a1"_s, u"working"_s));
    m_provider->holdReplies = true;
    m_replies->cancel();
    QCOMPARE(m_provider->pendingCount(), 1);
    m_provider->release(); // cancel accepted
    QCOMPARE(m_replies->state(), ReplyController::State::Canceling);
    QVERIFY(finished.wait());
    QCOMPARE(finished[0][2].value<ApiError>().kind, ApiError::Kind::Canceled);
    // Stopped locally until the fetch (held) says more.
    QCOMPARE(model->turnAt(4)->state, Turn::State::Stopped);
    QTRY_VERIFY(stream.isNull());
    m_provider->releaseAll();
    QTRY_COMPARE(model->rowCount(), 4);
}

void TestReplyController::cancelRefusedKeepsStreaming()
{
    openConversation(u"c1"_s);
    QSignalSpy refused(m_replies.get(), &ReplyController::cancelFailed);
    QVERIFY(m_replies->send(u"x"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->setRun(u"r"_s);
    m_provider->failNext(ApiError::make(ApiError::Kind::Invalid, u"Failed to cancel"_s, 422));
    m_replies->cancel();
    QVERIFY(refused.wait());
    QCOMPARE(refused[0][0].value<ApiError>().kind, ApiError::Kind::Invalid);
    QCOMPARE(m_replies->state(), ReplyController::State::Streaming);
    QCOMPARE(m_replies->statusText(), u"Thinking…"_s);
    stream->finish();
    QCOMPARE(m_replies->state(), ReplyController::State::Idle);
    QVERIFY(!m_replies->error().isError());
}

void TestReplyController::startOpensNewConversationWithItsReply()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QSignalSpy started(m_replies.get(), &ReplyController::conversationStarted);
    QSignalSpy accepted(m_replies.get(), &ReplyController::accepted);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);

    NewConversation request;
    request.title = u"Refund"_s;
    request.text = u"I want a refund"_s;
    request.params.insert(u"app_id"_s, u"a"_s);
    QVERIFY(m_replies->start(request));
    QCOMPARE(m_provider->startCalls.size(), 1);
    QCOMPARE(m_provider->startCalls[0].title, u"Refund"_s);
    QCOMPARE(m_provider->startCalls[0].params.value(u"app_id"_s), u"a"_s);
    QVERIFY(m_transcript->conversationId().isEmpty());
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(m_replies->isStarting());
    QCOMPARE(m_replies->statusText(), u"Starting the conversation…"_s);

    ConversationDetail created;
    created.summary.id = u"new-1"_s;
    created.summary.title = u"Refund"_s;
    created.turns << userTurn(u"srv-u"_s, u"I want a refund"_s);
    m_provider->details.insert(u"new-1"_s, created);

    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"srv-u"_s, u"I want a refund"_s));
    QCOMPARE(model->rowCount(), 1);
    Conversation summary;
    summary.id = u"new-1"_s;
    summary.title = u"Refund"_s;
    stream->setConversation(summary);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started[0][0].value<Conversation>().id, u"new-1"_s);
    QCOMPARE(m_transcript->conversationId(), u"new-1"_s);
    QCOMPARE(m_replies->conversationId(), u"new-1"_s);
    QVERIFY(!m_replies->isStarting());
    QCOMPARE(model->rowCount(), 1); // shown again right away
    QTRY_VERIFY(m_transcript->isLoaded());
    QCOMPARE(model->summary().title, u"Refund"_s);
    QCOMPARE(model->rowCount(), 1);

    stream->upsertTurn(answer(u"a1"_s, u"Sure"_s));
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted[0][0].toString(), u"new-1"_s);
    QCOMPARE(model->rowCount(), 2);
    stream->upsertTurn(answer(u"a1"_s, u"Sure."_s, Turn::State::Done));
    stream->finish();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished[0][0].toString(), u"new-1"_s);
    QCOMPARE(texts(*model), (QStringList{u"I want a refund"_s, u"Sure."_s}));
}

void TestReplyController::startFailingBeforeCreationClearsTranscript()
{
    openConversation(u"c1"_s);
    QSignalSpy started(m_replies.get(), &ReplyController::conversationStarted);
    QSignalSpy finished(m_replies.get(), &ReplyController::finished);
    NewConversation request;
    request.text = u"hello"_s;
    QVERIFY(m_replies->start(request));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"local"_s, u"hello"_s));
    stream->finish(ApiError::make(ApiError::Kind::Invalid, u"app_id: not a UUID"_s, 400));
    QCOMPARE(started.size(), 0);
    QCOMPARE(finished.size(), 1);
    QVERIFY(finished[0][0].toString().isEmpty());
    QCOMPARE(finished[0][1].toString(), u"hello"_s);
    QCOMPARE(finished[0][3].toBool(), false);
    QCOMPARE(m_transcript->model()->rowCount(), 0);
}

void TestReplyController::reloadWhileStreamingKeepsStreamedTurns()
{
    TranscriptModel *model = openConversation(u"c1"_s);
    QVERIFY(m_replies->send(u"q"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"u"_s, u"q"_s));
    stream->upsertTurn(answer(u"a"_s, u"so far"_s));
    QCOMPARE(model->rowCount(), 6);
    // F5 while the reply runs: the platform's copy lacks the reply so far.
    m_transcript->reload();
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QVERIFY(reset.wait());
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->turnAt(5)->plainText(), u"so far"_s);
    QCOMPARE(m_replies->state(), ReplyController::State::Streaming);
    stream->upsertTurn(answer(u"a"_s, u"so far, and more"_s));
    QCOMPARE(model->rowCount(), 6);
    stream->finish();
}

void TestReplyController::platformWithoutTranscriptKeepsSessionTurns()
{
    m_provider->actions = Capabilities::List | Capabilities::Details | Capabilities::Send;
    for (auto it = m_provider->details.begin(); it != m_provider->details.end(); ++it) {
        it->turns.clear();
        it->hasTranscript = false;
        it->transcriptNote = u"No messages can be read."_s;
    }
    TranscriptModel *model = openConversation(u"c1"_s);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(m_replies->send(u"hello"_s));
    ReplyStream *stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"local-u"_s, u"hello"_s));
    stream->setRun(u"r"_s);
    stream->upsertTurn(answer(u"r"_s, u"Hi there"_s, Turn::State::Done));
    stream->finish();
    QCOMPARE(model->rowCount(), 2);

    openConversation(u"c2"_s);
    QCOMPARE(model->rowCount(), 0);
    openConversation(u"c1"_s);
    QCOMPARE(texts(*model), (QStringList{u"hello"_s, u"Hi there"_s}));
    QVERIFY(!model->hasTranscript());

    // A failed message is not kept.
    QVERIFY(m_replies->send(u"again"_s));
    stream = m_provider->lastStream();
    stream->upsertTurn(userTurn(u"local-2"_s, u"again"_s));
    QCOMPARE(model->rowCount(), 3);
    stream->finish(ApiError::make(ApiError::Kind::Auth, u"bad key"_s, 401));
    QCOMPARE(texts(*model), (QStringList{u"hello"_s, u"Hi there"_s}));
    QCOMPARE(model->summary().id, u"c1"_s);
}

void TestReplyController::sendRefusals()
{
    QString why;
    QVERIFY(!m_replies->send(u"x"_s, &why)); // nothing open
    QVERIFY(!why.isEmpty());
    openConversation(u"c1"_s);
    QVERIFY(!m_replies->send(u"   \n"_s, &why));
    QVERIFY(m_replies->send(u"first"_s));
    QVERIFY(!m_replies->send(u"second"_s, &why));
    QVERIFY(why.contains(u"still running"_s));
    QCOMPARE(m_provider->sendCalls.size(), 1);
    m_provider->lastStream()->finish();

    m_provider->maxMessageLength = 5;
    QVERIFY(!m_replies->send(u"too long"_s, &why));
    QVERIFY(why.contains(u"5"_s));
    m_provider->maxMessageLength = 0;
    m_provider->actions = Capabilities::List | Capabilities::Transcript;
    QVERIFY(!m_replies->send(u"x"_s, &why));
    QVERIFY(!m_replies->start(NewConversation{}, &why));
    m_replies->cancel(); // idle: nothing happens
    QCOMPARE(m_provider->cancelCalls.size(), 0);
}

QTEST_GUILESS_MAIN(TestReplyController)
#include "tst_replycontroller.moc"
