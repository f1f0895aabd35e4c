// The queue editor against the PostHog sandbox over real HTTP while a reply is running:
// add, the limit explained, edit, delete with the Delete key, clear after confirming; and
// FollowUpQueueModel's minimal updates under QAbstractItemModelTester.
#include "FollowUpQueueEditor.h"
#include "controllers/FollowUpQueueController.h"
#include "models/FollowUpQueueModel.h"
#include "net/HttpClient.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "session/WorkspaceSession.h"
#include "support/PlatformSandbox.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

class TstFollowUpQueueEditor : public QObject
{
    Q_OBJECT

private:
    // A new conversation whose first reply is still being written (for many seconds).
    QString runningConversation()
    {
        NewConversation request;
        request.text = u"Break the numbers down by country"_s;
        ReplyStream *stream = m_session->provider()->startConversation(request, this);
        QString id;
        const QMetaObject::Connection c =
            connect(stream, &ReplyStream::conversationChanged, this,
                    [&id](const Conversation &made) { id = made.id; });
        QSignalSpy progress(stream, &ReplyStream::turnChanged);
        const bool going = progress.wait(10000);
        disconnect(c);
        return going ? id : QString();
    }

private slots:
    void initTestCase()
    {
        SandboxOptions options;
        options.key = "parley-demo-key";
        options.conversations = 5;
        options.streamIntervalMs = 400; // a reply runs for many seconds
        QString error;
        QVERIFY2(m_platform.start(options, &error), qPrintable(error));
        // The demo workspace's session, opened with the sandbox's key as the window's would be.
        m_session = m_platform.session(u"posthog"_s);
        QVERIFY2(m_session->isOpen(), qPrintable(m_session->problem()));
    }
    void cleanupTestCase()
    {
        m_session.reset();
        m_platform.stop();
    }

    void modelAppliesOnlyWhatChanged()
    {
        FollowUpQueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const FollowUpItem a{u"a"_s, u"A"_s, {}};
        const FollowUpItem b{u"b"_s, u"B"_s, {}};
        const FollowUpItem c{u"c"_s, u"C"_s, {}};
        model.setQueue({{a, b}, 2});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.isFull());
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setQueue({{b, c}, 2}); // the agent took A; C was queued
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(model.itemAt(0)->id, u"b"_s);
        QCOMPARE(model.itemAt(1)->id, u"c"_s);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setQueue({{b, FollowUpItem{u"c"_s, u"C2"_s, {}}}, 2});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(1)).toString(), u"C2"_s);
        model.setQueue({{c, b}, 2}); // reordered
        QCOMPARE(model.itemAt(0)->id, u"c"_s);
    }

    // A change asked for while a refresh's answer is on its way waits for it: sent
    // alongside, it could be answered first, and the refresh's older queue would then
    // undo it on screen. Here the refresh is held back 500 ms and the add is not.
    void oneRequestAtATime()
    {
        const QString id = runningConversation();
        QVERIFY(!id.isEmpty());
        int queueAnswers = 0;
        QMetaObject::Connection counting =
            connect(m_platform.http().networkAccessManager(), &QNetworkAccessManager::finished,
                    this, [&](QNetworkReply *reply) {
                        if (reply->url().path().endsWith(u"/queue/"_s))
                            ++queueAnswers;
                    });
        FollowUpQueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        FollowUpQueueController controller(&model);
        const QString text = u"Asked for between two answers"_s;
        // Right after the first refresh is answered, and before the controller moves on
        // to the refresh waiting behind it, the user adds a follow-up.
        connect(&model, &FollowUpQueueModel::limitChanged, this, [&] {
            QTimer::singleShot(0, this, [&] {
                QVERIFY(m_platform.sandbox().server()->setFaults(
                    u"delay=500,first=1,path=.*/queue/"_s));
                controller.add(text);
            });
        });
        controller.setConversation(m_session->provider(), id);
        controller.refresh();
        QVERIFY(controller.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(queueAnswers == 3 && !controller.isBusy(), 10000);
        disconnect(counting);
        m_platform.sandbox().server()->setFaults(std::optional<FaultSpec>());
        QVERIFY2(!controller.error().isError(), qPrintable(controller.error().message()));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0)).toString(), text);
        controller.clearAll();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy() && model.rowCount() == 0, 10000);
    }

    void editTheQueueOfARunningConversation()
    {
        const QString id = runningConversation();
        QVERIFY(!id.isEmpty());

        FollowUpQueueEditor editor;
        QAbstractItemModelTester tester(editor.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        editor.setConversation(m_session.get(), id);
        editor.show();
        auto *text = editor.findChild<QLineEdit *>(u"queueText"_s);
        auto *submit = editor.findChild<QPushButton *>(u"queueSubmit"_s);
        auto *limit = editor.findChild<QLabel *>(u"queueLimit"_s);
        auto *status = editor.findChild<QLabel *>(u"queueStatus"_s);
        auto *view = editor.findChild<QListView *>(u"queueList"_s);

        text->setText(u"First follow-up"_s);
        QVERIFY(submit->isEnabled());
        QTest::keyClick(text, Qt::Key_Return);
        QVERIFY2(editor.controller()->isBusy(), "the add went out");
        QTRY_COMPARE_WITH_TIMEOUT(editor.model()->rowCount(), 1, 10000);
        QTRY_VERIFY(text->text().isEmpty()); // cleared once the platform had it
        editor.addText(u"Second follow-up"_s);
        QTRY_COMPARE_WITH_TIMEOUT(editor.model()->rowCount(), 2, 10000);
        QCOMPARE(limit->text(), u"2 of 2 queued"_s);
        QVERIFY(!submit->isEnabled() || text->text().isEmpty());

        // A third is refused by the platform; the editor says why and what to do.
        editor.addText(u"Third follow-up"_s);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"at most 2"_s), 10000);
        QCOMPARE(editor.model()->rowCount(), 2);
        QCOMPARE(text->text(), u"Third follow-up"_s); // nothing typed is lost

        // Edit the second one.
        view->setCurrentIndex(editor.model()->index(1));
        QCOMPARE(text->text(), u"Second follow-up"_s);
        text->setText(u"Second, reworded"_s);
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(editor.model()->data(editor.model()->index(1)).toString(),
                                  u"Second, reworded"_s, 10000);

        // Delete the first with the Delete key.
        view->setFocus();
        view->setCurrentIndex(editor.model()->index(0));
        QTest::keyClick(view, Qt::Key_Delete);
        QTRY_COMPARE_WITH_TIMEOUT(editor.model()->rowCount(), 1, 10000);
        QCOMPARE(limit->text(), u"1 of 2 queued"_s);

        // Clear, after confirming.
        QTest::mouseClick(editor.findChild<QPushButton *>(u"queueClear"_s), Qt::LeftButton);
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = editor.findChild<QMessageBox *>(u"confirmClear"_s)));
        QTest::mouseClick(confirm->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(editor.model()->rowCount(), 0, 10000);

        std::optional<ApiError> canceled;
        m_session->provider()->cancelRun(id, {}, this, [&](ApiError e) { canceled = e; });
        QTRY_VERIFY(canceled.has_value());
    }

private:
    test::PlatformSandbox m_platform;
    std::unique_ptr<WorkspaceSession> m_session;
};

QTEST_MAIN(TstFollowUpQueueEditor)
#include "tst_followupqueueeditor.moc"
