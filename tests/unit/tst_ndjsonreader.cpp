// NdjsonReader: Fixie's streamed snapshots (tests/data/net/fixie_start.ndjson) give the
// expected values for \n and \r\n endings, whole, split in two at every byte position and
// byte by byte; blank lines are skipped, bad lines reported with their number while later
// lines still arrive; long lines are skipped with bounded memory.
#include "net/NdjsonReader.h"
#include "support/StreamReaderChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

QByteArray fixture(const QString &name)
{
    return test::testData(u"net/"_s + name);
}

QList<NdjsonLine> parseParts(const QList<QByteArrayView> &parts, qsizetype max)
{
    return test::readParts(NdjsonReader(max), parts);
}

QString describe(const QList<NdjsonLine> &lines)
{
    QStringList out;
    for (const NdjsonLine &l : lines) {
        out << u"%1: %2"_s.arg(l.number).arg(
            l.isError() ? u"ERROR "_s + l.error
                        : QString::fromUtf8(
                              QJsonDocument(QJsonArray{l.value}).toJson(QJsonDocument::Compact)));
    }
    return out.join(u'\n');
}

// Every two-part split and the byte-by-byte feed give `expected`.
void verifyAllSplits(const QByteArray &bytes, const QList<NdjsonLine> &expected,
                     qsizetype max = NdjsonReader::kDefaultMaxLineBytes)
{
    test::verifyAllSplits(NdjsonReader(max), bytes, expected, describe);
}

NdjsonLine line(qsizetype number, const QJsonValue &value)
{
    return NdjsonLine{.number = number, .value = value, .error = {}};
}

} // namespace

class TestNdjsonReader : public QObject
{
    Q_OBJECT

private slots:
    void fixieSnapshots_data()
    {
        QTest::addColumn<bool>("crlf");
        QTest::newRow("lf") << false;
        QTest::newRow("crlf") << true;
    }

    void fixieSnapshots()
    {
        QFETCH(bool, crlf);
        QByteArray bytes = fixture(u"fixie_start.ndjson"_s);
        if (crlf)
            bytes.replace("\n", "\r\n");
        const QJsonArray snapshots =
            QJsonDocument::fromJson(fixture(u"fixie_start.expected.json"_s)).array();
        QCOMPARE(snapshots.size(), 6);
        QList<NdjsonLine> expected;
        for (qsizetype i = 0; i < snapshots.size(); ++i)
            expected << line(i + 1, snapshots.at(i));
        const QList<NdjsonLine> whole =
            parseParts({QByteArrayView(bytes)}, NdjsonReader::kDefaultMaxLineBytes);
        QVERIFY2(whole == expected, qPrintable(describe(whole)));
        verifyAllSplits(bytes, expected);

        // The last snapshot is the finished turn, as the UI shows it.
        const QJsonObject last = whole.last().value.toObject();
        const QJsonObject turn = last.value(u"turns"_s).toArray().at(1).toObject();
        QCOMPARE(turn.value(u"state"_s).toString(), u"done"_s);
        QCOMPARE(turn.value(u"messages"_s).toArray().at(2).toObject().value(u"content"_s),
                 QJsonValue(u"Your order A-17 has shipped — it arrives Friday. ✓"_s));
    }

