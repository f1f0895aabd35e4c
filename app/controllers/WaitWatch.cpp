#include "controllers/WaitWatch.h"

#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"

namespace parley {

WaitWatch::WaitWatch(ConversationListModel *list, TranscriptController *transcript,
                     QString platform, QObject *parent)
    : QObject(parent)
    , m_list(list)
    , m_transcript(transcript)
    , m_platform(std::move(platform))
{
    m_after.setSingleShot(true);
    m_after.setInterval(kAfterMs);
    connect(&m_after, &QTimer::timeout, this, [this] { setWaiting(loading()); });
    if (list)
        connect(list, &ConversationListModel::stateChanged, this, &WaitWatch::update);
    if (transcript)
        connect(transcript, &TranscriptController::stateChanged, this, &WaitWatch::update);
}

QString WaitWatch::text() const
{
    return m_waiting ? tr("Waiting for %1…").arg(m_platform) : QString();
}

bool WaitWatch::loading() const
{
    return (m_list && m_list->isLoading()) || (m_transcript && m_transcript->isLoading());
}

void WaitWatch::update()
{
    if (!loading()) {
        m_after.stop();
        setWaiting(false);
    } else if (!m_waiting && !m_after.isActive()) {
        m_after.start(); // a load that answers within kAfterMs is never said
    }
}

void WaitWatch::setWaiting(bool waiting)
{
    if (waiting == m_waiting)
        return;
    m_waiting = waiting;
    emit waitingChanged();
}

void WaitWatch::stop()
{
    if (m_list)
        m_list->stop();
    if (m_transcript)
        m_transcript->stop();
    update();
}

} // namespace parley
