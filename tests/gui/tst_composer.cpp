// The composer in the real MainWindow, offscreen: with a scripted provider whose reply
// streams the test drives (typing, Ctrl+Enter, turns streaming into the view, the draft
// cleared only once the platform took the message and kept on errors, 409 offering to
// queue, cancel showing Canceling until the platform confirms, drafts per conversation and
// across restarts, the length counter, the transcript following its end only while the
// reader is there), then end to end against the in-process sandbox's Dynamiq emulation.

#include "gui/ScriptedWindowTest.h"

#include "ComposerBar.h"
#include "FollowUpQueueEditor.h"
#include "MainWindow.h"
#include "TranscriptView.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"
#include "models/FollowUpQueueModel.h"
#include "models/TranscriptModel.h"
#include "providers/ReplyStream.h"
#include "store/Outbox.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

class TstComposer : public ScriptedWindowTest
{
    Q_OBJECT

private Q_SLOTS:
    void hiddenWherePlatformTakesNoMessages();
    void ctrlEnterSendsAndTurnsStreamIn();
    void refusedMessageStaysWithTheReason();
    void conflictOffersToQueue();
    void conflictWithoutQueueSaysWhatToDo();
    void cancelShowsCancelingUntilConfirmed();
    void draftsPerConversationAndAcrossRestarts();
    void counterNearTheLimit();
    void appendNoteNeedsTheOutbox();
    void appendNoteGoesThroughTheOutbox();
    void aNoteLeftFromAnEarlierRunIsShown();
    void replyDoesNotFollowToAnotherConversation();
    void transcriptFollowsTheEndOnlyWhenThere();
    void endToEndWithSandbox();
    void endToEndPostHogBusyQueueAndCancel();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return m_sw->child<T>(name);
    }
    QString statusText() const { return child<QLabel>("composerStatus")->text(); }
};

void TstComposer::hiddenWherePlatformTakesNoMessages()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript));
    QVERIFY(!child<ComposerBar>("composerBar")->isVisible());
    QVERIFY(!child<QAction>("newConversationAction")->isEnabled());
}

void TstComposer::ctrlEnterSendsAndTurnsStreamIn()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    QAbstractItemModelTester tester(m_sw->window->transcriptController()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *composer = child<ComposerBar>("composerBar");
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *send = child<QPushButton>("sendButton");
    auto *turns = child<QListView>("transcriptList");
    QVERIFY(composer->isVisible());
    QVERIFY(edit->placeholderText().contains(u"Ctrl+Enter"_s));
    QVERIFY(!send->isEnabled()); // nothing written yet
    QCOMPARE(turns->model()->rowCount(), 3);

    // Enter is a new line; Ctrl+Enter sends.
    edit->setFocus();
    QTest::keyClicks(edit, u"Hello"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::keyClicks(edit, u"there"_s);
    QCOMPARE(edit->toPlainText(), u"Hello\nthere"_s);
    QVERIFY(send->isEnabled());
    QVERIFY(m_sw->scripted->sendCalls.isEmpty());
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m_sw->scripted->sendCalls.size(), 1);
    QCOMPARE(m_sw->scripted->sendCalls[0].text, u"Hello\nthere"_s);
    QCOMPARE(m_sw->scripted->sendCalls[0].conversationId,
             m_sw->window->transcriptController()->conversationId());
    QCOMPARE(edit->toPlainText(), u"Hello\nthere"_s); // not taken yet
    QVERIFY(edit->isReadOnly());
    QVERIFY(!send->isEnabled());
    QCOMPARE(statusText(), u"Sending…"_s);
    QVERIFY(child<QWidget>("composerBusy")->isVisible());

    ReplyStream *stream = m_sw->scripted->lastStream();
    stream->upsertTurn(textTurn(u"u1"_s, Turn::Role::User, u"Hello\nthere"_s));
    QTRY_COMPARE(turns->model()->rowCount(), 4);
    QCOMPARE(edit->toPlainText(), u"Hello\nthere"_s);
    stream->setRun(u"run-1"_s); // the platform took it
    QCOMPARE(edit->toPlainText(), QString());
    QVERIFY(!edit->isReadOnly());
    QCOMPARE(statusText(), u"Thinking…"_s);

    QString answer;
    for (int i = 0; i < 40; ++i) {
        answer += u"token%1 "_s.arg(i);
        stream->upsertTurn(
            textTurn(u"a1"_s, Turn::Role::Assistant, answer, Turn::State::InProgress));
    }
    QTRY_COMPARE(turns->model()->rowCount(), 5);
    QTRY_COMPARE(turns->model()->index(4, 0).data().toString(), answer);
    QCOMPARE(statusText(), u"Replying…"_s);
    // Typing the next message while the reply runs is fine; sending it is not yet.
    QTest::keyClicks(edit, u"next"_s);
    QVERIFY(!send->isEnabled());
    QVERIFY(send->toolTip().contains(u"Wait for the reply"_s));

    stream->upsertTurn(textTurn(u"a1"_s, Turn::Role::Assistant, answer + u"done."_s));
    stream->finish();
    QTRY_COMPARE(turns->model()->index(4, 0).data().toString(), answer + u"done."_s);
    QCOMPARE(statusText(), QString());
    QVERIFY(!child<QWidget>("composerBusy")->isVisible());
    QVERIFY(send->isEnabled());
    QCOMPARE(edit->toPlainText(), u"next"_s);
}

