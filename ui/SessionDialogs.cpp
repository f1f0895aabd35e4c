#include "SessionDialogs.h"

#include "ComposerBar.h"
#include "ConnectorLinkDialog.h"
#include "FollowUpQueueEditor.h"
#include "NewConversationDialog.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "session/WorkspaceSession.h"

#include <QWidget>

namespace parley {

SessionDialogs::SessionDialogs(QWidget *parent, ComposerBar *composer)
    : QObject(parent)
    , m_window(parent)
    , m_composer(composer)
{}

void SessionDialogs::setSession(WorkspaceSession *session)
{
    if (session == m_session)
        return;
    ++m_queueTicket;
    // They work with the provider of the session about to go out of view.
    if (m_connectorDialog)
        m_connectorDialog->reject();
    if (m_followUpEditor)
        m_followUpEditor->reject();
    m_session = session;
}

FollowUpQueueEditor *SessionDialogs::followUpQueueEditor() const
{
    return m_followUpEditor;
}

NewConversationDialog *SessionDialogs::startDialog() const
{
    return m_startDialog;
}

void SessionDialogs::newConversation()
{
    if (!m_session || !m_session->canCreate())
        return;
    if (m_startDialog) {
        m_startDialog->raise();
        m_startDialog->activateWindow();
        return;
    }
    auto *dialog =
        new NewConversationDialog(m_session->capabilities(), m_session->platformName(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSuggestions(m_session->createSuggestions());
    m_startDialog = dialog;
    ReplyController *replies = m_session->replies();
    connect(dialog, &NewConversationDialog::startRequested, dialog,
            [replies, dialog](const NewConversation &request) {
                QString why;
                if (!replies->start(request, &why)) {
                    dialog->showError(why);
                    return;
                }
                dialog->setBusy(true);
            });
    connect(dialog, &QDialog::rejected, replies, [replies] {
        // Closed while the platform had not said yet: stop waiting for it.
        if (replies->isStarting())
            replies->drop();
    });
    dialog->open();
}

void SessionDialogs::linkConnector()
{
    if (!m_session || !m_session->canLinkConnectors())
        return;
    if (m_connectorDialog) {
        m_connectorDialog->raise();
        m_connectorDialog->activateWindow();
        return;
    }
    auto *dialog = new ConnectorLinkDialog(m_session, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_connectorDialog = dialog;
    dialog->open();
}

void SessionDialogs::openFollowUps()
{
    if (!m_session || !m_session->canEditFollowUps())
        return;
    const QString id = m_session->transcript()->conversationId();
    if (!m_followUpEditor) {
        auto *editor = new FollowUpQueueEditor(m_window);
        editor->setAttribute(Qt::WA_DeleteOnClose);
        m_followUpEditor = editor;
    }
    // An open editor follows the conversation now open; what is typed in it stays.
    if (m_followUpEditor->property("conversationId").toString() != id) {
        m_followUpEditor->setConversation(m_session, id);
        m_followUpEditor->setProperty("conversationId", id);
    }
    m_followUpEditor->show();
    m_followUpEditor->raise();
    m_followUpEditor->activateWindow();
}

void SessionDialogs::queueMessage(const QString &conversationId, const QString &text)
{
    if (!m_session || !m_session->can(Capabilities::FollowUps))
        return;
    const quint64 ticket = ++m_queueTicket;
    m_composer->showNotice(tr("Queuing the message…"));
    m_session->queueFollowUp(
        conversationId, text, this,
        [this, ticket, conversationId, text](Result<FollowUpQueue> result) {
            if (ticket != m_queueTicket)
                return;
            if (result.ok()) {
                m_composer->discardDraft(conversationId, text);
                if (m_composer->conversationId() == conversationId)
                    m_composer->showNotice(
                        tr("Queued: it is sent when the reply ends (%1 shows "
                           "the queue).")
                            .arg(m_followUpShortcut.toString(QKeySequence::NativeText)));
                return;
            }
            if (result.error().kind == ApiError::Kind::Canceled)
                return;
            if (m_composer->conversationId() == conversationId)
                m_composer->showNotice(tr("Not queued: %1").arg(result.error().message()), true);
        });
}

} // namespace parley
