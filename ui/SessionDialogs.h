#pragma once

#include "session/WorkspaceSession.h"
#include <QKeySequence>
#include <QObject>

#include <QPointer>

class QDialog;
class QWidget;

namespace parley {

class ComposerBar;
class FollowUpQueueEditor;
class NewConversationDialog;
class WorkspaceSession;

// The windows that act on the shown workspace session beside the transcript: the
// new-conversation dialog, connector linking, the follow-up queue editor, and queuing a
// message from the composer. Each is offered only where the session's platform can do it;
// they close when another session is shown (they work with its provider).
class SessionDialogs : public QObject
{
    Q_OBJECT
public:
    // `parent` is the window the dialogs belong to; `composer` shows queue notices.
    SessionDialogs(QWidget *parent, ComposerBar *composer);

    void setSession(WorkspaceSession *session);
    // The shortcut the queue notice names (the window's Follow-up Queue action).
    void setFollowUpShortcut(const QKeySequence &shortcut) { m_followUpShortcut = shortcut; }

    // Ctrl+N: the new-conversation dialog (Capabilities::Create).
    void newConversation();
    // The connector-linking dialog for the workspace's end users (Capabilities::Connectors).
    void linkConnector();
    // The open conversation's follow-up queue (Capabilities::FollowUps), in a window of its own.
    void openFollowUps();
    // Adds `text` to `conversationId`'s follow-up queue (the composer's Queue button).
    void queueMessage(const QString &conversationId, const QString &text);

    FollowUpQueueEditor *followUpQueueEditor() const;
    // The new-conversation dialog while it waits for its conversation.
    NewConversationDialog *startDialog() const;

private:
    QWidget *m_window;
    ComposerBar *m_composer;
    QPointer<WorkspaceSession> m_session;
    QPointer<QDialog> m_connectorDialog;
    QPointer<FollowUpQueueEditor> m_followUpEditor;
    QPointer<NewConversationDialog> m_startDialog;
    QKeySequence m_followUpShortcut;
    quint64 m_queueTicket = 0;
};

} // namespace parley