void TstComposer::refusedMessageStaysWithTheReason()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *turns = child<QListView>("transcriptList");
    QTest::keyClicks(edit, u"Please refund order 42"_s);
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    ReplyStream *stream = m_sw->scripted->lastStream();
    QVERIFY(stream);
    stream->upsertTurn(textTurn(u"local"_s, Turn::Role::User, u"Please refund order 42"_s));
    stream->finish(ApiError::make(ApiError::Kind::Network, u"connection refused"_s));
    QCOMPARE(edit->toPlainText(), u"Please refund order 42"_s);
    QVERIFY(!edit->isReadOnly());
    QVERIFY2(statusText().startsWith(u"Not sent:"_s), qPrintable(statusText()));
    QVERIFY(child<QPushButton>("sendButton")->isEnabled());
    QVERIFY(!child<QPushButton>("queueButton")->isVisible());
    QTRY_COMPARE(turns->model()->rowCount(), 3); // the unsent message is not shown as sent
    // The draft is saved too.
    QTRY_COMPARE(m_fx->settings->draft(m_sw->workspace.id,
                                       m_sw->window->transcriptController()->conversationId()),
                 u"Please refund order 42"_s);
}

void TstComposer::conflictOffersToQueue()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send |
                       Capabilities::FollowUps));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    const QString id = m_sw->window->transcriptController()->conversationId();
    QTest::keyClicks(edit, u"And one more thing"_s);
    QTest::keyClick(edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    QCOMPARE(m_sw->scripted->sendCalls.size(), 1);
    m_sw->scripted->lastStream()->finish(
        ApiError::make(ApiError::Kind::Conflict, u"Cannot resume streaming with a new message"_s,
                       409)
            .because(ApiError::Reason::ConversationBusy));
    QCOMPARE(statusText(), u"This conversation is still answering. Queue the message to send it "
                           "when the reply ends?"_s);
    auto *queue = child<QPushButton>("queueButton");
    QVERIFY(queue->isVisible());
    QCOMPARE(edit->toPlainText(), u"And one more thing"_s);

    QTest::mouseClick(queue, Qt::LeftButton);
    QCOMPARE(m_sw->scripted->queueCalls.size(), 1);
    QCOMPARE(m_sw->scripted->queueCalls[0].first, id);
    QCOMPARE(m_sw->scripted->queueCalls[0].second.op, FollowUpChange::Op::Add);
    QCOMPARE(m_sw->scripted->queueCalls[0].second.text, u"And one more thing"_s);
    QVERIFY(!queue->isVisible());
    QTRY_COMPARE(edit->toPlainText(), QString());
    QVERIFY2(statusText().startsWith(u"Queued: it is sent when the reply ends"_s),
             qPrintable(statusText()));
}

