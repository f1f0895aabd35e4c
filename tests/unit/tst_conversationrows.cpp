// ConversationRows keeps rows compactly; what comes back must be what went in, and the
// helpers the filter proxy uses on stored texts must answer as QString's own would.
#include "models/ConversationRows.h"
#include "models/RowText.h"
#include "support/ModelTestData.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace parley;

namespace {

// Texts in both stored forms: ASCII, Latin-1 beyond ASCII, and beyond Latin-1.
const QStringList kTexts = {
    u""_s,         u"a"_s,        u"Refunds"_s,    u"refunds in May"_s, u"ÉCOLE été"_s,
    u"straße µ"_s, u"ÿ ends"_s,   u"Ÿ upper"_s,    u"Кириллица"_s,      u"mixed é Ж"_s,
    u"😀 emoji"_s,  u"REFUNDS"_s,  u"refund"_s,     u"Kelvin \u212A"_s,  u"long s \u017F"_s,
    u"ab"_s,       u"ab\u0000"_s, u"abcdefghij"_s, u"abcdefghiJ"_s,     u"abcdefgh"_s,
};

Conversation sample(int i)
{
    Conversation c = test::makeConversation(i);
    c.title = kTexts.at(i % kTexts.size());
    c.owner = kTexts.at((i * 7) % kTexts.size());
    return c;
}

void compareRow(const Conversation &a, const Conversation &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.title, b.title);
    QCOMPARE(a.status, b.status);
    QCOMPARE(a.kind, b.kind);
    QCOMPARE(a.owner, b.owner);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.updatedAt, b.updatedAt);
    QCOMPARE(a.turnCount, b.turnCount);
    QCOMPARE(a.isUnreadable(), b.isUnreadable());
    QCOMPARE(a.unreadableWhy(), b.unreadableWhy());
    QCOMPARE(a.extra(), b.extra());
}

} // namespace

class TestConversationRows : public QObject
{
    Q_OBJECT

private slots:
    void rowsComeBackAsTheyWent();
    void editsInsertsErasesAndRotates();
    void poolOverflowKeepsValuesInTheRow();
    void hashIsQStringsHash();
    void matcherAnswersAsQStringMatcher();
    void compareFoldedAgreesAcrossForms();
    void prefixKeysOrderAsCompareFolded();
};

void TestConversationRows::rowsComeBackAsTheyWent()
{
    ConversationRows rows;
    QList<Conversation> in;
    for (int i = 0; i < 60; ++i)
        in << sample(i);
    in[3].createdAt = {};
    in[4].turnCount = -1;
    in[5].setUnreadable(u"bad date"_s, "{\"id\":1}");
    in[6].setExtra(u"context_state"_s, u"open"_s);
    in[7].id.clear();
    in[8].status = u"in_progress — ünïcode"_s;
    for (const Conversation &c : in)
        rows.append(c);
    QCOMPARE(rows.size(), int(in.size()));
    for (int row = 0; row < rows.size(); ++row) {
        compareRow(rows.at(row), in.at(row));
        QCOMPARE(rows.text(row, ConversationRows::Title).toString(), in.at(row).title);
        QCOMPARE(rows.text(row, ConversationRows::Status).toString(), in.at(row).status);
        QCOMPARE(rows.id(row).toString(), in.at(row).id);
        QCOMPARE(rows.timeMs(row, true), in.at(row).updatedAt.toMSecsSinceEpoch());
    }
    QCOMPARE(rows.timeMs(3, false), ConversationRows::kNoTime);
    QCOMPARE(rows.at(5).rawJson(), QByteArray("{\"id\":1}"));
    // A Latin-1 title is kept as Latin-1, one beyond it as UTF-16.
    QVERIFY(rows.text(4, ConversationRows::Title).isLatin1());
    QVERIFY(!rows.text(8, ConversationRows::Title).isLatin1());
    rows.clear();
    QCOMPARE(rows.size(), 0);
}

