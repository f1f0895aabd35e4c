#pragma once

#include <QDialogButtonBox>
#include <QString>

class QDialog;
class QHBoxLayout;
class QLabel;
class QPushButton;

namespace parley {

class BusyIndicator;

// The foot of a dialog that works before it closes (saves a workspace, starts a
// conversation): a spinner while it works, the error of the last try, and the buttons.
// Object names: `<prefix>Spinner`, `<prefix>Error`, `<prefix>Button` and `cancelButton`.
struct DialogFooter
{
    BusyIndicator *spinner = nullptr;
    QLabel *error = nullptr;
    QDialogButtonBox *buttons = nullptr;
    QPushButton *accept = nullptr;
    QHBoxLayout *row = nullptr; // to add below the dialog's form
};

// `acceptText` empty: the standard Save button accepts; else a default button of that text.
DialogFooter makeDialogFooter(QDialog *dialog, const QString &prefix,
                              const QString &acceptText = {});

} // namespace parley
