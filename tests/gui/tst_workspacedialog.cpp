// WorkspaceDialog offscreen: inline validation, Save enabled only when valid, Test
// connection against the in-process sandbox (good and wrong key), and saving to the
// WorkspaceStore and the KeyStore (never to the settings file).

#include "gui/GuiFixture.h"

#include "WorkspaceDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace parley;
using namespace parley::test;

class TstWorkspaceDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void offersEveryPlatformWithItsDefaults();
    void validationMessagesBesideFields();
    void saveEnabledOnlyWhenValid();
    void testConnectionSucceeds();
    void testConnectionWithWrongKeyShowsAuthError();
    void testFillsTheApiPathLeftOnAutomatic();
    void saveStoresWorkspaceAndKey();
    void editKeepsStoredKeyWhenLeftEmpty();

private:
    template<typename T>
    static T *child(QWidget *dialog, const char *name)
    {
        T *w = dialog->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }
    void fillValid(WorkspaceDialog &dialog, const QByteArray &key);
    // The keychain has no backend here: the dialog needs the memory-only choice to save.
    void acceptMemoryOnlyIfNeeded(WorkspaceDialog &dialog);

    std::unique_ptr<GuiFixture> m_fx;
};

void TstWorkspaceDialog::initTestCase()
{
    m_fx = std::make_unique<GuiFixture>();
    QVERIFY(m_fx->start());
    QVERIFY(!ProviderRegistry::platforms().isEmpty());
    // Learn whether a keychain exists, as the app does.
    KeyAnswer probe;
    m_fx->keys.probe(&probe.context, probe.callback());
    QTRY_VERIFY_WITH_TIMEOUT(probe.result.has_value(), kWaitMs);
}

void TstWorkspaceDialog::fillValid(WorkspaceDialog &dialog, const QByteArray &key)
{
    auto *name = child<QLineEdit>(&dialog, "nameEdit");
    auto *platform = child<QComboBox>(&dialog, "platformCombo");
    platform->setCurrentIndex(platform->findData(QStringLiteral("posthog")));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("Sandbox PostHog"));
    auto *url = child<QLineEdit>(&dialog, "baseUrlEdit");
    url->clear();
    QTest::keyClicks(url, m_fx->sandbox.baseUrl(QStringLiteral("posthog")).toString());
    auto *project = child<QLineEdit>(&dialog, "field_project_id");
    project->clear();
    QTest::keyClicks(project, QStringLiteral("1"));
    auto *apiKey = child<QLineEdit>(&dialog, "apiKeyEdit");
    apiKey->clear();
    QTest::keyClicks(apiKey, QString::fromUtf8(key));
}

void TstWorkspaceDialog::acceptMemoryOnlyIfNeeded(WorkspaceDialog &dialog)
{
    auto *notice = child<QFrame>(&dialog, "keychainNotice");
    if (m_fx->keys.backend() == KeyStore::Backend::Unavailable) {
        QVERIFY(notice->isVisible());
        auto *save = child<QPushButton>(&dialog, "saveButton");
        QVERIFY(!save->isEnabled()); // never a silent fallback
        child<QCheckBox>(&dialog, "memoryOnlyCheck")->setChecked(true);
    } else {
        QVERIFY(!notice->isVisible());
    }
}

void TstWorkspaceDialog::offersEveryPlatformWithItsDefaults()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    auto *platform = child<QComboBox>(&dialog, "platformCombo");
    QCOMPARE(platform->count(), int(ProviderRegistry::platforms().size()));
    auto *url = child<QLineEdit>(&dialog, "baseUrlEdit");
    for (int i = 0; i < platform->count(); ++i) {
        platform->setCurrentIndex(i);
        const PlatformInfo info = ProviderRegistry::platform(platform->itemData(i).toString());
        QCOMPARE(url->text(), info.defaultBaseUrl.toString());
        for (const WorkspaceField &field : info.fields) {
            QWidget *editor = dialog.findChild<QWidget *>(QStringLiteral("field_") + field.key);
            QVERIFY2(editor, qPrintable(field.key));
            if (auto *line = qobject_cast<QLineEdit *>(editor)) {
                QCOMPARE(line->placeholderText(), field.placeholder);
                QCOMPARE(line->text(), field.defaultValue);
            }
        }
    }
    // The key is a password field.
    QCOMPARE(child<QLineEdit>(&dialog, "apiKeyEdit")->echoMode(), QLineEdit::Password);
}

