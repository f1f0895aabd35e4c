// Settings: composer drafts per workspace and conversation, on a temporary INI file.

#include "store/Settings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

class TstSettingsDrafts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTripAcrossInstances();
    void perWorkspaceAndConversation();
    void emptyTextRemovesTheDraft();
    void awkwardConversationIds();
    void nullIdsAreIgnored();

private:
    QString file() const { return m_dir->filePath(u"parley.ini"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstSettingsDrafts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstSettingsDrafts::roundTripAcrossInstances()
{
    const QUuid ws = QUuid::createUuid();
    const QString text = u"Line one\nLine two with ünïcode and \"quotes\", = and ; too\n"_s;
    {
        Settings settings(file());
        QVERIFY(settings.draft(ws, u"c1"_s).isEmpty());
        settings.setDraft(ws, u"c1"_s, text);
        QVERIFY(settings.sync());
    }
    Settings again(file());
    QCOMPARE(again.draft(ws, u"c1"_s), text);
    QCOMPARE(again.draftConversations(ws), QStringList{u"c1"_s});
    // Drafts sit in a group of their own.
    QSettings raw(file(), QSettings::IniFormat);
    QCOMPARE(raw.childGroups(), QStringList{u"drafts"_s});
}

void TstSettingsDrafts::perWorkspaceAndConversation()
{
    Settings settings(file());
    const QUuid a = QUuid::createUuid();
    const QUuid b = QUuid::createUuid();
    settings.setDraft(a, u"c1"_s, u"a1"_s);
    settings.setDraft(a, u"c2"_s, u"a2"_s);
    settings.setDraft(b, u"c1"_s, u"b1"_s);
    QCOMPARE(settings.draft(a, u"c1"_s), u"a1"_s);
    QCOMPARE(settings.draft(a, u"c2"_s), u"a2"_s);
    QCOMPARE(settings.draft(b, u"c1"_s), u"b1"_s);
    QVERIFY(settings.draft(b, u"c2"_s).isEmpty());
    QStringList ids = settings.draftConversations(a);
    ids.sort();
    QCOMPARE(ids, (QStringList{u"c1"_s, u"c2"_s}));

    // Removing one workspace's drafts leaves the other's.
    settings.removeDrafts(a);
    QVERIFY(settings.draft(a, u"c1"_s).isEmpty());
    QCOMPARE(settings.draft(b, u"c1"_s), u"b1"_s);
}

void TstSettingsDrafts::emptyTextRemovesTheDraft()
{
    Settings settings(file());
    const QUuid ws = QUuid::createUuid();
    settings.setDraft(ws, u"c1"_s, u"x"_s);
    settings.setDraft(ws, u"c1"_s, QString());
    QVERIFY(settings.draft(ws, u"c1"_s).isEmpty());
    QVERIFY(settings.draftConversations(ws).isEmpty());
}

void TstSettingsDrafts::awkwardConversationIds()
{
    const QUuid ws = QUuid::createUuid();
    const QStringList ids{u"a/b/c"_s, u"with space"_s, u"100%"_s,
                          u"x=y;z"_s, u"ünï"_s,        u"0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"_s};
    {
        Settings settings(file());
        for (const QString &id : ids)
            settings.setDraft(ws, id, u"draft for "_s + id);
        QVERIFY(settings.sync());
    }
    Settings again(file());
    for (const QString &id : ids)
        QCOMPARE(again.draft(ws, id), u"draft for "_s + id);
    QStringList listed = again.draftConversations(ws);
    QStringList expected = ids;
    listed.sort();
    expected.sort();
    QCOMPARE(listed, expected);
}

void TstSettingsDrafts::nullIdsAreIgnored()
{
    Settings settings(file());
    settings.setDraft(QUuid(), u"c1"_s, u"x"_s);
    settings.setDraft(QUuid::createUuid(), QString(), u"x"_s);
    QVERIFY(settings.draft(QUuid(), u"c1"_s).isEmpty());
    QVERIFY(settings.draftConversations(QUuid()).isEmpty());
    QVERIFY(settings.sync());
    QSettings raw(file(), QSettings::IniFormat);
    QVERIFY(raw.allKeys().isEmpty());
}

QTEST_GUILESS_MAIN(TstSettingsDrafts)
#include "tst_settings_drafts.moc"
