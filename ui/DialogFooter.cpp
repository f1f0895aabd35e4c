#include "DialogFooter.h"

#include "BusyIndicator.h"
#include "FieldLabels.h"

#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace parley {

DialogFooter makeDialogFooter(QDialog *dialog, const QString &prefix, const QString &acceptText)
{
    DialogFooter f;
    f.error = makeErrorLabel(dialog, prefix + QLatin1String("Error"));
    f.spinner = new BusyIndicator(dialog);
    f.spinner->setObjectName(prefix + QLatin1String("Spinner"));
    if (acceptText.isEmpty()) {
        f.buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
        f.accept = f.buttons->button(QDialogButtonBox::Save);
    } else {
        f.buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, dialog);
        f.accept = f.buttons->addButton(acceptText, QDialogButtonBox::AcceptRole);
        f.accept->setDefault(true);
    }
    f.accept->setObjectName(prefix + QLatin1String("Button"));
    f.buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    f.row = new QHBoxLayout;
    f.row->addWidget(f.spinner);
    f.row->addWidget(f.error, 1);
    f.row->addWidget(f.buttons);
    return f;
}

} // namespace parley
