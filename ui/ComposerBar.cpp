#include "ComposerBar.h"

#include "BusyIndicator.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/ReplyController.h"
#include "rules/InputRules.h"
#include "store/Settings.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace parley {

namespace {

// Drafts are written this long after the last keystroke (and on every switch and on quit).
constexpr int kSaveDelayMs = 1500;
const QColor kErrorColor(0xc9, 0x37, 0x2c);

// The counter appears once this share of the limit is used.
bool nearLimit(qsizetype length, int limit)
{
    return limit > 0 && length * 10 >= qsizetype(limit) * 8;
}

} // namespace

ComposerBar::ComposerBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_counter(new QLabel(this))
    , m_busy(new BusyIndicator(this))
    , m_status(new QLabel(this))
    , m_queue(new QPushButton(tr("&Queue"), this))
    , m_cancel(new QPushButton(tr("Cancel Reply"), this))
    , m_append(new QPushButton(tr("Append &Note"), this))
    , m_retryNote(new QPushButton(tr("&Retry Note"), this))
    , m_send(new QPushButton(tr("&Send"), this))
    , m_saveTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("composerBar"));

    m_edit->setObjectName(QStringLiteral("composerEdit"));
    m_edit->setAccessibleName(tr("Message"));
    m_edit->setPlaceholderText(
        tr("Write a message… Ctrl+Enter sends it, Enter starts a new line."));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->installEventFilter(this);
    const int line = QFontMetrics(m_edit->font()).lineSpacing();
    m_edit->setMinimumHeight(line * 3 + 12);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

    m_counter->setObjectName(QStringLiteral("composerCounter"));
    m_counter->hide();
    m_busy->setObjectName(QStringLiteral("composerBusy"));
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_queue->setObjectName(QStringLiteral("queueButton"));
    m_queue->setToolTip(tr("Send this message when the running reply ends"));
    m_queue->setAutoDefault(false);
    m_queue->hide();
    m_cancel->setObjectName(QStringLiteral("cancelReplyButton"));
    m_cancel->setToolTip(tr("Ask the platform to stop the reply"));
    m_cancel->setIcon(QIcon::fromTheme(QStringLiteral("process-stop")));
    m_cancel->setAutoDefault(false);
    m_cancel->hide();
    m_append->setObjectName(QStringLiteral("appendNoteButton"));
    m_append->setAutoDefault(false);
    m_retryNote->setObjectName(QStringLiteral("retryNoteButton"));
    m_retryNote->setToolTip(
        tr("Try to add the note again now; it stays in the outbox until it is delivered"));
    m_retryNote->setAutoDefault(false);
    m_retryNote->hide();
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setIcon(QIcon::fromTheme(QStringLiteral("document-send")));
    m_send->setAutoDefault(false);
    m_send->setDefault(false);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_busy, 0, Qt::AlignVCenter);
    row->addWidget(m_status, 1);
    row->addWidget(m_counter, 0, Qt::AlignVCenter);
    row->addWidget(m_queue);
    row->addWidget(m_cancel);
    row->addWidget(m_retryNote);
    row->addWidget(m_append);
    row->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 4);
    layout->setSpacing(4);
    layout->addWidget(m_edit, 1);
    layout->addLayout(row);

    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(kSaveDelayMs);
    connect(m_saveTimer, &QTimer::timeout, this, &ComposerBar::saveDrafts);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ComposerBar::onTextChanged);
    connect(m_send, &QPushButton::clicked, this, &ComposerBar::send);
    connect(m_append, &QPushButton::clicked, this, &ComposerBar::appendNote);
    connect(m_cancel, &QPushButton::clicked, this, &ComposerBar::cancelReply);
    connect(m_queue, &QPushButton::clicked, this, &ComposerBar::requestQueue);
    connect(m_retryNote, &QPushButton::clicked, this, &ComposerBar::retryNote);
    updateState();
}

ComposerBar::~ComposerBar()
{
    saveDrafts();
}

QSize ComposerBar::sizeHint() const
{
    QSize size = QWidget::sizeHint();
    const int editor = QFontMetrics(m_edit->font()).lineSpacing() * 4 + 12;
    const int row = qMax(m_send->sizeHint().height(), m_status->sizeHint().height());
    size.setHeight(editor + row + 12);
    return size;
}

QString ComposerBar::draftKey(const QUuid &workspaceId, const QString &conversationId)
{
    return workspaceId.toString(QUuid::WithoutBraces) + QLatin1Char('\n') + conversationId;
}

