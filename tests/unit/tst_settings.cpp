// Settings: the typed wrapper over QSettings, on a temporary INI file.

#include "store/Settings.h"
#include "store/WorkspaceStore.h"

#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSize>
#include <QTemporaryDir>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

class TstSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaults();
    void roundTripAcrossInstances();
    void changedOnlyWhenTheValueChanges();
    void resetGoesBackToDefault();
    void wrongTypeIsRefused();
    void columnWidths();
    void columnOrderWithOneColumn();
    void damagedColumnWidthsFallBack();
    void lastWorkspaceId();
    void listViewStateDefaultsForUnknownWorkspace();
    void listViewStateRoundTrip();
    void listViewStateDropsOldFilters();
    void listViewStatePerWorkspace();
    void removeListViewState();
    void sharesTheFileWithWorkspaceStore();
    void fileHoldsOnlyKnownGroups();

private:
    QString file() const { return m_dir->filePath(u"parley.ini"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstSettings::defaults()
{
    Settings settings(file());
    const auto keys = {
        Settings::Key::MainWindowGeometry,     Settings::Key::MainWindowState,
        Settings::Key::MainSplitterState,      Settings::Key::DetailSplitterState,
        Settings::Key::LastWorkspaceId,        Settings::Key::ConversationColumnWidths,
        Settings::Key::ConversationColumnOrder};
    for (Settings::Key key : keys) {
        QVERIFY(!settings.isSet(key));
        const QVariant value = settings.get(key);
        QCOMPARE(value, Settings::defaultValue(key));
        QVERIFY(value.isValid());
        QVERIFY(!Settings::path(key).isEmpty());
    }
    QCOMPARE(settings.get(Settings::Key::MainWindowGeometry).metaType(),
             QMetaType::fromType<QByteArray>());
    QCOMPARE(settings.get(Settings::Key::ConversationColumnOrder).metaType(),
             QMetaType::fromType<QStringList>());
    QVERIFY(settings.lastWorkspaceId().isNull());
    QVERIFY(settings.columnWidths().isEmpty());
    QVERIFY(settings.columnOrder().isEmpty());
    QCOMPARE(settings.fileName(), file());
}

void TstSettings::roundTripAcrossInstances()
{
    const QByteArray geometry("\x01\xd9\xd0\xcb\x00\x03\x00\x00binary\x00geometry", 23);
    {
        Settings settings(file());
        settings.set(Settings::Key::MainWindowGeometry, geometry);
        settings.set(Settings::Key::MainWindowState, QByteArray("state"));
        settings.set(Settings::Key::MainSplitterState, QByteArray("main"));
        settings.set(Settings::Key::DetailSplitterState, QByteArray("detail"));
        settings.setColumnOrder({u"title"_s, u"updated"_s, u"status"_s});
        QVERIFY(settings.sync());
    }
    Settings reread(file());
    QCOMPARE(reread.get(Settings::Key::MainWindowGeometry).toByteArray(), geometry);
    QCOMPARE(reread.get(Settings::Key::MainWindowState).toByteArray(), QByteArray("state"));
    QCOMPARE(reread.get(Settings::Key::MainSplitterState).toByteArray(), QByteArray("main"));
    QCOMPARE(reread.get(Settings::Key::DetailSplitterState).toByteArray(), QByteArray("detail"));
    QCOMPARE(reread.columnOrder(), (QStringList{u"title"_s, u"updated"_s, u"status"_s}));
    QVERIFY(reread.isSet(Settings::Key::MainWindowGeometry));
}

void TstSettings::changedOnlyWhenTheValueChanges()
{
    Settings settings(file());
    QSignalSpy spy(&settings, &Settings::changed);

    settings.set(Settings::Key::MainWindowState, QByteArray()); // the default, not stored yet
    QCOMPARE(spy.count(), 0);

    settings.set(Settings::Key::MainWindowState, QByteArray("a"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), Settings::Key::MainWindowState);

    settings.set(Settings::Key::MainWindowState, QByteArray("a"));
    QCOMPARE(spy.count(), 1);

    settings.set(Settings::Key::MainWindowState, QByteArray("b"));
    QCOMPARE(spy.count(), 2);

    settings.setColumnOrder({u"x"_s});
    settings.setColumnOrder({u"x"_s});
    QCOMPARE(spy.count(), 3);
    QCOMPARE(spy.at(2).at(0).value<Settings::Key>(), Settings::Key::ConversationColumnOrder);
}

void TstSettings::resetGoesBackToDefault()
{
    Settings settings(file());
    QSignalSpy spy(&settings, &Settings::changed);
    settings.reset(Settings::Key::MainSplitterState); // nothing stored: nothing happens
    QCOMPARE(spy.count(), 0);

    settings.set(Settings::Key::MainSplitterState, QByteArray("x"));
    settings.reset(Settings::Key::MainSplitterState);
    QCOMPARE(spy.count(), 2);
    QVERIFY(!settings.isSet(Settings::Key::MainSplitterState));
    QCOMPARE(settings.get(Settings::Key::MainSplitterState), QVariant(QByteArray()));
}

void TstSettings::wrongTypeIsRefused()
{
    Settings settings(file());
    QSignalSpy spy(&settings, &Settings::changed);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused a value of type"_s));
    settings.set(Settings::Key::MainWindowGeometry, QVariant::fromValue(QSize(3, 4)));
    QCOMPARE(spy.count(), 0);
    QVERIFY(!settings.isSet(Settings::Key::MainWindowGeometry));
}

void TstSettings::columnWidths()
{
    {
        Settings settings(file());
        settings.setColumnWidths({240, 120, 0, 80});
        QCOMPARE(settings.columnWidths(), (QList<int>{240, 120, 0, 80}));
        QVERIFY(settings.sync());
    }
    Settings reread(file());
    QCOMPARE(reread.columnWidths(), (QList<int>{240, 120, 0, 80}));
    reread.setColumnWidths({300}); // INI writes one-element lists as a plain string
    QVERIFY(reread.sync());
    Settings again(file());
    QCOMPARE(again.columnWidths(), QList<int>{300});
    again.setColumnWidths({});
    QVERIFY(again.sync());
    Settings emptied(file());
    QCOMPARE(emptied.columnWidths(), QList<int>());
}

void TstSettings::columnOrderWithOneColumn()
{
    {
        Settings settings(file());
        settings.setColumnOrder({u"title"_s});
        QVERIFY(settings.sync());
    }
    Settings reread(file());
    QCOMPARE(reread.columnOrder(), QStringList{u"title"_s});
    QCOMPARE(reread.get(Settings::Key::ConversationColumnOrder).metaType(),
             QMetaType::fromType<QStringList>());
}

void TstSettings::damagedColumnWidthsFallBack()
{
    {
        QSettings raw(file(), QSettings::IniFormat);
        raw.setValue(Settings::path(Settings::Key::ConversationColumnWidths),
                     QStringList{u"120"_s, u"wide"_s});
    }
    Settings settings(file());
    QVERIFY(settings.columnWidths().isEmpty());
}

void TstSettings::lastWorkspaceId()
{
    const QUuid id = QUuid::createUuid();
    {
        Settings settings(file());
        settings.setLastWorkspaceId(id);
        QCOMPARE(settings.get(Settings::Key::LastWorkspaceId).toString(),
                 id.toString(QUuid::WithoutBraces));
        QVERIFY(settings.sync());
    }
    Settings reread(file());
    QCOMPARE(reread.lastWorkspaceId(), id);
    reread.setLastWorkspaceId(QUuid());
    QVERIFY(reread.lastWorkspaceId().isNull());
}

void TstSettings::listViewStateDefaultsForUnknownWorkspace()
{
    Settings settings(file());
    const ListViewState state = settings.listViewState(QUuid::createUuid());
    QCOMPARE(state, ListViewState());
    QCOMPARE(state.query.pageSize, 50);
    QCOMPARE(state.sortColumn, -1);
    QCOMPARE(state.refreshSeconds, 0); // the list refreshes itself only when asked to
    QCOMPARE(settings.listViewState(QUuid()), ListViewState());
    QVERIFY(settings.workspacesWithListViewState().isEmpty());
}

void TstSettings::listViewStateRoundTrip()
{
    const QUuid id = QUuid::createUuid();
    ListViewState state;
    state.query.filters = {{u"status"_s, u"completed"_s},
                           {u"created_at__gte"_s, u"2026-01-01T00:00:00Z"_s},
                           {u"meta/agent"_s, u"Zoë – support"_s}}; // '/' in a key, unicode
    state.query.sort = u"-created_at"_s;
    state.query.pageSize = 100;
    state.searchText = u"refund"_s;
    state.sortColumn = 2;
    state.sortOrder = Qt::DescendingOrder;
    state.refreshSeconds = 120;
    {
        Settings settings(file());
        QSignalSpy spy(&settings, &Settings::listViewStateChanged);
        settings.setListViewState(id, state);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toUuid(), id);
        settings.setListViewState(id, state); // unchanged: no signal
        QCOMPARE(spy.count(), 1);
        QCOMPARE(settings.listViewState(id), state);
        QVERIFY(settings.sync());
    }
    Settings reread(file());
    QCOMPARE(reread.listViewState(id), state);
    QCOMPARE(reread.workspacesWithListViewState(), QList<QUuid>{id});
}

void TstSettings::listViewStateDropsOldFilters()
{
    const QUuid id = QUuid::createUuid();
    Settings settings(file());
    ListViewState state;
    state.query.filters = {{u"status"_s, u"open"_s}, {u"agent_id"_s, u"a1"_s}};
    settings.setListViewState(id, state);
    state.query.filters = {{u"agent_id"_s, u"a2"_s}};
    settings.setListViewState(id, state);
    QVERIFY(settings.sync());
    Settings reread(file());
    QCOMPARE(reread.listViewState(id).query.filters,
             (QMap<QString, QString>{{u"agent_id"_s, u"a2"_s}}));
}

void TstSettings::listViewStatePerWorkspace()
{
    const QUuid a = QUuid::createUuid();
    const QUuid b = QUuid::createUuid();
    Settings settings(file());
    ListViewState sa;
    sa.query.filters.insert(u"status"_s, u"open"_s);
    ListViewState sb;
    sb.searchText = u"b only"_s;
    sb.refreshSeconds = 30;
    settings.setListViewState(a, sa);
    settings.setListViewState(b, sb);
    QCOMPARE(settings.listViewState(a), sa);
    QCOMPARE(settings.listViewState(b), sb);
    QList<QUuid> ids = settings.workspacesWithListViewState();
    std::sort(ids.begin(), ids.end());
    QList<QUuid> expected{a, b};
    std::sort(expected.begin(), expected.end());
    QCOMPARE(ids, expected);
}

void TstSettings::removeListViewState()
{
    const QUuid id = QUuid::createUuid();
    Settings settings(file());
    QSignalSpy spy(&settings, &Settings::listViewStateChanged);
    settings.removeListViewState(id); // nothing there
    QCOMPARE(spy.count(), 0);
    ListViewState state;
    state.searchText = u"x"_s;
    settings.setListViewState(id, state);
    settings.removeListViewState(id);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(settings.listViewState(id), ListViewState());
    QVERIFY(settings.workspacesWithListViewState().isEmpty());
}

void TstSettings::sharesTheFileWithWorkspaceStore()
{
    Settings settings(file());
    WorkspaceStore store(file());
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.name = u"Support"_s;
    ws.platform = u"posthog"_s;
    ws.baseUrl = QUrl(u"https://eu.posthog.com"_s);
    QVERIFY(store.add(ws));
    settings.setLastWorkspaceId(ws.id);
    QVERIFY(settings.sync());

    Settings rereadSettings(file());
    WorkspaceStore rereadStore(file());
    QCOMPARE(rereadSettings.lastWorkspaceId(), ws.id);
    QCOMPARE(rereadStore.workspaces(), QList<Workspace>{ws});
}

void TstSettings::fileHoldsOnlyKnownGroups()
{
    {
        Settings settings(file());
        settings.set(Settings::Key::MainWindowGeometry, QByteArray("g"));
        settings.setLastWorkspaceId(QUuid::createUuid());
        settings.setColumnWidths({1, 2});
        ListViewState state;
        state.query.filters.insert(u"status"_s, u"open"_s);
        settings.setListViewState(QUuid::createUuid(), state);
        QVERIFY(settings.sync());
    }
    QSettings raw(file(), QSettings::IniFormat);
    const QStringList known{u"window"_s, u"session"_s, u"conversationList"_s, u"listViews"_s};
    for (const QString &group : raw.childGroups())
        QVERIFY2(known.contains(group), qPrintable(group));
    QVERIFY(raw.childKeys().isEmpty());
}

QTEST_GUILESS_MAIN(TstSettings)
#include "tst_settings.moc"
