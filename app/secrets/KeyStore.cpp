#include "secrets/KeyStore.h"

#include "core/Logging.h"
#include "secrets/KeychainErrors.h"

#include <QTimer>

#include <qt6keychain/keychain.h>

namespace parley {

namespace {

#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
constexpr bool kBackendMayStartLate = true; // the Secret Service / KWallet start with the session
#else
constexpr bool kBackendMayStartLate = false;
#endif

// Answers without touching the keychain, after the caller's function has returned.
void answerLater(const QObject *context, const KeyStore::Callback &callback, KeyResult result)
{
    if (!context || !callback)
        return;
    QTimer::singleShot(0, context, [callback, result = std::move(result)] { callback(result); });
}

QKeychain::Job *makeJob(const QString &service, bool write, bool remove, const QByteArray &secret)
{
    QKeychain::Job *job = nullptr;
    if (write) {
        auto *w = new QKeychain::WritePasswordJob(service);
        // Always binary (stored base64): QtKeychain keeps text and binary entries apart, so
        // mixing the two would leave a stale entry behind that reads would find first.
        w->setBinaryData(secret);
        job = w;
    } else if (remove) {
        job = new QKeychain::DeletePasswordJob(service);
    } else {
        job = new QKeychain::ReadPasswordJob(service);
    }
    // No parent: a running job must outlive us (libsecret calls back into it).
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext copy in QSettings
    return job;
}

KeyOperation operationOf(bool write, bool remove)
{
    if (write)
        return KeyOperation::Write;
    return remove ? KeyOperation::Delete : KeyOperation::Read;
}

} // namespace

KeyStore::KeyStore(QObject *parent)
    : KeyStore(QStringLiteral(PARLEY_APP_ID), parent)
{}

KeyStore::KeyStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
    Q_ASSERT(!m_service.isEmpty());
}

KeyStore::~KeyStore()
{
    // Writes and deletes not started yet still go to the keychain, unanswered: a key the
    // user entered is not lost because the window that asked went away first. QtKeychain
    // runs its own jobs one after another.
    int handedOver = 0;
    for (size_t i = m_running ? 1 : 0; i < m_queue.size(); ++i) {
        const Request &r = m_queue[i];
        if (r.kind != Kind::Write && r.kind != Kind::Delete)
            continue;
        QKeychain::Job *job =
            makeJob(m_service, r.kind == Kind::Write, r.kind == Kind::Delete, r.secret);
        job->setKey(r.name);
        job->start();
        ++handedOver;
    }
    if (handedOver > 0)
        qCInfo(lcSecrets) << "key store closing; handed" << handedOver
                          << "pending keychain change(s) to QtKeychain";
}

QString KeyStore::keyName(const QString &platform, const QUuid &workspaceId)
{
    return platform + u'/' + workspaceId.toString(QUuid::WithoutBraces);
}

QString KeyStore::probeKeyName()
{
    return QStringLiteral("parley/keychain-probe");
}

void KeyStore::readKey(const QString &name, const QObject *context, Callback callback)
{
    Q_ASSERT_X(context || !callback, "KeyStore::readKey", "a callback needs a context object");
    if (const auto it = m_memory.constFind(name); it != m_memory.constEnd()) {
        qCDebug(lcSecrets).noquote() << "read" << name << "from session memory";
        answerLater(context, callback, KeyResult::success(*it, true));
        return;
    }
    Request r;
    r.kind = Kind::Read;
    r.name = name;
    r.context = context;
    r.callback = std::move(callback);
    enqueue(std::move(r));
}

void KeyStore::writeKey(const QString &name, const QByteArray &secret, const QObject *context,
                        Callback callback)
{
    Q_ASSERT_X(context || !callback, "KeyStore::writeKey", "a callback needs a context object");
    Request r;
    r.kind = Kind::Write;
    r.name = name;
    r.secret = secret;
    r.context = context;
    r.callback = std::move(callback);
    enqueue(std::move(r));
}

void KeyStore::deleteKey(const QString &name, const QObject *context, Callback callback)
{
    Q_ASSERT_X(context || !callback, "KeyStore::deleteKey", "a callback needs a context object");
    Request r;
    r.kind = Kind::Delete;
    r.name = name;
    r.context = context;
    r.callback = std::move(callback);
    r.wasHeldInMemory = m_memory.remove(name) > 0;
    enqueue(std::move(r));
}

void KeyStore::probe(const QObject *context, Callback callback)
{
    Q_ASSERT_X(context || !callback, "KeyStore::probe", "a callback needs a context object");
    Request r;
    r.kind = Kind::ProbeWrite;
    r.name = probeKeyName();
    r.secret = QByteArrayLiteral("parley keychain probe; safe to delete");
    r.context = context;
    r.callback = std::move(callback);
    enqueue(std::move(r));
}

void KeyStore::holdInMemory(const QString &name, const QByteArray &secret)
{
    qCInfo(lcSecrets).noquote() << "holding" << name << "in memory for this session only";
    m_memory.insert(name, secret);
}

bool KeyStore::isHeldInMemory(const QString &name) const
{
    return m_memory.contains(name);
}

void KeyStore::forget(const QString &name)
{
    if (m_memory.remove(name) > 0)
        qCDebug(lcSecrets).noquote() << "forgot session key" << name;
}

