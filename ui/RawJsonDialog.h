#pragma once

#include <QByteArray>
#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace parley {

// A message as the platform sent it: its JSON, pretty-printed, read-only, in a monospace
// font, with a find field (Enter finds the next match, Shift+Enter the one before).
// Object names: `rawJsonText`, `rawJsonFind`, `rawJsonFindStatus`.
class RawJsonDialog : public QDialog
{
    Q_OBJECT
public:
    // `what` names the message in the title ("ai/viz 0b7d…").
    RawJsonDialog(const QString &what, const QByteArray &raw, QWidget *parent = nullptr);

    QPlainTextEdit *text() const { return m_text; }
    QLineEdit *findField() const { return m_find; }

    // `raw` indented two spaces a level; text that is not JSON is shown as it is.
    static QString prettyJson(const QByteArray &raw);

    // Selects the next (or previous) match of the find field, wrapping around; false when
    // there is none.
    bool findNext(bool backwards = false);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPlainTextEdit *m_text;
    QLineEdit *m_find;
    QLabel *m_findStatus;
};

} // namespace parley
