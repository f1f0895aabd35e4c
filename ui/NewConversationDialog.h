#pragma once

#include "core/NewConversation.h"
#include "providers/Capabilities.h"

#include <QDialog>
#include <QHash>
#include <QMap>
#include <QSet>

class QButtonGroup;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace parley {

class DialogFooter;

// Starts a conversation on the open workspace's platform, built from its Capabilities:
// a title (createHasTitle), the platform's own fields (createFields: required, pattern,
// choices (an editable list where they are open), JSON checked as typed, hint; two fields that
// exclude each other are offered as a choice of which one to set, so both cannot be given) and the
// first message (required where createNeedsText, at most maxMessageLength characters).
//
// Every field is checked as it is typed, with the reason beside it; Start stays disabled
// until all is valid. Start emits startRequested(); the caller sets the dialog busy and
// either accept()s it once the platform created the conversation or shows the error, with
// everything typed still in place.
class NewConversationDialog : public QDialog
{
    Q_OBJECT
public:
    NewConversationDialog(const Capabilities &capabilities, const QString &platformName,
                          QWidget *parent = nullptr);

    // The request as currently entered (only the chosen field of an exclusive pair).
    NewConversation request() const;
    // What keeps Start disabled, keyed "title", "text" or a field key. Empty when valid.
    QMap<QString, QString> problems() const;

    // While the platform creates the conversation: fields locked, a spinner, no Start.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    // Values the platform has shown for the create fields (FieldSuggestion::field): each
    // such text field gets a menu of them by name (SuggestionMenu). Call once, after
    // construction.
    void setSuggestions(const QList<FieldSuggestion> &suggestions);

    // Why the last start failed, under the fields; empty hides it.
    void showError(const QString &text);

Q_SIGNALS:
    void startRequested(const parley::NewConversation &request);

protected:
    // Ctrl+Enter in the message starts, as it sends in the composer.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct FieldRow
    {
        WorkspaceField field;
        QWidget *editor = nullptr; // QLineEdit or QComboBox
        QLabel *error = nullptr;
        QRadioButton *choice = nullptr; // set for the members of an exclusive pair
    };

    void build();
    void addField(const WorkspaceField &field, QButtonGroup *group);
    bool isChosen(const FieldRow &row) const;
    QString valueOf(const FieldRow &row) const;
    void onEdited(const QString &key);
    void revalidate();
    void start();

    Capabilities m_caps;
    QString m_platformName;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_title = nullptr;
    QList<FieldRow> m_fields;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_textError = nullptr;
    DialogFooter *m_footer = nullptr;
    QSet<QString> m_touched;
    bool m_busy = false;
};

} // namespace parley
