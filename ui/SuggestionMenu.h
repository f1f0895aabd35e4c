#pragma once

#include "core/NewConversation.h"

#include <QObject>
#include <QPointer>

class QAction;
class QLineEdit;
class QMenu;

namespace parley {

// Offers the values a line edit may take (FieldSuggestion: value and the name it goes by):
// a down arrow at the end of the field, Alt+Down or F4 open a menu of them by name; choosing
// one puts its value in the field and emits chosen(). The line edit stays free text.
class SuggestionMenu : public QObject
{
    Q_OBJECT
public:
    // `tooltip` is the arrow's ("Choose an App ID seen in the conversation list").
    SuggestionMenu(QLineEdit *edit, const QList<FieldSuggestion> &items, const QString &tooltip);

    // Opens the menu under the field (not modal; menu() while it is open).
    void open();
    QMenu *menu() const { return m_menu; }
    QAction *arrow() const { return m_arrow; }

Q_SIGNALS:
    void chosen(const QString &value);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QLineEdit> m_edit;
    QMenu *m_menu = nullptr;
    QAction *m_arrow = nullptr;
};

} // namespace parley