void TstComposer::conflictWithoutQueueSaysWhatToDo()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    QTest::keyClicks(edit, u"hi"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    m_sw->scripted->lastStream()->finish(ApiError::make(ApiError::Kind::Conflict, {}, 409)
                                             .because(ApiError::Reason::ConversationBusy));
    QVERIFY(statusText().contains(u"still answering"_s));
    QVERIFY(statusText().contains(u"again"_s));
    QVERIFY(!child<QPushButton>("queueButton")->isVisible());
    QCOMPARE(edit->toPlainText(), u"hi"_s);
}

void TstComposer::cancelShowsCancelingUntilConfirmed()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send |
                       Capabilities::Cancel));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *cancel = child<QPushButton>("cancelReplyButton");
    QVERIFY(!cancel->isVisible());
    QTest::keyClicks(edit, u"Write a long essay"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    ReplyStream *stream = m_sw->scripted->lastStream();
    stream->setRun(u"run-9"_s);
    stream->upsertTurn(
        textTurn(u"a1"_s, Turn::Role::Assistant, u"Once upon"_s, Turn::State::InProgress));
    QVERIFY(cancel->isVisible());
    QVERIFY(cancel->isEnabled());

    m_sw->scripted->holdReplies = true; // the platform takes its time
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(m_sw->scripted->cancelCalls.size(), 1);
    QCOMPARE(m_sw->scripted->cancelCalls[0].runId, u"run-9"_s);
    QCOMPARE(cancel->text(), u"Canceling…"_s);
    QVERIFY(!cancel->isEnabled());
    QCOMPARE(statusText(), u"Canceling…"_s);
    QVERIFY(m_sw->scripted->release()); // accepted; the stream goes on a little
    QCOMPARE(cancel->text(), u"Canceling…"_s);

    m_sw->scripted->holdReplies = false;
    stream->upsertTurn(
        textTurn(u"a1"_s, Turn::Role::Assistant, u"Once upon"_s, Turn::State::Stopped));
    stream->finish();
    QVERIFY(!cancel->isVisible());
    QCOMPARE(statusText(), u"Reply canceled."_s);
    QVERIFY(m_sw->window->replyController()->state() == ReplyController::State::Idle);
    // The final state is fetched again.
    QTRY_VERIFY(m_sw->window->transcriptController()->isLoaded() &&
                !m_sw->window->transcriptController()->isLoading());
}

void TstComposer::draftsPerConversationAndAcrossRestarts()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    const QString first = m_sw->window->transcriptController()->conversationId();
    QTest::keyClicks(edit, u"draft for the first"_s);

    QVERIFY(m_sw->selectRow(1));
    const QString second = m_sw->window->transcriptController()->conversationId();
    QCOMPARE(edit->toPlainText(), QString());
    QCOMPARE(m_fx->settings->draft(m_sw->workspace.id, first),
             u"draft for the first"_s); // saved on switch
    QTest::keyClicks(edit, u"second draft"_s);

    QVERIFY(m_sw->selectRow(0));
    QCOMPARE(edit->toPlainText(), u"draft for the first"_s);
    QVERIFY(m_sw->selectRow(1));
    QCOMPARE(edit->toPlainText(), u"second draft"_s);
    QTest::keyClicks(edit, u", longer"_s);

    // Quitting saves what was typed last; the next start shows it again.
    m_sw->window->close();
    m_sw->window.reset();
    QCOMPARE(m_fx->settings->draft(m_sw->workspace.id, second), u"second draft, longer"_s);
    m_sw->show();
    m_sw->window->selectWorkspace(m_sw->workspace.id);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_sw->scripted && m_sw->window->conversationModel()->loadedCount() == 5, kWaitMs);
    QVERIFY(m_sw->selectRow(1));
    edit = child<QPlainTextEdit>("composerEdit");
    QCOMPARE(edit->toPlainText(), u"second draft, longer"_s);
    QVERIFY(m_sw->selectRow(0));
    QCOMPARE(edit->toPlainText(), u"draft for the first"_s);
}

