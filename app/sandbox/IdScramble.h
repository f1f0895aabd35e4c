#pragma once

#include <QtGlobal>

// Cheap invertible arithmetic the emulations use to make ids that name their row (no table
// to look them up) and look random, the same for the same seed.
namespace parley::sandbox::scramble {

// The inverse of an odd `a` modulo 2^32 (Newton's iteration: each step doubles the number
// of correct low bits).
constexpr quint32 inverse32(quint32 a)
{
    quint32 x = a;
    for (int i = 0; i < 4; ++i)
        x *= 2 - a * x;
    return x;
}

// The inverse of an odd `a` modulo 2^48.
constexpr quint64 inverse48(quint64 a)
{
    quint64 x = a;
    for (int i = 0; i < 6; ++i)
        x *= 2 - a * x;
    return x & ((quint64(1) << 48) - 1);
}

// A seed-keyed bijection of the 32-bit numbers: a row index xored with `mask`, times an odd
// `factor` (invertible modulo 2^32), is a code that looks random and gives the index back.
class IndexCode32
{
public:
    constexpr IndexCode32(quint32 factor, quint32 mask)
        : m_factor(factor)
        , m_inverse(inverse32(factor))
        , m_mask(mask)
    {}

    constexpr quint32 code(quint32 index) const { return (index ^ m_mask) * m_factor; }
    constexpr quint32 index(quint32 code) const { return (code * m_inverse) ^ m_mask; }

private:
    quint32 m_factor;
    quint32 m_inverse;
    quint32 m_mask;
};

// SplitMix64's output function: a well-spread 64-bit hash of `x`.
constexpr quint64 splitmix64(quint64 x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace parley::sandbox::scramble
