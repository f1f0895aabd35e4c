#pragma once

#include "core/ApiError.h"
#include "core/ConversationDetail.h"
#include "core/Result.h"
#include "net/HttpClient.h"

#include <QObject>
#include <QPointer>

namespace parley {

class Provider;
class TranscriptModel;

// Opens one conversation at a time into a TranscriptModel: fetches its detail from the
// provider, exposes loading/error/retry, and drops the answer for a conversation the user
// has already left (selection changing quickly). The previous transcript is cleared as soon
// as another conversation is opened, so a view never shows one conversation's turns under
// another's title.
class TranscriptController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString conversationId READ conversationId NOTIFY stateChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY stateChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY stateChanged)
    Q_PROPERTY(parley::ApiError error READ error NOTIFY stateChanged)

public:
    // Owns its TranscriptModel.
    explicit TranscriptController(QObject *parent = nullptr);
    ~TranscriptController() override;

    TranscriptModel *model() const { return m_model; }

    // Not owned. Changing the provider closes the open conversation.
    void setProvider(Provider *provider);
    Provider *provider() const;

    // Opens `id` (empty = close). Opening the conversation that is already open or loading
    // does nothing; use reload() to fetch it again.
    void open(const QString &id);
    void close() { open(QString()); }
    // Fetches the open conversation again, keeping its turns shown until the answer arrives.
    void reload();
    // After an error: fetches the same conversation again. Does nothing otherwise.
    void retry();
    // Aborts the fetch in flight (the user stopped waiting): error() then says so, and
    // retry() fetches it again. Does nothing while nothing is fetched for the user.
    void stop();
    // After a reply ended well: fetches the conversation again for its new state (status,
    // turn count, times). The turns are replaced only if the platform's differ from those
    // shown; a failure is not shown (what is on screen stays right).
    void refreshSummary();

    QString conversationId() const { return m_id; }
    bool isLoading() const { return m_inFlight; }
    // The model holds the detail of conversationId().
    bool isLoaded() const { return m_loaded; }
    const ApiError &error() const { return m_error; }
    // The platform said, when the open conversation was last fetched, that it is answering
    // (ConversationDetail::running); runId() is what stops it.
    bool isRunning() const { return m_running; }
    QString runId() const { return m_runId; }
    // The open conversation's approvals as the last fetch (full or refreshSummary()) gave
    // them (ConversationDetail::approvals).
    const QList<Approval> &approvals() const { return m_approvals; }

signals:
    // conversationId, loading, loaded or error changed.
    void stateChanged();
    // The detail of `id` is now in the model.
    void loaded(const QString &id);

private:
    void cancelInFlight();
    void request();
    void onDetail(quint64 ticket, Result<ConversationDetail> result);
    // `id` open (none when empty) with nothing loaded yet: no request in flight, no error, no
    // run or approvals, the model empty. Emits nothing.
    void startOver(const QString &id);
    // No conversation open, nothing loading, no error, the model empty (also when the
    // provider is destroyed).
    void forget();
    bool sameTurns(const QList<Turn> &turns) const; // as shown, in order

    TranscriptModel *m_model;
    bool m_summaryOnly = false; // the request in flight is refreshSummary()'s
    QPointer<Provider> m_provider;
    QString m_id;
    bool m_inFlight = false;
    bool m_loaded = false;
    ApiError m_error;
    bool m_running = false;
    QString m_runId;
    QList<Approval> m_approvals;
    quint64 m_ticket = 0;
    RequestHandle m_handle;
};

} // namespace parley
