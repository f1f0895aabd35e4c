#pragma once

#include <QDateTime>
#include <QRandomGenerator>
#include <QString>

namespace parley::sandbox {

// Deterministic made-up content for the sandbox: the same (seed, salt, index) always
// gives the same text, ids and times.
class SandboxText
{
public:
    // A generator for item `index` of a platform (`salt`, e.g. "posthog").
    static QRandomGenerator rng(quint32 seed, const QString &salt, qint64 index);

    static QString title(QRandomGenerator &rng);    // "Refund for order 4821"
    static QString question(QRandomGenerator &rng); // a user's message
    static QString answer(QRandomGenerator &rng);   // an assistant's reply, may hold markdown
    static QString sentence(QRandomGenerator &rng);
    static QString personName(QRandomGenerator &rng);
    static QString email(QRandomGenerator &rng);
    static QString toolName(QRandomGenerator &rng); // "search_orders"
    // A UUID (lowercase, no braces) fixed by the generator's state.
    static QString uuid(QRandomGenerator &rng);
    // A time in the 180 days before the sandbox epoch, later for larger `index`.
    static QDateTime timeFor(qint64 index, qint64 count, QRandomGenerator &rng);
    // The fixed "now" of the sandbox: 2026-06-01T12:00:00Z.
    static QDateTime epoch();
};

} // namespace parley::sandbox
