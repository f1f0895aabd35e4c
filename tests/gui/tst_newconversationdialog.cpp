// The new-conversation dialog, offscreen: built from a platform's create fields (an
// exclusive pair offered as a choice, patterns, choices, optional fields, the first message
// and its limit) with inline validation; then in the real MainWindow with a scripted
// provider: Ctrl+N only where the platform creates conversations, the dialog staying open
// until the platform created it, the new conversation selected with its reply streaming in,
// and nothing typed lost when the start or its first message fails. Last, end to end over
// the sandbox's Dynamiq emulation.

#include "gui/ScriptedWindowTest.h"

#include "ComposerBar.h"
#include "ConnectorLinkDialog.h"
#include "NewConversationDialog.h"
#include "controllers/ReplyController.h"
#include "models/TranscriptModel.h"
#include "providers/ReplyStream.h"
#include "support/ModelTestData.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

namespace {

const QString kUuidPattern =
    u"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"_s;
const QString kAppUuid = u"3fa85f64-5717-4562-b3fc-2c963f66afa6"_s;
const QString kModelUuid = u"9c0e1f2a-0b1c-4d2e-8f3a-4b5c6d7e8f90"_s;

WorkspaceField uuidField(const QString &key, const QString &label, bool required)
{
    WorkspaceField f;
    f.key = key;
    f.label = label;
    f.required = required;
    f.pattern = kUuidPattern;
    f.placeholder = u"3fa85f64-5717-4562-b3fc-2c963f66afa6"_s;
    f.hint = label + u" of the thing the conversation talks to."_s;
    return f;
}

// Dynamiq-like: exactly one of app_id / model_id, an optional org_id, a title.
Capabilities appOrModel()
{
    Capabilities c;
    c.actions = Capabilities::List | Capabilities::Create | Capabilities::Send;
    WorkspaceField app = uuidField(u"app_id"_s, u"App ID"_s, true);
    app.exclusiveWith = u"model_id"_s;
    WorkspaceField model = uuidField(u"model_id"_s, u"Model ID"_s, true);
    model.exclusiveWith = u"app_id"_s;
    c.createFields = {app, model, uuidField(u"org_id"_s, u"Organization ID"_s, false)};
    c.createHasTitle = true;
    c.maxMessageLength = 40;
    return c;
}

// The dialog on appOrModel() and its widgets, found once it is shown.
struct AppOrModelDialog
{
    NewConversationDialog dialog{appOrModel(), u"Dynamiq"_s};
    QLineEdit *app = nullptr;
    QLineEdit *model = nullptr;
    QLineEdit *org = nullptr;
    QPlainTextEdit *message = nullptr;
    QPushButton *start = nullptr;

    // False when the dialog was not exposed or a widget is missing (a warning names it).
    bool show()
    {
        dialog.show();
        if (!QTest::qWaitForWindowExposed(&dialog))
            return false;
        app = namedChild<QLineEdit>(&dialog, "field_app_id");
        model = namedChild<QLineEdit>(&dialog, "field_model_id");
        org = namedChild<QLineEdit>(&dialog, "field_org_id");
        message = namedChild<QPlainTextEdit>(&dialog, "messageEdit");
        start = namedChild<QPushButton>(&dialog, "startButton");
        return app && model && org && message && start;
    }

    // The button choosing the field `key` of the exclusive pair (null, with a warning, when
    // there is none).
    QRadioButton *choice(const QString &key) const
    {
        return namedChild<QRadioButton>(&dialog, qPrintable(u"choose_"_s + key));
    }
};

} // namespace

class TstNewConversationDialog : public ScriptedWindowTest
{
    Q_OBJECT

private Q_SLOTS:
    void exclusivePairIsAChoice();
    void inlineValidation();
    void firstMessageRequiredAndLimited();
    void choiceFieldsAndPlainFields();
    void noMessageFieldWherePlatformTakesNoMessages();
    void busyLocksFieldsAndErrorKeepsThem();
    void suggestionsFillFieldsByName();

    void ctrlNOnlyWherePlatformCreates();
    void connectorLinkingOnlyWherePlatformLinks();
    void startSelectsConversationAndStreamsReply();
    void startRefusedKeepsTheDialog();
    void firstMessageRefusedWaitsInComposer();
    void endToEndWithSandbox();

private:
    NewConversationDialog *openDialog();
};

