#include "models/RowText.h"

#include <QVarLengthArray>

#include <algorithm>

namespace parley {

namespace {

char16_t fold(char16_t c)
{
    if (c < 128)
        return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
    return QChar::toCaseFolded(c);
}

// fold() of each Latin-1 character.
const std::array<char16_t, 256> &latin1Folds()
{
    static const std::array<char16_t, 256> table = [] {
        std::array<char16_t, 256> t = {};
        for (int c = 0; c < 256; ++c)
            t[size_t(c)] = fold(char16_t(c));
        return t;
    }();
    return table;
}

inline char16_t unit(char c)
{
    return char16_t(uchar(c));
}
inline char16_t unit(char16_t c)
{
    return c;
}

template<typename A, typename B>
int compareUnits(const A *pa, qsizetype na, const B *pb, qsizetype nb)
{
    const qsizetype n = std::min(na, nb);
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t ua = unit(pa[i]);
        const char16_t ub = unit(pb[i]);
        if (ua == ub)
            continue;
        const char16_t fa = fold(ua);
        const char16_t fb = fold(ub);
        if (fa != fb)
            return fa < fb ? -1 : 1;
    }
    return na < nb ? -1 : (na > nb ? 1 : 0);
}

template<typename A>
int compareWith(const A *pa, qsizetype na, const RowText &b)
{
    return b.isLatin1() ? compareUnits(pa, na, b.latin1().data(), b.size())
                        : compareUnits(pa, na, b.utf16().utf16(), b.size());
}

} // namespace

size_t qHash(const RowText &text, size_t seed) noexcept
{
    if (!text.isLatin1())
        return qHash(text.utf16(), seed);
    QVarLengthArray<char16_t, 256> units(text.size());
    const char *p = text.latin1().data();
    for (qsizetype i = 0; i < text.size(); ++i)
        units[i] = unit(p[i]);
    return qHash(QStringView(units.constData(), units.size()), seed);
}

int compareFolded(const RowText &a, const RowText &b)
{
    if (a.data() == b.data() && a.size() == b.size() && a.isLatin1() == b.isLatin1())
        return 0; // one pooled value

    return a.isLatin1() ? compareWith(a.latin1().data(), a.size(), b)
                        : compareWith(a.utf16().utf16(), a.size(), b);
}

quint64 foldedPrefixKey(const RowText &text, qsizetype from)
{
    quint64 key = 0;
    const qsizetype end = std::min(from + 4, text.size());
    if (text.isLatin1()) {
        const std::array<char16_t, 256> &folds = latin1Folds();
        const char *p = text.latin1().data();
        for (qsizetype i = from; i < end; ++i)
            key = (key << 16) | folds[uchar(p[i])];
    } else {
        const char16_t *p = text.utf16().utf16();
        for (qsizetype i = from; i < end; ++i)
            key = (key << 16) | fold(p[i]);
    }
    // Past the end: zeros.
    for (qsizetype i = std::max(end, from); i < from + 4; ++i)
        key <<= 16;
    return key;
}

void RowTextMatcher::setPattern(const QString &pattern)
{
    m_utf16.setPattern(pattern);
    m_folded.clear();
    m_first = {};
    m_latin1Possible = true;
    const std::array<char16_t, 256> &folds = latin1Folds();
    for (const QChar c : pattern) {
        // Surrogates stay as they are: no Latin-1 character folds to one.
        const char16_t f = c.isSurrogate() ? c.unicode() : fold(c.unicode());
        m_folded.push_back(f);
        if (std::find(folds.begin(), folds.end(), f) == folds.end())
            m_latin1Possible = false;
    }
    if (!m_folded.empty()) {
        for (int c = 0; c < 256; ++c)
            m_first[size_t(c)] = folds[size_t(c)] == m_folded.front();
    }
}

bool RowTextMatcher::matches(const RowText &text) const
{
    if (m_folded.empty())
        return true;
    if (!text.isLatin1())
        return m_utf16.indexIn(text.utf16()) >= 0;
    return m_latin1Possible && matchesLatin1(text.latin1());
}

bool RowTextMatcher::matchesLatin1(QLatin1String text) const
{
    const qsizetype m = qsizetype(m_folded.size());
    const qsizetype last = text.size() - m;
    const uchar *h = reinterpret_cast<const uchar *>(text.data());
    const std::array<char16_t, 256> &folds = latin1Folds();
    for (qsizetype i = 0; i <= last; ++i) {
        if (!m_first[h[i]])
            continue;
        qsizetype j = 1;
        while (j < m && folds[h[i + j]] == m_folded[size_t(j)])
            ++j;
        if (j == m)
            return true;
    }
    return false;
}

} // namespace parley
