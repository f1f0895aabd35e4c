#include "controllers/ApprovalController.h"

#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "core/Logging.h"
#include "providers/Provider.h"

#include <algorithm>
#include <utility>

namespace parley {

ApprovalController::ApprovalController(TranscriptController *transcript, ReplyController *replies,
                                       QObject *parent)
    : QObject(parent)
    , m_transcript(transcript)
    , m_replies(replies)
{
    connect(transcript, &TranscriptController::stateChanged, this, &ApprovalController::update);
    connect(transcript, &TranscriptController::loaded, this, &ApprovalController::update);
    // A running reply keeps answers back (whyNotAnswer()): say when that changes.
    connect(replies, &ReplyController::stateChanged, this, &ApprovalController::approvalsChanged);
}

QList<Approval> ApprovalController::pending() const
{
    QList<Approval> out;
    std::copy_if(m_approvals.cbegin(), m_approvals.cend(), std::back_inserter(out),
                 [](const Approval &a) { return a.isPending(); });
    return out;
}

const Approval *ApprovalController::find(const QString &id) const
{
    const auto it = std::find_if(m_approvals.cbegin(), m_approvals.cend(),
                                 [&id](const Approval &a) { return a.id == id; });
    return it == m_approvals.cend() ? nullptr : &*it;
}

QString ApprovalController::whyNotAnswer(const QString &approvalId) const
{
    const Provider *provider = m_transcript->provider();
    if (!provider || m_transcript->conversationId().isEmpty())
        return tr("No conversation is open.");
    if (!m_transcript->isLoaded())
        return tr("The conversation is still loading.");
    if (!provider->capabilities().can(Capabilities::Approvals))
        return tr("This platform takes no answers to approvals.");
    if (isAnswering())
        return tr("An answer is on its way to the platform.");
    const Approval *approval = find(approvalId);
    if (!approval)
        return tr("The conversation has no approval “%1”.").arg(approvalId);
    if (!approval->isPending())
        return tr("This approval was already answered (%1).").arg(approval->statusName());
    if (m_replies->isRunning())
        return tr("A reply is running; answer once it has ended.");
    return {};
}

bool ApprovalController::answer(const ApprovalDecision &decision, QString *whyNot)
{
    const QString why = whyNotAnswer(decision.approvalId);
    if (!why.isEmpty()) {
        if (whyNot)
            *whyNot = why;
        return false;
    }
    Provider *provider = m_transcript->provider();
    const QString conversationId = m_transcript->conversationId();
    logDecision(provider->platform(), conversationId, *find(decision.approvalId), decision);
    ReplyStream *stream = provider->answerApproval(conversationId, decision, this);
    connect(stream, &ReplyStream::finished, this, &ApprovalController::onStreamFinished);
    m_stream = stream;
    m_answering = decision.approvalId;
    m_approve = decision.approve;
    // The agent's reply shows as any other, and its end fetches the conversation again.
    if (!m_replies->follow(stream)) {
        m_answering.clear();
        if (whyNot)
            *whyNot = tr("A reply is running; answer once it has ended.");
        return false;
    }
    emit answeringChanged();
    return true;
}

void ApprovalController::onStreamFinished(const ApiError &error)
{
    if (m_answering.isEmpty())
        return;
    const QString id = std::exchange(m_answering, QString());
    if (error.isError())
        qCInfo(lcModels).noquote()
            << "approval" << id << "answer failed:" << ApiError::kindName(error.kind)
            << ApiError::reasonName(error.reason);
    emit answeringChanged();
    emit answered(id, m_approve, error);
}

void ApprovalController::update()
{
    if (m_approvals == m_transcript->approvals())
        return;
    m_approvals = m_transcript->approvals();
    emit approvalsChanged();
}

void ApprovalController::logDecision(const QString &platform, const QString &conversationId,
                                     const Approval &approval, const ApprovalDecision &decision)
{
    qCInfo(lcModels).noquote() << "approval decision:" << platform << "conversation"
                               << conversationId << "approval" << approval.id << "tool"
                               << approval.tool << (decision.approve ? "approve" : "reject")
                               << (decision.note.trimmed().isEmpty() ? "without a note"
                                                                     : "with a note");
}

} // namespace parley
