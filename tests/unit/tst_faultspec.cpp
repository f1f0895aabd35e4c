// FaultSpec parsing: every fault and qualifier, combinations, and clear errors.
#include "sandbox/FaultSpec.h"
#include "support/TextRows.h"

#include <QTest>

using namespace parley::sandbox;
using namespace Qt::StringLiterals;
using parley::test::addTextRows;

class TestFaultSpec : public QObject
{
    Q_OBJECT

private slots:
    void eachFault()
    {
        auto p = [](const QString &text) {
            QString error;
            const std::optional<FaultSpec> s = FaultSpec::parse(text, &error);
            if (!s)
                qWarning("%s: %s", qPrintable(text), qPrintable(error));
            return s.value_or(FaultSpec{});
        };
        QCOMPARE(p(u"delay=800"_s).delayMs, 800);
        QVERIFY(p(u"hang"_s).hang);
        QVERIFY(p(u"reset"_s).reset);
        QCOMPARE(p(u"status=503"_s).status, 503);
        QCOMPARE(p(u"status=503"_s).retryAfterSeconds, -1);
        const FaultSpec rl = p(u"status=429;retry-after=3"_s);
        QCOMPARE(rl.status, 429);
        QCOMPARE(rl.retryAfterSeconds, 3);
        QVERIFY(p(u"status=429;retry-after-date"_s).retryAfterDate);
        QCOMPARE(p(u"html=502"_s).htmlStatus, 502);
        QVERIFY(p(u"malformed-json"_s).malformedJson);
        QVERIFY(p(u"truncated"_s).truncated);
        QCOMPARE(p(u"content-type=text/html"_s).contentType, QByteArray("text/html"));
        QCOMPARE(p(u"oversize=80"_s).oversizeMb, 80);
        QCOMPARE(p(u"drip=50"_s).dripMs, 50);
        QVERIFY(p(u"redirect-other-host"_s).redirectOtherHost);
        QVERIFY(p(u"cut-stream"_s).cutStream);
        QCOMPARE(p(u"deep-json=100000"_s).deepJson, 100000);
        QVERIFY(p(u"invalid-utf8"_s).invalidUtf8);
        QVERIFY(p(u"broken-item"_s).brokenItem);
        QVERIFY(p(u"repeat-page"_s).repeatPage);
        QVERIFY(!p(u"broken-item"_s).isEmpty());
        QVERIFY(!p(u"repeat-page"_s).isEmpty());
    }

    void combinedAndQualified()
    {
        QString error;
        const auto s = FaultSpec::parse(
            u" delay=20 , Status=503 ;path=/posthog/.*, every=2,first=4"_s, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->delayMs, 20);
        QCOMPARE(s->status, 503);
        QCOMPARE(s->every, 2);
        QCOMPARE(s->first, 4);
        QVERIFY(s->matchesPath(u"/posthog/api/projects/1/conversations/"_s));
        QVERIFY(!s->matchesPath(u"/fixie/posthog/x"_s)); // anchored
        QVERIFY(!s->isEmpty());

        const auto all = FaultSpec::parse(u"reset"_s);
        QVERIFY(all);
        QVERIFY(all->matchesPath(u"/anything"_s));
    }

    void errors_data()
    {
        addTextRows("text", "mentions",
                    {{"empty", "", "no fault"},
                     {"only separators", " , ; ", "no fault"},
                     {"only qualifiers", "path=/x,every=2", "no fault"},
                     {"unknown", "explode", "unknown fault \"explode\""},
                     {"status missing value", "status", "\"status\" needs a number"},
                     {"status not a number", "status=abc", "from 400 to 599"},
                     {"status too low", "status=200", "from 400 to 599"},
                     {"delay negative", "delay=-5", "\"delay\""},
                     {"flag with value", "hang=1", "\"hang\" takes no value"},
                     {"retry-after alone", "retry-after=3", "needs \"status=N\""},
                     {"retry-after twice", "status=429;retry-after=3;retry-after-date", "either"},
                     {"status and html", "status=500,html=502", "either"},
                     {"bad regex", "reset,path=((", "\"path\""},
                     {"empty content type", "content-type=", "media type"},
                     {"oversize huge", "oversize=999999", "\"oversize\""}});
    }

    void errors()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!FaultSpec::parse(text, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void helpHasOneLinePerFault()
    {
        const QString help = FaultSpec::syntaxHelp();
        for (const char *name : {"delay=",
                                 "hang",
                                 "reset",
                                 "status=",
                                 "retry-after=",
                                 "retry-after-date",
                                 "html=",
                                 "malformed-json",
                                 "truncated",
                                 "content-type=",
                                 "oversize=",
                                 "drip=",
                                 "redirect-other-host",
                                 "cut-stream",
                                 "deep-json=",
                                 "invalid-utf8",
                                 "broken-item",
                                 "repeat-page",
                                 "path=",
                                 "every=",
                                 "first="})
            QVERIFY2(help.contains(QLatin1String(name)), name);
    }
};

QTEST_APPLESS_MAIN(TestFaultSpec)
#include "tst_faultspec.moc"
