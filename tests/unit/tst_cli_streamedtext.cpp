// What parley-cli's text mode writes for a streamed reply (cli/StreamedText.h): the grown
// end of the followed turn, the whole final text on a line of its own when a turn is
// rewritten, nothing for repeated snapshots.
#include "cli/StreamedText.h"

#include <QTest>

using parley::cli::StreamedText;
using namespace Qt::StringLiterals;

class TestCliStreamedText : public QObject
{
    Q_OBJECT

private slots:
    void growingTurnWritesOnlyTheNewEnd();
    void finalTextReplacingADifferentDraftStartsALine();
    void finalTextReplacingAnEqualDraftWritesNothing();
    void repeatedSnapshotsOfEarlierTurnsWriteNothing();
    void secondTurnStartsItsOwnLine();
    void emptyDraftWritesNothingUntilItHasText();
    void rewrittenTurnWithoutNewId();
    void finishEndsTheLineOnce();
    void outputReassemblesTheFinalText_data();
    void outputReassemblesTheFinalText();
};

void TestCliStreamedText::growingTurnWritesOnlyTheNewEnd()
{
    StreamedText t;
    QCOMPARE(t.update(u"a"_s, {}, u"Hel"_s), u"Hel"_s);
    QCOMPARE(t.update(u"a"_s, {}, u"Hello"_s), u"lo"_s);
    QCOMPARE(t.update(u"a"_s, {}, u"Hello"_s), QString());
    QCOMPARE(t.update(u"a"_s, {}, u"Hello, world"_s), u", world"_s);
    QVERIFY(!t.atLineStart());
}

void TestCliStreamedText::finalTextReplacingADifferentDraftStartsALine()
{
    StreamedText t;
    QCOMPARE(t.update(u"draft"_s, {}, u"The answer is 4"_s), u"The answer is 4"_s);
    // The final message says something else: a break, then all of it.
    QCOMPARE(t.update(u"final"_s, u"draft"_s, u"The answer is 42."_s), u"2."_s);
    QCOMPARE(t.update(u"final2"_s, u"final"_s, u"Actually, 41."_s), u"\nActually, 41."_s);
    // Later snapshots of the replacing turn continue it.
    QCOMPARE(t.update(u"final2"_s, {}, u"Actually, 41. Sorry."_s), u" Sorry."_s);
}

void TestCliStreamedText::finalTextReplacingAnEqualDraftWritesNothing()
{
    StreamedText t;
    QCOMPARE(t.update(u"draft"_s, {}, u"Done."_s), u"Done."_s);
    QCOMPARE(t.update(u"msg-7"_s, u"draft"_s, u"Done."_s), QString());
    QCOMPARE(t.update(u"msg-7"_s, {}, u"Done. Bye"_s), u" Bye"_s);
}

void TestCliStreamedText::repeatedSnapshotsOfEarlierTurnsWriteNothing()
{
    // Platforms that send every turn in each snapshot (Fixie) repeat finished turns.
    StreamedText t;
    QCOMPARE(t.update(u"a"_s, {}, u"Looking it up."_s), u"Looking it up."_s);
    QCOMPARE(t.update(u"b"_s, {}, u"Found"_s), u"\nFound"_s);
    QCOMPARE(t.update(u"a"_s, {}, u"Looking it up."_s), QString());
    QCOMPARE(t.update(u"b"_s, {}, u"Found it"_s), u" it"_s);
}

void TestCliStreamedText::secondTurnStartsItsOwnLine()
{
    StreamedText t;
    QCOMPARE(t.update(u"a"_s, {}, u"One\n"_s), u"One\n"_s);
    QVERIFY(t.atLineStart());
    QCOMPARE(t.update(u"b"_s, {}, u"Two"_s), u"Two"_s); // already at a line start
    // An earlier turn growing while another was written: its whole text on a new line.
    QCOMPARE(t.update(u"a"_s, {}, u"One\nmore"_s), u"\nOne\nmore"_s);
}

void TestCliStreamedText::emptyDraftWritesNothingUntilItHasText()
{
    StreamedText t;
    QCOMPARE(t.update(u"a"_s, {}, QString()), QString());
    QCOMPARE(t.update(u"a"_s, {}, u"Hi"_s), u"Hi"_s);
    QCOMPARE(t.update(u"b"_s, {}, QString()), QString()); // a tool call with no text
    QCOMPARE(t.update(u"a"_s, {}, u"Hi there"_s), u" there"_s);
}

void TestCliStreamedText::rewrittenTurnWithoutNewId()
{
    StreamedText t;
    QCOMPARE(t.update(u"a"_s, {}, u"Paris is in Italy"_s), u"Paris is in Italy"_s);
    QCOMPARE(t.update(u"a"_s, {}, u"Paris is in France"_s), u"\nParis is in France"_s);
}

void TestCliStreamedText::finishEndsTheLineOnce()
{
    StreamedText t;
    QCOMPARE(t.finish(), QString()); // nothing written
    t.update(u"a"_s, {}, u"Hi"_s);
    QCOMPARE(t.finish(), u"\n"_s);
    QCOMPARE(t.finish(), QString());
}

void TestCliStreamedText::outputReassemblesTheFinalText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("step");
    const QString reply = u"Your invoice INV-2041 was sent on 3 March; a copy is on its way. "
                          u"Anything else? ✓ 😀"_s;
    for (int step : {1, 2, 3, 7, 64})
        QTest::addRow("step %d", step) << reply << step;
}

void TestCliStreamedText::outputReassemblesTheFinalText()
{
    // Whatever the chunking, a turn that only grows writes exactly its final text.
    QFETCH(QString, text);
    QFETCH(int, step);
    StreamedText t;
    QString written;
    for (qsizetype n = 0; n < text.size(); n += step) {
        const QString chunk = t.update(u"a"_s, {}, text.left(n));
        QVERIFY(chunk.isEmpty() || !chunk.back().isHighSurrogate()); // whole characters
        written += chunk;
    }
    written += t.update(u"a"_s, {}, text);
    written += t.update(u"final"_s, u"a"_s, text);
    written += t.finish();
    QCOMPARE(written, text + u'\n');
}

QTEST_GUILESS_MAIN(TestCliStreamedText)
#include "tst_cli_streamedtext.moc"
