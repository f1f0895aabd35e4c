// PostHog's fields and approvals in the window, offscreen, against the sandbox over real HTTP:
// - the New Conversation dialog built from PostHog's own capabilities: the agent mode an
//   editable choice that takes a name it does not list, the JSON fields checked as typed
//   (the field says what is wrong and Start stays disabled until it is JSON);
// - the ApprovalDialog shows the preview and, for a rejection only, takes a note;
// - the ApprovalController and ApprovalBar on a real session: the seeded approval shows with
//   its tool, preview and status once the conversation opens, Reject… goes through the
//   confirmation and the controller, and the status the platform then records replaces the
//   buttons; an answered approval cannot be answered again.
#include "ApprovalBar.h"
#include "ApprovalDialog.h"
#include "NewConversationDialog.h"
#include "controllers/ApprovalController.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "session/WorkspaceSession.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

class TstApprovals : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(12, 5, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_fx.stop(); }

    void newConversationChecksJsonAsTyped()
    {
        const auto dialog = showNewPosthogConversation();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        auto *ui = dialog->findChild<QLineEdit *>(u"field_ui_context"_s);
        auto *tools = dialog->findChild<QLineEdit *>(u"field_contextual_tools"_s);
        auto *error = dialog->findChild<QLabel *>(u"fieldError_ui_context"_s);
        auto *toolsError = dialog->findChild<QLabel *>(u"fieldError_contextual_tools"_s);
        auto *message = dialog->findChild<QPlainTextEdit *>(u"messageEdit"_s);
        auto *start = dialog->findChild<QPushButton *>(u"startButton"_s);
        QVERIFY(ui && tools && error && toolsError && message && start);

        message->setPlainText(u"How many signups?"_s);
        QVERIFY(start->isEnabled());

        QTest::keyClicks(ui, u"{\"dashboards\": ["_s);
        QVERIFY(!start->isEnabled());
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(u"JSON"_s), qPrintable(error->text()));
        QVERIFY(dialog->problems().contains(u"ui_context"_s));
        QTest::keyClicks(ui, u"]}"_s);
        QVERIFY(!dialog->problems().contains(u"ui_context"_s));
        QVERIFY(start->isEnabled());

        // contextual_tools takes an object only.
        QTest::keyClicks(tools, u"[1, 2]"_s);
        QVERIFY(!start->isEnabled());
        QVERIFY2(toolsError->text().contains(u"object"_s), qPrintable(toolsError->text()));
        tools->clear();
        QTest::keyClicks(tools, u"{}"_s);
        QVERIFY(start->isEnabled());

        const NewConversation request = dialog->request();
        QCOMPARE(request.params.value(u"ui_context"_s), u"{\"dashboards\": []}"_s);
        QCOMPARE(request.params.value(u"contextual_tools"_s), u"{}"_s);
    }

    void agentModeIsAnEditableChoice()
    {
        const auto dialog = showNewPosthogConversation();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        auto *mode = dialog->findChild<QComboBox *>(u"field_agent_mode"_s);
        QVERIFY(mode);
        QVERIFY(mode->isEditable());
        QVERIFY(mode->findText(u"sql"_s) >= 0);
        QVERIFY(!dialog->request().params.contains(u"agent_mode"_s)); // none chosen at first

        mode->setCurrentIndex(mode->findText(u"sql"_s));
        QCOMPARE(dialog->request().params.value(u"agent_mode"_s), u"sql"_s);
        // A mode newer than the list is taken as typed.
        mode->lineEdit()->clear();
        QTest::keyClicks(mode->lineEdit(), u"survey_builder"_s);
        QCOMPARE(dialog->request().params.value(u"agent_mode"_s), u"survey_builder"_s);
        QVERIFY(!dialog->problems().contains(u"agent_mode"_s));
        // Not a name at all.
        mode->lineEdit()->clear();
        QTest::keyClicks(mode->lineEdit(), u"two words"_s);
        QVERIFY(dialog->problems().contains(u"agent_mode"_s));
    }

    void approvalDialogShowsThePreviewAndTakesARejectionsNote()
    {
        Approval a;
        a.id = u"p1"_s;
        a.tool = u"create_feature_flag"_s;
        a.preview = u"Create the flag “beta”."_s;
        a.payloadJson = u"{\"key\":\"beta\"}"_s;
        ApprovalDialog reject(a, false);
        auto *preview = reject.findChild<QLabel *>(u"approvalPreview"_s);
        auto *note = reject.findChild<QPlainTextEdit *>(u"rejectNote"_s);
        auto *confirm = reject.findChild<QPushButton *>(u"confirmDecision"_s);
        QVERIFY(preview && note && confirm);
        QCOMPARE(preview->text(), a.preview);
        QVERIFY(confirm->text().contains(u"Reject"_s));
        QTest::keyClicks(note, u"  Not now  "_s);
        QCOMPARE(reject.note(), u"Not now"_s);

        ApprovalDialog approve(a, true);
        QVERIFY(!approve.findChild<QPlainTextEdit *>(u"rejectNote"_s));
        QCOMPARE(approve.note(), QString());
        QVERIFY(
            approve.findChild<QPushButton *>(u"confirmDecision"_s)->text().contains(u"Approve"_s));
    }

    void theBarShowsAndAnswersTheApproval()
    {
        const auto session = m_fx.session(u"posthog"_s);
        QVERIFY(session->isOpen());
        QString id;
        Approval pending;
        QVERIFY(findPendingApproval(*session->provider(), this, &id, &pending));
        const QString proposal = pending.id;

        ApprovalController *controller = session->approvals();
        QWidget host; // as above the transcript: shown with its parent, unless it hides
        ApprovalBar &bar = *new ApprovalBar(&host);
        bar.setController(controller);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        QVERIFY(!bar.isVisible()); // nothing open, nothing to decide
        Approval confirmed;
        bool confirmedApprove = true;
        bar.setConfirm([&](const Approval &a, bool approve, QString *note) {
            confirmed = a;
            confirmedApprove = approve;
            *note = u"Not this week"_s;
            return true;
        });

        QSignalSpy changed(controller, &ApprovalController::approvalsChanged);
        session->transcript()->open(id);
        QTRY_COMPARE_WITH_TIMEOUT(controller->pending().size(), 1, 10000);
        QVERIFY(changed.count() >= 1);
        QVERIFY(bar.isVisible());
        auto *text = bar.findChild<QLabel *>(u"approvalText_"_s + proposal);
        QVERIFY(text);
        QVERIFY2(text->text().contains(u"create_feature_flag"_s), qPrintable(text->text()));
        QVERIFY2(text->text().contains(controller->pending().at(0).preview),
                 qPrintable(text->text()));
        QVERIFY2(text->text().contains(u"waiting for your decision"_s), qPrintable(text->text()));
        auto *reject = bar.findChild<QPushButton *>(u"reject_"_s + proposal);
        QVERIFY(reject);
        QTRY_VERIFY(reject->isEnabled());

        QSignalSpy answered(controller, &ApprovalController::answered);
        reject->click();
        QCOMPARE(confirmed.id, proposal);
        QVERIFY(!confirmedApprove);
        QVERIFY(controller->isAnswering() || answered.count() == 1);
        QVERIFY(answered.count() == 1 || answered.wait(10000));
        QCOMPARE(answered.at(0).at(0).toString(), proposal);
        QCOMPARE(answered.at(0).at(1).toBool(), false);
        QVERIFY(!answered.at(0).at(2).value<ApiError>().isError());

        // The reply's end fetches the conversation again: the status the platform recorded.
        QTRY_COMPARE_WITH_TIMEOUT(controller->approvals().value(0).status,
                                  Approval::Status::Rejected, 10000);
        QTRY_VERIFY(!bar.findChild<QPushButton *>(u"reject_"_s + proposal));
        auto *after = bar.findChild<QLabel *>(u"approvalText_"_s + proposal);
        QVERIFY(after);
        QVERIFY2(after->text().contains(u"rejected"_s), qPrintable(after->text()));
        // The agent's reply says it was told the note.
        QTRY_VERIFY(!session->replies()->isRunning());

        QString whyNot;
        QVERIFY(!controller->answer({proposal, true, {}}, &whyNot));
        QVERIFY2(whyNot.contains(u"already answered"_s), qPrintable(whyNot));
        QVERIFY(!controller->whyNotAnswer(u"nope"_s).isEmpty());
    }

private:
    // The New Conversation dialog built from PostHog's capabilities, shown.
    std::unique_ptr<NewConversationDialog> showNewPosthogConversation()
    {
        auto dialog = std::make_unique<NewConversationDialog>(
            m_fx.provider(u"posthog"_s)->capabilities(), u"PostHog AI"_s);
        dialog->show();
        return dialog;
    }

    PlatformSandbox m_fx;
};

QTEST_MAIN(TstApprovals)
#include "tst_approvals.moc"
