// WaitWatch: what the window says while a platform keeps the list or the transcript waiting
// ("Waiting for <platform>…" after a second, with Stop), driven through the real list model
// and transcript controller.
#include "controllers/TranscriptController.h"
#include "controllers/WaitWatch.h"
#include "models/ConversationListModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

class TestWaitWatch : public QObject
{
    Q_OBJECT

private slots:
    void aQuickAnswerIsNeverSaid()
    {
        test::ScriptedProvider provider(test::makeConversations(5));
        ConversationListModel list;
        WaitWatch watch(&list, nullptr, u"PostHog AI"_s);
        QSignalSpy changed(&watch, &WaitWatch::waitingChanged);
        list.setProvider(&provider);
        QVERIFY(list.isLoading());
        QTRY_VERIFY(!list.isLoading());
        QCOMPARE(list.rowCount(), 5);
        // Past the second the watch would have needed: still nothing said.
        QVERIFY(!changed.wait(WaitWatch::kAfterMs + 200));
        QVERIFY(!watch.isWaiting());
        QVERIFY(watch.text().isEmpty());
    }

    void aSlowListIsSaidAndStopped()
    {
        test::ScriptedProvider provider(test::makeConversations(5));
        provider.holdReplies = true;
        ConversationListModel list;
        TranscriptController transcript;
        WaitWatch watch(&list, &transcript, u"PostHog AI"_s);
        QElapsedTimer clock;
        clock.start();
        list.setProvider(&provider);
        QVERIFY(!watch.isWaiting());
        QTRY_VERIFY_WITH_TIMEOUT(watch.isWaiting(), 5000);
        QVERIFY(clock.elapsed() >= WaitWatch::kAfterMs - 50);
        QCOMPARE(watch.text(), u"Waiting for PostHog AI…"_s);

        watch.stop();
        QVERIFY(!watch.isWaiting());
        QVERIFY(!list.isLoading());
        QCOMPARE(list.error().kind, ApiError::Kind::Timeout);
        QCOMPARE(provider.canceledCount, 1);
    }

    void aSlowTranscriptIsSaidAndStopped()
    {
        test::ScriptedProvider provider(test::makeConversations(5));
        provider.details.insert(u"c1"_s, test::makeDetail(u"c1"_s, 3));
        provider.holdReplies = true;
        TranscriptController transcript;
        transcript.setProvider(&provider);
        WaitWatch watch(nullptr, &transcript, u"Fixie"_s);
        transcript.open(u"c1"_s);
        QVERIFY(transcript.isLoading());
        QTRY_VERIFY_WITH_TIMEOUT(watch.isWaiting(), 5000);
        QCOMPARE(watch.text(), u"Waiting for Fixie…"_s);

        watch.stop();
        QVERIFY(!watch.isWaiting());
        QVERIFY(!transcript.isLoading());
        QCOMPARE(transcript.error().kind, ApiError::Kind::Timeout);
        QVERIFY(transcript.error().message().contains(u"stopped"_s));

        // Retry asks again; its answer ends the wait without a word.
        transcript.retry();
        QVERIFY(transcript.isLoading());
        provider.releaseAll();
        QTRY_VERIFY(transcript.isLoaded());
        QVERIFY(!watch.isWaiting());
    }
};

QTEST_GUILESS_MAIN(TestWaitWatch)
#include "tst_waitwatch.moc"
