#pragma once

#include "core/ApiError.h"
#include "net/HttpClient.h"
#include "providers/Provider.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace parley {

class FollowUpQueueModel;

// Keeps a FollowUpQueueModel in step with a conversation's queue on the platform: refresh(), and
// add/edit/remove/clear one at a time in the order asked (each answer is the whole queue).
// While active it refreshes every few seconds, because the running agent takes messages
// off the queue. A full queue is explained, not just reported.
class FollowUpQueueController : public QObject
{
    Q_OBJECT
public:
    FollowUpQueueController(FollowUpQueueModel *model, QObject *parent = nullptr);

    void setConversation(Provider *provider, const QString &conversationId);
    QString conversationId() const { return m_conversationId; }
    void setActive(bool active); // periodic refresh while the editor is shown
    void setRefreshInterval(int ms) { m_refresh.setInterval(ms); }

    void refresh();
    void add(const QString &text);
    void edit(const QString &itemId, const QString &text);
    void remove(const QString &itemId);
    void clearAll();

    // A request is out or waiting to go: only one goes at a time, so that an answer can
    // never overtake (and undo) a later change's.
    bool isBusy() const { return m_waiting || !m_pending.isEmpty(); }
    const ApiError &error() const { return m_error; }
    // The sentence to show for the last error ("PostHog keeps at most 2 follow-ups…").
    QString errorText() const;

signals:
    void busyChanged(bool busy);
    void errorChanged();
    // A change the platform accepted (add, edit, remove or clear).
    void changed();

private:
    void enqueue(std::optional<FollowUpChange> change);
    void next();
    void onAnswer(quint64 generation, bool wasChange, Result<FollowUpQueue> result);

    FollowUpQueueModel *m_model;
    QPointer<Provider> m_provider;
    QString m_conversationId;
    QList<std::optional<FollowUpChange>> m_pending; // nullopt = a refresh
    RequestHandle m_request;
    bool m_waiting = false; // for m_request's answer (which may still be parsed after it ended)
    QTimer m_refresh;
    ApiError m_error;
    quint64 m_generation = 0;
};

} // namespace parley
