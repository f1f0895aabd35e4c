// SseReader: recorded streams (PostHog, Dynamiq, the format's edge cases; tests/data/net/)
// give exactly the expected events for \n, \r\n, \r and mixed line endings, whole, split
// in two at every byte position, and byte by byte; oversized events are reported and
// skipped with bounded memory; a stream cut mid-event is reported at the end.
#include "net/SseReader.h"
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

QList<SseEvent> expectedEvents(const QString &name)
{
    QList<SseEvent> events;
    const QJsonArray list = QJsonDocument::fromJson(fixture(name)).array();
    if (list.isEmpty())
        qFatal("empty or unreadable %s", qPrintable(name));
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        SseEvent e;
        e.type = o.value(u"event"_s).toString();
        e.data = o.value(u"data"_s).toString().toUtf8();
        e.id = o.value(u"id"_s).toString();
        events.append(e);
    }
    return events;
}

enum class Endings
{
    Lf,
    CrLf,
    Cr,
    Mixed
};

QByteArray withEndings(const QByteArray &lf, Endings endings)
{
    if (endings == Endings::Lf)
        return lf;
    QByteArray out;
    int line = 0;
    for (const char c : lf) {
        if (c != '\n') {
            out += c;
            continue;
        }
        switch (endings) {
        case Endings::CrLf:
            out += "\r\n";
            break;
        case Endings::Cr:
            out += '\r';
            break;
        default:
            out += line % 3 == 0 ? "\r\n" : line % 3 == 1 ? "\n" : "\r";
            break;
        }
        ++line;
    }
    return out;
}

QList<SseEvent> parseParts(const QList<QByteArrayView> &parts, qsizetype max)
{
    return test::readParts(SseReader(max), parts);
}

QList<SseEvent> parseWhole(const QByteArray &bytes,
                           qsizetype max = SseReader::kDefaultMaxEventBytes)
{
    return parseParts({QByteArrayView(bytes)}, max);
}

QString describe(const QList<SseEvent> &events)
{
    QStringList lines;
    for (const SseEvent &e : events) {
        lines << (e.isError()
                      ? u"ERROR "_s + e.error
                      : u"[%1] id=%2 data=%3"_s.arg(e.type, e.id, QString::fromUtf8(e.data)));
    }
    return lines.join(u'\n');
}

// Every two-part split and the byte-by-byte feed give `expected`.
void verifyAllSplits(const QByteArray &bytes, const QList<SseEvent> &expected,
                     qsizetype max = SseReader::kDefaultMaxEventBytes)
{
    test::verifyAllSplits(SseReader(max), bytes, expected, describe);
}

SseEvent sse(const QString &type, const QByteArray &data, const QString &id = {})
{
    return SseEvent{.type = type, .data = data, .id = id, .error = {}};
}

} // namespace

