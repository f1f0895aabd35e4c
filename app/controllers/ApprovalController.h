#pragma once

#include "core/ApiError.h"
#include "core/Approval.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace parley {

class ReplyController;
class ReplyStream;
class TranscriptController;

// The approvals of the conversation open in a TranscriptController (operations the agent
// waits to be allowed to run, Capabilities::Approvals), kept up to date from every fetch of
// it (opening, F5, the refresh after a reply, each poll while it is followed), and answering
// them: answer() sends the decision (Provider::answerApproval()) and hands the reply the
// agent then writes to the ReplyController, which shows it like any other and fetches the
// conversation again when it ends, so the approval's new status shows. One answer at a time;
// every decision is logged (logDecision()).
class ApprovalController : public QObject
{
    Q_OBJECT
public:
    // Neither is owned; both must outlive this controller.
    ApprovalController(TranscriptController *transcript, ReplyController *replies,
                       QObject *parent = nullptr);

    // Every approval of the open conversation as last fetched, in the platform's order.
    QList<Approval> approvals() const { return m_approvals; }
    QList<Approval> pending() const;
    // The approval with `id`, or null.
    const Approval *find(const QString &id) const;

    // Why answer() would refuse a decision on `approvalId` now (empty when it would send):
    // the platform takes none, no conversation is open, a reply is running, it is not
    // pending, another answer is on its way.
    QString whyNotAnswer(const QString &approvalId) const;
    // Sends `decision`; false (nothing sent, `whyNot` set) when whyNotAnswer() says why.
    bool answer(const ApprovalDecision &decision, QString *whyNot = nullptr);
    bool isAnswering() const { return !m_answering.isEmpty(); }
    // The approval being answered; empty when none.
    QString answeringId() const { return m_answering; }

    // The log line of a decision (platform, conversation, approval, tool, approve or reject,
    // whether a note was given: never the note, the preview or the payload).
    static void logDecision(const QString &platform, const QString &conversationId,
                            const Approval &approval, const ApprovalDecision &decision);

signals:
    // approvals() changed (another conversation, or a fetch brought new statuses).
    void approvalsChanged();
    // isAnswering() changed.
    void answeringChanged();
    // The platform took the decision (`error` none) or refused it.
    void answered(const QString &approvalId, bool approve, const parley::ApiError &error);

private:
    void update();
    void onStreamFinished(const ApiError &error);

    TranscriptController *m_transcript;
    ReplyController *m_replies;
    QList<Approval> m_approvals;
    QString m_answering;
    bool m_approve = true;
    QPointer<ReplyStream> m_stream;
};

} // namespace parley
