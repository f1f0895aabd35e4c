#pragma once

#include "core/ApiError.h"
#include "core/Result.h"
#include "core/Turn.h"
#include "net/HttpClient.h"
#include "store/OutboxEntry.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUuid>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QTimer;

namespace parley {

class Outbox;
class Provider;
struct ConversationDetail;

// Delivers appended messages (Provider::appendMessage) with no loss and no duplicates.
//
// enqueue() saves the text in the Outbox before anything is sent; the entry stays visible
// until it is delivered. Per conversation, entries go one at a time in the order typed.
// For each entry:
//   1. Before the first send, the conversation is fetched and the messages with the same
//      text are counted (the entry's baseline): the platform takes no idempotency key, so
//      this count is how Parley later tells whether a lost request arrived.
//   2. The entry is written as Sending, and only then is the request made.
//   3. Success: Sent with the platform's id; delivered() is emitted.
//      Refused for good (auth, forbidden, not found, invalid, quota, not offered): Failed
//      with the error; it waits for retry() or discard().
//      Not processed but worth waiting for (429, 409 busy): retried automatically after a
//      backoff (doubling, capped; Retry-After honoured).
//      Outcome unknown (connection lost, timeout, 5xx, unreadable answer; or Parley quit
//      while Sending): Unknown. Before any resend the conversation is fetched again; more
//      messages with the text than the baseline means it arrived (Sent), otherwise it is
//      sent again. Unreachable servers are retried with the same backoff.
// Entries left over from an earlier run resume when the queue is created.
//
// Providers come from a ProviderSource, asked once per workspace when a delivery needs it
// (the key is read from the keychain asynchronously); resetProvider() forgets one after
// the workspace or its key changed.
class OutboxDelivery : public QObject
{
    Q_OBJECT

public:
    // What an entry is doing, for the UI.
    enum class Status
    {
        Queued,   // will be sent: waiting for its turn or for the workspace's provider
        Sending,  // a request for it is in flight
        Checking, // looking whether an earlier attempt arrived
        Waiting,  // not delivered yet; tried again automatically at nextAttempt()
        Blocked,  // behind an earlier message of the conversation that failed
        Failed,   // needs the user: retry() or discard()
    };
    Q_ENUM(Status)

    // `done` gets the workspace's provider (shared with its session), or the reason there is none
    // (workspace removed, no key, unknown platform). It may run later, at most once, and
    // must not run once `context` is destroyed.
    using ProviderReady = std::function<void(std::shared_ptr<Provider> provider, ApiError error)>;
    using ProviderSource =
        std::function<void(const QUuid &workspaceId, QObject *context, ProviderReady done)>;

    static constexpr std::chrono::milliseconds kDefaultFirstDelay{2000};
    static constexpr std::chrono::milliseconds kDefaultMaxDelay{60000};
    // A Retry-After longer than this is shortened to it.
    static constexpr std::chrono::seconds kMaxRetryAfter{900};
    // Sent entries older than this are removed from the outbox when a queue starts.
    static constexpr int kKeepSentDays = 7;

    // `outbox` is not owned and must outlive the queue. Work on the entries it holds
    // starts on the next event loop turn.
    OutboxDelivery(Outbox *outbox, ProviderSource source, QObject *parent = nullptr);
    ~OutboxDelivery() override;

    // Whether enqueue() can accept text; unavailableReason() says why not.
    bool isAvailable() const;
    QString unavailableReason() const;

    // Saves `text` for the conversation and starts delivering it. Returns the entry's
    // client id, or a null id with `error` set when the text was NOT saved: the caller keeps
    // the draft. Text that is empty or only whitespace is refused.
    QUuid enqueue(const QUuid &workspaceId, const QString &conversationId, const QString &text,
                  QString *error = nullptr);
    // A Failed entry: tried again (checked first when it may have arrived). A Waiting
    // entry: tried now. False for anything else.
    bool retry(const QUuid &clientId);
    // Removes an entry for good, unless its append request is in flight right now (then
    // false with `error`). Later entries of the conversation move on.
    bool discard(const QUuid &clientId, QString *error = nullptr);
    // Forgets the provider of a workspace (its settings or key changed, or it is gone);
    // the next delivery asks the source again. Requests in flight are abandoned: an append
    // among them becomes Unknown and is checked before it is sent again.
    void resetProvider(const QUuid &workspaceId);

    // Entries not yet delivered, oldest first.
    const QList<OutboxEntry> &entries() const { return m_entries; }
    std::optional<OutboxEntry> entry(const QUuid &clientId) const;
    Status status(const QUuid &clientId) const;
    // One sentence for the UI: what the entry is doing, with the last error where useful.
    QString statusText(const QUuid &clientId) const;
    // When a Waiting entry is tried again; invalid otherwise.
    QDateTime nextAttempt(const QUuid &clientId) const;
    bool canRetry(const QUuid &clientId) const;
    bool canDiscard(const QUuid &clientId) const;

    // The backoff after failures that are retried automatically: `first`, doubled each
    // time, at most `max`.
    void setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds max);

