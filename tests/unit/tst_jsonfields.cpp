#include "core/Conversation.h"
#include "core/JsonText.h"
#include "core/Turn.h"
#include "providers/JsonFields.h"
#include "providers/Rfc3339.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

// The defensive JSON reader every mapping uses: wrong types and out-of-range numbers give
// the default and a BadResponse naming the field, never undefined behaviour.
class TestJsonFields : public QObject
{
    Q_OBJECT

private:
    static QJsonObject obj(const char *json)
    {
        return QJsonDocument::fromJson(QByteArray(json)).object();
    }

private slots:
    void integerInRange()
    {
        JsonFields f;
        QCOMPARE(f.integer(obj(R"({"n": 1234567890123})"), u"n"_s), 1234567890123ll);
        QCOMPARE(f.integer(obj(R"({"n": -5})"), u"n"_s), -5ll);
        QVERIFY(!f.failed());
    }

    void integerOutOfRangeIsReported_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("2^63") << QByteArray(R"({"n": 9223372036854775808})");
        QTest::newRow("1e300") << QByteArray(R"({"n": 1e300})");
        QTest::newRow("-1e300") << QByteArray(R"({"n": -1e300})");
    }
    void integerOutOfRangeIsReported()
    {
        QFETCH(QByteArray, json);
        JsonFields f;
        QCOMPARE(f.integer(obj(json.constData()), u"n"_s, 7), 7ll);
        QVERIFY(f.failed());
        QCOMPARE(f.error().kind, ApiError::Kind::BadResponse);
        QVERIFY2(f.error().detail.contains(u"out of range"_s), qPrintable(f.error().detail));
    }

    void msTimeOutOfRangeIsReported()
    {
        JsonFields f;
        QVERIFY(!f.msTime(obj(R"({"t": 1e300})"), u"t"_s).isValid());
        QVERIFY(f.failed());
        JsonFields ok;
        QCOMPARE(ok.msTime(obj(R"({"t": 1734789600000})"), u"t"_s),
                 QDateTime::fromMSecsSinceEpoch(1734789600000ll, Qt::UTC));
        QVERIFY(!ok.failed());
    }

    void numericIdAsText()
    {
        JsonFields f;
        QCOMPARE(f.stringOrNumber(obj(R"({"id": 42})"), u"id"_s), u"42"_s);
        QCOMPARE(f.stringOrNumber(obj(R"({"id": "abc"})"), u"id"_s), u"abc"_s);
        QVERIFY(!f.failed());
        QCOMPARE(f.stringOrNumber(obj(R"({"id": 1e40})"), u"id"_s), QString());
        QVERIFY(f.failed());
    }

    void wrongTypeNamesTheField()
    {
        JsonFields f(u"conversation"_s);
        QCOMPARE(f.string(obj(R"({"title": 3})"), u"title"_s), QString());
        QVERIFY(f.error().detail.contains(u"title"_s));
    }

    void requireNamesTheMissingField()
    {
        JsonFields f(u"conversation list:"_s);
        QVERIFY(f.require(obj(R"({"data": []})"), u"data"_s));
        QVERIFY(!f.failed());
        QVERIFY(!f.require(obj(R"({"data": null})"), u"data"_s));
        QVERIFY(!f.require(obj(R"({})"), u"next"_s));
        QCOMPARE(f.error().kind, ApiError::Kind::BadResponse);
        QVERIFY2(f.error().detail.contains(u"it has no 'data'"_s), qPrintable(f.error().detail));
        QVERIFY(JsonFields::absent(obj(R"({"a": null})"), u"a"_s));
        QVERIFY(!JsonFields::absent(obj(R"({"a": 0})"), u"a"_s));
    }

    void eachObjectReadsTheObjectsAndNamesTheOthers()
    {
        JsonFields f(u"conversation list:"_s);
        QStringList ids;
        QList<qsizetype> at;
        f.eachObject(obj(R"({"rows": [{"id": "a"}, 7, {"id": 3}]})").value(u"rows"_s).toArray(),
                     u"rows"_s, [&](const QJsonObject &row, JsonFields &rf, qsizetype i) {
                         ids << rf.string(row, u"id"_s);
                         at << i;
                     });
        QCOMPARE(ids, (QStringList{u"a"_s, QString()}));
        QCOMPARE(at, (QList<qsizetype>{0, 2}));
        // The first problem wins: the element that is no object, before the nested one.
        QVERIFY2(f.error().detail.contains(u"rows[1] is a number, expected an object"_s),
                 qPrintable(f.error().detail));
    }

    void eachObjectCarriesANestedProblemUp()
    {
        JsonFields f(u"conversation list:"_s);
        f.eachObject(
            obj(R"({"rows": [{"id": 3}]})").value(u"rows"_s).toArray(), u"rows"_s,
            [](const QJsonObject &row, JsonFields &rf, qsizetype) { rf.string(row, u"id"_s); });
        QVERIFY(f.failed());
        QVERIFY2(f.error().detail.contains(u"in rows[0]"_s), qPrintable(f.error().detail));
        QVERIFY2(f.error().detail.contains(u"'id'"_s), qPrintable(f.error().detail));
    }

    // objects(): an element that cannot be read is an unreadable item in its place, with why
    // and its JSON; the reader itself records no problem, and the others are read.
    void objectsKeepWhatTheyCannotRead()
    {
        JsonFields f(u"conversation:"_s);
        const QJsonArray rows =
            obj(R"({"rows": [{"id": "a", "type": "human"}, 7, {"id": "b", "type": "ai", "n": "x"}]})")
                .value(u"rows"_s)
                .toArray();
        const QList<Turn> turns =
            f.objects<Turn>(rows, u"rows"_s, [](const QJsonObject &o, JsonFields &tf) {
                Turn t;
                t.id = tf.string(o, u"id"_s);
                t.typeLabel = tf.string(o, u"type"_s);
                t.fragments.append(Fragment{Fragment::Kind::Text, u"read"_s, {}, {}, false, false});
                tf.integer(o, u"n"_s);
                return t;
            });
        QVERIFY(!f.failed());
        QCOMPARE(turns.size(), 3);
        QVERIFY(!turns.at(0).isUnreadable());
        QCOMPARE(turns.at(0).raw, QByteArray(R"({"id":"a","type":"human"})"));
        QCOMPARE(turns.at(1).unreadable, u"rows[1] is a number, expected an object"_s);
        QCOMPARE(turns.at(1).raw, QByteArray("7"));
        QCOMPARE(turns.at(2).unreadable, u"field 'n' is text, expected a number"_s);
        QCOMPARE(turns.at(2).id, u"b"_s);
        QCOMPARE(turns.at(2).typeLabel, u"ai"_s);
        QVERIFY(turns.at(2).fragments.isEmpty()); // nothing half-read
        QCOMPARE(turns.at(2).raw, QByteArray(R"({"id":"b","n":"x","type":"ai"})"));

        // Rows keep their JSON only when they cannot be read.
        const QList<Conversation> list = f.objects<Conversation>(
            rows, u"rows"_s,
            [](const QJsonObject &o, JsonFields &rf) {
                Conversation c;
                c.id = rf.string(o, u"id"_s);
                rf.integer(o, u"n"_s);
                return c;
            },
            JsonFields::KeepRaw::WhenUnreadable);
        QVERIFY(list.at(0).rawJson().isEmpty());
        QVERIFY(list.at(2).isUnreadable());
        QCOMPARE(list.at(2).id, u"b"_s);
        QVERIFY(!list.at(2).rawJson().isEmpty());
    }

    // Qt 6.4 refuses a whole document for one byte that is no UTF-8; Parley reads it with
    // U+FFFD in that place, and valid text as it is.
    void invalidUtf8ReadsAsReplacementCharacter()
    {
        const QByteArray body = "{\"title\": \"a\xff b\xed\xa0\x80 c\", \"ok\": \"\xc3\xa9\"}";
        QJsonParseError plain{};
        QJsonDocument::fromJson(body, &plain);
        QCOMPARE(plain.error, QJsonParseError::IllegalUTF8String); // what Qt does alone

        QJsonParseError pe{};
        const QJsonObject o = parseJsonText(body, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(o.value(u"title"_s).toString(), u"a\ufffd b\ufffd\ufffd\ufffd c"_s);
        QCOMPARE(o.value(u"ok"_s).toString(), u"\u00e9"_s);

        const Result<QString> read = JsonFields::readObject<QString>(
            body, u"conversation:"_s,
            [](const QJsonObject &obj, JsonFields &f) { return f.string(obj, u"title"_s); });
        QVERIFY2(read.ok(), qPrintable(read.error().message()));
        QVERIFY(read.value().contains(QChar(0xfffd)));

        // Not JSON stays not JSON.
        QJsonParseError broken{};
        QVERIFY(parseJsonText("{\"a\": \xff}", &broken).isNull());
        QVERIFY(broken.error != QJsonParseError::NoError);
    }

    // The hand-written reader of the usual date-time forms gives what Qt's readers give, for
    // the forms it reads and for those it leaves to Qt.
    void isoTimeAgreesWithQt_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("byHand"); // read without Qt
        const auto row = [](const char *text, bool byHand) {
            QTest::newRow(text) << QString::fromLatin1(text) << byHand;
        };
        row("2026-05-01T10:00:00Z", true);
        row("2026-05-01T10:00:00.250Z", true);
        row("2026-05-01T10:00:00.5Z", true);
        row("2026-05-01T10:00:00.12Z", true);
        row("2026-05-01T10:00:00.123456Z", true);
        row("2026-05-01T10:00:00.123500Z", true);
        row("2026-05-01T10:00:00.000500Z", true);
        row("2026-05-01T10:00:00.999499Z", true);
        row("2026-05-01T10:00:00.999500Z", false); // Qt carries it into the next second
        row("2026-05-01T10:00:00.999999+02:00", false);
        row("2026-05-01T10:00:00.123456+00:00", true);
        row("2026-05-01T10:00:00+02:00", true);
        row("2026-05-01T10:00:00-09:30", true);
        row("2026-05-01T00:30:00+14:00", true);
        row("1969-12-31T23:59:59.999Z", true);
        row("2024-02-29T12:00:00Z", true);
        row("2026-05-01T10:00:00", true); // no offset: UTC
        row("2026-05-01T10:00:00.1234Z", false);
        row("2026-05-01T10:00:00.123456789Z", false);
        row("2026-05-01T10:00:00-0230", false);
        row("2026-05-01 10:00:00Z", false);
        row("2026-05-01T10:00Z", false);
        row("2026-05-01T24:00:00Z", false);
        row("2026-05-01T10:00:00z", false);
        row("2026-05-01T10:00:00,5Z", false);
        row("2026-05-01", false);
        row("2023-02-29T10:00:00Z", false); // no such day: invalid both ways
        row("2026-13-01T10:00:00Z", false);
        row("2026-05-01T10:00:60Z", false);
        row("2026-05-01T10:00:00.Z", false);
        row("2026-05-01T10:00:00+24:00", false);
        row("0000-01-01T00:00:00Z", false);
        row("not a time", false);
    }
    void isoTimeAgreesWithQt()
    {
        QFETCH(QString, text);
        QFETCH(bool, byHand);
        const QDateTime fast = readRfc3339(text);
        QCOMPARE(fast.isValid(), byHand);
        const QDateTime read = JsonFields::parseIsoTime(text);
        const QDateTime qt = JsonFields::parseIsoTimeWithQt(text);
        QCOMPARE(read.isValid(), qt.isValid());
        if (!qt.isValid())
            return;
        QCOMPARE(read.toMSecsSinceEpoch(), qt.toMSecsSinceEpoch());
        QCOMPARE(read.timeSpec(), Qt::UTC);
        QCOMPARE(qt.timeSpec(), Qt::UTC);
    }

    // Six-digit fractions (Python's isoformat) round to the millisecond as Qt rounds them.
    void microsecondsRoundAsQtRounds()
    {
        int compared = 0;
        for (int us = 0; us < 1000000; us += 7) {
            for (const int v : {us, us - us % 1000 + 500}) {
                const QString text = u"2026-05-01T10:00:00.%1Z"_s.arg(v, 6, 10, QLatin1Char('0'));
                const QDateTime fast = readRfc3339(text);
                const QDateTime qt = JsonFields::parseIsoTimeWithQt(text);
                if (!fast.isValid()) // only 999500 and above are left to Qt
                    QVERIFY2(v >= 999500, qPrintable(text));
                else
                    QVERIFY2(fast == qt, qPrintable(text));
                ++compared;
            }
        }
        QVERIFY(compared > 200000);
    }

    void readObjectGivesTheValueOrTheFirstProblem()
    {
        const auto readTitle = [](const QJsonObject &o, JsonFields &f) {
            return f.string(o, u"title"_s);
        };
        const Result<QString> ok =
            JsonFields::readObject<QString>(R"({"title": "Hi"})", u"conversation:"_s, readTitle);
        QVERIFY(ok.ok());
        QCOMPARE(ok.value(), u"Hi"_s);

        const Result<QString> wrong =
            JsonFields::readObject<QString>(R"({"title": 1})", u"conversation:"_s, readTitle);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().kind, ApiError::Kind::BadResponse);
        QVERIFY(wrong.error().detail.contains(u"title"_s));

        const Result<QString> notJson =
            JsonFields::readObject<QString>("[1, 2]", u"conversation:"_s, readTitle);
        QVERIFY(!notJson.ok());
        QCOMPARE(notJson.error().kind, ApiError::Kind::BadResponse);
    }
};

QTEST_GUILESS_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