void KeyStore::enqueue(Request request)
{
    if (request.name.isEmpty()) {
        qCWarning(lcSecrets) << "keychain request without a key name refused";
        answerLater(request.context, request.callback,
                    KeyResult::failure(KeyResult::Status::Failed,
                                       tr("Internal error: a key has no name.")));
        return;
    }
    m_queue.push_back(std::move(request));
    startNext();
}

void KeyStore::startNext()
{
    while (!m_running && !m_waitingForRetry && !m_queue.empty()) {
        Request &next = m_queue.front();
        // Nobody waits for this read any more: skip it rather than touch the keychain.
        if (next.kind == Kind::Read && next.callback && !next.context) {
            qCDebug(lcSecrets).noquote() << "skipped read of" << next.name << "(requester gone)";
            m_queue.pop_front();
            continue;
        }
        startJob(next);
    }
}

void KeyStore::startJob(Request &request)
{
    const bool write = request.kind == Kind::Write || request.kind == Kind::ProbeWrite;
    const bool remove = request.kind == Kind::Delete || request.kind == Kind::ProbeDelete;
    QKeychain::Job *job = makeJob(m_service, write, remove, request.secret);
    job->setKey(request.name);
    connect(job, &QKeychain::Job::finished, this, &KeyStore::onJobFinished);
    m_running = true;
    qCDebug(lcSecrets) << (write    ? "write"
                           : remove ? "delete"
                                    : "read")
                       << request.name << (request.retried ? "(retry)" : "");
    job->start(); // QtKeychain starts it from the event loop: never finishes inside start()
}

void KeyStore::onJobFinished(QKeychain::Job *job)
{
    Q_ASSERT(m_running && !m_queue.empty());
    if (!m_running || m_queue.empty())
        return;
    m_running = false;
    Request request = std::move(m_queue.front());
    m_queue.pop_front();

    const int code = job->error();
    const QString backendText = job->errorString();
    const bool write = request.kind == Kind::Write || request.kind == Kind::ProbeWrite;
    const bool remove = request.kind == Kind::Delete || request.kind == Kind::ProbeDelete;

    if (code != QKeychain::NoError && kBackendMayStartLate && !request.retried &&
        m_backend == Backend::Unknown && mayBeBackendStarting(code, backendText)) {
        // As at login, when the app starts before the keyring: try once more, a bit later.
        qCInfo(lcSecrets).noquote() << "keychain not reachable yet; retrying" << request.name
                                    << "in" << m_retryDelay.count() << "ms";
        request.retried = true;
        m_queue.push_front(std::move(request));
        m_waitingForRetry = true;
        QTimer::singleShot(m_retryDelay, this, [this] {
            m_waitingForRetry = false;
            startNext();
        });
        return;
    }

    KeyResult result;
    if (code == QKeychain::NoError) {
        QByteArray secret;
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job))
            secret = read->binaryData();
        result = KeyResult::success(std::move(secret));
    } else {
        result = classifyKeychainError(operationOf(write, remove), code, backendText, request.name);
    }
    finish(std::move(request), std::move(result));
}

void KeyStore::finish(Request request, KeyResult result)
{
    const QPointer<KeyStore> alive(this);
    noteBackend(request.kind, result);
    if (!alive)
        return;

    switch (request.kind) {
    case Kind::Read:
        break;
    case Kind::Write:
        if (result.ok())
            m_memory.remove(request.name); // the keychain holds it now
        break;
    case Kind::Delete:
        if (request.wasHeldInMemory && result.status == KeyResult::Status::NoBackend)
            result = KeyResult::success(); // it only ever lived in memory, and is gone
        break;
    case Kind::ProbeWrite:
        if (result.ok()) {
            // Clean up before answering; the delete runs next, ahead of later requests.
            Request cleanup;
            cleanup.kind = Kind::ProbeDelete;
            cleanup.name = request.name;
            cleanup.context = request.context;
            cleanup.callback = std::move(request.callback);
            m_queue.push_front(std::move(cleanup));
            startNext();
            return;
        }
        break;
    case Kind::ProbeDelete:
        break;
    }

    if (result.ok()) {
        qCDebug(lcSecrets).noquote() << "keychain" << request.name << "ok";
    } else if (result.status == KeyResult::Status::NotFound) {
        qCDebug(lcSecrets).noquote() << "keychain" << request.name << "not found";
    } else {
        qCWarning(lcSecrets).noquote()
            << "keychain" << request.name << KeyResult::statusName(result.status) << result.message;
    }

    startNext();
    if (request.callback && request.context)
        request.callback(result);
}

void KeyStore::noteBackend(Kind kind, const KeyResult &result)
{
    Backend state = m_backend;
    switch (result.status) {
    case KeyResult::Status::Ok:
        if (kind != Kind::Delete && kind != Kind::ProbeDelete) { // a key was read or stored
            state = Backend::Available;
            m_backendMessage.clear();
            break;
        }
        [[fallthrough]]; // deleting nothing succeeds even where nothing can be stored
    case KeyResult::Status::NotFound:
    case KeyResult::Status::Denied:
        // The service answered, but that does not show that keys can be stored: a Secret
        // Service without a keyring finds nothing and refuses every write.
        if (state == Backend::Unknown)
            state = Backend::Available;
        break;
    case KeyResult::Status::NoBackend:
        state = Backend::Unavailable;
        m_backendMessage = result.message;
        break;
    case KeyResult::Status::Failed:
        break; // says nothing either way
    }
    if (state != m_backend) {
        m_backend = state;
        qCInfo(lcSecrets) << "keychain backend" << state;
        Q_EMIT backendChanged(state);
    }
}

} // namespace parley