void TstNewConversationDialog::exclusivePairIsAChoice()
{
    AppOrModelDialog d;
    QVERIFY(d.show());
    auto &[dialog, app, model, org, message, start] = d;
    auto *chooseApp = d.choice(u"app_id"_s);
    auto *chooseModel = d.choice(u"model_id"_s);
    QVERIFY(chooseApp && chooseModel);
    QVERIFY(!dialog.findChild<QRadioButton *>(u"choose_org_id"_s)); // not part of a pair

    // One of the two is chosen; only its field can be filled.
    QVERIFY(chooseApp->isChecked());
    QVERIFY(!chooseModel->isChecked());
    QVERIFY(app->isEnabled());
    QVERIFY(!model->isEnabled());
    QVERIFY(org->isEnabled());
    QTest::keyClicks(app, kAppUuid);
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"app_id"_s, kAppUuid}}));

    // Choosing the other: the first is kept as typed but no longer sent.
    chooseModel->click();
    QVERIFY(!app->isEnabled());
    QVERIFY(model->isEnabled());
    QCOMPARE(app->text(), kAppUuid);
    QVERIFY(dialog.request().params.isEmpty());
    QVERIFY(dialog.problems().contains(u"model_id"_s));
    QTest::keyClicks(model, kModelUuid);
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"model_id"_s, kModelUuid}}));
    QVERIFY(dialog.problems().isEmpty());

    chooseApp->click();
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"app_id"_s, kAppUuid}}));
}

void TstNewConversationDialog::suggestionsFillFieldsByName()
{
    AppOrModelDialog d;
    auto &[dialog, app, model, org, message, start] = d; // the widgets once shown
    const QString otherApp = u"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"_s;
    dialog.setSuggestions({{u"app_id"_s, kAppUuid, u"Support Copilot"_s},
                           {u"app_id"_s, otherApp, QString()},
                           {u"model_id"_s, kModelUuid, u"General Chat"_s},
                           {u"unknown_field"_s, u"x"_s, u"ignored"_s}});
    QVERIFY(d.show());
    auto *appMenu = dialog.findChild<QMenu *>(u"field_app_id_suggestions"_s);
    auto *modelMenu = dialog.findChild<QMenu *>(u"field_model_id_suggestions"_s);
    QVERIFY(appMenu && modelMenu);
    QVERIFY(!dialog.findChild<QMenu *>(u"field_org_id_suggestions"_s)); // nothing seen
    QVERIFY(org->actions().isEmpty());
    auto *arrow = dialog.findChild<QAction *>(u"field_app_id_choose"_s);
    QVERIFY(arrow && app->actions().contains(arrow));
    QVERIFY(arrow->toolTip().contains(u"App ID"_s));

    // By name, with the id's start; a nameless one by its id.
    QCOMPARE(appMenu->actions().size(), 2);
    QCOMPARE(appMenu->actions().at(0)->text(), u"Support Copilot  (3fa85f64…)"_s);
    QCOMPARE(appMenu->actions().at(1)->text(), otherApp);

    // Alt+Down opens it; choosing fills the field and makes Start possible.
    QVERIFY(dialog.problems().contains(u"app_id"_s));
    app->setFocus();
    QTest::keyClick(app, Qt::Key_Down, Qt::AltModifier);
    QTRY_VERIFY(appMenu->isVisible());
    appMenu->actions().at(0)->trigger();
    QCOMPARE(app->text(), kAppUuid);
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"app_id"_s, kAppUuid}}));
    QVERIFY(!dialog.problems().contains(u"app_id"_s));
    appMenu->hide();

    // The unchosen field of the pair opens nothing until it is chosen.
    QVERIFY(!model->isEnabled());
    QTest::keyClick(model, Qt::Key_F4);
    QVERIFY(!modelMenu->isVisible());
    d.choice(u"model_id"_s)->click();
    model->setFocus();
    QTest::keyClick(model, Qt::Key_F4);
    QTRY_VERIFY(modelMenu->isVisible());
    modelMenu->actions().at(0)->trigger();
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"model_id"_s, kModelUuid}}));
    modelMenu->hide();

    // Typing stays possible: a suggestion is an offer, not a limit.
    model->clear();
    QTest::keyClicks(model, u"not-a-uuid"_s);
    QVERIFY(dialog.problems().contains(u"model_id"_s));
}

