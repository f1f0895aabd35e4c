#include "secrets/KeychainErrors.h"

#include "core/TranslationContext.h"

#include <QCoreApplication>

#include <qt6keychain/keychain.h>

namespace parley {

namespace {

const TranslationContext tr{"parley::KeyStore"};

bool containsAny(const QString &haystack, std::initializer_list<QLatin1String> needles)
{
    for (const QLatin1String &needle : needles) {
        if (haystack.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Texts libsecret, GLib's D-Bus client and QtKeychain's other backends use when there is no
// session bus or nobody on it provides the Secret Service.
bool saysNoService(const QString &text)
{
    return containsAny(text,
                       {QLatin1String("D-Bus"), QLatin1String("DBus"), QLatin1String("autolaunch"),
                        QLatin1String("org.freedesktop.secrets"), QLatin1String("ServiceUnknown"),
                        QLatin1String("not provided by any"), QLatin1String("Could not connect"),
                        QLatin1String("No keyring daemon"), QLatin1String("No keychain service")});
}

// The Secret Service is there but has no default collection ("login" keyring) to write to.
bool saysNoCollection(const QString &text)
{
    return containsAny(text, {QLatin1String("Object does not exist at path"),
                              QLatin1String("No such keyring"), QLatin1String("/collection/")});
}

bool saysLockedOrRefused(const QString &text)
{
    return containsAny(text, {QLatin1String("locked"), QLatin1String("dismissed"),
                              QLatin1String("cancel"), QLatin1String("denied"),
                              QLatin1String("not allowed")});
}

// A failure whose `message` has one %1 for what the keychain itself said.
KeyResult failure(KeyResult::Status status, const QString &message, const QString &backendText)
{
    const QString detail = backendText.trimmed();
    return KeyResult::failure(status,
                              message.arg(detail.isEmpty() ? tr("no details given") : detail));
}

KeyResult noBackend(const QString &backendText)
{
    return failure(KeyResult::Status::NoBackend,
                   tr("No keychain service is available (%1). API keys can only be kept in "
                      "memory for this session."),
                   backendText);
}

KeyResult noCollection(const QString &backendText)
{
    return failure(KeyResult::Status::NoBackend,
                   tr("The keychain has no default keyring to store keys in (%1). Create or "
                      "unlock a default keyring, or keep keys in memory for this session only."),
                   backendText);
}

KeyResult denied(const QString &backendText)
{
    return failure(KeyResult::Status::Denied,
                   tr("The keychain is locked or refused access (%1). Unlock it and try again."),
                   backendText);
}

KeyResult notFound(const QString &keyName)
{
    return KeyResult::failure(KeyResult::Status::NotFound,
                              tr("No API key is stored in the keychain for %1.").arg(keyName));
}

KeyResult failed(KeyOperation op, const QString &backendText)
{
    QString text;
    switch (op) {
    case KeyOperation::Read:
        text = tr("The keychain could not read the key (%1).");
        break;
    case KeyOperation::Write:
        text = tr("The keychain could not store the key (%1).");
        break;
    case KeyOperation::Delete:
        text = tr("The keychain could not delete the key (%1).");
        break;
    }
    return failure(KeyResult::Status::Failed, text, backendText);
}

} // namespace

KeyResult classifyKeychainError(KeyOperation op, int keychainError, const QString &backendText,
                                const QString &keyName)
{
    switch (static_cast<QKeychain::Error>(keychainError)) {
    case QKeychain::NoError:
        return KeyResult::success();
    case QKeychain::EntryNotFound:
        if (op == KeyOperation::Write) // libsecret: the default collection does not exist
            return noCollection(backendText);
        if (op == KeyOperation::Delete) // nothing there: the key is gone, as asked
            return KeyResult::success();
        return notFound(keyName);
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return denied(backendText);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return noBackend(backendText);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    if (saysNoService(backendText))
        return noBackend(backendText);
    if (saysNoCollection(backendText))
        return op == KeyOperation::Write ? noCollection(backendText) : notFound(keyName);
    if (saysLockedOrRefused(backendText))
        return denied(backendText);
    return failed(op, backendText);
}

bool mayBeBackendStarting(int keychainError, const QString &backendText)
{
    const auto code = static_cast<QKeychain::Error>(keychainError);
    if (code == QKeychain::NoBackendAvailable)
        return true;
    return code == QKeychain::OtherError && saysNoService(backendText);
}

} // namespace parley
