#pragma once

#include "secrets/KeyResult.h"

#include <QString>

namespace parley {

// Which kind of keychain request an error came from; the same backend error means
// different things for a read (an absent entry) and for a write (an absent keyring).
enum class KeyOperation
{
    Read,
    Write,
    Delete,
};

// Turns what QtKeychain reported (its QKeychain::Error code as an int, and the backend's
// own text) into a KeyResult a person can act on. QtKeychain's codes are coarse: on the
// libsecret path a missing D-Bus session or Secret Service arrives as OtherError, a locked
// collection as AccessDenied and a missing default keyring as EntryNotFound, so the
// backend text is inspected as well. Pure function: unit-tested without a keychain.
KeyResult classifyKeychainError(KeyOperation op, int keychainError, const QString &backendText,
                                const QString &keyName);

// True when an error may only mean that the Linux keychain service has not started yet
// (the situation in which one delayed retry is worth it).
bool mayBeBackendStarting(int keychainError, const QString &backendText);

} // namespace parley
