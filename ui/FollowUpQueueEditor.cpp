#include "FollowUpQueueEditor.h"

#include "controllers/FollowUpQueueController.h"
#include "models/FollowUpQueueModel.h"
#include "session/WorkspaceSession.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace parley {

FollowUpQueueEditor::FollowUpQueueEditor(QWidget *parent)
    : QDialog(parent)
    , m_model(new FollowUpQueueModel(this))
    , m_controller(new FollowUpQueueController(m_model, this))
    , m_view(new QListView(this))
    , m_text(new QLineEdit(this))
    , m_submit(new QPushButton(tr("&Add"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_clear(new QPushButton(tr("C&lear All"), this))
    , m_limit(new QLabel(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Queued Follow-ups"));
    setObjectName(u"queueEditor"_s);
    m_view->setObjectName(u"queueList"_s);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Queued follow-ups, in the order the agent takes them"));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_text->setObjectName(u"queueText"_s);
    m_text->setPlaceholderText(tr("A follow-up for when the current reply ends"));
    m_text->setAccessibleName(tr("Follow-up text"));
    m_submit->setObjectName(u"queueSubmit"_s);
    // Enter in the text field submits once (returnPressed); no button is the dialog's
    // default, or Enter would also press it.
    for (QPushButton *b : {m_submit, m_delete, m_clear})
        b->setAutoDefault(false);
    m_delete->setObjectName(u"queueDelete"_s);
    m_clear->setObjectName(u"queueClear"_s);
    m_limit->setObjectName(u"queueLimit"_s);
    m_status->setObjectName(u"queueStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *entry = new QHBoxLayout;
    entry->addWidget(m_text, 1);
    entry->addWidget(m_submit);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_limit, 1);
    actions->addWidget(m_delete);
    actions->addWidget(m_clear);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    // Close too: as the dialog's default it took the Enter that added a follow-up, and
    // closed (and, opened from the window, deleted) the editor.
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);
    layout->addLayout(entry);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(520, 360);

    connect(m_text, &QLineEdit::returnPressed, this, &FollowUpQueueEditor::submit);
    connect(m_text, &QLineEdit::textChanged, this, &FollowUpQueueEditor::updateState);
    connect(m_submit, &QPushButton::clicked, this, &FollowUpQueueEditor::submit);
    connect(m_delete, &QPushButton::clicked, this, &FollowUpQueueEditor::removeSelected);
    connect(m_clear, &QPushButton::clicked, this, &FollowUpQueueEditor::askClear);
    m_view->installEventFilter(this); // Delete removes the selected follow-up
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &FollowUpQueueEditor::selectionChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FollowUpQueueEditor::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &FollowUpQueueEditor::updateState);
    connect(m_model, &FollowUpQueueModel::limitChanged, this, &FollowUpQueueEditor::updateState);
    connect(m_controller, &FollowUpQueueController::busyChanged, this,
            &FollowUpQueueEditor::updateState);
    connect(m_controller, &FollowUpQueueController::errorChanged, this,
            &FollowUpQueueEditor::updateState);
    connect(m_controller, &FollowUpQueueController::changed, this, [this] {
        m_text->clear(); // only once the platform has the text
        m_view->clearSelection();
        m_view->setCurrentIndex({});
    });
    updateState();
}

void FollowUpQueueEditor::setConversation(const WorkspaceSession *session,
                                          const QString &conversationId)
{
    m_maxLength = session ? session->capabilities().maxMessageLength : 0;
    if (session)
        session->bindFollowUps(m_controller, conversationId);
    else
        m_controller->setConversation(nullptr, conversationId);
    updateState();
}

bool FollowUpQueueEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->matches(QKeySequence::Delete)) {
        removeSelected();
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void FollowUpQueueEditor::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    m_controller->setActive(true);
    m_controller->refresh();
}

void FollowUpQueueEditor::hideEvent(QHideEvent *event)
{
    m_controller->setActive(false);
    QDialog::hideEvent(event);
}

void FollowUpQueueEditor::addText(const QString &text)
{
    m_view->setCurrentIndex({});
    m_text->setText(text);
    submit();
}

QString FollowUpQueueEditor::selectedId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(FollowUpQueueModel::IdRole).toString() : QString();
}

void FollowUpQueueEditor::submit()
{
    const QString text = m_text->text().trimmed();
    if (text.isEmpty() || (m_maxLength > 0 && text.size() > m_maxLength))
        return;
    const QString id = selectedId();
    if (id.isEmpty())
        m_controller->add(text);
    else
        m_controller->edit(id, text);
}

void FollowUpQueueEditor::removeSelected()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        m_controller->remove(id);
}

void FollowUpQueueEditor::askClear()
{
    if (m_model->rowCount() == 0)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Clear the queue?"),
                                tr("Remove all %n queued follow-up(s)? They will not be sent.",
                                   nullptr, m_model->rowCount()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"confirmClear"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, m_controller, &FollowUpQueueController::clearAll);
    box->open(); // not exec(): no nested event loop
}

void FollowUpQueueEditor::selectionChanged()
{
    const QModelIndex current = m_view->currentIndex();
    m_text->setText(current.isValid() ? current.data(FollowUpQueueModel::ContentRole).toString()
                                      : QString());
    updateState();
}

void FollowUpQueueEditor::updateState()
{
    const int count = m_model->rowCount();
    const int max = m_model->maxItems();
    const bool editing = !selectedId().isEmpty();
    const bool busy = m_controller->isBusy();
    const QString text = m_text->text().trimmed();
    const bool tooLong = m_maxLength > 0 && text.size() > m_maxLength;
    m_limit->setText(max > 0 ? tr("%1 of %2 queued").arg(count).arg(max)
                             : tr("%n queued", nullptr, count));
    m_submit->setText(editing ? tr("&Save") : tr("&Add"));
    const bool full = !editing && m_model->isFull();
    m_submit->setEnabled(!text.isEmpty() && !tooLong && !full);
    m_submit->setToolTip(full ? tr("The queue is full (%1 at most): wait until the agent takes "
                                   "the next one, or edit or delete one.")
                                    .arg(max)
                              : QString());
    m_delete->setEnabled(editing);
    m_clear->setEnabled(count > 0);
    if (m_controller->error())
        m_status->setText(m_controller->errorText());
    else if (tooLong)
        m_status->setText(tr("%1 characters; at most %2.").arg(text.size()).arg(m_maxLength));
    else
        m_status->setText(busy ? tr("Talking to the platform…") : QString());
}

} // namespace parley