void TstComposer::counterNearTheLimit()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send, 3,
                       [](ScriptedProvider &p) { p.maxMessageLength = 20; }));
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *counter = child<QLabel>("composerCounter");
    auto *send = child<QPushButton>("sendButton");
    QTest::keyClicks(edit, u"0123456789"_s);
    QVERIFY(!counter->isVisible());
    QTest::keyClicks(edit, u"012345"_s);
    QVERIFY(counter->isVisible());
    QCOMPARE(counter->text(), u"16 / 20"_s);
    QVERIFY(send->isEnabled());
    QTest::keyClicks(edit, u"01234"_s);
    QCOMPARE(counter->text(), u"21 / 20"_s);
    QVERIFY(!send->isEnabled());
    QVERIFY(send->toolTip().contains(u"20"_s));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(m_sw->scripted->sendCalls.isEmpty());
    QTest::keyClick(edit, Qt::Key_Backspace);
    QVERIFY(send->isEnabled());
}

void TstComposer::appendNoteNeedsTheOutbox()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Append));
    auto *append = child<QPushButton>("appendNoteButton");
    QVERIFY(append->isVisible());
    QVERIFY(!child<QPushButton>("sendButton")->isVisible());
    QTest::keyClicks(child<QPlainTextEdit>("composerEdit"), u"a note"_s);
    QVERIFY(!append->isEnabled());
    QVERIFY(append->toolTip().contains(u"outbox"_s));
}

void TstComposer::appendNoteGoesThroughTheOutbox()
{
    // The queue delivers with a provider of its own, as the app's does.
    QTemporaryDir dir;
    Outbox outbox(dir.filePath(u"outbox.sqlite"_s));
    QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
    QPointer<ScriptedProvider> delivering;
    OutboxDelivery queue(&outbox, [this, &delivering](const QUuid &, QObject *context,
                                                      OutboxDelivery::ProviderReady done) {
        QTimer::singleShot(0, context, [this, &delivering, done] {
            auto provider = std::make_unique<ScriptedProvider>(makeConversations(5));
            m_sw->configure(*provider);
            delivering = provider.get();
            done(std::move(provider), {});
        });
    });
    m_sw->outboxDelivery = &queue;
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Append));
    const QString id = m_sw->window->transcriptController()->conversationId();
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *append = child<QPushButton>("appendNoteButton");
    auto *turns = child<QListView>("transcriptList");
    QTest::keyClicks(edit, u"Refund issued, ticket closed."_s);
    QVERIFY(append->isEnabled());
    QTest::mouseClick(append, Qt::LeftButton);

    // Saved in the outbox: the box is free at once; the note is delivered and shown.
    QCOMPARE(edit->toPlainText(), QString());
    QCOMPARE(queue.entries().size(), 1);
    QCOMPARE(queue.entries().constFirst().text, u"Refund issued, ticket closed."_s);
    QTRY_COMPARE_WITH_TIMEOUT(statusText(), u"Note added."_s, kWaitMs);
    QVERIFY(delivering);
    QCOMPARE(delivering->appendCalls.size(), 1);
    QCOMPARE(delivering->appendCalls[0].conversationId, id);
    QCOMPARE(turns->model()->rowCount(), 4);
    QCOMPARE(turns->model()->index(3, 0).data().toString(), u"Refund issued, ticket closed."_s);
    QVERIFY(m_fx->settings->draft(m_sw->workspace.id, id).isEmpty());
    m_sw->close();
}

