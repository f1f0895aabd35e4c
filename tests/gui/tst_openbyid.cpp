// Conversation › Open by ID… (Ctrl+L) in the real window offscreen, against the in-process
// sandbox's PostHog over real HTTP: an address of PostHog's own chat page opens a
// conversation of another member of the project, which the list (the key owner's only)
// cannot show; an id the list shows selects its row; text that names no conversation is
// refused in the dialog, which stays open.

#include "gui/GuiFixture.h"

#include "MainWindow.h"
#include "OpenByIdDialog.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TstOpenById : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void addressOpensAConversationTheListCannotShow();
    void idOfAListedConversationSelectsItsRow();
    void textWithoutAConversationIsRefused();

private:
    // Ctrl+L, typing `text` and Open; the dialog (still open when it refused the text).
    OpenByIdDialog *openWith(const QString &text);

    std::unique_ptr<GuiFixture> m_fx;
    std::unique_ptr<MainWindow> m_window;
};

void TstOpenById::initTestCase()
{
    m_fx = std::make_unique<GuiFixture>();
    QVERIFY(m_fx->start());
}

void TstOpenById::init()
{
    Workspace ws = m_fx->posthogWorkspace(u"Open by id"_s);
    QString error;
    QVERIFY2(m_fx->store->add(ws, &error), qPrintable(error));
    QVERIFY(m_fx->storeKey(ws, m_fx->goodKey()));
    m_window = std::make_unique<MainWindow>(m_fx->services());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->selectWorkspace(ws.id);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->conversationModel() && m_window->conversationModel()->loadedCount() > 0, kWaitMs);
}

void TstOpenById::cleanup()
{
    m_window.reset();
    for (const Workspace &ws : m_fx->store->workspaces())
        m_fx->store->remove(ws.id);
}

OpenByIdDialog *TstOpenById::openWith(const QString &text)
{
    auto *action = m_window->findChild<QAction *>(u"openByIdAction"_s);
    if (!action || !action->isEnabled() ||
        action->shortcut() != QKeySequence(Qt::CTRL | Qt::Key_L)) {
        QTest::qFail("no enabled Open by ID action on Ctrl+L", __FILE__, __LINE__);
        return nullptr;
    }
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    auto *dialog = m_window->findChild<OpenByIdDialog *>();
    if (!dialog || !QTest::qWaitForWindowExposed(dialog)) {
        QTest::qFail("Ctrl+L shows no dialog", __FILE__, __LINE__);
        return nullptr;
    }
    auto *edit = dialog->findChild<QLineEdit *>(u"openByIdEdit"_s);
    auto *open = dialog->findChild<QPushButton *>(u"openByIdButton"_s);
    QTest::keyClicks(edit, text);
    QTest::mouseClick(open, Qt::LeftButton);
    return dialog;
}

void TstOpenById::addressOpensAConversationTheListCannotShow()
{
    const QString other =
        sandbox::PosthogSandboxData::otherMembers(m_fx->sandbox.options().seed).idAt(0);
    ConversationListModel *list = m_window->conversationModel();
    while (!list->isAtEnd()) { // the whole list: it cannot show this one
        list->fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!list->isLoading(), kWaitMs);
    }
    QCOMPARE(list->rowOfId(other), -1);

    auto *table = m_window->findChild<QTableView *>(u"conversationTable"_s);
    table->setCurrentIndex(table->model()->index(0, 0)); // another one open before
    QTRY_VERIFY_WITH_TIMEOUT(m_window->transcriptController()->isLoaded(), kWaitMs);

    QVERIFY(openWith(u"https://us.posthog.com/project/1/max?chat="_s + other));
    TranscriptController *transcript = m_window->transcriptController();
    QCOMPARE(transcript->conversationId(), other);
    QTRY_VERIFY_WITH_TIMEOUT(transcript->isLoaded(), kWaitMs);
    QVERIFY2(!transcript->error().isError(), qPrintable(transcript->error().message()));
    QCOMPARE(m_window->findChild<QLineEdit *>(u"transcriptId"_s)->text(), other);
    QVERIFY(m_window->transcriptController()->model()->rowCount() > 0);
    // No row stands for it: the list's selection is cleared.
    QVERIFY(!table->currentIndex().isValid());
    QTRY_VERIFY(!m_window->findChild<OpenByIdDialog *>());
}

void TstOpenById::idOfAListedConversationSelectsItsRow()
{
    auto *table = m_window->findChild<QTableView *>(u"conversationTable"_s);
    const QString id = table->model()->index(2, 0).data(ConversationListModel::IdRole).toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(openWith(id));
    QCOMPARE(table->currentIndex().row(), 2);
    QCOMPARE(m_window->transcriptController()->conversationId(), id);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->transcriptController()->isLoaded(), kWaitMs);
}

void TstOpenById::textWithoutAConversationIsRefused()
{
    const QString before = m_window->transcriptController()->conversationId();
    OpenByIdDialog *dialog = openWith(u"https://us.posthog.com/project/1/insights"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *error = dialog->findChild<QLabel *>(u"openByIdError"_s);
    QVERIFY(error && !error->text().isEmpty());
    QCOMPARE(m_window->transcriptController()->conversationId(), before);
    // Another project's address names the two projects.
    auto *edit = dialog->findChild<QLineEdit *>(u"openByIdEdit"_s);
    edit->clear();
    QVERIFY(error->text().isEmpty());
    QTest::keyClicks(edit, u"https://us.posthog.com/project/77/max?chat=x"_s);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"openByIdButton"_s), Qt::LeftButton);
    QVERIFY2(error->text().contains(u"77"_s), qPrintable(error->text()));
    QVERIFY(dialog->isVisible());
    dialog->reject();
}

QTEST_MAIN(TstOpenById)
#include "tst_openbyid.moc"
