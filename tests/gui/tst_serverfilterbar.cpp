// The server-side filter bar of the real MainWindow, over the in-process sandbox: it is
// built from the provider's capabilities (none for PostHog), what it applies reaches the
// platform (Dynamiq's sort and filters), exclusive filters cannot both be set (PolyAI's
// variant id and name), and what was applied comes back per workspace and after a restart.

#include "gui/GuiFixture.h"

#include "ConversationListView.h"
#include "MainWindow.h"
#include "ServerFilterBar.h"
#include "models/ConversationListModel.h"
#include "providers/Provider.h"
#include "session/DemoWorkspaces.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QToolButton>

using namespace parley;
using namespace parley::test;

class TstServerFilterBar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void hiddenWhereThePlatformOffersNoFilters();
    void sortReachesTheServer();
    void typedSortListIsCheckedAsTyped();
    void filterReachesTheServerAndClearUndoesIt();
    void exclusiveFiltersCannotBothBeSet();
    void appliedQueryIsRememberedPerWorkspace();
    void switchingWorkspacesReplacesTheFields();

private:
    Workspace addWorkspace(const QString &platform);
    void openWindow();
    void selectAndWait(const Workspace &ws);
    template<typename T>
    T *child(const char *name) const
    {
        return namedChild<T>(m_window.get(), name);
    }

    std::unique_ptr<GuiFixture> m_fx;
    std::unique_ptr<MainWindow> m_window;
    QMap<QString, Workspace> m_workspaces;
};

void TstServerFilterBar::initTestCase()
{
    m_fx = std::make_unique<GuiFixture>();
    QVERIFY(m_fx->start());
    for (const QString &platform : {u"posthog"_qs, u"dynamiq"_qs, u"polyai"_qs})
        m_workspaces.insert(platform, addWorkspace(platform));
}

void TstServerFilterBar::cleanup()
{
    m_window.reset();
}

Workspace TstServerFilterBar::addWorkspace(const QString &platform)
{
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.name = platform;
    ws.platform = platform;
    ws.baseUrl = m_fx->sandbox.baseUrl(platform);
    ws.params = DemoWorkspaces::paramsFor(platform);
    QString error;
    if (!m_fx->store->add(ws, &error))
        qWarning("store refused: %s", qPrintable(error));
    if (!m_fx->storeKey(ws, m_fx->goodKey()))
        qWarning("key not stored");
    return ws;
}

void TstServerFilterBar::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_fx->services());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TstServerFilterBar::selectAndWait(const Workspace &ws)
{
    m_window->selectWorkspace(ws.id);
    ConversationListModel *model = m_window->conversationModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->provider() && !model->isLoading(), kWaitMs);
    QVERIFY2(!model->hasError(), qPrintable(model->error().message()));
}

void TstServerFilterBar::hiddenWhereThePlatformOffersNoFilters()
{
    openWindow();
    selectAndWait(m_workspaces.value(u"posthog"_qs));
    QVERIFY(m_window->conversationModel()->rowCount() > 0);
    QVERIFY(!child<ServerFilterBar>("filterBar")->isVisible());

    selectAndWait(m_workspaces.value(u"dynamiq"_qs));
    QVERIFY(child<ServerFilterBar>("filterBar")->isVisible());
    QVERIFY(child<QComboBox>("sortField")->isVisible());
    // The fields start folded while none is set, and unfold from the toggle.
    auto *appId = child<QLineEdit>("filter_app_id");
    QVERIFY(appId && !appId->isVisible());
    QTest::mouseClick(child<QToolButton>("filterToggle"), Qt::LeftButton);
    QVERIFY(appId->isVisible());
}

void TstServerFilterBar::sortReachesTheServer()
{
    openWindow();
    selectAndWait(m_workspaces.value(u"dynamiq"_qs));
    auto *sort = child<QComboBox>("sortField");
    const int byTitle = sort->findData(u"title"_qs);
    QVERIFY(byTitle > 0);
    sort->setCurrentIndex(byTitle);
    child<QToolButton>("sortDescending")->setChecked(false);
    QTest::mouseClick(child<QPushButton>("filterApply"), Qt::LeftButton);

    ConversationListModel *model = m_window->conversationModel();
    QCOMPARE(model->query().sort, u"title"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 1, kWaitMs);
    QStringList titles;
    for (int row = 0; row < model->rowCount(); ++row)
        titles << model->conversationAt(row)->title;
    QStringList sorted = titles;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(titles, sorted); // the platform sorted them, not the view
}

// Several fields typed in the sort field, "-" before one for descending: refused as typed
// while a field is unknown (the reason beside it, Apply off), then sent as typed.
void TstServerFilterBar::typedSortListIsCheckedAsTyped()
{
    openWindow();
    selectAndWait(m_workspaces.value(u"dynamiq"_qs));
    auto *sort = child<QComboBox>("sortField");
    QVERIFY(sort->isEditable());
    auto *apply = child<QPushButton>("filterApply");
    auto *problem = child<QLabel>("sortProblem");
    auto *descending = child<QToolButton>("sortDescending");
    const QString applied = m_window->conversationModel()->query().sort; // remembered before
    sort->lineEdit()->clear();
    QTest::keyClicks(sort->lineEdit(), u"-created_at,nam"_qs);
    QVERIFY(!apply->isEnabled());
    QVERIFY(problem->isVisible());
    QVERIFY2(problem->text().contains(u"nam"_qs) && problem->text().contains(u"started_at"_qs),
             qPrintable(problem->text()));
    QVERIFY(!descending->isEnabled());                 // the list carries its own directions
    QTest::keyClick(sort->lineEdit(), Qt::Key_Return); // Enter does not send a refused sort
    QCOMPARE(m_window->conversationModel()->query().sort, applied);

    sort->lineEdit()->clear();
    QTest::keyClicks(sort->lineEdit(), u"-created_at,title"_qs);
    QVERIFY(apply->isEnabled());
    QVERIFY(!problem->isVisible());
    QTest::keyClick(sort->lineEdit(), Qt::Key_Return);
    ConversationListModel *model = m_window->conversationModel();
    QCOMPARE(model->query().sort, u"-created_at,title"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 1, kWaitMs);
    QVERIFY2(!model->hasError(), qPrintable(model->error().message()));
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->conversationAt(row - 1)->createdAt >= model->conversationAt(row)->createdAt);

    // Clear goes back to the platform's order.
    QTest::mouseClick(child<QPushButton>("filterClear"), Qt::LeftButton);
    QVERIFY(model->query().sort.isEmpty());
    QVERIFY(sort->currentText().isEmpty());
    QVERIFY(descending->isEnabled());
}