// A note that could not be delivered before Parley quit is shown again, with Retry Note,
// when its conversation is opened in the next run.
void TstComposer::aNoteLeftFromAnEarlierRunIsShown()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"outbox.sqlite"_s);
    const auto unreachable = [](const QUuid &, QObject *context,
                                OutboxDelivery::ProviderReady done) {
        QTimer::singleShot(0, context, [done] {
            done(nullptr, ApiError::make(ApiError::Kind::Network, u"the platform is down"_s));
        });
    };
    QString id;
    {
        Outbox outbox(path);
        QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
        OutboxDelivery queue(&outbox, unreachable);
        m_sw->outboxDelivery = &queue;
        QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Append));
        id = m_sw->window->transcriptController()->conversationId();
        QTest::keyClicks(child<QPlainTextEdit>("composerEdit"), u"Left for later"_s);
        QTest::mouseClick(child<QPushButton>("appendNoteButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>("retryNoteButton")->isVisible(), kWaitMs);
        m_sw->window.reset(); // quit
        m_sw->outboxDelivery = nullptr;
    }

    // The next run: the same outbox; the platform is still down.
    Outbox outbox(path);
    QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
    OutboxDelivery queue(&outbox, unreachable);
    QCOMPARE(queue.entries().size(), 1);
    m_sw->outboxDelivery = &queue;
    m_sw->show();
    m_sw->window->selectWorkspace(m_sw->workspace.id);
    QTRY_VERIFY_WITH_TIMEOUT(m_sw->window->conversationModel()->loadedCount() == 5, kWaitMs);
    QVERIFY(m_sw->selectRow(0));
    QCOMPARE(m_sw->window->transcriptController()->conversationId(), id);
    QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>("retryNoteButton")->isVisible(), kWaitMs);
    QVERIFY2(!statusText().isEmpty(), "the note's state is shown");
    // Another conversation has no note of its own.
    QVERIFY(m_sw->selectRow(1));
    QTRY_VERIFY(!child<QPushButton>("retryNoteButton")->isVisible());
    m_sw->close();
}

