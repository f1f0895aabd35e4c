#include "sandbox/orq/OrqUlid.h"

namespace parley::sandbox {

namespace {

const char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

int digitOf(QChar c)
{
    const char16_t u = QChar(c).toLower().unicode();
    for (int i = 0; i < 32; ++i) {
        if (kAlphabet[i] == u)
            return i;
    }
    return -1;
}

} // namespace

QString OrqUlid::toString() const
{
    // The 128-bit value (time << 80 | random), read 5 bits at a time from the top; the
    // first character holds only the top 3 bits (26 * 5 = 130).
    const quint64 hi = ((timeMs & ((quint64(1) << 48) - 1)) << 16) | randomHi;
    const quint64 lo = randomLo;
    QString out;
    out.reserve(26);
    for (int k = 0; k < 26; ++k) {
        const int shift = 125 - 5 * k;
        quint64 v;
        if (shift >= 64)
            v = hi >> (shift - 64);
        else if (shift + 5 <= 64)
            v = lo >> shift;
        else
            v = (lo >> shift) | (hi << (64 - shift));
        out += QLatin1Char(kAlphabet[v & 31]);
    }
    return out;
}

bool OrqUlid::parse(const QString &text, OrqUlid *out)
{
    if (text.size() != 26)
        return false;
    quint64 hi = 0;
    quint64 lo = 0;
    for (int k = 0; k < 26; ++k) {
        const int d = digitOf(text.at(k));
        if (d < 0 || (k == 0 && d > 7))
            return false;
        hi = (hi << 5) | (lo >> 59);
        lo = (lo << 5) | quint64(d);
    }
    out->timeMs = hi >> 16;
    out->randomHi = quint16(hi & 0xFFFF);
    out->randomLo = lo;
    return true;
}

} // namespace parley::sandbox