class TestSseReader : public QObject
{
    Q_OBJECT

private slots:
    void recordedStreams_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<int>("endings");
        const char *const names[] = {"posthog_stream", "dynamiq_stream", "edge_cases"};
        const std::pair<const char *, Endings> kinds[] = {{"lf", Endings::Lf},
                                                          {"crlf", Endings::CrLf},
                                                          {"cr", Endings::Cr},
                                                          {"mixed", Endings::Mixed}};
        for (const char *name : names) {
            for (const auto &[label, endings] : kinds) {
                QTest::addRow("%s %s", name, label) << QString::fromLatin1(name) << int(endings);
            }
        }
    }

    void recordedStreams()
    {
        QFETCH(QString, stream);
        QFETCH(int, endings);
        const QByteArray bytes = withEndings(fixture(stream + u".sse"_s), Endings(endings));
        const QList<SseEvent> expected = expectedEvents(stream + u".expected.json"_s);
        const QList<SseEvent> whole = parseWhole(bytes);
        QVERIFY2(whole == expected, qPrintable(describe(whole)));
        verifyAllSplits(bytes, expected);
    }

    void edgeCasesInThreeParts()
    {
        const QByteArray bytes = fixture(u"edge_cases.sse"_s);
        const QList<SseEvent> expected = expectedEvents(u"edge_cases.expected.json"_s);
        const QByteArrayView all(bytes);
        for (qsizetype a = 0; a <= bytes.size(); ++a) {
            for (qsizetype b = a; b <= bytes.size(); ++b) {
                const auto got =
                    parseParts({all.first(a), all.sliced(a, b - a), all.sliced(b)}, 1 << 20);
                if (got != expected)
                    QFAIL(qPrintable(u"cuts at %1 and %2:\n%3"_s.arg(a).arg(b).arg(describe(got))));
            }
        }
    }

    void recordedDataIsJson()
    {
        for (const QString &name : {u"posthog_stream"_s, u"dynamiq_stream"_s}) {
            for (const SseEvent &e : parseWhole(fixture(name + u".sse"_s))) {
                QJsonParseError error{};
                QVERIFY(QJsonDocument::fromJson(e.data, &error).isObject());
                QCOMPARE(error.error, QJsonParseError::NoError);
            }
        }
        const auto dynamiq = parseWhole(fixture(u"dynamiq_stream.sse"_s));
        QCOMPARE(dynamiq.last().type, u"run.completed"_s);
        QString text;
        for (const SseEvent &e : dynamiq) {
            if (e.type == "agent.response.delta"_L1) {
                text += QJsonDocument::fromJson(e.data)
                            .object()
                            .value(u"data"_s)
                            .toObject()
                            .value(u"delta"_s)
                            .toString();
            }
        }
        QCOMPARE(text, u"Your order A-17 has shipped — it should arrive on Friday."_s);
    }

    void commentsOnlyStreamGivesNothing()
    {
        const QByteArray bytes = ": keepalive\n\n: heartbeat\n\n:\n\n";
        verifyAllSplits(bytes, {});
        verifyAllSplits(withEndings(bytes, Endings::CrLf), {});
    }

    void lastEventIdPersists()
    {
        SseReader reader;
        QCOMPARE(reader.lastEventId(), QString());
        auto events = reader.feed("id: 7\ndata: a\n\ndata: b\n\n");
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(1).id, u"7"_s);
        QCOMPARE(reader.lastEventId(), u"7"_s);
        events = reader.feed(QByteArrayView("id: 8\0x\ndata: c\n\n", 17)); // NUL: ignored
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).id, u"7"_s);
    }

    void oversizedEventsAreSkipped()
    {
        constexpr qsizetype max = 100;
        const QByteArray big(150, 'x');
        const QByteArray bytes = "data: small one\n\n"
                                 "event: huge\ndata: " +
                                 big.left(60) + "\ndata: " + big.left(60) +
                                 "\nid: 9\n\n"
                                 "data: " +
                                 big +
                                 "\n\n" // one line over the limit
                                 ": " +
                                 big +
                                 "\n\n" // a comment over the limit is still skipped
                                 "data: small two\n\n";
        SseEvent tooLarge;
        tooLarge.error = u"an event larger than 100 bytes was skipped"_s;
        const QList<SseEvent> expected = {sse(u"message"_s, "small one"), tooLarge, tooLarge,
                                          tooLarge, sse(u"message"_s, "small two")};
        QCOMPARE(parseWhole(bytes, max), expected);
        verifyAllSplits(bytes, expected, max);
        verifyAllSplits(withEndings(bytes, Endings::CrLf), expected, max);
    }

    void eventExactlyAtTheLimitPasses()
    {
        // data + current line bytes: "data: " + 94 bytes = 100.
        const QByteArray bytes = "data: " + QByteArray(94, 'y') + "\n\n";
        QCOMPARE(parseWhole(bytes, 100), QList<SseEvent>{sse(u"message"_s, QByteArray(94, 'y'))});
        QCOMPARE(parseWhole(bytes, 99).value(0).isError(), true);
    }

    void hostileStreamKeepsMemoryBounded()
    {
        constexpr qsizetype max = 64 * 1024;
        SseReader reader(max);
        const QByteArray piece(4096, 'z');
        int errors = 0;
        reader.feed("data: ");
        for (int i = 0; i < 2560; ++i) { // 10 MB without a line end
            for (const SseEvent &e : reader.feed(piece))
                errors += e.isError();
            QVERIFY(reader.bufferedBytes() <= max);
        }
        QCOMPARE(errors, 1);
        const auto after = reader.feed("\n\ndata: still alive\n\n");
        QCOMPARE(after, QList<SseEvent>{sse(u"message"_s, "still alive")});
    }

    void streamCutMidEvent_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("events");
        QTest::addColumn<bool>("cut");
        QTest::newRow("clean end") << QByteArray("data: a\n\n") << 1 << false;
        QTest::newRow("no blank line") << QByteArray("data: a\n\ndata: b\n") << 1 << true;
        QTest::newRow("half a line") << QByteArray("data: a\n\ndata: {\"type\":\"a") << 1 << true;
        QTest::newRow("event name only") << QByteArray("event: x\n") << 0 << true;
        QTest::newRow("unterminated comment") << QByteArray("data: a\n\n: keepal") << 1 << false;
        QTest::newRow("trailing cr") << QByteArray("data: a\r\n\r") << 1 << false;
        QTest::newRow("empty") << QByteArray() << 0 << false;
    }

    void streamCutMidEvent()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, events);
        QFETCH(bool, cut);
        for (qsizetype k = 0; k <= bytes.size(); ++k) {
            SseReader reader;
            QList<SseEvent> out = reader.feed(QByteArrayView(bytes).first(k));
            out += reader.feed(QByteArrayView(bytes).sliced(k));
            QCOMPARE(out.size(), events);
            const QList<SseEvent> end = reader.finish();
            QCOMPARE(end.size(), cut ? 1 : 0);
            if (cut)
                QCOMPARE(end.at(0).error, u"the stream ended in the middle of an event"_s);
            QCOMPARE(reader.bufferedBytes(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestSseReader)
#include "tst_ssereader.moc"