void TstNewConversationDialog::inlineValidation()
{
    AppOrModelDialog d;
    QVERIFY(d.show());
    auto &[dialog, app, model, org, message, start] = d;
    auto *appError = dialog.findChild<QLabel *>(u"fieldError_app_id"_s);
    auto *orgError = dialog.findChild<QLabel *>(u"fieldError_org_id"_s);

    // Nothing typed yet: no red, but Start says what is missing.
    QVERIFY(!start->isEnabled());
    QVERIFY(!appError->isVisible());
    QVERIFY(start->toolTip().contains(u"App ID"_s));

    QTest::keyClicks(app, u"not-a-uuid"_s);
    QVERIFY(appError->isVisible());
    QVERIFY2(appError->text().contains(u"not a valid App ID"_s), qPrintable(appError->text()));
    QVERIFY(!start->isEnabled());
    app->clear();
    QTest::keyClicks(app, kAppUuid);
    QVERIFY(!appError->isVisible());
    QVERIFY(start->isEnabled());

    // An optional field may stay empty but not hold nonsense.
    QTest::keyClicks(org, u"acme"_s);
    QVERIFY(orgError->isVisible());
    QVERIFY(!start->isEnabled());
    QTest::keyClick(org, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(org, Qt::Key_Delete);
    QVERIFY(!orgError->isVisible());
    QVERIFY(start->isEnabled());

    // Title and message go into the request, trimmed.
    QTest::keyClicks(dialog.findChild<QLineEdit *>(u"titleEdit"_s), u"  Refund  "_s);
    QTest::keyClicks(message, u"Hello"_s);
    QTest::keyClick(message, Qt::Key_Return);
    QSignalSpy requested(&dialog, &NewConversationDialog::startRequested);
    QTest::mouseClick(start, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const auto request = requested[0][0].value<NewConversation>();
    QCOMPARE(request.title, u"Refund"_s);
    QCOMPARE(request.text, u"Hello"_s);
    QCOMPARE(request.params, (QMap<QString, QString>{{u"app_id"_s, kAppUuid}}));
    QVERIFY(dialog.isVisible()); // the caller closes it once the platform created it
}

void TstNewConversationDialog::firstMessageRequiredAndLimited()
{
    Capabilities caps;
    caps.createNeedsText = true;
    caps.maxMessageLength = 10;
    NewConversationDialog dialog(caps, u"PostHog AI"_s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!dialog.findChild<QLineEdit *>(u"titleEdit"_s)); // the platform keeps no title
    auto *start = dialog.findChild<QPushButton *>(u"startButton"_s);
    auto *message = dialog.findChild<QPlainTextEdit *>(u"messageEdit"_s);
    auto *error = dialog.findChild<QLabel *>(u"messageError"_s);
    QVERIFY(!start->isEnabled());
    QVERIFY(start->toolTip().contains(u"first message"_s));

    QTest::keyClicks(message, u"Hi"_s);
    QVERIFY(start->isEnabled());
    QTest::keyClicks(message, u" there, agent"_s);
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(u"10"_s));
    QVERIFY(!start->isEnabled());
    message->clear();
    QVERIFY(error->isVisible()); // touched and empty: required
    QVERIFY(!start->isEnabled());

    // Start with problems left says them all.
    QSignalSpy requested(&dialog, &NewConversationDialog::startRequested);
    QMetaObject::invokeMethod(start, "click");
    QTest::keyClick(message, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(requested.size(), 0);
    QVERIFY(message->toPlainText().isEmpty()); // no stray new line either

    // Ctrl+Enter in the message starts, as it sends in the composer.
    QTest::keyClicks(message, u"Hello"_s);
    QTest::keyClick(message, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested[0][0].value<NewConversation>().text, u"Hello"_s);
}

// orq.ai-like: conversations are created with a title and take no messages at all.
void TstNewConversationDialog::noMessageFieldWherePlatformTakesNoMessages()
{
    Capabilities caps;
    caps.actions = Capabilities::List | Capabilities::Create;
    caps.createHasTitle = true;
    NewConversationDialog dialog(caps, u"orq.ai"_s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *message = dialog.findChild<QPlainTextEdit *>(u"messageEdit"_s);
    QVERIFY(message && !message->isVisible());
    QVERIFY(!dialog.findChild<QLabel *>(u"messageError"_s)->isVisible());
    auto *title = dialog.findChild<QLineEdit *>(u"titleEdit"_s);
    QVERIFY(title && title->isVisible());
    QTest::keyClicks(title, u"Refund follow-up"_s);
    auto *start = dialog.findChild<QPushButton *>(u"startButton"_s);
    QVERIFY(start->isEnabled());
    QSignalSpy requested(&dialog, &NewConversationDialog::startRequested);
    QMetaObject::invokeMethod(start, "click");
    QCOMPARE(requested.size(), 1);
    const auto request = requested[0][0].value<NewConversation>();
    QCOMPARE(request.title, u"Refund follow-up"_s);
    QVERIFY(request.text.isEmpty());
}

void TstNewConversationDialog::choiceFieldsAndPlainFields()
{
    Capabilities caps;
    WorkspaceField mode;
    mode.key = u"mode"_s;
    mode.label = u"Mode"_s;
    mode.required = false;
    mode.choices = {u"ask"_s, u"research"_s};
    WorkspaceField agent;
    agent.key = u"agent"_s;
    agent.label = u"Agent"_s;
    agent.defaultValue = u"support"_s;
    caps.createFields = {mode, agent};
    NewConversationDialog dialog(caps, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *combo = dialog.findChild<QComboBox *>(u"field_mode"_s);
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3); // (none), ask, research
    QCOMPARE(dialog.request().params, (QMap<QString, QString>{{u"agent"_s, u"support"_s}}));
    combo->setCurrentIndex(2);
    QCOMPARE(dialog.request().params.value(u"mode"_s), u"research"_s);
    auto *agentEdit = dialog.findChild<QLineEdit *>(u"field_agent"_s);
    agentEdit->clear();
    QTest::keyClick(agentEdit, Qt::Key_Space); // an edit that leaves it blank
    QVERIFY(dialog.problems().contains(u"agent"_s));
    QVERIFY(dialog.findChild<QLabel *>(u"fieldError_agent"_s)->isVisible());
}

void TstNewConversationDialog::busyLocksFieldsAndErrorKeepsThem()
{
    AppOrModelDialog d;
    QVERIFY(d.show());
    auto &[dialog, app, model, org, message, start] = d;
    QTest::keyClicks(app, kAppUuid);
    QTest::keyClicks(message, u"first words"_s);
    dialog.setBusy(true);
    QVERIFY(dialog.isBusy());
    QVERIFY(!start->isEnabled());
    QVERIFY(!app->isEnabled());
    QVERIFY(message->isReadOnly());
    QVERIFY(!d.choice(u"model_id"_s)->isEnabled());
    QVERIFY(dialog.findChild<QPushButton *>(u"cancelButton"_s)->isEnabled());
    dialog.setBusy(false);
    dialog.showError(u"Bad Request (app_id: not found)"_s);
    auto *error = dialog.findChild<QLabel *>(u"startError"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), u"Bad Request (app_id: not found)"_s);
    QCOMPARE(app->text(), kAppUuid);
    QCOMPARE(message->toPlainText(), u"first words"_s);
    QVERIFY(start->isEnabled());
    QTest::keyClicks(message, u"!"_s); // typing again clears the old error
    QVERIFY(!error->isVisible());
}

NewConversationDialog *TstNewConversationDialog::openDialog()
{
    MainWindow *window = m_sw->window.get();
    QApplication::setActiveWindow(window);
    if (!QTest::qWaitForWindowActive(window))
        qWarning("window not active");
    QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
    NewConversationDialog *dialog = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        dialog = window->findChild<NewConversationDialog *>();
        return dialog && dialog->isVisible();
    });
    return shown ? dialog : nullptr;
}

