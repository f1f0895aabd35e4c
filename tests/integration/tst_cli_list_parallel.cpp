// parley-cli list --parallel end to end: the built binary against the sandbox over real HTTP.
// For every platform whose pages go by number or offset, four pages in flight print exactly
// what one at a time prints (the platform's order, each row once); the verbose log shows
// how many requests were out at once. Cursor-paged lists stay one at a time.

#include "tst_cli_support.h"

#include "sandbox/SandboxServer.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {

using Params = QMap<QString, QString>;

constexpr int kConversations = 230;
const QByteArray kKey = "parley-demo-key";

// The most requests out at once, from -v's "GET <url>" and "GET <url> -> ..." lines.
int mostOutAtOnce(const QByteArray &err)
{
    static const QRegularExpression sent(u"parley\\.net: GET \\S+$"_s);
    static const QRegularExpression answered(u"parley\\.net: GET \\S+ -> "_s);
    int out = 0;
    int most = 0;
    for (const QByteArray &raw : err.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (answered.match(line).hasMatch())
            --out;
        else if (sent.match(line).hasMatch())
            most = qMax(most, ++out);
    }
    return most;
}

} // namespace

class TestCliListParallel : public QObject
{
    Q_OBJECT

private:
    QStringList at(const QString &platform, const QMap<QString, QString> &params) const;
    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;

private Q_SLOTS:
    void initTestCase();
    void fourInFlightPrintWhatOneAtATimePrints_data();
    void fourInFlightPrintWhatOneAtATimePrints();
    void parallelOutOfRangeIsAUsageError();
    void helpNamesParallel();
};

QStringList TestCliListParallel::at(const QString &platform,
                                    const QMap<QString, QString> &params) const
{
    QMap<QString, QString> settings = sandboxParams(parley::ProviderRegistry::platform(platform));
    settings.insert(params);
    return QStringList{u"--provider"_s, platform, u"--base-url"_s,
                       m_sandbox->baseUrl(platform).toString()} +
           paramArgs(settings);
}

void TestCliListParallel::initTestCase()
{
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
    m_sandbox = startSandbox(kKey, kConversations, 5);
    QVERIFY(m_sandbox);
    // Answers that take a while, so that requests overlap where they may.
    QVERIFY(m_sandbox->server()->setFaults(u"delay=15"_s));
}

void TestCliListParallel::fourInFlightPrintWhatOneAtATimePrints_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<Params>("params");
    QTest::addColumn<int>("mostWithFour"); // requests out at once with --parallel 4
    QTest::addColumn<int>("rows");         // -1: whatever the platform's default filter gives
    const Params none;
    QTest::newRow("dynamiq (page numbers)") << u"dynamiq"_s << none << 4 << kConversations;
    QTest::newRow("fixie (offsets)") << u"fixie"_s << none << 4 << kConversations;
    QTest::newRow("posthog (offsets)") << u"posthog"_s << none << 4 << kConversations;
    // Offsets without a total: the next page goes out as the last one arrives.
    QTest::newRow("polyai v1 (offsets, no total)")
        << u"polyai"_s << Params{{u"api_version"_s, u"v1"_s}} << 1 << -1;
    QTest::newRow("orq (cursors)") << u"orq"_s << none << 1 << kConversations;
}

void TestCliListParallel::fourInFlightPrintWhatOneAtATimePrints()
{
    QFETCH(QString, platform);
    QFETCH(Params, params);
    QFETCH(int, mostWithFour);
    QFETCH(int, rows);
    const QStringList where = at(platform, params);
    const QStringList options{u"list"_s, u"-v"_s, u"--page-size"_s, u"10"_s, u"--parallel"_s};
    const CliRun one = runCli(where + options + QStringList{u"1"_s}, kKey);
    QVERIFY2(one.exitCode == 0, one.describe().constData());
    const CliRun four = runCli(where + options + QStringList{u"4"_s}, kKey);
    QVERIFY2(four.exitCode == 0, four.describe().constData());

    QString problem;
    const QList<QJsonObject> printed = parseNdjson(four.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QSet<QString> ids;
    for (const QJsonObject &row : printed)
        ids.insert(row.value(u"id"_s).toString());
    QCOMPARE(ids.size(), printed.size()); // each row once
    QVERIFY(printed.size() > 30);         // several pages
    if (rows >= 0)
        QCOMPARE(printed.size(), rows);
    QVERIFY2(four.out == one.out, "--parallel 4 printed other rows or another order");

    QCOMPARE(mostOutAtOnce(one.err), 1);
    QCOMPARE(mostOutAtOnce(four.err), mostWithFour);
}

void TestCliListParallel::parallelOutOfRangeIsAUsageError()
{
    for (const QString &n : {u"0"_s, u"17"_s, u"two"_s}) {
        const CliRun run =
            runCli(at(u"fixie"_s, {}) + QStringList{u"list"_s, u"--parallel"_s, n}, kKey);
        QVERIFY2(run.exitCode == 2, run.describe().constData());
        QVERIFY2(run.mentions("--parallel"), run.describe().constData());
    }
}

void TestCliListParallel::helpNamesParallel()
{
    const CliRun run = runCli({u"list"_s, u"--help"_s}, {});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY2(run.out.contains("--parallel N"), run.describe().constData());
}

QTEST_GUILESS_MAIN(TestCliListParallel)
#include "tst_cli_list_parallel.moc"
