#include "WorkspaceDialog.h"

#include "ConnectionTestRow.h"
#include "DialogFooter.h"
#include "FieldEditor.h"
#include "FieldLabels.h"
#include "KeychainNotice.h"

#include "BusyIndicator.h"
#include "Icons.h"
#include "providers/ProviderRegistry.h"
#include "rules/InputRules.h"
#include "secrets/KeyStore.h"
#include "session/SessionPool.h"
#include "store/WorkspaceStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

namespace parley {

namespace {

const QString kName = QStringLiteral("name");
const QString kBaseUrl = QStringLiteral("base_url");
const QString kApiKey = QStringLiteral("api_key");

} // namespace

WorkspaceDialog::WorkspaceDialog(const AppServices &services, QWidget *parent)
    : QDialog(parent)
    , m_services(services)
    , m_id(QUuid::createUuid())
{
    build();
    setWindowTitle(tr("Add Workspace"));
    const QList<PlatformInfo> platforms = ProviderRegistry::platforms();
    loadPlatform(platforms.isEmpty() ? QString() : platforms.constFirst().id, {});
    revalidate();
}

WorkspaceDialog::WorkspaceDialog(const AppServices &services, const Workspace &existing,
                                 QWidget *parent)
    : QDialog(parent)
    , m_services(services)
    , m_editing(true)
    , m_original(existing)
    , m_id(existing.id)
{
    build();
    setWindowTitle(tr("Edit Workspace"));
    m_name->setText(existing.name);
    const int index = m_platform->findData(existing.platform);
    if (index >= 0)
        m_platform->setCurrentIndex(index);
    m_platform->setEnabled(false);
    loadPlatform(existing.platform, existing.params);
    m_baseUrl->setText(existing.baseUrl.toString());
    m_key->setPlaceholderText(tr("Leave empty to keep the stored key"));
    revalidate();
}

WorkspaceDialog::~WorkspaceDialog() = default;

void WorkspaceDialog::build()
{
    setObjectName(QStringLiteral("workspaceDialog"));
    setModal(true);
    setMinimumWidth(520);

    // One form for every row, so that labels and fields line up whatever the platform.
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    QFormLayout *form = m_form;

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(tr("Workspace name"));
    m_name->setPlaceholderText(tr("e.g. Support EU"));
    m_nameError = makeErrorLabel(this, QStringLiteral("nameError"));
    form->addRow(tr("&Name:"), withError(m_name, m_nameError));

    m_platform = new QComboBox(this);
    m_platform->setObjectName(QStringLiteral("platformCombo"));
    m_platform->setAccessibleName(tr("Platform"));
    for (const PlatformInfo &p : ProviderRegistry::platforms())
        m_platform->addItem(p.displayName, p.id);
    form->addRow(tr("&Platform:"), m_platform);

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_baseUrlError = makeErrorLabel(this, QStringLiteral("baseUrlError"));
    form->addRow(tr("&Base URL:"), withError(m_baseUrl, m_baseUrlError));

    // The platform's own fields are inserted here, rebuilt when the platform changes.
    m_firstFieldRow = form->rowCount();

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("apiKeyEdit"));
    m_key->setAccessibleName(tr("API key"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    m_key->setClearButtonEnabled(true);
    m_keyHint = makeHintLabel(this, QString());
    m_keyHint->setObjectName(QStringLiteral("apiKeyHint"));
    m_keyError = makeErrorLabel(this, QStringLiteral("apiKeyError"));

    form->addRow(tr("API &key:"), withError(m_key, m_keyError, m_keyHint));

    m_keychainNotice = new KeychainNotice(this); // shown only when no keychain works

    m_test = new ConnectionTestRow(this);
    form->addRow(QString(), m_test);

    m_footer = new DialogFooter(this, QStringLiteral("save"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_keychainNotice);
    layout->addStretch(1);
    layout->addWidget(m_footer);

    connect(m_name, &QLineEdit::textEdited, this, [this] { onInputChanged(kName); });
    connect(m_baseUrl, &QLineEdit::textEdited, this, [this] { onInputChanged(kBaseUrl); });
    connect(m_key, &QLineEdit::textChanged, this, [this] { onInputChanged(kApiKey); });
    connect(m_platform, &QComboBox::currentIndexChanged, this, [this] { onPlatformChanged(); });
    connect(m_keychainNotice->memoryOnly(), &QCheckBox::toggled, this, [this] { revalidate(); });
    connect(m_test, &ConnectionTestRow::requested, this, [this] {
        m_test->run(m_services, workspace(), m_key->text().trimmed().toUtf8(), m_editing);
    });
    connect(m_test, &ConnectionTestRow::finished, this, &WorkspaceDialog::revalidate);
    connect(m_test, &ConnectionTestRow::formsFound, this, &WorkspaceDialog::fillAutomatic);
    connect(m_footer->accept(), &QPushButton::clicked, this, &WorkspaceDialog::save);

    if (m_services.keys) {
        connect(m_services.keys, &KeyStore::backendChanged, this,
                [this] { updateKeychainNotice(); });
        if (m_services.keys->backend() == KeyStore::Backend::Unknown)
            m_services.keys->probe(this, [this](const KeyResult &) { updateKeychainNotice(); });
    }
    updateKeychainNotice();
}

QString WorkspaceDialog::currentPlatform() const
{
    return m_platform->currentData().toString();
}

void WorkspaceDialog::loadPlatform(const QString &platformId, const QMap<QString, QString> &values)
{
    const PlatformInfo info = ProviderRegistry::platform(platformId);

    // Follow the platform's default base URL unless the user typed their own.
    const QString defaultUrl = info.defaultBaseUrl.toString();
    if (m_baseUrl->text().isEmpty() || m_baseUrl->text() == m_lastDefaultBaseUrl)
        m_baseUrl->setText(defaultUrl);
    m_lastDefaultBaseUrl = defaultUrl;
    m_baseUrl->setPlaceholderText(defaultUrl);

    m_keyHint->setText(info.keyHint);
    m_keyHint->setVisible(!info.keyHint.isEmpty());

    for (int i = 0; i < int(m_fields.size()); ++i)
        m_form->removeRow(m_firstFieldRow);
    m_fields.clear();
    m_touched.remove(kBaseUrl);

    for (const WorkspaceField &field : info.fields) {
        const FieldEditor row =
            makeFieldEditor(this, field, values.value(field.key, field.defaultValue),
                            [this, key = field.key] { onInputChanged(key); });
        QLabel *label = makeFieldLabel(this, field, row.editor);
        QWidget *box = withError(row.editor, row.error);
        m_form->insertRow(m_firstFieldRow + int(m_fields.size()), label, box);
        // Rows added to a visible dialog are otherwise shown one event loop turn later.
        label->show();
        box->show();
        m_fields.insert(field.key, row);
    }

    // Tab order: base URL, the platform's fields, then the key.
    QWidget *previous = m_baseUrl;
    for (const WorkspaceField &field : info.fields) {
        QWidget *editor = m_fields.value(field.key).editor;
        setTabOrder(previous, editor);
        previous = editor;
    }
    setTabOrder(previous, m_key);
}

void WorkspaceDialog::onPlatformChanged()
{
    m_test->cancel();
    loadPlatform(currentPlatform(), {});
    revalidate();
}

void WorkspaceDialog::onInputChanged(const QString &key)
{
    markTouched(key);
    // What was tested is no longer what is entered.
    m_test->clear();
    m_footer->error()->hide();
    revalidate();
}

void WorkspaceDialog::fillAutomatic(const QMap<QString, QString> &found)
{
    for (auto it = found.cbegin(); it != found.cend(); ++it) {
        auto *combo = qobject_cast<QComboBox *>(m_fields.value(it.key()).editor);
        const int at = combo ? combo->findData(it.value()) : -1;
        if (at < 0 || !fieldEditorValue(combo).isEmpty())
            continue; // an explicit setting is never changed
        // What was tested is what is entered now: the result stays shown.
        const QSignalBlocker quiet(combo);
        combo->setCurrentIndex(at);
        markTouched(it.key());
    }
}

void WorkspaceDialog::markTouched(const QString &key)
{
    m_touched.insert(key);
}

Workspace WorkspaceDialog::workspace() const
{
    Workspace ws = m_editing ? m_original : Workspace{};
    ws.id = m_id;
    ws.name = m_name->text().trimmed();
    ws.platform = currentPlatform();
    const QString url = m_baseUrl->text().trimmed();
    ws.baseUrl = url.isEmpty() ? ProviderRegistry::platform(ws.platform).defaultBaseUrl
                               : QUrl(url, QUrl::StrictMode);
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const QString value = fieldEditorValue(it->editor);
        if (value.isEmpty())
            ws.params.remove(it.key());
        else
            ws.params.insert(it.key(), value);
    }
    return ws;
}

QMap<QString, QString> WorkspaceDialog::problems() const
{
    const Workspace ws = workspace();
    QMap<QString, QString> out =
        InputRules::checkWorkspace(ws, ProviderRegistry::platform(ws.platform));
    if (m_name->text().trimmed().isEmpty())
        out.insert(kName, tr("Enter a name for the workspace."));
    if (!m_editing && m_key->text().trimmed().isEmpty())
        out.insert(kApiKey, tr("Enter the API key."));
    return out;
}

void WorkspaceDialog::setFieldError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

void WorkspaceDialog::revalidate()
{
    const QMap<QString, QString> found = problems();
    // Say what is wrong with a field once it has been touched or holds a value; a field
    // nobody has typed in yet stays quiet (Save's tooltip still lists it).
    auto shown = [&](const QString &key, const QString &value) {
        if (!m_touched.contains(key) && value.isEmpty())
            return QString();
        return found.value(key);
    };
    setFieldError(m_nameError, shown(kName, m_name->text().trimmed()));
    setFieldError(m_baseUrlError, shown(kBaseUrl, m_baseUrl->text().trimmed()));
    setFieldError(m_keyError, shown(kApiKey, m_key->text().trimmed()));
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
        setFieldError(it->error, shown(it.key(), fieldEditorValue(it->editor)));

    const bool keyEntered = !m_key->text().trimmed().isEmpty();
    const bool needsMemoryChoice = keyEntered && m_services.keys &&
                                   m_services.keys->backend() == KeyStore::Backend::Unavailable &&
                                   !m_keychainNotice->memoryOnly()->isChecked();
    const bool canSave = found.isEmpty() && !needsMemoryChoice && !m_saving;
    m_footer->accept()->setEnabled(canSave);
    QStringList reasons = found.values();
    if (needsMemoryChoice)
        reasons << tr("No keychain is available: choose to keep the key in memory.");
    m_footer->accept()->setToolTip(reasons.join(QLatin1Char('\n')));

    // A test needs valid settings and a key (typed, or stored for an existing workspace).
    QMap<QString, QString> testProblems = found;
    testProblems.remove(kName);
    m_test->setAllowed(testProblems.isEmpty() && !m_saving && m_services.http);
}

void WorkspaceDialog::updateKeychainNotice()
{
    m_keychainNotice->showFor(m_services.keys);
    revalidate();
}

// ---- Save -----------------------------------------------------------------------------

void WorkspaceDialog::setSaving(bool saving)
{
    m_saving = saving;
    m_footer->spinner()->setRunning(saving);
    for (QWidget *w :
         {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_baseUrl),
          static_cast<QWidget *>(m_key), static_cast<QWidget *>(m_keychainNotice->memoryOnly())})
        w->setEnabled(!saving);
    for (const FieldEditor &row : std::as_const(m_fields))
        row.editor->setEnabled(!saving);
    m_platform->setEnabled(!saving && !m_editing);
    revalidate();
}

void WorkspaceDialog::save()
{
    if (m_saving || !problems().isEmpty())
        return;
    const Workspace ws = workspace();
    const QByteArray key = m_key->text().trimmed().toUtf8();
    m_footer->error()->hide();
    // Refused by the store? Say so before a key is written for a workspace that won't exist.
    if (const QString problem = WorkspaceStore::storageProblem(ws); !problem.isEmpty()) {
        failSave(problem);
        return;
    }

    if (key.isEmpty() || !m_services.keys) {
        finishSave(ws);
        return;
    }
    const QString name = KeyStore::keyName(ws.platform, ws.id);
    if (m_keychainNotice->keepsInMemory()) {
        m_services.keys->holdInMemory(name, key);
        finishSave(ws);
        return;
    }
    setSaving(true);
    m_services.keys->writeKey(name, key, this, [this, ws](const KeyResult &r) {
        setSaving(false);
        if (r.ok()) {
            finishSave(ws);
            return;
        }
        updateKeychainNotice();
        failSave(r.status == KeyResult::Status::NoBackend
                     ? tr("The key was not saved: no keychain is available.")
                     : tr("The key was not saved: %1").arg(r.message));
    });
}

void WorkspaceDialog::finishSave(const Workspace &ws)
{
    if (m_services.workspaces) {
        QString error;
        const bool stored = m_services.workspaces->contains(ws.id)
                                ? m_services.workspaces->update(ws, &error)
                                : m_services.workspaces->add(ws, &error);
        if (!stored) {
            failSave(error.isEmpty() ? tr("The workspace could not be saved.") : error);
            return;
        }
    }
    m_key->clear();
    Q_EMIT saved(ws);
    accept();
}

void WorkspaceDialog::failSave(const QString &message)
{
    setFieldError(m_footer->error(), message);
}

} // namespace parley
