#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace parley {

class ConversationListModel;
class TranscriptController;

// What the window says while a platform keeps it waiting: once a list page or a transcript
// has been loading for kAfterMs without an answer, isWaiting() turns true and text() says
// "Waiting for <platform>…"; stop() aborts what is still loading (each then shows that it
// was stopped, with Retry). It turns false as soon as nothing loads. One per session.
class WaitWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int kAfterMs = 1000;

    WaitWatch(ConversationListModel *list, TranscriptController *transcript, QString platform,
              QObject *parent = nullptr);

    bool isWaiting() const { return m_waiting; }
    // "Waiting for PostHog…" while waiting; empty otherwise.
    QString text() const;
    // Aborts the list page and the transcript in flight. Nothing happens while nothing loads.
    void stop();

signals:
    void waitingChanged();

private:
    bool loading() const;
    void update();
    void setWaiting(bool waiting);

    QPointer<ConversationListModel> m_list;
    QPointer<TranscriptController> m_transcript;
    QString m_platform;
    QTimer m_after;
    bool m_waiting = false;
};

} // namespace parley
