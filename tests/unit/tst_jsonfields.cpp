#include "providers/JsonFields.h"

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
};

QTEST_GUILESS_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
