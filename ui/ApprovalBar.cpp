#include "ApprovalBar.h"

#include "ApprovalDialog.h"
#include "FieldLabels.h"

#include "controllers/ApprovalController.h"
#include "core/ApiError.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley {

namespace {

QString statusWords(const Approval &a)
{
    switch (a.status) {
    case Approval::Status::Pending:
        return ApprovalBar::tr("waiting for your decision");
    case Approval::Status::Approved:
        return ApprovalBar::tr("approved");
    case Approval::Status::Rejected:
        return ApprovalBar::tr("rejected");
    case Approval::Status::Expired:
        return ApprovalBar::tr("expired without a decision");
    case Approval::Status::Other:
        break;
    }
    return a.statusName();
}

} // namespace

ApprovalBar::ApprovalBar(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QVBoxLayout)
    , m_error(makeErrorLabel(this, QStringLiteral("approvalError")))
{
    setObjectName(QStringLiteral("approvalBar"));
    m_confirm = [this](const Approval &approval, bool approve, QString *note) {
        ApprovalDialog dialog(approval, approve, this);
        if (dialog.exec() != QDialog::Accepted)
            return false;
        *note = dialog.note();
        return true;
    };
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    m_rows->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_rows);
    layout->addWidget(m_error);
    hide();
}

void ApprovalBar::setController(ApprovalController *controller)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_controller = controller;
    setFieldError(m_error, {});
    if (controller) {
        m_connections = {
            connect(controller, &ApprovalController::approvalsChanged, this, &ApprovalBar::rebuild),
            connect(controller, &ApprovalController::answeringChanged, this, &ApprovalBar::rebuild),
            connect(
                controller, &ApprovalController::answered, this,
                [this](const QString &, bool, const ApiError &error) {
                    setFieldError(
                        m_error,
                        error.isError() && error.kind != ApiError::Kind::Canceled
                            ? tr("The platform did not take the decision: %1").arg(error.message())
                            : QString());
                }),
        };
    }
    rebuild();
}

void ApprovalBar::rebuild()
{
    // Later, not now: the click that led here may still be running in one of their buttons.
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        if (QWidget *old = item->widget()) {
            old->hide();
            for (QObject *named : old->findChildren<QObject *>())
                named->setObjectName(QString());
            old->setObjectName(QString());
            old->deleteLater();
        }
        delete item;
    }
    const QList<Approval> approvals = m_controller ? m_controller->approvals() : QList<Approval>();
    for (const Approval &a : approvals) {
        auto *row = new QWidget(this);
        row->setObjectName(QStringLiteral("approvalRow_") + a.id);
        auto *text = new QLabel(row);
        text->setObjectName(QStringLiteral("approvalText_") + a.id);
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const bool answering = m_controller->answeringId() == a.id;
        QString line = tr("Approval: %1 (%2)")
                           .arg(a.tool.isEmpty() ? tr("an operation") : a.tool,
                                answering ? tr("answer sent…") : statusWords(a));
        if (!a.preview.isEmpty())
            line += QStringLiteral(" — ") + a.preview;
        text->setText(line);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(text, 1);
        if (a.isPending()) {
            const QString why = m_controller->whyNotAnswer(a.id);
            auto *approve = new QPushButton(tr("Approve…"), row);
            approve->setObjectName(QStringLiteral("approve_") + a.id);
            auto *reject = new QPushButton(tr("Reject…"), row);
            reject->setObjectName(QStringLiteral("reject_") + a.id);
            for (QPushButton *b : {approve, reject}) {
                b->setAutoDefault(false);
                b->setEnabled(why.isEmpty());
                b->setToolTip(why);
                h->addWidget(b, 0, Qt::AlignTop);
            }
            connect(approve, &QPushButton::clicked, this, [this, id = a.id] { decide(id, true); });
            connect(reject, &QPushButton::clicked, this, [this, id = a.id] { decide(id, false); });
        }
        m_rows->addWidget(row);
    }
    setVisible(!approvals.isEmpty());
}

void ApprovalBar::decide(const QString &approvalId, bool approve)
{
    if (!m_controller)
        return;
    const Approval *approval = m_controller->find(approvalId);
    if (!approval)
        return;
    const Approval shown = *approval; // the dialog runs the event loop: the list may change
    QString note;
    if (!m_confirm(shown, approve, &note))
        return;
    setFieldError(m_error, {});
    QString whyNot;
    if (m_controller && !m_controller->answer({shown.id, approve, note}, &whyNot))
        setFieldError(m_error, whyNot);
}

} // namespace parley