void TstNewConversationDialog::ctrlNOnlyWherePlatformCreates()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Send));
    auto *action = m_sw->child<QAction>("newConversationAction");
    QVERIFY(!action->isEnabled());
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::New));
    m_sw->window->newConversation();
    QVERIFY(!m_sw->window->findChild<NewConversationDialog *>());
    m_sw->close();

    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Create, 3,
                       [](ScriptedProvider &p) { p.createNeedsText = true; }));
    action = m_sw->child<QAction>("newConversationAction");
    QVERIFY(action->isEnabled());
    NewConversationDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isModal());
    dialog->reject();
}

void TstNewConversationDialog::connectorLinkingOnlyWherePlatformLinks()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Create));
    auto *action = m_sw->child<QAction>("linkConnectorAction");
    QVERIFY(!action->isEnabled());
    m_sw->window->linkConnector();
    QVERIFY(!m_sw->window->findChild<ConnectorLinkDialog *>());
    m_sw->close();

    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Connectors));
    action = m_sw->child<QAction>("linkConnectorAction");
    QVERIFY(action->isEnabled());
    action->trigger();
    QPointer<ConnectorLinkDialog> dialog = m_sw->window->findChild<ConnectorLinkDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    action->trigger(); // the same dialog, not a second one
    QCOMPARE(m_sw->window->findChildren<ConnectorLinkDialog *>().size(), 1);
    // Another workspace closes it: it works with the provider that goes.
    const Workspace other = m_fx->posthogWorkspace(u"Other"_s);
    QVERIFY(m_fx->store->add(other));
    m_sw->window->reloadWorkspaces();
    m_sw->window->selectWorkspace(other.id);
    QTRY_VERIFY(dialog.isNull());
    m_fx->store->remove(other.id);
}

