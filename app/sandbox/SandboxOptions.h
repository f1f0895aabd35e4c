#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace parley::sandbox {

struct SandboxOptions
{
    quint16 port = 0;                   // 0 = any free port
    quint32 seed = 42;                  // same seed, same data
    int conversations = 120;            // per platform, up to 100,000
    QByteArray key = "parley-demo-key"; // the one key every platform accepts
    // The permission scopes the key carries where a platform checks them (PostHog's
    // "conversation:read", "conversation:write"); empty = every scope.
    QStringList keyScopes = {};
    int streamIntervalMs = 40; // pace of streamed frames
    QString faults = {};       // a FaultSpec for every matching request; empty = none
    // How long a streamed reply takes to write, in seconds; 0 = one unit (word or frame)
    // every streamIntervalMs. Retrieves show a reply being written as it grows.
    int replySeconds = 0;
    // Conversations per platform kept running as on a busy platform: each reply 5-30 s
    // (replySeconds when set), then the next scripted message after a pause. 0 = none.
    int live = 0;
    // By emulation prefix, the one API form it serves (a version, path or revision, as its
    // platform's workspace setting names it); the others answer as a platform without them
    // does. None: every form, as the emulation documents.
    QMap<QString, QString> onlyForms = {};

    // The key has `scope` (a ":write" scope also grants its ":read"; "*" grants all).
    bool keyHasScope(const QString &scope) const
    {
        if (keyScopes.isEmpty() || keyScopes.contains(QStringLiteral("*")) ||
            keyScopes.contains(scope))
            return true;
        return scope.endsWith(QStringLiteral(":read")) &&
               keyScopes.contains(scope.chopped(5) + QStringLiteral(":write"));
    }
    // "K" or "K:scope,scope" (the --key argument) into `key` and `keyScopes`; false when the
    // key or a scope is empty.
    bool setKey(const QString &argument)
    {
        const qsizetype colon = argument.indexOf(QLatin1Char(':'));
        const QString k = colon < 0 ? argument : argument.left(colon);
        QStringList scopes;
        if (colon >= 0) {
            scopes = argument.mid(colon + 1).split(QLatin1Char(','));
            for (QString &s : scopes)
                s = s.trimmed();
            if (scopes.contains(QString()))
                return false;
        }
        if (k.trimmed().isEmpty())
            return false;
        key = k.trimmed().toUtf8();
        keyScopes = scopes;
        return true;
    }

    // How long a reply of `units` takes to write.
    qint64 replyMs(int units) const
    {
        return replySeconds > 0 ? qint64(replySeconds) * 1000 : qint64(units) * streamIntervalMs;
    }
};

} // namespace parley::sandbox
