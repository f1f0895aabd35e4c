#pragma once

#include "secrets/KeyResult.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUuid>

#include <chrono>
#include <deque>
#include <functional>

namespace QKeychain {
class Job;
}

namespace parley {

// API keys in the OS keychain (QtKeychain), asynchronously.
//
// - Entries live under service PARLEY_APP_ID, named keyName(platform, workspace id).
// - One QtKeychain job at a time: requests are queued and answered in the order made.
// - Callbacks run on the caller's thread, after the call returns, and only while their
//   context object is alive. A read whose context died before it started is skipped;
//   writes and deletes always run.
// - There is no plaintext fallback. When no keychain backend exists the answer says so
//   (KeyResult::Status::NoBackend) and the caller may hold the key in memory for this
//   session only (holdInMemory); readKey() answers from memory first.
// - On Linux the Secret Service may not be up yet when the app starts: a request that fails
//   that way is retried once after retryDelay(), as long as no request has yet told whether
//   a backend exists. After that, answers are immediate.
// - Secrets are never logged; the lcSecrets category logs key names and outcomes only.
class KeyStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const KeyResult &)>;

    // What the store knows about the keychain service so far.
    enum class Backend
    {
        Unknown,     // no answer from the keychain yet
        Available,   // keys can be stored (a write succeeded, or nothing said otherwise yet)
        Unavailable, // no keychain service: see backendMessage()
    };
    Q_ENUM(Backend)

    // The app's store (service PARLEY_APP_ID).
    explicit KeyStore(QObject *parent = nullptr);
    // Tests use their own service name so that they never touch a user's real entries.
    explicit KeyStore(const QString &service, QObject *parent = nullptr);
    ~KeyStore() override;

    // "<platform>/<uuid without braces>", e.g. "posthog/5f0c...".
    static QString keyName(const QString &platform, const QUuid &workspaceId);
    QString service() const { return m_service; }

    void readKey(const QString &name, const QObject *context, Callback callback);
    void writeKey(const QString &name, const QByteArray &secret, const QObject *context,
                  Callback callback);
    // Removes the keychain entry and any copy held in memory. Deleting a name that has no
    // entry is a success. When the key was only held in memory and there is no keychain
    // service, the answer is a success too: the key is gone.
    void deleteKey(const QString &name, const QObject *context, Callback callback);

    // Writes and deletes a harmless entry to learn whether keys can be stored. The answer
    // is Ok, or the reason they cannot (NoBackend, Denied, Failed) with a readable message.
    // backend() is updated as with every request.
    void probe(const QObject *context, Callback callback);

    // Session-only keys, for when there is no keychain service. Never written anywhere.
    void holdInMemory(const QString &name, const QByteArray &secret);
    bool isHeldInMemory(const QString &name) const;
    void forget(const QString &name);

    Backend backend() const { return m_backend; }
    QString backendMessage() const { return m_backendMessage; }

    // Requests queued or running.
    int pendingCount() const { return int(m_queue.size()); }

    std::chrono::milliseconds retryDelay() const { return m_retryDelay; }
    void setRetryDelay(std::chrono::milliseconds delay) { m_retryDelay = delay; }

    // Name of the entry probe() writes and deletes.
    static QString probeKeyName();

Q_SIGNALS:
    void backendChanged(parley::KeyStore::Backend backend);

private:
    enum class Kind
    {
        Read,
        Write,
        Delete,
        ProbeWrite,
        ProbeDelete,
    };
    struct Request
    {
        Kind kind = Kind::Read;
        QString name;
        QByteArray secret;
        QPointer<const QObject> context;
        Callback callback;
        bool retried = false;
        bool wasHeldInMemory = false;
        KeyResult probeWrite; // ProbeDelete: the outcome of the write before it
    };

    void enqueue(Request request);
    void startNext();
    void startJob(Request &request);
    void onJobFinished(QKeychain::Job *job);
    void finish(Request request, KeyResult result);
    void noteBackend(Kind kind, const KeyResult &result);

    QString m_service;
    std::deque<Request> m_queue; // front() is running when m_running
    bool m_running = false;
    bool m_waitingForRetry = false;
    QHash<QString, QByteArray> m_memory;
    Backend m_backend = Backend::Unknown;
    QString m_backendMessage;
    std::chrono::milliseconds m_retryDelay{1500};
};

} // namespace parley