void TstComposer::replyDoesNotFollowToAnotherConversation()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    auto *turns = child<QListView>("transcriptList");
    QTest::keyClicks(child<QPlainTextEdit>("composerEdit"), u"question"_s);
    QTest::keyClick(child<QPlainTextEdit>("composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QPointer<ReplyStream> stream = m_sw->scripted->lastStream();
    stream->setRun(u"r"_s);
    stream->upsertTurn(
        textTurn(u"a1"_s, Turn::Role::Assistant, u"answer for A"_s, Turn::State::InProgress));
    QTRY_COMPARE(turns->model()->rowCount(), 4);

    QVERIFY(m_sw->selectRow(1));
    QCOMPARE(turns->model()->rowCount(), 2);
    QVERIFY(!m_sw->window->replyController()->isRunning());
    if (stream)
        stream->upsertTurn(textTurn(u"a1"_s, Turn::Role::Assistant, u"more for A"_s));
    QSignalSpy inserted(turns->model(), &QAbstractItemModel::rowsInserted);
    QVERIFY(!inserted.wait(100));
    QCOMPARE(turns->model()->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QVERIFY(!turns->model()->index(row, 0).data().toString().contains(u"for A"_s));
    QCOMPARE(child<QLabel>("composerStatus")->text(), QString());
}

void TstComposer::transcriptFollowsTheEndOnlyWhenThere()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send, 120));
    auto *turns = child<QListView>("transcriptList");
    QScrollBar *bar = turns->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), 0); // a conversation opens at its top

    QTest::keyClicks(child<QPlainTextEdit>("composerEdit"), u"go on"_s);
    QTest::keyClick(child<QPlainTextEdit>("composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    ReplyStream *stream = m_sw->scripted->lastStream();
    stream->setRun(u"r"_s);
    QString text;
    auto grow = [&](int lines) {
        for (int i = 0; i < lines; ++i) {
            text += u"A line of the reply that grows, number %1.\n\n"_s.arg(i);
            stream->upsertTurn(
                textTurn(u"a1"_s, Turn::Role::Assistant, text, Turn::State::InProgress));
        }
    };
    // Sending shows the end, and the end stays in view as the reply grows.
    grow(10);
    QTRY_COMPARE(turns->model()->index(120, 0).data().toString(), text);
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    const int before = bar->maximum();
    grow(10);
    QTRY_VERIFY(bar->maximum() > before && bar->value() == bar->maximum());

    // The reader scrolls up: growing no longer moves the view.
    bar->triggerAction(QAbstractSlider::SliderToMinimum);
    QCOMPARE(bar->value(), 0);
    const int max = bar->maximum();
    grow(10);
    QTRY_VERIFY(bar->maximum() > max);
    QCOMPARE(bar->value(), 0);

    // Back at the end, it follows again.
    bar->triggerAction(QAbstractSlider::SliderToMaximum);
    const int again = bar->maximum();
    grow(10);
    QTRY_VERIFY(bar->maximum() > again && bar->value() == bar->maximum());
    stream->finish();
}

void TstComposer::endToEndWithSandbox()
{
    if (m_fx->sandbox.port() == 0)
        QVERIFY(m_fx->start());
    // The Dynamiq emulation: sending streams a run's events (no transcript endpoint, so the
    // turns shown are the ones streamed in this session).
    QVERIFY(m_sw->openDemo(u"dynamiq"_s));
    QVERIFY(m_sw->selectRow(0));
    auto *turns = child<QListView>("transcriptList");
    auto *edit = child<QPlainTextEdit>("composerEdit");
    QVERIFY(child<ComposerBar>("composerBar")->isVisible());
    QAbstractItemModelTester tester(turns->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(turns->model()->rowCount(), 0);

    QTest::keyClicks(edit, u"What can you do?"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    // The user's message, then the answer growing word by word.
    QTRY_VERIFY_WITH_TIMEOUT(turns->model()->rowCount() == 2, kWaitMs);
    QVERIFY(turns->isVisible());
    QCOMPARE(turns->model()->index(0, 0).data().toString(), u"What can you do?"_s);
    QTRY_VERIFY_WITH_TIMEOUT(edit->toPlainText().isEmpty(), kWaitMs);
    QStringList seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QString now = turns->model()->index(1, 0).data().toString();
            if (!now.isEmpty() && (seen.isEmpty() || seen.constLast() != now))
                seen << now;
            return !m_sw->window->replyController()->isRunning();
        }(),
        kWaitMs);
    QVERIFY2(seen.size() >= 2, "the answer was not seen growing");
    const TranscriptModel *model = m_sw->window->transcriptController()->model();
    QCOMPARE(model->turnAt(1)->role, Turn::Role::Assistant);
    QCOMPARE(model->turnAt(1)->state, Turn::State::Done);
    QVERIFY(!model->turnAt(1)->plainText().isEmpty());
    QVERIFY(!m_sw->window->replyController()->error().isError());
    QCOMPARE(statusText(), QString());

    // A second message, canceled mid-way: Canceling…, then the run stops.
    QTest::keyClicks(edit, u"Tell me everything you know"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    auto *cancel = child<QPushButton>("cancelReplyButton");
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible() && model->rowCount() == 4 &&
                                 !model->turnAt(3)->plainText().isEmpty(),
                             kWaitMs);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(cancel->text(), u"Canceling…"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!m_sw->window->replyController()->isRunning(), kWaitMs);
    QCOMPARE(m_sw->window->replyController()->error().kind, ApiError::Kind::Canceled);
    QCOMPARE(statusText(), u"Reply canceled."_s);
    QCOMPARE(model->turnAt(3)->state, Turn::State::Stopped);

    // Both replies are still there after leaving and coming back.
    QVERIFY(m_sw->selectRow(1));
    QVERIFY(m_sw->selectRow(0));
    QCOMPARE(model->rowCount(), 4);
}

void TstComposer::endToEndPostHogBusyQueueAndCancel()
{
    if (m_fx->sandbox.port() == 0)
        QVERIFY(m_fx->start());
    m_sw->workspace = m_fx->posthogWorkspace(u"PostHog"_s);
    QVERIFY(m_fx->store->add(m_sw->workspace));
    QVERIFY(m_fx->storeKey(m_sw->workspace, m_fx->goodKey()));
    m_sw->show();
    MainWindow *window = m_sw->window.get();
    window->selectWorkspace(m_sw->workspace.id);
    QTRY_VERIFY_WITH_TIMEOUT(window->conversationModel()->loadedCount() > 0 &&
                                 !window->conversationModel()->isLoading(),
                             kWaitMs);
    const int busyRow = rowWithStatus(*window, false);
    const int idleRow = rowWithStatus(*window, true);
    QVERIFY(busyRow >= 0 && idleRow >= 0);
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *turns = child<QListView>("transcriptList");
    const TranscriptModel *model = window->transcriptController()->model();

    // A conversation still answering refuses a message (409): queue it instead.
    QVERIFY(m_sw->selectRow(busyRow));
    QTest::keyClicks(edit, u"Also break it down by country"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    auto *queue = child<QPushButton>("queueButton");
    QTRY_VERIFY_WITH_TIMEOUT(queue->isVisible(), kWaitMs);
    QVERIFY(statusText().contains(u"still answering"_s));
    QCOMPARE(edit->toPlainText(), u"Also break it down by country"_s);
    QTest::mouseClick(queue, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(statusText().startsWith(u"Queued: it is sent when the reply ends"_s),
                             kWaitMs);
    QVERIFY2(statusText().contains(u"Ctrl+Shift+U"_s), qPrintable(statusText()));
    QCOMPARE(edit->toPlainText(), QString());

    // Conversation → Follow-up Queue… shows it, in the busy conversation's queue.
    auto *queueAction = window->findChild<QAction *>(u"queueAction"_s);
    QVERIFY(queueAction && queueAction->isEnabled());
    queueAction->trigger();
    QPointer<FollowUpQueueEditor> editor = window->queueEditor();
    QVERIFY(editor && editor->isVisible());
    QAbstractItemModelTester queueTester(editor->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->model()
                                  ->match(editor->model()->index(0, 0),
                                          FollowUpQueueModel::ContentRole,
                                          u"Also break it down by country"_s, 1, Qt::MatchExactly)
                                  .isEmpty(),
                             kWaitMs);
    editor->close();
    QTRY_VERIFY(!editor); // deleted on close

    // An idle one answers: the reply streams in and completes.
    QVERIFY(m_sw->selectRow(idleRow));
    const int before = model->rowCount();
    QTest::keyClicks(edit, u"How many users signed up last week?"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= before + 2, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window->replyController()->isRunning(), kWaitMs);
    QVERIFY2(!window->replyController()->error().isError(),
             qPrintable(window->replyController()->error().message()));
    QCOMPARE(edit->toPlainText(), QString());
    QCOMPARE(model->turnAt(before)->plainText(), u"How many users signed up last week?"_s);
    QCOMPARE(model->turns().constLast().role, Turn::Role::Assistant);
    QCOMPARE(model->turns().constLast().state, Turn::State::Done);
    QVERIFY(turns->isVisible());
    // Then the conversation's new state, without replacing the turns just streamed in: the
    // header and the list row count them (the list's row came before the reply).
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    const QString idleId = window->transcriptController()->conversationId();
    QTRY_COMPARE_WITH_TIMEOUT(model->summary().turnCount, model->rowCount(), kWaitMs);
    QCOMPARE(resets.size(), 0);
    const int listRow = window->conversationModel()->rowOfId(idleId);
    QVERIFY(listRow >= 0);
    QCOMPARE(window->conversationModel()->conversationAt(listRow)->turnCount, model->rowCount());

    // Again, canceled while it answers: Canceling…, then the platform's final state.
    QTest::keyClicks(edit, u"Now write a long report"_s);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    auto *cancel = child<QPushButton>("cancelReplyButton");
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible(), kWaitMs);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(cancel->text(), u"Canceling…"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!window->replyController()->isRunning(), kWaitMs);
    QCOMPARE(window->replyController()->error().kind, ApiError::Kind::Canceled);
    QCOMPARE(statusText(), u"Reply canceled."_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->transcriptController()->isLoaded() &&
                                 !window->transcriptController()->isLoading(),
                             kWaitMs);
    QVERIFY(!cancel->isVisible());
}

QTEST_MAIN(TstComposer)
#include "moc_ScriptedWindowTest.cpp"
#include "tst_composer.moc"