    // The turn that shows a delivered message in a transcript (TranscriptModel::upsertTurn).
    static Turn deliveredTurn(const QString &remoteId, const QString &text);
    // How many turns of `detail` carry `text` (compared without surrounding whitespace).
    static int countMatching(const ConversationDetail &detail, const QString &text,
                             QString *lastId = nullptr);

signals:
    void entryAdded(const QUuid &clientId);
    // State, status, error or next attempt changed (for this entry or one behind it).
    void entryChanged(const QUuid &clientId);
    // Delivered or discarded; it is no longer in entries().
    void entryRemoved(const QUuid &clientId);
    // The message is in the conversation (emitted before entryRemoved).
    void delivered(const QUuid &workspaceId, const QString &conversationId, const QString &remoteId,
                   const QString &text);
    // A change could not be written to the outbox; the entry resumes from its last saved
    // state on the next start, and delivery is retried.
    void storageError(const QString &message);

private:
    struct Lane
    {
        QUuid workspaceId;
        QString conversationId;
        QUuid current; // the entry a request is in flight for
        bool appending = false;
        quint64 ticket = 0;
        RequestHandle handle;
        QTimer *timer = nullptr;
        QDateTime nextAttempt;
        int failures = 0;
    };
    enum class Outcome
    {
        Definite,  // refused for good: Failed
        Transient, // not processed: wait and send again
        Uncertain, // may have been processed: wait and check
    };

    static QString laneKey(const QUuid &workspaceId, const QString &conversationId);
    static Outcome classify(const ApiError &error);

    void load();
    void schedulePump();
    void pump();
    void step(const QString &key);
    const OutboxEntry *head(const QString &key) const;
    const OutboxEntry *find(const QUuid &clientId) const;
    Lane &laneFor(const OutboxEntry &entry);
    Lane *laneAt(const QString &key) const;
    Provider *provider(const QUuid &workspaceId);
    void requestProvider(const QUuid &workspaceId);
    void onProviderReady(const QUuid &workspaceId, quint64 generation,
                         std::shared_ptr<Provider> provider, const ApiError &error);

    void takeBaseline(Lane &lane, Provider *provider, const OutboxEntry &entry);
    void send(Lane &lane, Provider *provider, const QUuid &clientId);
    void reconcile(Lane &lane, Provider *provider, const OutboxEntry &entry);
    // Why an entry's conversation is fetched: to count its matching messages before the
    // first send, or to see whether a send in doubt arrived.
    enum class Lookup
    {
        Baseline,
        Reconcile
    };
    void lookUp(Lane &lane, Provider *provider, const OutboxEntry &entry, Lookup why);
    // The lane still waiting for answer `ticket` of `key`, its request cleared, with the
    // entry's current copy in `entry`; null for a stale answer or an entry gone (which pumps).
    Lane *answeredLane(const QString &key, quint64 ticket, const QUuid &clientId,
                       OutboxEntry *entry);
    void onBaseline(Lane &lane, OutboxEntry entry, const ConversationDetail &detail);
    void onAppended(const QString &key, quint64 ticket, const QUuid &clientId,
                    const Result<QString> &result);
    void onReconciled(Lane &lane, OutboxEntry entry, const ConversationDetail &detail);

    // Writes the entry (expecting the state last written for it) and, when that worked,
    // takes it as the in-memory copy. On failure reports a storageError and returns false.
    bool commit(const OutboxEntry &entry);
    // The in-memory copy takes `entry` without writing it.
    void apply(const OutboxEntry &entry);
    // commit(), else at least apply().
    void record(const OutboxEntry &entry);
    void markDelivered(Lane &lane, OutboxEntry entry, const QString &remoteId);
    void fail(Lane &lane, OutboxEntry entry, const QString &message);
    // An entry that may have arrived where there is nothing to look in: the user decides.
    void cannotTell(Lane &lane, OutboxEntry entry);
    void waitAndRetry(Lane &lane, OutboxEntry entry, const QString &message,
                      int retryAfterSeconds = -1);
    void startTimer(Lane &lane, std::chrono::milliseconds delay);
    void stopTimer(Lane &lane);
    void abandon(Lane &lane);
    void removeEntry(const QUuid &clientId);
    void notifyLane(const QString &key);

    Outbox *m_outbox;
    ProviderSource m_source;
    QList<OutboxEntry> m_entries;
    QHash<QUuid, OutboxEntry::State> m_stored;        // the state last written for each entry
    std::map<QString, std::unique_ptr<Lane>> m_lanes; // stable addresses; never erased
    QHash<QUuid, std::shared_ptr<Provider>> m_providers;
    QHash<QUuid, quint64> m_providerGeneration;
    QHash<QUuid, bool> m_providerRequested;
    std::chrono::milliseconds m_firstDelay = kDefaultFirstDelay;
    std::chrono::milliseconds m_maxDelay = kDefaultMaxDelay;
    bool m_pumpScheduled = false;
    bool m_closing = false;
};

} // namespace parley
