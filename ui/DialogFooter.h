#pragma once

#include <QWidget>

class QDialog;
class QDialogButtonBox;
class QLabel;
class QPushButton;

namespace parley {

class BusyIndicator;

// The foot of a dialog that works before it closes (saves a workspace, starts a
// conversation): a spinner while it works, the error of the last try, and the buttons.
// Object names: `<prefix>Spinner`, `<prefix>Error`, `<prefix>Button` and `cancelButton`.
class DialogFooter : public QWidget
{
    Q_OBJECT
public:
    // `acceptText` empty: the standard Save button accepts; else a default button of that
    // text. Cancel rejects `dialog`.
    DialogFooter(QDialog *dialog, const QString &prefix, const QString &acceptText = {});

    BusyIndicator *spinner() const { return m_spinner; }
    QLabel *error() const { return m_error; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    QPushButton *accept() const { return m_accept; }

private:
    BusyIndicator *m_spinner;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QPushButton *m_accept;
};

} // namespace parley
