// parley-cli list's ordering and range options end to end: the built binary against the
// sandbox (seed 21, 40 conversations) over real HTTP. --sort where the platform sorts on the
// server, --before/--after where it lists from a conversation, --page-size within each
// platform's documented limit, and the "N of M conversations" line that ends every list.

#include "tst_cli_support.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {

using Params = QMap<QString, QString>;

constexpr int kConversations = 40;
constexpr quint32 kSeed = 21;
const QByteArray kKey = "parley-demo-key";

// Nothing listens here: a command that exits 2 against it was refused before sending.
const QString kNowhere = u"http://127.0.0.1:9/"_s;

QStringList idsOf(const QList<QJsonObject> &rows)
{
    QStringList ids;
    for (const QJsonObject &row : rows)
        ids << row.value(u"id"_s).toString();
    return ids;
}

// The last line of stderr, without the program's prefix.
QString lastErrLine(const CliRun &run)
{
    const QList<QByteArray> lines = run.err.trimmed().split('\n');
    return QString::fromUtf8(lines.constLast());
}

} // namespace

class TestCliList : public QObject
{
    Q_OBJECT

private:
    // parley-cli's WHERE for `platform` in the sandbox (or at `baseUrl`), its settings
    // overridden by `params`.
    QStringList at(const QString &platform, const QMap<QString, QString> &params = {},
                   const QString &baseUrl = {}) const;
    CliRun list(const QStringList &where, const QStringList &options);
    // The ids `list` prints with `options`; fails the test on anything but exit 0.
    QStringList ids(const QStringList &where, const QStringList &options = {});
    // The registered platforms whose default capabilities pass `offers`, and the others.
    static QStringList platformsWhere(const std::function<bool(const parley::Capabilities &)> &o);

    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;

private Q_SLOTS:
    void initTestCase();
    void sortNewestFirst();
    void sortSeveralFieldsAndStartedAt();
    void unknownSortFieldIsAUsageError();
    void sortElsewhereNamesThePlatform();
    void pageSizeWithinEachPlatformsLimit_data();
    void pageSizeWithinEachPlatformsLimit();
    void limitEndsWithTheCount();
    void countWithoutAPlatformTotal();
    void jsonStaysOneArray();
    void polyaiV1RowsCarryTheContextState();
    void beforePrintsTheNewerRows_data();
    void beforePrintsTheNewerRows();
    void afterPrintsTheOlderRows_data();
    void afterPrintsTheOlderRows();
    void beforeAnUnknownIdIsNotFound();
    void beforeAndAfterElsewhereNameThePlatform();
    void helpNamesTheOptions();
};

QStringList TestCliList::at(const QString &platform, const QMap<QString, QString> &params,
                            const QString &baseUrl) const
{
    QMap<QString, QString> settings = sandboxParams(parley::ProviderRegistry::platform(platform));
    if (platform == "dynamiq"_L1)
        settings.insert(u"app_host"_s, m_sandbox->baseUrl(u"dynamiq-app"_s).toString());
    settings.insert(params);
    return QStringList{u"--provider"_s, platform, u"--base-url"_s,
                       baseUrl.isEmpty() ? m_sandbox->baseUrl(platform).toString() : baseUrl} +
           paramArgs(settings);
}

CliRun TestCliList::list(const QStringList &where, const QStringList &options)
{
    return runCli(where + QStringList{u"list"_s} + options, kKey);
}

QStringList TestCliList::ids(const QStringList &where, const QStringList &options)
{
    const CliRun run = list(where, options);
    if (run.exitCode != 0) {
        QTest::qFail(run.describe().constData(), __FILE__, __LINE__);
        return {};
    }
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(run.out, &problem);
    if (!problem.isEmpty())
        QTest::qFail(qPrintable(problem), __FILE__, __LINE__);
    return idsOf(rows);
}

QStringList
TestCliList::platformsWhere(const std::function<bool(const parley::Capabilities &)> &offers)
{
    QStringList out;
    for (const parley::PlatformInfo &info : parley::ProviderRegistry::platforms()) {
        if (offers(parley::ProviderRegistry::capabilities(info.id)))
            out << info.id;
    }
    return out;
}

void TestCliList::initTestCase()
{
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
    m_sandbox = startSandbox(kKey, kConversations, 5, kSeed);
    QVERIFY(m_sandbox);
    // Every platform this test names is registered and emulated (a missing one fails).
    for (const char *platform : {"dynamiq", "fixie", "orq", "polyai", "posthog"})
        QVERIFY2(m_sandbox->prefixes().contains(QLatin1String(platform)), platform);
}