    void badLinesAreReportedAndSkipped()
    {
        const QByteArray bytes = "{\"a\":1}\n"            // 1
                                 "\n"                     // 2 blank
                                 "   \t \n"               // 3 blank
                                 "{\"b\":[1,2]}\r\n"      // 4
                                 "{not json}\n"           // 5 bad
                                 "42\n"                   // 6 a scalar
                                 "\"text\"\n"             // 7
                                 "null\n"                 // 8
                                 "[1,\n"                  // 9 bad: cut
                                 "{\"c\":\"\xc3\xbc\"}\n" // 10
                                 "{\"d\":1} {\"e\":2}\n"  // 11 bad: two values
                                 "{\"f\":true}";          // 12, no final newline
        const QList<NdjsonLine> got = parseParts({QByteArrayView(bytes)}, 1 << 20);
        QCOMPARE(got.size(), 10);
        const QList<qsizetype> numbers = {1, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        for (int i = 0; i < got.size(); ++i)
            QCOMPARE(got.at(i).number, numbers.at(i));
        QCOMPARE(got.at(0), line(1, QJsonObject{{u"a"_s, 1}}));
        QCOMPARE(got.at(1), line(4, QJsonObject{{u"b"_s, QJsonArray{1, 2}}}));
        QVERIFY(got.at(2).isError());
        QVERIFY2(got.at(2).error.startsWith(u"line 5: "_s), qPrintable(got.at(2).error));
        QCOMPARE(got.at(3), line(6, 42));
        QCOMPARE(got.at(4), line(7, u"text"_s));
        QCOMPARE(got.at(5), line(8, QJsonValue(QJsonValue::Null)));
        QVERIFY2(got.at(6).error.startsWith(u"line 9: "_s), qPrintable(got.at(6).error));
        QCOMPARE(got.at(7), line(10, QJsonObject{{u"c"_s, u"ü"_s}}));
        QVERIFY2(got.at(8).error.startsWith(u"line 11: "_s), qPrintable(got.at(8).error));
        QCOMPARE(got.at(9), line(12, QJsonObject{{u"f"_s, true}}));
        verifyAllSplits(bytes, got, 1 << 20);
    }

    void longLinesAreSkipped()
    {
        constexpr qsizetype max = 64;
        const QByteArray bytes = "{\"ok\":1}\n{\"big\":\"" + QByteArray(200, 'x') +
                                 "\"}\n{\"ok\":3}\n" + QByteArray(65, ' ') + "\n{\"ok\":5}";
        const QList<NdjsonLine> got = parseParts({QByteArrayView(bytes)}, max);
        QCOMPARE(got.size(), 5);
        QCOMPARE(got.at(0), line(1, QJsonObject{{u"ok"_s, 1}}));
        QCOMPARE(got.at(1).number, 2);
        QCOMPARE(got.at(1).error, u"line longer than 64 bytes; skipped"_s);
        QCOMPARE(got.at(2), line(3, QJsonObject{{u"ok"_s, 3}}));
        QCOMPARE(got.at(3).number, 4); // an over-long blank line is still over-long
        QVERIFY(got.at(3).isError());
        QCOMPARE(got.at(4), line(5, QJsonObject{{u"ok"_s, 5}}));
        verifyAllSplits(bytes, got, max);
    }

    void lineExactlyAtTheLimit()
    {
        const QByteArray value = "\"" + QByteArray(62, 'y') + "\""; // 64 bytes
        QCOMPARE(parseParts({QByteArrayView(QByteArray(value + "\n"))}, 64),
                 QList<NdjsonLine>{line(1, QString(62, u'y'))});
        QVERIFY(parseParts({QByteArrayView(QByteArray(value + "\n"))}, 63).value(0).isError());
    }

    void hostileStreamKeepsMemoryBounded()
    {
        constexpr qsizetype max = 64 * 1024;
        NdjsonReader reader(max);
        const QByteArray piece(4096, '[');
        int errors = 0;
        for (int i = 0; i < 2560; ++i) { // 10 MB without a newline
            for (const NdjsonLine &l : reader.feed(piece))
                errors += l.isError();
            QVERIFY(reader.bufferedBytes() <= max);
        }
        QCOMPARE(errors, 1);
        QCOMPARE(reader.feed("\n{\"after\":true}\n"),
                 QList<NdjsonLine>{line(2, QJsonObject{{u"after"_s, true}})});
        QVERIFY(reader.finish().isEmpty());
    }

    void endOfStream()
    {
        NdjsonReader reader;
        QVERIFY(reader.feed("{\"a\":1}").isEmpty()); // not complete until '\n' or the end
        QCOMPARE(reader.finish(), QList<NdjsonLine>{line(1, QJsonObject{{u"a"_s, 1}})});
        NdjsonReader blankEnd;
        QCOMPARE(blankEnd.feed("1\n\r").size(), 1);
        QVERIFY(blankEnd.finish().isEmpty());
        NdjsonReader cut;
        QVERIFY(cut.feed("{\"a\":").isEmpty());
        const auto end = cut.finish();
        QCOMPARE(end.size(), 1);
        QVERIFY(end.at(0).isError());
        QCOMPARE(end.at(0).number, 1);
    }
};

QTEST_GUILESS_MAIN(TestNdjsonReader)
#include "tst_ndjsonreader.moc"