void TstWorkspaceDialog::validationMessagesBesideFields()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *platform = child<QComboBox>(&dialog, "platformCombo");
    platform->setCurrentIndex(platform->findData(QStringLiteral("posthog")));

    // Nothing typed yet: no message shouts at the user.
    auto *projectError = child<QLabel>(&dialog, "fieldError_project_id");
    QVERIFY(!projectError->isVisibleTo(&dialog));

    // A project id that is not a number.
    auto *project = child<QLineEdit>(&dialog, "field_project_id");
    QTest::keyClicks(project, QStringLiteral("abc"));
    QVERIFY(projectError->isVisibleTo(&dialog));
    QVERIFY2(projectError->text().contains(QStringLiteral("abc")),
             qPrintable(projectError->text()));
    QCOMPARE(projectError->text(),
             ProviderRegistry::validate(dialog.workspace()).value(QStringLiteral("project_id")));
    project->clear();
    QTest::keyClicks(project, QStringLiteral("42"));
    QVERIFY(!projectError->isVisibleTo(&dialog));

    // Emptying a required field after touching it says what to enter.
    project->selectAll();
    QTest::keyClick(project, Qt::Key_Backspace);
    QVERIFY(projectError->isVisibleTo(&dialog));
    QCOMPARE(projectError->text(),
             ProviderRegistry::validate(dialog.workspace()).value(QStringLiteral("project_id")));

    // Plain http to a remote host is refused with the reason.
    auto *url = child<QLineEdit>(&dialog, "baseUrlEdit");
    url->clear();
    QTest::keyClicks(url, QStringLiteral("http://example.com"));
    auto *urlError = child<QLabel>(&dialog, "baseUrlError");
    QVERIFY(urlError->isVisibleTo(&dialog));
    QVERIFY2(urlError->text().contains(QStringLiteral("https://")), qPrintable(urlError->text()));
    url->clear();
    QTest::keyClicks(url, QStringLiteral("https://eu.posthog.com"));
    QVERIFY(!urlError->isVisibleTo(&dialog));

    // The name is required.
    auto *name = child<QLineEdit>(&dialog, "nameEdit");
    QTest::keyClicks(name, QStringLiteral("x"));
    QTest::keyClick(name, Qt::Key_Backspace);
    auto *nameError = child<QLabel>(&dialog, "nameError");
    QVERIFY(nameError->isVisibleTo(&dialog));
    QVERIFY(dialog.problems().contains(QStringLiteral("name")));
}

void TstWorkspaceDialog::saveEnabledOnlyWhenValid()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    auto *save = child<QPushButton>(&dialog, "saveButton");
    QVERIFY(!save->isEnabled());
    QVERIFY(!save->toolTip().isEmpty()); // says what is missing

    fillValid(dialog, m_fx->goodKey());
    acceptMemoryOnlyIfNeeded(dialog);
    QVERIFY2(dialog.problems().isEmpty(), qPrintable(dialog.problems().values().join(u'\n')));
    QVERIFY(save->isEnabled());

    // Breaking one field disables Save again.
    auto *project = child<QLineEdit>(&dialog, "field_project_id");
    QTest::keyClicks(project, QStringLiteral("x"));
    QVERIFY(!save->isEnabled());
    QTest::keyClick(project, Qt::Key_Backspace);
    QVERIFY(save->isEnabled());

    // A new workspace needs a key.
    child<QLineEdit>(&dialog, "apiKeyEdit")->clear();
    QVERIFY(!save->isEnabled());
    QVERIFY(child<QLabel>(&dialog, "apiKeyError")->isVisible());
}

void TstWorkspaceDialog::testConnectionSucceeds()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    fillValid(dialog, m_fx->goodKey());
    auto *test = child<QPushButton>(&dialog, "testConnectionButton");
    QVERIFY(test->isEnabled());
    const int before = m_fx->sandbox.server()->requestCount();
    QTest::mouseClick(test, Qt::LeftButton);
    auto *result = child<QLabel>(&dialog, "testConnectionResult");
    QTRY_COMPARE_WITH_TIMEOUT(result->text(), QStringLiteral("Connected"), kWaitMs);
    QVERIFY(m_fx->sandbox.server()->requestCount() > before); // a real request was made
    QVERIFY(test->isEnabled());
}

