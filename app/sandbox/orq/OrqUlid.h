#pragma once

#include <QString>
#include <QtGlobal>

namespace parley::sandbox {

// ULIDs as orq.ai writes them (lowercase Crockford base32, 26 characters): 48 bits of Unix
// time in milliseconds, then 80 bits of randomness, here split as 16 high + 64 low bits.
struct OrqUlid
{
    quint64 timeMs = 0;   // < 2^48
    quint16 randomHi = 0; // the top 16 bits of the random part
    quint64 randomLo = 0; // the low 64 bits

    QString toString() const;
    // False unless `text` is 26 Crockford base32 characters that fit in 128 bits.
    static bool parse(const QString &text, OrqUlid *out);
};

} // namespace parley::sandbox
