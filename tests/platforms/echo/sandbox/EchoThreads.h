#pragma once

#include "sandbox/GeneratedConversations.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace parley::sandbox {

// The Echo server's threads: thread i (0 <= i < count, larger is newer) is made on demand
// from (seed, i); lines appended later are kept in a small overlay.
class EchoThreads : public GeneratedConversations
{
public:
    EchoThreads(quint32 seed, int count);

    // "<8 hex digits>-<i>": the digits depend on the seed, so a made-up ref names nothing.
    QString ref(int index) const;
    // -1 when `ref` names no thread.
    int indexOf(const QString &ref) const;
    QString mood(int index) const; // "happy" or "grumpy"

    QJsonObject thread(int index) const;       // {ref, subject, mood, opened, lines}
    QList<QJsonObject> lines(int index) const; // [{no, speaker, said, at}]
    // Stores a human line at the end of thread `index`; returns it.
    QJsonObject append(int index, const QString &said);

private:
    QList<QJsonObject> generatedLines(int index) const;
    QDateTime opened(int index) const;

    QHash<int, QList<QJsonObject>> m_appended;
};

} // namespace parley::sandbox
