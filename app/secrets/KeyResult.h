#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace parley {

// The answer to one KeyStore request: the secret (reads only) or why there is none.
// `message` is a sentence for a person; it never contains the secret.
struct KeyResult
{
    enum class Status
    {
        Ok,
        NotFound,  // nothing stored under that name
        NoBackend, // no keychain service (no D-Bus session, no Secret Service, no keyring)
        Denied,    // the keychain is locked, or the user or system refused access
        Failed,    // anything else the keychain reported
    };

    Status status = Status::Failed;
    QByteArray secret;       // reads: the key; empty otherwise
    QString message;         // empty when ok
    bool fromMemory = false; // reads: the key came from the session-only memory store

    bool ok() const { return status == Status::Ok; }
    explicit operator bool() const { return ok(); }

    static KeyResult success(QByteArray secret = {}, bool fromMemory = false)
    {
        KeyResult r;
        r.status = Status::Ok;
        r.secret = std::move(secret);
        r.fromMemory = fromMemory;
        return r;
    }
    static KeyResult failure(Status status, QString message)
    {
        KeyResult r;
        r.status = status;
        r.message = std::move(message);
        return r;
    }

    // Short, stable name for logs and the CLI: "ok", "not-found", "no-backend", ...
    static QString statusName(Status status);
};

} // namespace parley

Q_DECLARE_METATYPE(parley::KeyResult)
