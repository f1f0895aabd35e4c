#include "models/WorkspaceModel.h"
#include "providers/ProviderRegistry.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parley;

namespace {

Workspace workspace(const QString &name, const QString &platform)
{
    Workspace w;
    w.id = QUuid::createUuid();
    w.name = name;
    w.platform = platform;
    w.baseUrl = QUrl(u"https://example.com"_s);
    return w;
}

} // namespace

class TestWorkspaceModel : public QObject
{
    Q_OBJECT

private slots:
    void displayAndRoles();
    void addUpdateRemove();
    void setWorkspacesResets();
};

void TestWorkspaceModel::displayAndRoles()
{
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const Workspace known = workspace(u"Prod analytics"_s, u"posthog"_s);
    const Workspace unknown = workspace(u"Mystery"_s, u"nosuchplatform"_s);
    Workspace unnamed = workspace(QString(), u"posthog"_s);
    unnamed.demo = true;
    model.setWorkspaces({known, unknown, unnamed});

    const QString posthogName = ProviderRegistry::platform(u"posthog"_s).displayName;
    QVERIFY(!posthogName.isEmpty());

    QCOMPARE(model.data(model.index(0, 0)).toString(), u"Prod analytics"_s);
    QCOMPARE(model.data(model.index(0, 0), WorkspaceModel::PlatformNameRole).toString(),
             posthogName);
    QCOMPARE(model.data(model.index(0, 0), WorkspaceModel::PlatformRole).toString(), u"posthog"_s);
    QCOMPARE(model.data(model.index(0, 0), WorkspaceModel::IdRole).toUuid(), known.id);
    QCOMPARE(model.data(model.index(0, 0), WorkspaceModel::NameRole).toString(),
             u"Prod analytics"_s);
    QCOMPARE(model.data(model.index(0, 0), WorkspaceModel::WorkspaceRole).value<Workspace>(),
             known);
    QVERIFY(model.data(model.index(0, 0), Qt::ToolTipRole).toString().contains(posthogName));
    QVERIFY(!model.data(model.index(0, 0), Qt::DecorationRole).isValid());
    QVERIFY(!model.data(model.index(0, 0), WorkspaceModel::DemoRole).toBool());

    // Unknown platform: its id stands in for the display name.
    QCOMPARE(model.data(model.index(1, 0), WorkspaceModel::PlatformNameRole).toString(),
             u"nosuchplatform"_s);
    // No name: the platform's name is shown.
    QCOMPARE(model.data(model.index(2, 0)).toString(), posthogName);
    QVERIFY(model.data(model.index(2, 0), WorkspaceModel::DemoRole).toBool());

    QCOMPARE(model.workspaceAt(1)->id, unknown.id);
    QCOMPARE(model.workspaceAt(3), nullptr);
    QVERIFY(!model.data(model.index(3, 0)).isValid());
}

void TestWorkspaceModel::addUpdateRemove()
{
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Workspace a = workspace(u"A"_s, u"posthog"_s);
    const Workspace b = workspace(u"B"_s, u"posthog"_s);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.addWorkspace(a);
    model.addWorkspace(b);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.rowOf(b.id), 1);

    a.name = u"A renamed"_s;
    model.addWorkspace(a); // same id: an update, not a second row
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.data(model.index(0, 0)).toString(), u"A renamed"_s);

    QVERIFY(model.updateWorkspace(a)); // unchanged: no signal
    QCOMPARE(changed.size(), 1);
    a.params.insert(u"project_id"_s, u"7"_s);
    QVERIFY(model.updateWorkspace(a));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(model.workspaces().at(0).param(u"project_id"_s), u"7"_s);
    QVERIFY(!model.updateWorkspace(workspace(u"C"_s, u"posthog"_s)));

    QVERIFY(model.removeWorkspace(a.id));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(b.id), 0);
    QCOMPARE(model.rowOf(a.id), -1);
    QVERIFY(!model.removeWorkspace(a.id));
}

void TestWorkspaceModel::setWorkspacesResets()
{
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setWorkspaces({workspace(u"A"_s, u"posthog"_s), workspace(u"B"_s, u"orq"_s)});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.setWorkspaces({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestWorkspaceModel)
#include "tst_workspacemodel.moc"
