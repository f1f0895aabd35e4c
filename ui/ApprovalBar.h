#pragma once

#include "core/Approval.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QVBoxLayout;

namespace parley {

class ApprovalController;

// Above the open transcript while its conversation has approvals (operations the agent waits
// to be allowed to run): one line each with its tool, status and preview, and for a pending
// one Approve and Reject… buttons (enabled as ApprovalController::whyNotAnswer() says; the
// reason is their tooltip). A button asks first (ApprovalDialog: the preview, and for a
// rejection an optional note), then answers through the controller; a refusal of the
// platform shows on the bar. Hidden while there are none. The state lives in the controller.
class ApprovalBar : public QWidget
{
    Q_OBJECT
public:
    explicit ApprovalBar(QWidget *parent = nullptr);

    // Not owned; null detaches.
    void setController(ApprovalController *controller);

    // How a decision is confirmed: true to go ahead, with the rejection's note in `note`.
    // By default an ApprovalDialog; tests replace it.
    using Confirm = std::function<bool(const Approval &approval, bool approve, QString *note)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

private:
    void rebuild();
    void decide(const QString &approvalId, bool approve);

    QPointer<ApprovalController> m_controller;
    QVBoxLayout *m_rows;
    QLabel *m_error;
    Confirm m_confirm;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace parley