void TstServerFilterBar::filterReachesTheServerAndClearUndoesIt()
{
    openWindow();
    selectAndWait(m_workspaces.value(u"dynamiq"_qs));
    ConversationListModel *model = m_window->conversationModel();
    const int before = model->rowCount();
    QVERIFY(before > 0);

    // No conversation belongs to a fresh app id: the platform answers an empty list.
    auto *appId = child<QLineEdit>("filter_app_id");
    appId->setText(QUuid::createUuid().toString(QUuid::WithoutBraces));
    QTest::keyClick(appId, Qt::Key_Return);
    QVERIFY(model->query().filters.contains(u"app_id"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kWaitMs);
    QVERIFY2(!model->hasError(), qPrintable(model->error().message()));
    QCOMPARE(model->rowCount(), 0);

    QTest::mouseClick(child<QPushButton>("filterClear"), Qt::LeftButton);
    QVERIFY(appId->text().isEmpty());
    QVERIFY(model->query().filters.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == before, kWaitMs);
}

void TstServerFilterBar::exclusiveFiltersCannotBothBeSet()
{
    openWindow();
    selectAndWait(m_workspaces.value(u"polyai"_qs));
    auto *id = child<QLineEdit>("filter_variant_id");
    auto *name = child<QLineEdit>("filter_variant_name");
    QVERIFY(id && name);
    QVERIFY(id->isEnabled() && name->isEnabled());
    id->setText(u"variant-a"_qs);
    QVERIFY(!name->isEnabled());
    QVERIFY(name->toolTip().contains(u"Cannot be combined"_qs));
    const ListQuery q = child<ServerFilterBar>("filterBar")->query();
    QVERIFY(q.filters.contains(u"variant_id"_qs));
    QVERIFY(!q.filters.contains(u"variant_name"_qs));
    id->clear();
    QVERIFY(name->isEnabled());
}

void TstServerFilterBar::appliedQueryIsRememberedPerWorkspace()
{
    openWindow();
    const Workspace dynamiq = m_workspaces.value(u"dynamiq"_qs);
    selectAndWait(dynamiq);
    auto *sort = child<QComboBox>("sortField");
    sort->setCurrentIndex(sort->findData(u"updated_at"_qs));
    child<QToolButton>("sortDescending")->setChecked(true);
    QTest::mouseClick(child<QPushButton>("filterApply"), Qt::LeftButton);
    QCOMPARE(m_window->conversationModel()->query().sort, u"-updated_at"_qs);

    // Another workspace, then back: the bar and the request come back as they were.
    selectAndWait(m_workspaces.value(u"posthog"_qs));
    QVERIFY(m_window->conversationModel()->query().sort.isEmpty());
    selectAndWait(dynamiq);
    QCOMPARE(m_window->conversationModel()->query().sort, u"-updated_at"_qs);
    QCOMPARE(sort->currentData().toString(), u"updated_at"_qs);

    // A new window on the same settings (a restart).
    m_window.reset();
    openWindow();
    selectAndWait(dynamiq);
    QCOMPARE(m_window->conversationModel()->query().sort, u"-updated_at"_qs);
    QCOMPARE(child<QComboBox>("sortField")->currentData().toString(), u"updated_at"_qs);
    QVERIFY(child<QToolButton>("sortDescending")->isChecked());
}

void TstServerFilterBar::switchingWorkspacesReplacesTheFields()
{
    // Each switch rebuilds the bar for the platform shown: the old rows go with their
    // labels and editors (nothing left behind to grow with every switch, no Qt warning).
    QTest::failOnWarning(QRegularExpression(u"QFormLayout"_qs));
    openWindow();
    const Workspace dynamiq = m_workspaces.value(u"dynamiq"_qs);
    auto *bar = child<ServerFilterBar>("filterBar");
    const auto fieldCount = [bar] {
        return bar->findChildren<QWidget *>(QRegularExpression(u"^filter_"_qs)).size();
    };
    selectAndWait(dynamiq);
    const qsizetype dynamiqFields = fieldCount();
    QVERIFY(dynamiqFields > 0);
    QCOMPARE(dynamiqFields,
             qsizetype(m_window->conversationModel()->provider()->capabilities().filters.size()));
    for (int round = 0; round < 3; ++round) {
        selectAndWait(m_workspaces.value(u"polyai"_qs));
        selectAndWait(m_workspaces.value(u"posthog"_qs));
        selectAndWait(dynamiq);
    }
    QCOMPARE(fieldCount(), dynamiqFields);
}

QTEST_MAIN(TstServerFilterBar)
#include "tst_serverfilterbar.moc"
