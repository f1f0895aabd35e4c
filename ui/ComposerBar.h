#pragma once

#include "core/ApiError.h"
#include "providers/Capabilities.h"

#include <QHash>
#include <QPointer>
#include <QUuid>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace parley {

class OutboxDelivery;
class BusyIndicator;
class ReplyController;
class Settings;

// Below the transcript: where a message to the open conversation is written.
//
// - A multi-line box (Enter: new line, Ctrl+Enter: send), Send (Capabilities::Send),
//   Append Note (Capabilities::Append, through the OutboxDelivery outbox), Cancel Reply while a
//   reply runs (Capabilities::Cancel), a status line and, near the platform's length limit,
//   a counter.
// - Nothing typed is lost: each conversation keeps its own draft (saved to Settings a moment
//   after typing stops, when another conversation opens, and by saveDrafts()). A sent
//   message leaves the box only once the platform accepted it; a refused one stays with the
//   reason beside it. A busy conversation (409) offers to queue the message instead
//   (queueRequested()) where the platform has a queue. A note that was not delivered stays
//   in the outbox with its error under the box and Retry Note.
class ComposerBar : public QWidget
{
    Q_OBJECT
public:
    explicit ComposerBar(QWidget *parent = nullptr);
    ~ComposerBar() override;

    // Not owned; each may be null (sending, appending or saving drafts is then unavailable).
    void setReplyController(ReplyController *replies);
    void setOutboxDelivery(OutboxDelivery *queue);
    void setSettings(Settings *settings);

    // What the open workspace's platform offers.
    void setCapabilities(const Capabilities &capabilities);
    const Capabilities &capabilities() const { return m_caps; }
    // The conversation written to; an empty id disables the composer. With `persistDrafts`
    // false the drafts stay in memory (demo workspaces save nothing).
    void setConversation(const QUuid &workspaceId, const QString &conversationId,
                         bool persistDrafts = true);
    QString conversationId() const { return m_conversationId; }
    QUuid workspaceId() const { return m_workspaceId; }

    // The draft of a conversation of the open workspace, shown at once if it is open
    // (e.g. a first message the platform did not take when the conversation was started).
    void setDraft(const QString &conversationId, const QString &text);
    QString draft(const QString &conversationId) const;
    // Forgets a draft that still holds `text` (the message went out another way: queued).
    void discardDraft(const QString &conversationId, const QString &text);
    // A line under the box for the open conversation; `error` shows it as a problem.
    void showNotice(const QString &text, bool error = false);
    QString noticeText() const;
    // Writes the drafts typed since the last save to the settings.
    void saveDrafts();

    QPlainTextEdit *editor() const { return m_edit; }
    // Room for about four lines and the button row: the transcript keeps the space.
    QSize sizeHint() const override;

Q_SIGNALS:
    // The user chose to queue a message the busy conversation refused.
    void queueRequested(const QString &conversationId, const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Draft
    {
        QString text;
        bool persist = true;
        bool dirty = false;
    };
    static QString draftKey(const QUuid &workspaceId, const QString &conversationId);

    void send();
    void appendNote();
    void cancelReply();
    void requestQueue();
    // The conversation is answering: offers to queue `text` where the platform keeps a queue.
    void offerQueue(const QString &text);
    void onTextChanged();
    void onAccepted(const QString &conversationId, const QString &text);
    void onFinished(const QString &conversationId, const QString &text, const ApiError &error,
                    bool accepted);
    void onCancelFailed(const ApiError &error);
    void onNoteChanged(const QUuid &clientId);
    void onNoteDelivered(const QUuid &workspaceId, const QString &conversationId);
    void retryNote();
    // The open conversation's note that failed or waits to be tried again; null if none.
    QUuid noteToRetry() const;
    void setEditorText(const QString &text);
    void clearNotice();
    void setNotice(const QString &text, bool error, bool offerQueue);
    bool replyRunningHere() const;
    void updateState();

    QPlainTextEdit *m_edit;
    QLabel *m_counter;
    BusyIndicator *m_busy;
    QLabel *m_status;
    QPushButton *m_queue;
    QPushButton *m_cancel;
    QPushButton *m_append;
    QPushButton *m_retryNote;
    QPushButton *m_send;
    QTimer *m_saveTimer;

    QPointer<ReplyController> m_replies;
    QPointer<OutboxDelivery> m_outbox;
    QPointer<Settings> m_settings;
    Capabilities m_caps;
    QUuid m_workspaceId;
    QString m_conversationId;
    bool m_persist = true;
    bool m_settingText = false;
    QHash<QString, Draft> m_drafts;
    QHash<QUuid, QString> m_notes; // appended notes in delivery → their conversation

    QString m_notice;
    bool m_noticeIsError = false;
    bool m_offerQueue = false;
    QString m_queueText;
};

} // namespace parley