void ComposerBar::setReplyController(ReplyController *replies)
{
    if (m_replies)
        disconnect(m_replies, nullptr, this, nullptr);
    m_replies = replies;
    if (replies) {
        connect(replies, &ReplyController::stateChanged, this, &ComposerBar::updateState);
        connect(replies, &ReplyController::statusTextChanged, this, &ComposerBar::updateState);
        connect(replies, &ReplyController::accepted, this, &ComposerBar::onAccepted);
        connect(replies, &ReplyController::finished, this, &ComposerBar::onFinished);
        connect(replies, &ReplyController::cancelFailed, this, &ComposerBar::onCancelFailed);
    }
    updateState();
}

void ComposerBar::setOutboxDelivery(OutboxDelivery *queue)
{
    if (m_outbox)
        disconnect(m_outbox, nullptr, this, nullptr);
    m_outbox = queue;
    m_notes.clear();
    if (queue) {
        // Notes still in the outbox from an earlier run are shown like this run's.
        for (const OutboxEntry &entry : queue->entries()) {
            if (entry.state != OutboxEntry::State::Sent)
                m_notes.insert(entry.clientId, entry.conversationId);
        }
        connect(queue, &OutboxDelivery::entryChanged, this, &ComposerBar::onNoteChanged);
        connect(queue, &OutboxDelivery::delivered, this,
                [this](const QUuid &workspaceId, const QString &conversationId) {
                    onNoteDelivered(workspaceId, conversationId);
                });
        connect(queue, &OutboxDelivery::entryRemoved, this, [this](const QUuid &clientId) {
            m_notes.remove(clientId);
            updateState();
        });
    }
    updateState();
}

void ComposerBar::setSettings(Settings *settings)
{
    m_settings = settings;
}

void ComposerBar::setCapabilities(const Capabilities &capabilities)
{
    m_caps = capabilities;
    updateState();
}

void ComposerBar::setConversation(const QUuid &workspaceId, const QString &conversationId,
                                  bool persistDrafts)
{
    if (workspaceId == m_workspaceId && conversationId == m_conversationId)
        return;
    saveDrafts();
    m_workspaceId = workspaceId;
    m_conversationId = conversationId;
    m_persist = persistDrafts;
    clearNotice();
    setEditorText(draft(conversationId));
    // A note of this conversation still in the outbox: what it is doing.
    for (auto it = m_notes.constBegin(); it != m_notes.constEnd(); ++it) {
        if (*it == conversationId)
            onNoteChanged(it.key());
    }
    updateState();
}

QString ComposerBar::draft(const QString &conversationId) const
{
    if (conversationId.isEmpty())
        return {};
    const auto it = m_drafts.constFind(draftKey(m_workspaceId, conversationId));
    if (it != m_drafts.constEnd())
        return it->text;
    if (m_settings && m_persist)
        return m_settings->draft(m_workspaceId, conversationId);
    return {};
}

void ComposerBar::setDraft(const QString &conversationId, const QString &text)
{
    if (conversationId.isEmpty())
        return;
    Draft &d = m_drafts[draftKey(m_workspaceId, conversationId)];
    d.text = text;
    d.persist = m_persist;
    d.dirty = true;
    if (conversationId == m_conversationId)
        setEditorText(text);
    m_saveTimer->start();
    updateState();
}

void ComposerBar::discardDraft(const QString &conversationId, const QString &text)
{
    if (draft(conversationId).trimmed() != text.trimmed())
        return; // typed on since: keep it
    setDraft(conversationId, QString());
}

void ComposerBar::saveDrafts()
{
    m_saveTimer->stop();
    for (auto it = m_drafts.begin(); it != m_drafts.end(); ++it) {
        if (!it->dirty)
            continue;
        it->dirty = false;
        if (!it->persist || !m_settings)
            continue;
        const qsizetype cut = it.key().indexOf(QLatin1Char('\n'));
        const QUuid workspaceId = QUuid::fromString(it.key().left(cut));
        m_settings->setDraft(workspaceId, it.key().mid(cut + 1), it->text);
    }
}

void ComposerBar::setEditorText(const QString &text)
{
    if (m_edit->toPlainText() == text)
        return;
    m_settingText = true;
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
    m_settingText = false;
}

void ComposerBar::onTextChanged()
{
    if (!m_settingText && !m_conversationId.isEmpty()) {
        Draft &d = m_drafts[draftKey(m_workspaceId, m_conversationId)];
        d.text = m_edit->toPlainText();
        d.persist = m_persist;
        d.dirty = true;
        m_saveTimer->start();
        // What the notice said about the previous text no longer holds.
        if (m_offerQueue)
            clearNotice();
    }
    updateState();
}

