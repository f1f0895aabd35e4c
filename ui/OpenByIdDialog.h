#pragma once

#include "core/Result.h"

#include <QDialog>

#include <functional>

class QLabel;
class QLineEdit;

namespace parley {

class DialogFooter;

// Conversation › Open by ID…: a conversation's id, or an address of the platform's that
// holds one, read by `parse` (the session's conversationIdIn). Open accepts the dialog once
// the text names a conversation; what is wrong with it is said at the foot, and the dialog
// stays. conversationId() is what was opened.
class OpenByIdDialog : public QDialog
{
    Q_OBJECT
public:
    using Parse = std::function<Result<QString>(const QString &text)>;

    OpenByIdDialog(const QString &platformName, Parse parse, QWidget *parent = nullptr);

    QString conversationId() const { return m_id; }
    QLineEdit *edit() const { return m_edit; }

    void accept() override;

private:
    Parse m_parse;
    QLineEdit *m_edit;
    DialogFooter *m_footer;
    QString m_id;
};

} // namespace parley