void TstNewConversationDialog::startSelectsConversationAndStreamsReply()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Details |
                           Capabilities::Create | Capabilities::Send,
                       3, [](ScriptedProvider &p) {
                           p.createHasTitle = true;
                           p.createNeedsText = true;
                       }));
    MainWindow *window = m_sw->window.get();
    ScriptedProvider *provider = m_sw->scripted;
    QPointer<NewConversationDialog> dialog = openDialog();
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"titleEdit"_s), u"Billing question"_s);
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"messageEdit"_s),
                     u"Why was I charged twice?"_s);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"startButton"_s), Qt::LeftButton);
    QCOMPARE(provider->startCalls.size(), 1);
    QCOMPARE(provider->startCalls[0].title, u"Billing question"_s);
    QCOMPARE(provider->startCalls[0].text, u"Why was I charged twice?"_s);
    QVERIFY(dialog->isBusy());
    QVERIFY(dialog->isVisible());

    // The platform creates it: it joins the list (first page) and opens.
    Conversation created;
    created.id = u"conv-new"_s;
    created.title = u"Billing question"_s;
    created.status = u"in_progress"_s;
    provider->conversations.prepend(created);
    ConversationDetail detail;
    detail.summary = created;
    provider->details.insert(created.id, detail);
    ReplyStream *stream = provider->lastStream();
    stream->setConversation(created);
    QTRY_VERIFY(dialog.isNull()); // accepted and gone
    QCOMPARE(window->transcriptController()->conversationId(), u"conv-new"_s);
    auto *table = m_sw->child<QTableView>("conversationTable");
    QTRY_VERIFY_WITH_TIMEOUT(table->currentIndex().data(ConversationListModel::IdRole).toString() ==
                                 u"conv-new"_s,
                             kWaitMs);
    QTRY_VERIFY(window->transcriptController()->isLoaded());
    QCOMPARE(m_sw->child<QLabel>("transcriptTitle")->text(), u"Billing question"_s);

    // Its reply streams into the transcript.
    stream->upsertTurn(textTurn(u"u1"_s, Turn::Role::User, u"Why was I charged twice?"_s));
    stream->upsertTurn(
        textTurn(u"a1"_s, Turn::Role::Assistant, u"Let me check"_s, Turn::State::InProgress));
    auto *turns = m_sw->child<QListView>("transcriptList");
    QTRY_COMPARE(turns->model()->rowCount(), 2);
    QTRY_VERIFY(turns->isVisible());
    stream->upsertTurn(textTurn(u"a1"_s, Turn::Role::Assistant, u"Let me check… refunded."_s));
    stream->finish();
    QTRY_COMPARE(turns->model()->index(1, 0).data().toString(), u"Let me check… refunded."_s);
    QVERIFY(m_sw->child<ComposerBar>("composerBar")->isVisible());
    QCOMPARE(m_sw->child<ComposerBar>("composerBar")->conversationId(), u"conv-new"_s);
}

