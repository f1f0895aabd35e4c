#pragma once

#include "FieldEditor.h"

#include "core/ApiError.h"
#include "core/Workspace.h"
#include "net/HttpClient.h"
#include "secrets/KeyResult.h"
#include "session/AppServices.h"

#include <QDialog>

#include <QHash>
#include <QPointer>
#include <QSet>
#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;

namespace parley {

class DialogFooter;

class ConnectionTestRow;
class KeychainNotice;

// Adds or edits a workspace: name, platform, base URL, the platform's own fields and the
// API key. Every field is checked as it is typed (InputRules::checkWorkspace) with the
// reason beside it; Save stays disabled until all is valid. "Test connection" makes one
// authenticated request with what is entered. Saving writes the key to the KeyStore
// (never to settings; memory-only when the user chooses so because there is no keychain)
// and then the workspace to the WorkspaceStore.
class WorkspaceDialog : public QDialog
{
    Q_OBJECT
public:
    // A dialog for a new workspace.
    explicit WorkspaceDialog(const AppServices &services, QWidget *parent = nullptr);
    // A dialog editing `existing` (its platform cannot change; an empty key keeps the
    // stored one).
    WorkspaceDialog(const AppServices &services, const Workspace &existing,
                    QWidget *parent = nullptr);
    ~WorkspaceDialog() override;

    bool isEditing() const { return m_editing; }
    // The workspace as currently entered.
    Workspace workspace() const;
    // Problems with what is entered, keyed like InputRules::checkWorkspace ("name",
    // "base_url", "api_key", field keys). Empty when Save may proceed.
    QMap<QString, QString> problems() const;

Q_SIGNALS:
    // After the key and the workspace were stored.
    void saved(const parley::Workspace &workspace);

private:
    void build();
    void loadPlatform(const QString &platformId, const QMap<QString, QString> &values);
    void revalidate();
    // Sets the settings left on automatic to the API forms a test found.
    void fillAutomatic(const QMap<QString, QString> &found);
    void markTouched(const QString &key);
    void setFieldError(QLabel *label, const QString &text);
    QString currentPlatform() const;
    void onPlatformChanged();
    void onInputChanged(const QString &key);
    void updateKeychainNotice();

    void save();
    void finishSave(const Workspace &workspace);
    void failSave(const QString &message);
    void setSaving(bool saving);

    AppServices m_services;
    bool m_editing = false;
    Workspace m_original;
    QUuid m_id;

    QLineEdit *m_name = nullptr;
    QLabel *m_nameError = nullptr;
    QComboBox *m_platform = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_baseUrlError = nullptr;
    QFormLayout *m_form = nullptr;
    int m_firstFieldRow = 0;
    QHash<QString, FieldEditor> m_fields; // by field key
    QLineEdit *m_key = nullptr;
    QLabel *m_keyHint = nullptr;
    QLabel *m_keyError = nullptr;
    KeychainNotice *m_keychainNotice = nullptr;
    ConnectionTestRow *m_test = nullptr;
    DialogFooter *m_footer = nullptr;

    QSet<QString> m_touched;
    QString m_lastDefaultBaseUrl;
    bool m_saving = false;
};

} // namespace parley
