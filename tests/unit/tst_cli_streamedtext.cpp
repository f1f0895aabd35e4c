// What parley-cli's text mode writes for a streamed reply (cli/StreamedText.h): the grown
// end of the followed turn, the whole final text on a line of its own when a turn is
// rewritten, nothing for repeated snapshots.
#include "cli/StreamedText.h"

#include <QTest>

#include <optional>

using parley::cli::StreamedText;
using namespace Qt::StringLiterals;

namespace {

// One update of a turn (`id`, the turn it `replaces`, its text so far), what it writes, and
// where set whether the output then stands at a line start.
struct Step
{
    QString id;
    QString replaces;
    QString text;
    QString writes;
    std::optional<bool> atLineStart = {};
};
using Steps = QList<Step>;

} // namespace

Q_DECLARE_METATYPE(Steps)

class TestCliStreamedText : public QObject
{
    Q_OBJECT

private slots:
    void updatesWriteWhatIsNew_data();
    void updatesWriteWhatIsNew();
    void finishEndsTheLineOnce();
    void outputReassemblesTheFinalText_data();
    void outputReassemblesTheFinalText();
};

void TestCliStreamedText::updatesWriteWhatIsNew_data()
{
    QTest::addColumn<Steps>("steps");
    QTest::newRow("growing turn writes only the new end")
        << Steps{{u"a"_s, {}, u"Hel"_s, u"Hel"_s},
                 {u"a"_s, {}, u"Hello"_s, u"lo"_s},
                 {u"a"_s, {}, u"Hello"_s, {}},
                 {u"a"_s, {}, u"Hello, world"_s, u", world"_s, false}};
    // The final message says something else: a break, then all of it; later snapshots of
    // the replacing turn continue it.
    QTest::newRow("final text replacing a different draft starts a line")
        << Steps{{u"draft"_s, {}, u"The answer is 4"_s, u"The answer is 4"_s},
                 {u"final"_s, u"draft"_s, u"The answer is 42."_s, u"2."_s},
                 {u"final2"_s, u"final"_s, u"Actually, 41."_s, u"\nActually, 41."_s},
                 {u"final2"_s, {}, u"Actually, 41. Sorry."_s, u" Sorry."_s}};
    QTest::newRow("final text replacing an equal draft writes nothing")
        << Steps{{u"draft"_s, {}, u"Done."_s, u"Done."_s},
                 {u"msg-7"_s, u"draft"_s, u"Done."_s, {}},
                 {u"msg-7"_s, {}, u"Done. Bye"_s, u" Bye"_s}};
    // Platforms that send every turn in each snapshot (Fixie) repeat finished turns.
    QTest::newRow("repeated snapshots of earlier turns write nothing")
        << Steps{{u"a"_s, {}, u"Looking it up."_s, u"Looking it up."_s},
                 {u"b"_s, {}, u"Found"_s, u"\nFound"_s},
                 {u"a"_s, {}, u"Looking it up."_s, {}},
                 {u"b"_s, {}, u"Found it"_s, u" it"_s}};
    // The second turn is already at a line start; an earlier turn growing while another was
    // written has its whole text on a new line.
    QTest::newRow("second turn starts its own line")
        << Steps{{u"a"_s, {}, u"One\n"_s, u"One\n"_s, true},
                 {u"b"_s, {}, u"Two"_s, u"Two"_s},
                 {u"a"_s, {}, u"One\nmore"_s, u"\nOne\nmore"_s}};
    // The empty "b" is a tool call with no text.
    QTest::newRow("empty draft writes nothing until it has text")
        << Steps{{u"a"_s, {}, {}, {}},
                 {u"a"_s, {}, u"Hi"_s, u"Hi"_s},
                 {u"b"_s, {}, {}, {}},
                 {u"a"_s, {}, u"Hi there"_s, u" there"_s}};
    QTest::newRow("rewritten turn without new id")
        << Steps{{u"a"_s, {}, u"Paris is in Italy"_s, u"Paris is in Italy"_s},
                 {u"a"_s, {}, u"Paris is in France"_s, u"\nParis is in France"_s}};
}

void TestCliStreamedText::updatesWriteWhatIsNew()
{
    QFETCH(Steps, steps);
    StreamedText t;
    for (const Step &step : std::as_const(steps)) {
        QCOMPARE(t.update(step.id, step.replaces, step.text), step.writes);
        if (step.atLineStart)
            QCOMPARE(t.atLineStart(), *step.atLineStart);
    }
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