void TstWorkspaceDialog::testFillsTheApiPathLeftOnAutomatic()
{
    // A PostHog that serves conversations only under /api/environments/.
    sandbox::SandboxOptions options;
    options.conversations = 5;
    options.onlyForms.insert(QStringLiteral("posthog"), QStringLiteral("environments"));
    sandbox::Sandbox older(options);
    QString error;
    QVERIFY2(older.start(&error), qPrintable(error));

    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    fillValid(dialog, options.key);
    auto *url = child<QLineEdit>(&dialog, "baseUrlEdit");
    url->clear();
    QTest::keyClicks(url, older.baseUrl(QStringLiteral("posthog")).toString());
    auto *path = child<QComboBox>(&dialog, "field_api_path");
    QCOMPARE(path->currentData().toString(), QString()); // automatic
    QVERIFY(path->currentText().contains(QStringLiteral("Automatic")));

    QTest::mouseClick(child<QPushButton>(&dialog, "testConnectionButton"), Qt::LeftButton);
    auto *result = child<QLabel>(&dialog, "testConnectionResult");
    QTRY_COMPARE_WITH_TIMEOUT(result->text(), QStringLiteral("Connected"), kWaitMs);
    QCOMPARE(path->currentData().toString(), QStringLiteral("environments"));
    QCOMPARE(dialog.workspace().params.value(QStringLiteral("api_path")),
             QStringLiteral("environments"));

    // An explicit choice wins: tested as it is, refused there, left as chosen.
    path->setCurrentIndex(path->findData(QStringLiteral("projects")));
    QTest::mouseClick(child<QPushButton>(&dialog, "testConnectionButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        !result->text().isEmpty() && result->text() != QStringLiteral("Connected"), kWaitMs);
    QCOMPARE(path->currentData().toString(), QStringLiteral("projects"));
}

void TstWorkspaceDialog::testConnectionWithWrongKeyShowsAuthError()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    fillValid(dialog, "phx_wrong_key");
    QTest::mouseClick(child<QPushButton>(&dialog, "testConnectionButton"), Qt::LeftButton);
    auto *result = child<QLabel>(&dialog, "testConnectionResult");
    const QString expected = ApiError::make(ApiError::Kind::Auth).message().section(u'.', 0, 0);
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(expected), kWaitMs);
    QVERIFY(result->text().contains(QStringLiteral("401")));

    // Editing a field clears a result that no longer applies.
    QTest::keyClicks(child<QLineEdit>(&dialog, "apiKeyEdit"), QStringLiteral("x"));
    QVERIFY(result->text().isEmpty());
}

void TstWorkspaceDialog::saveStoresWorkspaceAndKey()
{
    WorkspaceDialog dialog(m_fx->services());
    dialog.show();
    fillValid(dialog, m_fx->goodKey());
    acceptMemoryOnlyIfNeeded(dialog);
    QSignalSpy saved(&dialog, &WorkspaceDialog::saved);
    const Workspace entered = dialog.workspace();
    QTest::mouseClick(child<QPushButton>(&dialog, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kWaitMs);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const std::optional<Workspace> stored = m_fx->store->findById(entered.id);
    QVERIFY(stored.has_value());
    QCOMPARE(stored->name, QStringLiteral("Sandbox PostHog"));
    QCOMPARE(stored->param(QStringLiteral("project_id")), QStringLiteral("1"));

    const std::optional<KeyResult> key = m_fx->readKey(entered);
    QVERIFY(key.has_value());
    QVERIFY2(key->ok(), qPrintable(key->message));
    QCOMPARE(key->secret, m_fx->goodKey());

    // The key is nowhere in the files Parley writes.
    m_fx->store.reset(new WorkspaceStore(m_fx->dir.filePath(QStringLiteral("workspaces.ini"))));
    for (const QString &file : {QStringLiteral("workspaces.ini"), QStringLiteral("settings.ini")}) {
        QFile f(m_fx->dir.filePath(file));
        if (f.open(QIODevice::ReadOnly))
            QVERIFY(!f.readAll().contains(m_fx->goodKey()));
    }
    QVERIFY(m_fx->store->contains(entered.id));
}

void TstWorkspaceDialog::editKeepsStoredKeyWhenLeftEmpty()
{
    Workspace ws = m_fx->posthogWorkspace(QStringLiteral("Edited"));
    QVERIFY(m_fx->store->add(ws));
    QVERIFY(m_fx->storeKey(ws, m_fx->goodKey()));

    WorkspaceDialog dialog(m_fx->services(), ws);
    dialog.show();
    QVERIFY(dialog.isEditing());
    auto *apiKey = child<QLineEdit>(&dialog, "apiKeyEdit");
    QVERIFY(apiKey->text().isEmpty()); // never prefilled with the stored key
    QVERIFY(!child<QComboBox>(&dialog, "platformCombo")->isEnabled());
    auto *save = child<QPushButton>(&dialog, "saveButton");
    QVERIFY(save->isEnabled());

    // Test connection uses the stored key.
    QTest::mouseClick(child<QPushButton>(&dialog, "testConnectionButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(&dialog, "testConnectionResult")->text(),
                              QStringLiteral("Connected"), kWaitMs);

    auto *name = child<QLineEdit>(&dialog, "nameEdit");
    name->clear();
    QTest::keyClicks(name, QStringLiteral("Renamed"));
    QSignalSpy saved(&dialog, &WorkspaceDialog::saved);
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kWaitMs);
    QCOMPARE(m_fx->store->findById(ws.id)->name, QStringLiteral("Renamed"));
    const std::optional<KeyResult> key = m_fx->readKey(ws);
    QVERIFY(key && key->ok());
    QCOMPARE(key->secret, m_fx->goodKey());
}

QTEST_MAIN(TstWorkspaceDialog)
#include "tst_workspacedialog.moc"
