#include "SuggestionMenu.h"

#include "Icons.h"

#include <QAction>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>

namespace parley {

SuggestionMenu::SuggestionMenu(QLineEdit *edit, const QList<FieldSuggestion> &items,
                               const QString &tooltip)
    : QObject(edit)
    , m_edit(edit)
{
    m_menu = new QMenu(edit);
    m_menu->setObjectName(edit->objectName() + QStringLiteral("_suggestions"));
    for (const FieldSuggestion &s : items) {
        // By name, with the id's start to tell two of the same name apart.
        const QString text =
            s.label.isEmpty() ? s.value : tr("%1  (%2…)").arg(s.label, s.value.left(8));
        QAction *action = m_menu->addAction(text);
        action->setToolTip(s.value);
        connect(action, &QAction::triggered, this, [this, value = s.value] {
            if (!m_edit)
                return;
            m_edit->setText(value);
            m_edit->setFocus(Qt::OtherFocusReason);
            Q_EMIT chosen(value);
        });
    }
    m_menu->setToolTipsVisible(true);

    m_arrow = edit->addAction(Icons::get(Icons::Choose), QLineEdit::TrailingPosition);
    m_arrow->setObjectName(edit->objectName() + QStringLiteral("_choose"));
    m_arrow->setToolTip(tooltip);
    connect(m_arrow, &QAction::triggered, this, &SuggestionMenu::open);
    edit->installEventFilter(this);
}

void SuggestionMenu::open()
{
    if (!m_edit || !m_edit->isEnabled() || m_menu->isEmpty())
        return;
    m_menu->popup(m_edit->mapToGlobal(QPoint(0, m_edit->height())));
}

bool SuggestionMenu::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Down && key->modifiers() == Qt::AltModifier) ||
            (key->key() == Qt::Key_F4 && key->modifiers() == Qt::NoModifier)) {
            open();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace parley