void TstNewConversationDialog::startRefusedKeepsTheDialog()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Create, 3,
                       [](ScriptedProvider &p) { p.createNeedsText = true; }));
    const QString before = m_sw->window->transcriptController()->conversationId();
    NewConversationDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *message = dialog->findChild<QPlainTextEdit *>(u"messageEdit"_s);
    QTest::keyClicks(message, u"Hello?"_s);
    m_sw->scripted->failNextStream(ApiError::make(ApiError::Kind::Quota, u"out of credits"_s, 402));
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"startButton"_s), Qt::LeftButton);
    auto *error = dialog->findChild<QLabel *>(u"startError"_s);
    QTRY_VERIFY(error->isVisible());
    QVERIFY(error->text().contains(u"out of credits"_s));
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isBusy());
    QCOMPARE(message->toPlainText(), u"Hello?"_s);
    QVERIFY(!m_sw->window->replyController()->isRunning());
    // Canceling the dialog leaves the window as it was before (nothing open any more).
    dialog->reject();
    QVERIFY(m_sw->window->transcriptController()->conversationId().isEmpty() ||
            m_sw->window->transcriptController()->conversationId() == before);
}

void TstNewConversationDialog::firstMessageRefusedWaitsInComposer()
{
    QVERIFY(m_sw->open(Capabilities::List | Capabilities::Transcript | Capabilities::Create |
                       Capabilities::Send));
    ScriptedProvider *provider = m_sw->scripted;
    QPointer<NewConversationDialog> dialog = openDialog();
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"messageEdit"_s), u"Are you there?"_s);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"startButton"_s), Qt::LeftButton);
    Conversation created;
    created.id = u"conv-new"_s;
    provider->details.insert(created.id, ConversationDetail{created, {}, {}, true, {}});
    ReplyStream *stream = provider->lastStream();
    stream->setConversation(created); // created ...
    QTRY_VERIFY(dialog.isNull());
    stream->finish(ApiError::make(ApiError::Kind::Server, u"agent crashed"_s, 500)); // ... not sent
    auto *composer = m_sw->child<ComposerBar>("composerBar");
    QTRY_VERIFY(composer->isVisible());
    QCOMPARE(composer->conversationId(), u"conv-new"_s);
    QCOMPARE(m_sw->child<QPlainTextEdit>("composerEdit")->toPlainText(), u"Are you there?"_s);
    QVERIFY(m_sw->child<QLabel>("composerStatus")->text().startsWith(u"Not sent:"_s));
}

void TstNewConversationDialog::endToEndWithSandbox()
{
    QVERIFY(m_fx->start());
    QVERIFY(m_sw->openDemo(u"dynamiq"_s));
    MainWindow *window = m_sw->window.get();
    NewConversationDialog *dialog = openDialog();
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"titleEdit"_s), u"From the GUI test"_s);
    // An app the sandbox knows, picked by name from those the listed conversations name.
    auto *apps = dialog->findChild<QMenu *>(u"field_app_id_suggestions"_s);
    QVERIFY(apps);
    QVERIFY(!apps->actions().isEmpty());
    QVERIFY(!apps->actions().first()->text().startsWith(u"("_s)); // a name, not just an id
    apps->actions().first()->trigger();
    QVERIFY(!dialog->findChild<QLineEdit *>(u"field_app_id"_s)->text().isEmpty());
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"messageEdit"_s), u"Hello, agent"_s);
    QVERIFY(dialog->findChild<QPushButton *>(u"startButton"_s)->isEnabled());
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"startButton"_s), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<NewConversationDialog *>(), kWaitMs);
    const QString id = window->transcriptController()->conversationId();
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!window->replyController()->isRunning(), kWaitMs);
    QVERIFY2(!window->replyController()->error().isError(),
             qPrintable(window->replyController()->error().message()));
    const TranscriptModel *model = window->transcriptController()->model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->turnAt(0)->plainText(), u"Hello, agent"_s);
    QCOMPARE(model->turnAt(1)->state, Turn::State::Done);
    QCOMPARE(m_sw->child<QLabel>("transcriptTitle")->text(), u"From the GUI test"_s);
    // Newest first: the list shows it on top, selected.
    auto *table = m_sw->child<QTableView>("conversationTable");
    QTRY_VERIFY_WITH_TIMEOUT(
        table->currentIndex().data(ConversationListModel::IdRole).toString() == id, kWaitMs);
}

QTEST_MAIN(TstNewConversationDialog)
#include "moc_ScriptedWindowTest.cpp"
#include "tst_newconversationdialog.moc"
