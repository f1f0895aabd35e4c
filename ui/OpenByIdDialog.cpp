#include "OpenByIdDialog.h"

#include "DialogFooter.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley {

OpenByIdDialog::OpenByIdDialog(const QString &platformName, Parse parse, QWidget *parent)
    : QDialog(parent)
    , m_parse(std::move(parse))
    , m_edit(new QLineEdit(this))
    , m_footer(new DialogFooter(this, QStringLiteral("openById"), tr("&Open")))
{
    setObjectName(QStringLiteral("openByIdDialog"));
    setWindowTitle(tr("Open Conversation by ID"));
    auto *label = new QLabel(tr("&Conversation ID, or its address in %1:").arg(platformName), this);
    label->setBuddy(m_edit);
    auto *hint = new QLabel(tr("It opens even where the list does not show it (a conversation "
                               "of another user, or of another filter)."),
                            this);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    m_edit->setObjectName(QStringLiteral("openByIdEdit"));
    m_edit->setAccessibleName(tr("Conversation ID or address"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(m_edit->fontMetrics().averageCharWidth() * 60);
    m_footer->accept()->setEnabled(false);
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_footer->accept()->setEnabled(!text.trimmed().isEmpty());
        m_footer->error()->clear();
    });
    connect(m_footer->buttons(), &QDialogButtonBox::accepted, this, &OpenByIdDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_edit);
    layout->addWidget(hint);
    layout->addStretch(1);
    layout->addWidget(m_footer);
}

void OpenByIdDialog::accept()
{
    const Result<QString> id = m_parse(m_edit->text());
    if (!id.ok()) {
        m_footer->error()->setText(id.error().detail);
        m_edit->setFocus();
        return;
    }
    m_id = id.value();
    QDialog::accept();
}

} // namespace parley
