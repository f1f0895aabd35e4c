#include "providers/ReplyStream.h"

#include <QTimer>

namespace parley {

ReplyStream::ReplyStream(QObject *parent)
    : QObject(parent)
{}

ReplyStream::~ReplyStream()
{
    m_finished = true; // nothing is emitted from here on
    m_request.cancel();
}

void ReplyStream::abort()
{
    if (m_finished)
        return;
    finish(ApiError::make(ApiError::Kind::Canceled));
    m_request.cancel();
}

void ReplyStream::setConversation(const Conversation &summary)
{
    if (m_finished)
        return;
    m_conversation = summary;
    emit conversationChanged(m_conversation);
}

void ReplyStream::upsertTurn(const Turn &turn, const QString &replacesId)
{
    if (!m_finished)
        emit turnChanged(turn, replacesId);
}

void ReplyStream::setRun(const QString &runId)
{
    if (m_finished || runId == m_runId)
        return;
    m_runId = runId;
    emit runChanged(m_runId);
}

void ReplyStream::setResumePoint(const QString &point)
{
    if (m_finished || point == m_resumePoint)
        return;
    m_resumePoint = point;
    emit resumePointChanged(m_resumePoint);
}

void ReplyStream::setStatus(const QString &text)
{
    if (!m_finished)
        emit statusChanged(text);
}

void ReplyStream::finish(const ApiError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    emit finished(m_error);
}

void ReplyStream::finishLater(const ApiError &error)
{
    QTimer::singleShot(0, this, [this, error]() { finish(error); });
}

} // namespace parley