void TestConversationRows::editsInsertsErasesAndRotates()
{
    ConversationRows rows;
    QList<Conversation> model;
    for (int i = 0; i < 10; ++i) {
        model << sample(i);
        rows.append(model.last());
    }
    const QList<Conversation> extra = {sample(100), sample(101), sample(102)};
    rows.insert(4, extra.constData(), extra.constData() + extra.size());
    for (qsizetype i = 0; i < extra.size(); ++i)
        model.insert(4 + i, extra.at(i));
    Conversation changed = model.at(2);
    changed.title = u"Renamed — now UTF-16 Ж"_s;
    changed.status = u"stopped"_s;
    rows.set(2, changed);
    model[2] = changed;
    rows.erase(7, 9);
    model.remove(7, 2);
    rows.rotate(1, 5, 9);
    std::rotate(model.begin() + 1, model.begin() + 5, model.begin() + 9);
    QCOMPARE(rows.size(), int(model.size()));
    for (int row = 0; row < rows.size(); ++row)
        compareRow(rows.at(row), model.at(row));
}

void TestConversationRows::poolOverflowKeepsValuesInTheRow()
{
    ConversationRows rows;
    const int n = 70000; // more distinct owners than the pool keeps
    Conversation c = sample(1);
    for (int i = 0; i < n; ++i) {
        c.owner = u"caller +1 555 %1"_s.arg(i);
        rows.append(c);
    }
    for (int row : {0, 65535, 65536, 65537, n - 1})
        QCOMPARE(rows.at(row).owner, u"caller +1 555 %1"_s.arg(row));
}

void TestConversationRows::hashIsQStringsHash()
{
    for (const QString &s : kTexts) {
        const QByteArray latin1 = s.toLatin1();
        QCOMPARE(qHash(RowText(s), 42), qHash(s, 42));
        if (QString::fromLatin1(latin1) == s)
            QCOMPARE(qHash(RowText(QLatin1String(latin1)), 42), qHash(s, 42));
    }
}

void TestConversationRows::matcherAnswersAsQStringMatcher()
{
    QStringList patterns = kTexts;
    patterns << u"É"_s << u"é"_s << u"SS"_s << u"ß"_s << u"µ"_s << u"\u03BC"_s << u"ÿ"_s << u"Ÿ"_s
             << u"k"_s << u"s"_s << u"UND"_s << u"😀"_s << u"j"_s;
    for (const QString &pattern : patterns) {
        if (pattern.isEmpty())
            continue;
        RowTextMatcher matcher;
        matcher.setPattern(pattern);
        const QStringMatcher reference(pattern, Qt::CaseInsensitive);
        for (const QString &text : kTexts) {
            const bool expected = reference.indexIn(text) >= 0;
            QCOMPARE(matcher.matches(RowText(text)), expected);
            const QByteArray latin1 = text.toLatin1();
            if (QString::fromLatin1(latin1) == text) {
                if (matcher.matches(RowText(QLatin1String(latin1))) != expected)
                    QFAIL(qPrintable(u"\"%1\" in Latin-1 \"%2\""_s.arg(pattern, text)));
            }
        }
    }
}

void TestConversationRows::compareFoldedAgreesAcrossForms()
{
    for (const QString &a : kTexts) {
        const QByteArray la = a.toLatin1();
        const bool aLatin1 = QString::fromLatin1(la) == a;
        for (const QString &b : kTexts) {
            const int utf16 = compareFolded(RowText(a), RowText(b));
            // Antisymmetric, zero only for texts equal but for case.
            QCOMPARE(compareFolded(RowText(b), RowText(a)), -utf16);
            QCOMPARE(utf16 == 0, a.toCaseFolded() == b.toCaseFolded() && a.size() == b.size());
            if (aLatin1) {
                const int mixed = compareFolded(RowText(QLatin1String(la)), RowText(b));
                QCOMPARE(mixed, utf16);
            }
        }
    }
}

void TestConversationRows::prefixKeysOrderAsCompareFolded()
{
    for (const QString &a : kTexts) {
        for (const QString &b : kTexts) {
            const quint64 ka = foldedPrefixKey(RowText(a));
            const quint64 kb = foldedPrefixKey(RowText(b));
            if (ka != kb)
                QCOMPARE(ka < kb, compareFolded(RowText(a), RowText(b)) < 0);
        }
    }
}

QTEST_GUILESS_MAIN(TestConversationRows)
#include "tst_conversationrows.moc"