bool ComposerBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
        if (enter && mods == Qt::ControlModifier) {
            if (m_send->isVisible())
                send();
            return true; // never a stray newline
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool ComposerBar::replyRunningHere() const
{
    return m_replies && m_replies->isRunning() && !m_conversationId.isEmpty() &&
           m_replies->conversationId() == m_conversationId;
}

void ComposerBar::send()
{
    if (!m_replies)
        return;
    const QString text = m_edit->toPlainText().trimmed();
    if (!m_send->isEnabled()) {
        // Ctrl+Enter while the conversation's reply runs (this window's or one followed as it
        // is written elsewhere): the platform would refuse it as busy; say so at once.
        if (replyRunningHere() && !text.isEmpty())
            offerQueue(text);
        return;
    }
    QString why;
    clearNotice();
    if (!m_replies->send(text, &why)) {
        setNotice(why, true, false);
        return;
    }
    updateState();
}

void ComposerBar::offerQueue(const QString &text)
{
    const bool canQueue = m_caps.can(Capabilities::FollowUps);
    m_queueText = text;
    setNotice(canQueue ? tr("This conversation is still answering. Queue the message to send "
                            "it when the reply ends?")
                       : tr("This conversation is still answering. Send the message again "
                            "when the reply has ended."),
              true, canQueue);
    updateState();
}

void ComposerBar::appendNote()
{
    if (!m_append->isEnabled() || !m_outbox)
        return;
    const QString conversationId = m_conversationId;
    const QString text = m_edit->toPlainText().trimmed();
    QString error;
    const QUuid id = m_outbox->enqueue(m_workspaceId, conversationId, text, &error);
    if (id.isNull()) {
        // Not saved: the text stays where it is.
        setNotice(tr("The note was not saved: %1").arg(error), true, false);
        return;
    }
    m_notes.insert(id, conversationId);
    setDraft(conversationId, QString());
    setNotice(tr("Note saved; adding it to the conversation…"), false, false);
    updateState();
}

void ComposerBar::cancelReply()
{
    if (m_replies && replyRunningHere())
        m_replies->cancel();
}

void ComposerBar::requestQueue()
{
    if (m_conversationId.isEmpty() || m_queueText.isEmpty())
        return;
    const QString text = m_queueText;
    clearNotice();
    Q_EMIT queueRequested(m_conversationId, text);
}

void ComposerBar::onAccepted(const QString &conversationId, const QString &text)
{
    // The platform has the message: the draft goes, unless it was changed meanwhile.
    discardDraft(conversationId, text);
    if (conversationId == m_conversationId)
        clearNotice();
}

void ComposerBar::onFinished(const QString &conversationId, const QString &text,
                             const ApiError &error, bool accepted)
{
    if (conversationId.isEmpty() || conversationId != m_conversationId) {
        updateState();
        return;
    }
    if (!error.isError()) {
        clearNotice();
    } else if (m_replies->isFollowed() && error.kind != ApiError::Kind::Canceled) {
        // A reply written elsewhere whose stream broke off or was refused: the conversation
        // is polled instead; nothing of the user's was lost, so nothing to say here.
    } else if (error.kind == ApiError::Kind::Canceled) {
        setNotice(tr("Reply canceled."), false, false);
    } else if (!accepted && error.reason == ApiError::Reason::ConversationBusy) {
        offerQueue(text);
    } else if (!accepted) {
        setNotice(tr("Not sent: %1").arg(error.message()), true, false);
    } else {
        setNotice(tr("The reply ended early: %1").arg(error.message()), true, false);
    }
    updateState();
}

void ComposerBar::onCancelFailed(const ApiError &error)
{
    if (replyRunningHere())
        setNotice(tr("The reply could not be canceled: %1").arg(error.message()), true, false);
}

void ComposerBar::onNoteChanged(const QUuid &clientId)
{
    const auto it = m_notes.constFind(clientId);
    if (!m_outbox || it == m_notes.constEnd() || *it != m_conversationId)
        return;
    const OutboxDelivery::Status status = m_outbox->status(clientId);
    const QString text = m_outbox->statusText(clientId);
    if (status == OutboxDelivery::Status::Failed || status == OutboxDelivery::Status::Blocked ||
        status == OutboxDelivery::Status::Waiting)
        setNotice(text, true, false);
    else if (!text.isEmpty())
        setNotice(text, false, false);
    updateState();
}

QUuid ComposerBar::noteToRetry() const
{
    if (!m_outbox || m_conversationId.isEmpty())
        return {};
    for (auto it = m_notes.constBegin(); it != m_notes.constEnd(); ++it) {
        if (*it != m_conversationId || !m_outbox->canRetry(it.key()))
            continue;
        const std::optional<OutboxEntry> entry = m_outbox->entry(it.key());
        if (entry && entry->workspaceId == m_workspaceId)
            return it.key();
    }
    return {};
}

void ComposerBar::retryNote()
{
    const QUuid id = noteToRetry();
    if (!id.isNull())
        m_outbox->retry(id);
    updateState();
}

void ComposerBar::onNoteDelivered(const QUuid &workspaceId, const QString &conversationId)
{
    if (workspaceId == m_workspaceId && conversationId == m_conversationId)
        setNotice(tr("Note added."), false, false);
}

void ComposerBar::showNotice(const QString &text, bool error)
{
    setNotice(text, error, false);
}

QString ComposerBar::noticeText() const
{
    return m_notice;
}

void ComposerBar::clearNotice()
{
    setNotice(QString(), false, false);
}

void ComposerBar::setNotice(const QString &text, bool error, bool offerQueue)
{
    m_notice = text;
    m_noticeIsError = error && !text.isEmpty();
    m_offerQueue = offerQueue && !text.isEmpty();
    if (!m_offerQueue)
        m_queueText.clear();
    updateState();
}

void ComposerBar::updateState()
{
    const bool open = !m_conversationId.isEmpty();
    const QString text = m_edit->toPlainText();
    const bool empty = text.trimmed().isEmpty();
    const int limit = m_caps.maxMessageLength;
    const bool tooLong = limit > 0 && text.size() > limit;
    const bool here = replyRunningHere();
    // Until the platform took the message, the text sent is what the box shows.
    const bool sending = here && !m_replies->isAccepted();

    m_edit->setEnabled(open);
    m_edit->setReadOnly(sending);

    // Send
    m_send->setVisible(m_caps.can(Capabilities::Send));
    // The reply controller decides, as it does when Send is pressed.
    const QString sendWhy =
        m_replies ? m_replies->whyNotSend(text) : tr("Sending is not available.");
    m_send->setEnabled(sendWhy.isEmpty());
    m_send->setToolTip(sendWhy.isEmpty() ? tr("Send the message and stream the reply (Ctrl+Enter)")
                                         : sendWhy);

    // Append Note
    m_append->setVisible(m_caps.can(Capabilities::Append));
    QString appendWhy;
    if (!m_outbox)
        appendWhy = tr("Notes go through the local outbox, which is not available.");
    else if (!m_outbox->isAvailable())
        appendWhy = m_outbox->unavailableReason();
    else if (!open)
        appendWhy = tr("Open a conversation first.");
    else if (empty)
        appendWhy = tr("Write a note first.");
    else if (tooLong)
        appendWhy = InputRules::checkMessageLength(m_caps, text);
    m_append->setEnabled(appendWhy.isEmpty());
    m_retryNote->setVisible(!noteToRetry().isNull());
    m_append->setToolTip(appendWhy.isEmpty()
                             ? tr("Add the text to the conversation without running the agent")
                             : appendWhy);

    // Cancel Reply
    const bool canceling = here && m_replies->state() == ReplyController::State::Canceling;
    // A reply followed as it is written elsewhere is stopped from the line above the
    // transcript (RunningBar), which every platform shows.
    m_cancel->setVisible(here && !m_replies->isFollowed() && m_caps.can(Capabilities::Cancel) &&
                         m_replies->isAccepted());
    m_cancel->setEnabled(!canceling);
    m_cancel->setText(canceling ? tr("Canceling…") : tr("Cancel Reply"));

    // Counter
    if (nearLimit(text.size(), limit)) {
        const QLocale locale;
        m_counter->setText(
            tr("%1 / %2").arg(locale.toString(qsizetype(text.size())), locale.toString(limit)));
        QPalette pal = m_counter->palette();
        pal.setColor(QPalette::WindowText,
                     tooLong ? kErrorColor : palette().color(QPalette::PlaceholderText));
        m_counter->setPalette(pal);
        m_counter->setToolTip(
            tooLong ? tr("%n character(s) too many", nullptr, int(text.size()) - limit)
                    : QString());
        m_counter->show();
    } else {
        m_counter->hide();
    }

    // Status line: the running reply, else the last notice.
    QString status;
    bool error = false;
    if (here) {
        status = m_replies->statusText();
        // A notice wins where it matters more: an error (the cancel was refused), or any while
        // the reply is one followed (the line above the transcript says that already).
        if (!m_notice.isEmpty() && (m_noticeIsError || m_replies->isFollowed()))
            status = m_notice;
        error = m_noticeIsError && status == m_notice;
    } else {
        status = m_notice;
        error = m_noticeIsError;
    }
    m_busy->setRunning(here);
    m_status->setText(status);
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText, error ? kErrorColor : palette().color(QPalette::WindowText));
    m_status->setPalette(pal);
    m_queue->setVisible(m_offerQueue && m_caps.can(Capabilities::FollowUps));
}

} // namespace parley
