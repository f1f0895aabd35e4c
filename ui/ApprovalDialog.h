#pragma once

#include "core/Approval.h"

#include <QDialog>

class QPlainTextEdit;

namespace parley {

// Asks before an approval is answered: the operation's tool, its preview and what it would
// be run with, and for a rejection an optional note telling the agent why. OK says
// "Approve" or "Reject".
class ApprovalDialog : public QDialog
{
    Q_OBJECT
public:
    ApprovalDialog(const Approval &approval, bool approve, QWidget *parent = nullptr);

    // The rejection's note as typed (trimmed); empty for an approval.
    QString note() const;

private:
    QPlainTextEdit *m_note = nullptr;
};

} // namespace parley
