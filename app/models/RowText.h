#pragma once

#include <QHashFunctions>
#include <QLatin1String>
#include <QString>
#include <QStringMatcher>
#include <QStringView>

#include <array>

namespace parley {

// A string as ConversationRows keeps it: Latin-1 (one byte a character) where every
// character fits, else UTF-16. A view: valid while the row (or QString) it looks at stays.
class RowText
{
public:
    RowText() = default;
    RowText(QStringView s)
        : m_data(s.utf16())
        , m_size(s.size())
    {}
    RowText(const QString &s)
        : RowText(QStringView(s))
    {}
    RowText(QLatin1String s)
        : m_data(s.data())
        , m_size(s.size())
        , m_latin1(true)
    {}

    qsizetype size() const { return m_size; }
    const void *data() const { return m_data; }
    bool isEmpty() const { return m_size == 0; }
    bool isLatin1() const { return m_latin1; }
    QLatin1String latin1() const
    {
        return QLatin1String(static_cast<const char *>(m_data), m_size);
    }
    QStringView utf16() const { return QStringView(static_cast<const char16_t *>(m_data), m_size); }
    QString toString() const { return m_latin1 ? QString(latin1()) : utf16().toString(); }

    friend bool operator==(const RowText &a, QStringView b)
    {
        if (a.m_size != b.size())
            return false;
        return a.m_latin1 ? b.compare(a.latin1()) == 0 : a.utf16() == b;
    }
    friend bool operator==(const RowText &a, const QString &b) { return a == QStringView(b); }
    friend bool operator==(const RowText &a, const RowText &b)
    {
        if (!b.m_latin1)
            return a == b.utf16();
        if (!a.m_latin1)
            return b == a.utf16();
        return a.latin1() == b.latin1();
    }
    friend bool operator!=(const RowText &a, const QString &b) { return !(a == b); }

private:
    const void *m_data = nullptr;
    qsizetype m_size = 0;
    bool m_latin1 = false;
};

// The same value as qHash() of the text as a QString.
size_t qHash(const RowText &text, size_t seed = 0) noexcept;

// Case-insensitive order by simple case folding of each UTF-16 unit: fast for ASCII, the
// same answer whatever form either text is kept in.
int compareFolded(const RowText &a, const RowText &b);
// Four folded UTF-16 units of `text` from `from` (0 past its end), packed so that of two
// texts equal before `from`, a smaller key means an earlier text in compareFolded()'s order
// (equal keys: compare further).
quint64 foldedPrefixKey(const RowText &text, qsizetype from = 0);

// A case-insensitive substring search, as QStringMatcher's (Qt::CaseInsensitive) gives it,
// over texts in either form.
class RowTextMatcher
{
public:
    void setPattern(const QString &pattern);
    bool isEmpty() const { return m_folded.empty(); }
    bool matches(const RowText &text) const;

private:
    bool matchesLatin1(QLatin1String text) const;

    QStringMatcher m_utf16 = QStringMatcher(QString(), Qt::CaseInsensitive);
    std::u16string m_folded; // the pattern, each unit folded
    // Latin-1 characters whose folding is the pattern's first folded unit.
    std::array<bool, 256> m_first = {};
    bool m_latin1Possible = false; // every folded unit is the folding of a Latin-1 character
};

} // namespace parley