void TestCliList::sortNewestFirst()
{
    const CliRun run = list(at(u"dynamiq"_s), {u"--sort"_s, u"-created_at"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(run.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(rows.size(), kConversations);
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QString newer = rows.at(i - 1).value(u"created_at"_s).toString();
        const QString older = rows.at(i).value(u"created_at"_s).toString();
        QVERIFY2(!newer.isEmpty() && newer >= older, qPrintable(newer + u" < "_s + older));
    }
    // Really the platform's sort: ascending is the exact reverse.
    QStringList oldestFirst = ids(at(u"dynamiq"_s), {u"--sort"_s, u"created_at"_s});
    std::reverse(oldestFirst.begin(), oldestFirst.end());
    QCOMPARE(oldestFirst, idsOf(rows));
    QVERIFY(oldestFirst.value(0) != oldestFirst.value(kConversations - 1));
}

void TestCliList::sortSeveralFieldsAndStartedAt()
{
    const QStringList byCreated = ids(at(u"dynamiq"_s), {u"--sort"_s, u"-created_at"_s});
    // The reference's own field sorts as created_at in the sandbox.
    QCOMPARE(ids(at(u"dynamiq"_s), {u"--sort"_s, u"-started_at"_s}), byCreated);
    QCOMPARE(byCreated.size(), kConversations);
    QCOMPARE(ids(at(u"dynamiq"_s), {u"--sort"_s, u"started_at"_s}).value(0), byCreated.constLast());

    const CliRun run = list(at(u"dynamiq"_s), {u"--sort"_s, u"title,-created_at"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(run.out, &problem);
    QCOMPARE(rows.size(), kConversations);
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QJsonObject &a = rows.at(i - 1);
        const QJsonObject &b = rows.at(i);
        const int c = a.value(u"title"_s).toString().compare(b.value(u"title"_s).toString());
        QVERIFY2(c <= 0, qPrintable(a.value(u"title"_s).toString()));
        if (c == 0)
            QVERIFY(a.value(u"created_at"_s).toString() >= b.value(u"created_at"_s).toString());
    }
    QVERIFY2(idsOf(rows) != byCreated, "title first gives another order");
}

void TestCliList::unknownSortFieldIsAUsageError()
{
    // Against an address where nothing listens: exit 2 (not 5) means nothing was sent.
    for (const QString &sort :
         {u"-name"_s, u"title,-nope"_s, u"title,,created_at"_s, u"title,-title"_s}) {
        const CliRun run = list(at(u"dynamiq"_s, {}, kNowhere), {u"--sort"_s, sort});
        QVERIFY2(run.exitCode == 2, qPrintable(sort + u": "_s + QString::fromUtf8(run.describe())));
        QVERIFY2(run.err.contains("--sort"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(run.out.isEmpty());
    }
    const CliRun run = list(at(u"dynamiq"_s, {}, kNowhere), {u"--sort"_s, u"-name"_s});
    for (const char *field : {"created_at", "updated_at", "title", "started_at"})
        QVERIFY2(run.err.contains(field), run.err.constData());
    // --sort without fields, and --sort on another command.
    QCOMPARE(list(at(u"dynamiq"_s), {u"--sort"_s, u" "_s}).exitCode, 2);
    QCOMPARE(
        runCli(at(u"dynamiq"_s) + QStringList{u"show"_s, u"x"_s, u"--sort"_s, u"title"_s}, kKey)
            .exitCode,
        2);
}

void TestCliList::sortElsewhereNamesThePlatform()
{
    const QStringList without =
        platformsWhere([](const parley::Capabilities &c) { return c.sortFields.isEmpty(); });
    QVERIFY2(without.size() >= 4, qPrintable(without.join(u", "_s)));
    for (const QString &platform : without) {
        const CliRun run = list(at(platform, {}, kNowhere), {u"--sort"_s, u"created_at"_s});
        QVERIFY2(run.exitCode == 2, qPrintable(platform + QString::fromUtf8(run.describe())));
        QVERIFY2(run.err.contains(platform.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains("--sort"), run.err.constData());
    }
}

void TestCliList::pageSizeWithinEachPlatformsLimit_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<Params>("params");
    QTest::addColumn<int>("most"); // the documented limit
    QTest::newRow("fixie") << u"fixie"_s << Params{} << 100;
    QTest::newRow("orq") << u"orq"_s << Params{} << 100;
    QTest::newRow("polyai v1") << u"polyai"_s << Params{{u"api_version"_s, u"v1"_s}} << 5000;
    QTest::newRow("polyai v3") << u"polyai"_s << Params{{u"api_version"_s, u"v3"_s}} << 1000;
    QTest::newRow("posthog") << u"posthog"_s << Params{} << 100;
    QTest::newRow("dynamiq") << u"dynamiq"_s << Params{} << 100;
}

void TestCliList::pageSizeWithinEachPlatformsLimit()
{
    QFETCH(QString, platform);
    QFETCH(Params, params);
    QFETCH(int, most);
    // One over: refused before sending (nothing listens there), naming the limit.
    for (int bad : {most + 1, 0}) {
        const CliRun run =
            list(at(platform, params, kNowhere), {u"--page-size"_s, QString::number(bad)});
        QVERIFY2(run.exitCode == 2, run.describe().constData());
        QVERIFY2(run.err.contains("--page-size"), run.err.constData());
        if (bad > 0)
            QVERIFY2(run.err.contains(QByteArray::number(most)), run.err.constData());
    }
    // The limit itself is sent, and the sandbox (which enforces the same limit) answers.
    const CliRun run = list(at(platform, params), {u"--page-size"_s, QString::number(most)});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY(!run.out.isEmpty());
}

void TestCliList::limitEndsWithTheCount()
{
    const CliRun run = list(at(u"posthog"_s), {u"--limit"_s, u"10"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    QCOMPARE(parseNdjson(run.out, &problem).size(), 10);
    QVERIFY2(lastErrLine(run).endsWith(u" 10 of 40 conversations"_s), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);

    // Every row, on a platform that counts them, and on one page of 7 at a time.
    const CliRun all = list(at(u"fixie"_s), {u"--page-size"_s, u"7"_s});
    QVERIFY2(all.exitCode == 0, all.describe().constData());
    QVERIFY2(lastErrLine(all).endsWith(u" 40 of 40 conversations"_s), all.err.constData());
}

void TestCliList::countWithoutAPlatformTotal()
{
    // orq.ai counts nothing: the line says how many were printed.
    const CliRun run = list(at(u"orq"_s), {u"--limit"_s, u"12"_s, u"--page-size"_s, u"5"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QVERIFY2(lastErrLine(run).endsWith(u" 12 conversations"_s), run.err.constData());
    QVERIFY(!run.err.contains(" of "));
}

void TestCliList::polyaiV1RowsCarryTheContextState()
{
    const QStringList v1 = at(u"polyai"_s, Params{{u"api_version"_s, u"v1"_s}});
    const CliRun run =
        list(v1, {u"--filter"_s, u"include_context_state=true"_s, u"--limit"_s, u"5"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(run.out, &problem);
    QCOMPARE(rows.size(), 5);
    for (const QJsonObject &row : rows) {
        QVERIFY2(row.value(u"context_state"_s).isObject() &&
                     !row.value(u"context_state"_s).toObject().isEmpty(),
                 run.out.constData());
    }
    // Not asked for: not there (it is large).
    const CliRun plain = list(v1, {u"--limit"_s, u"2"_s});
    QVERIFY2(plain.exitCode == 0, plain.describe().constData());
    for (const QJsonObject &row : parseNdjson(plain.out, &problem))
        QVERIFY(!row.contains(u"context_state"_s));
}

void TestCliList::jsonStaysOneArray()
{
    const CliRun run = list(at(u"posthog"_s), {u"--limit"_s, u"10"_s, u"--format"_s, u"json"_s});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QJsonDocument doc = QJsonDocument::fromJson(run.out);
    QVERIFY2(doc.isArray(), run.out.left(200).constData());
    QCOMPARE(doc.array().size(), 10);
    QVERIFY(lastErrLine(run).endsWith(u"10 of 40 conversations"_s));
}

void TestCliList::beforePrintsTheNewerRows_data()
{
    QTest::addColumn<Params>("params");
    QTest::addColumn<QString>("pageSize");
    const QMap<QString, QString> snake;
    const QMap<QString, QString> camel{{u"api_revision"_s, u"2026-02 (startingAfter)"_s}};
    QTest::newRow("2025-12") << snake << QString();
    QTest::newRow("2025-12, pages of 3") << snake << u"3"_s;
    QTest::newRow("2026-02") << camel << QString();
    QTest::newRow("2026-02, pages of 4") << camel << u"4"_s;
}

void TestCliList::beforePrintsTheNewerRows()
{
    QFETCH(Params, params);
    QFETCH(QString, pageSize);
    const QStringList where = at(u"orq"_s, params);
    const QStringList all = ids(where);
    QVERIFY2(all.size() >= 12, qPrintable(QString::number(all.size())));
    QStringList extra;
    if (!pageSize.isEmpty())
        extra << u"--page-size"_s << pageSize;

    // The 11th row: the 10 above it, newest first, and the count of them.
    const CliRun run = list(where, extra + QStringList{u"--before"_s, all.at(10)});
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QString problem;
    QCOMPARE(idsOf(parseNdjson(run.out, &problem)), all.mid(0, 10));
    QVERIFY2(lastErrLine(run).endsWith(u" 10 conversations"_s), run.err.constData());

    // With --limit: the ones nearest to it, still newest first.
    QCOMPARE(ids(where, extra + QStringList{u"--before"_s, all.at(10), u"--limit"_s, u"4"_s}),
             all.mid(6, 4));
    // Before the newest: nothing.
    QCOMPARE(ids(where, extra + QStringList{u"--before"_s, all.at(0)}), QStringList{});
}

void TestCliList::afterPrintsTheOlderRows_data()
{
    beforePrintsTheNewerRows_data();
}

void TestCliList::afterPrintsTheOlderRows()
{
    QFETCH(Params, params);
    QFETCH(QString, pageSize);
    const QStringList where = at(u"orq"_s, params);
    const QStringList all = ids(where);
    QVERIFY(all.size() >= 12);
    QStringList extra;
    if (!pageSize.isEmpty())
        extra << u"--page-size"_s << pageSize;
    QCOMPARE(ids(where, extra + QStringList{u"--after"_s, all.at(10)}), all.mid(11));
    QCOMPARE(ids(where, extra + QStringList{u"--after"_s, all.at(10), u"--limit"_s, u"2"_s}),
             all.mid(11, 2));
    QCOMPARE(ids(where, extra + QStringList{u"--after"_s, all.constLast()}), QStringList{});
}

void TestCliList::beforeAnUnknownIdIsNotFound()
{
    const QStringList all = ids(at(u"orq"_s));
    QVERIFY(!all.isEmpty());
    // Same shape, another id.
    QString unknown = all.constFirst();
    unknown[unknown.size() - 1] = unknown.at(unknown.size() - 1) == u'z' ? u'y' : u'z';
    QVERIFY(!all.contains(unknown));
    for (const QString &option : {u"--before"_s, u"--after"_s}) {
        const CliRun run = list(at(u"orq"_s), {option, unknown});
        QVERIFY2(run.exitCode == 4, run.describe().constData());
        QVERIFY(run.out.isEmpty());
    }
    // Both at once, or without an id: usage errors.
    QCOMPARE(list(at(u"orq"_s), {u"--before"_s, all.at(0), u"--after"_s, all.at(1)}).exitCode, 2);
    QCOMPARE(list(at(u"orq"_s), {u"--before"_s, u" "_s}).exitCode, 2);
}

void TestCliList::beforeAndAfterElsewhereNameThePlatform()
{
    const QStringList without =
        platformsWhere([](const parley::Capabilities &c) { return !c.listFromId; });
    QVERIFY2(without.size() >= 4, qPrintable(without.join(u", "_s)));
    for (const QString &platform : without) {
        for (const QString &option : {u"--before"_s, u"--after"_s}) {
            const CliRun run = list(at(platform, {}, kNowhere), {option, u"abc"_s});
            QVERIFY2(run.exitCode == 2, qPrintable(platform + QString::fromUtf8(run.describe())));
            QVERIFY2(run.err.contains(platform.toUtf8()), run.err.constData());
            QVERIFY2(run.err.contains(option.toUtf8()), run.err.constData());
        }
    }
}

void TestCliList::helpNamesTheOptions()
{
    for (const QStringList &args :
         {QStringList{u"--help"_s}, QStringList{u"list"_s, u"--help"_s}}) {
        const CliRun run = runCli(args, {});
        QCOMPARE(run.exitCode, 0);
        for (const char *option : {"--sort", "--before", "--after", "--page-size"})
            QVERIFY2(run.out.contains(option), option);
        QVERIFY2(run.out.contains("of M conversations"), run.out.constData());
    }
    // list --help: each platform's page-size limits, PolyAI's per API version.
    const CliRun run = runCli({u"list"_s, u"--help"_s}, {});
    for (const char *limit : {"1–100", "1–5000", "1–1000", "started_at"})
        QVERIFY2(run.out.contains(limit), run.out.constData());
}

QTEST_MAIN(TestCliList)
#include "tst_cli_list.moc"
