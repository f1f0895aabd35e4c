#pragma once

#include <QString>

namespace parley::sandbox {

// Ids that name their row without a table: a UUID whose last 12 hex digits are the row
// index scrambled by an odd factor modulo 2^48 under a mask; the other digits come from two
// hashes of the row, so the ids look random. Each emulation picks its own factor, mask and
// hashes, and so its own ids.
class IndexedUuid
{
public:
    static constexpr quint64 kLow48 = (quint64(1) << 48) - 1;

    // `factor` must be odd (invertible modulo 2^48); `mask` is kept to its low 48 bits.
    IndexedUuid(quint64 factor, quint64 mask);

    // The id of row `index`; `a` and `b` are the row's hashes for the random-looking digits.
    QString id(int index, quint64 a, quint64 b) const;
    // The row an id's last group names, or -1 when it is no lowercase UUID. The caller checks
    // that the row exists and that id(row, …) gives `id` back.
    qint64 row(const QString &id) const;

    // `value`'s low `digits` hex digits, zero-padded.
    static QString hex(quint64 value, int digits);

private:
    quint64 m_factor;
    quint64 m_inverse;
    quint64 m_mask;
};

} // namespace parley::sandbox
