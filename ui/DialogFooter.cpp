#include "DialogFooter.h"

#include "BusyIndicator.h"
#include "FieldLabels.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace parley {

DialogFooter::DialogFooter(QDialog *dialog, const QString &prefix, const QString &acceptText)
    : QWidget(dialog)
    , m_spinner(new BusyIndicator(this))
    , m_error(makeErrorLabel(this, prefix + QLatin1String("Error")))
    , m_buttons(new QDialogButtonBox(acceptText.isEmpty()
                                         ? QDialogButtonBox::Save | QDialogButtonBox::Cancel
                                         : QDialogButtonBox::Cancel,
                                     this))
    , m_accept(acceptText.isEmpty()
                   ? m_buttons->button(QDialogButtonBox::Save)
                   : m_buttons->addButton(acceptText, QDialogButtonBox::AcceptRole))
{
    m_spinner->setObjectName(prefix + QLatin1String("Spinner"));
    if (!acceptText.isEmpty())
        m_accept->setDefault(true);
    m_accept->setObjectName(prefix + QLatin1String("Button"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_spinner);
    row->addWidget(m_error, 1);
    row->addWidget(m_buttons);
}

} // namespace parley
