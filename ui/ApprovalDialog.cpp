#include "ApprovalDialog.h"

#include "FieldLabels.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley {

ApprovalDialog::ApprovalDialog(const Approval &approval, bool approve, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("approvalDialog"));
    setWindowTitle(approve ? tr("Approve Operation") : tr("Reject Operation"));
    setModal(true);
    setMinimumWidth(480);

    auto *intro = makeHintLabel(
        this, approve ? tr("The agent runs this operation on the platform once you approve it.")
                      : tr("The agent does not run this operation and is told so."));
    auto *form = new QFormLayout;
    auto *tool = new QLabel(this);
    tool->setObjectName(QStringLiteral("approvalTool"));
    tool->setTextFormat(Qt::PlainText);
    tool->setText(approval.tool);
    form->addRow(tr("Operation:"), tool);
    auto *preview = new QLabel(this);
    preview->setObjectName(QStringLiteral("approvalPreview"));
    preview->setTextFormat(Qt::PlainText);
    preview->setWordWrap(true);
    preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    preview->setText(approval.preview.isEmpty() ? tr("(the platform gave no preview)")
                                                : approval.preview);
    form->addRow(tr("What it does:"), preview);
    if (!approval.payloadJson.isEmpty()) {
        auto *payload = new QPlainTextEdit(approval.payloadJson, this);
        payload->setObjectName(QStringLiteral("approvalPayload"));
        payload->setReadOnly(true);
        payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        payload->setMaximumHeight(QFontMetrics(payload->font()).lineSpacing() * 5 + 12);
        form->addRow(tr("Run with:"), payload);
    }
    if (!approve) {
        m_note = new QPlainTextEdit(this);
        m_note->setObjectName(QStringLiteral("rejectNote"));
        m_note->setAccessibleName(tr("Note for the agent"));
        m_note->setPlaceholderText(tr("Optional: why, for the agent"));
        m_note->setTabChangesFocus(true);
        m_note->setMaximumHeight(QFontMetrics(m_note->font()).lineSpacing() * 4 + 12);
        form->addRow(tr("&Note:"), m_note);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("confirmDecision"));
    ok->setText(approve ? tr("&Approve") : tr("&Reject"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString ApprovalDialog::note() const
{
    return m_note ? m_note->toPlainText().trimmed() : QString();
}

} // namespace parley
