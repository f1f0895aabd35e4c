#pragma once

#include "sandbox/Sandbox.h"
#include "support/RawHttp.h"

#include <QObject>

#include <memory>

namespace parley::test {

// The base of an emulation's wire test: the in-process sandbox (kCount conversations from
// kSeed, accepting kKey) spoken to with a bare QNetworkAccessManager (m_raw).
class SandboxHttpTestCase : public QObject
{
    Q_OBJECT
protected:
    static constexpr int kCount = 23;
    static constexpr quint32 kSeed = 5;
    static constexpr const char *kKey = "test-key-123";

    // Starts the sandbox; false with `error` set when it cannot listen.
    bool startSandbox(QString *error);

    // `path` and `query` under the emulation at `prefix`.
    QUrl urlAt(const QString &prefix, const QString &path, const Query &query = {}) const;
    RawAnswer get(const QUrl &target, const QByteArray &auth) { return m_raw.get(target, auth); }

    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    RawHttp m_raw;
    const QByteArray m_auth = QByteArray("Bearer ") + kKey;
};

} // namespace parley::test
