// parley-cli end to end: the built binary against the in-process sandbox over real HTTP,
// for every platform that is both registered and emulated.

#include "tst_cli_support.h"

#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace clitest;
using parley::sandbox::Sandbox;
using parley::sandbox::SandboxOptions;
using parley::sandbox::SandboxReply;
using parley::sandbox::SandboxRequest;
using parley::sandbox::SandboxServer;

namespace {

// Not a multiple of any page size used below, so that the last page is always partial.
constexpr int kConversations = 53;
const QByteArray kKey = "parley-demo-key";

const QRegularExpression &isoUtc()
{
    static const QRegularExpression re(
        u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$"_s);
    return re;
}

// An id of the same shape (length, character classes, separators) that is not `id`:
// passes a provider's id checks, names nothing.
QString sibling(const QString &id)
{
    QString out = id;
    for (QChar &c : out) {
        const char16_t u = c.unicode();
        if (u >= u'0' && u <= u'9')
            c = QChar(u'0' + (u - u'0' + 7) % 10);
        else if (u >= u'a' && u <= u'f')
            c = QChar(u'a' + (u - u'a' + 3) % 6);
        else if (u >= u'A' && u <= u'F')
            c = QChar(u'A' + (u - u'A' + 3) % 6);
        else if (u >= u'g' && u <= u'z')
            c = QChar(u'g' + (u - u'g' + 5) % 20);
        else if (u >= u'G' && u <= u'Z')
            c = QChar(u'G' + (u - u'G' + 5) % 20);
    }
    return out;
}

QString cellOf(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return {};
    if (v.isDouble())
        return QString::number(v.toInteger());
    return v.toString();
}

// Replaces every occurrence of a title in any string of `value`; counts replacements.
QJsonValue rewriteTitles(const QJsonValue &value, const QStringList &titles,
                         const QString &replacement, int *count)
{
    if (value.isString()) {
        QString s = value.toString();
        for (const QString &t : titles) {
            if (!t.isEmpty() && s.contains(t)) {
                s.replace(t, replacement);
                ++*count;
            }
        }
        return s;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(rewriteTitles(v, titles, replacement, count));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out.insert(it.key(), rewriteTitles(it.value(), titles, replacement, count));
        return out;
    }
    return value;
}

// One way of talking to a platform: its settings for the sandbox. Each registered and
// emulated platform is tested with its defaults; some also in another API version.
struct Variant
{
    QString name;
    QString platform;
    QMap<QString, QString> params;
    bool canShow = true; // `show` can open a conversation (directly or via the list)
};

// Variants besides each platform's defaults (added when the platform is there).
QList<Variant> extraVariants()
{
    return {
        {u"polyai-v1"_s, u"polyai"_s, {{u"api_version"_s, u"v1"_s}}, true},
        {u"orq-2026-02"_s, u"orq"_s, {{u"api_revision"_s, u"2026-02 (startingAfter)"_s}}, true},
    };
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QStringList where(const QString &variant) const;
    QStringList whereAt(const QString &variant, const QUrl &baseUrl) const;
    void addVariantRows(bool onlyWithShow = false);
    CliRun cli(const QStringList &args, const QByteArray &key = kKey,
               const QMap<QString, QString> &env = {});
    // `show id` on `platform`, in `format` unless it is empty (the default: Markdown).
    CliRun show(const QString &platform, const QString &id, const QString &format = {});
    // `list` with `options` on the first platform while the sandbox answers with `faults`
    // (cleared again afterwards); nullopt when the sandbox refuses the faults.
    std::optional<CliRun> listUnderFaults(const QString &faults, const QStringList &options);
    QList<QJsonObject> listAll(const QString &platform, const QStringList &extra, QString *problem);
    const QStringList &referenceIds(const QString &platform);
    qint64 providerTotal(const QString &variant);

    std::unique_ptr<Sandbox> m_sandbox;
    QStringList m_platforms;
    QMap<QString, Variant> m_variants; // by name
    QMap<QString, QStringList> m_reference;
    QMap<QString, qint64> m_totals;
    QList<CliRun> m_runs;

private Q_SLOTS:
    void initTestCase();
    void helpExplainsTheKey();
    void listsEveryConversationOnce_data();
    void listsEveryConversationOnce();
    void limitStopsEarly_data();
    void limitStopsEarly();
    void ndjsonRowsHaveTheDocumentedFields_data();
    void ndjsonRowsHaveTheDocumentedFields();
    void csvAndJsonMatchNdjson_data();
    void csvAndJsonMatchNdjson();
    void csvQuotesTitles_data();
    void csvQuotesTitles();
    void showJson_data();
    void showJson();
    void showMarkdown_data();
    void showMarkdown();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();
    void authErrorsExitThree_data();
    void authErrorsExitThree();
    void unknownIdExitsFour_data();
    void unknownIdExitsFour();
    void unreachableOrFailingServerExitsFive_data();
    void unreachableOrFailingServerExitsFive();
    void passingFailuresAreTriedAgain();
    void retriesGiveUpWithTheLastError();
    void writesAreNeverTriedAgain();
    void requestTimeoutEndsAHang();
    void foreignResponseExitsSix_data();
    void foreignResponseExitsSix();
    void keyNeverPrinted();
};

QStringList TestCli::whereAt(const QString &variant, const QUrl &baseUrl) const
{
    const Variant v = m_variants.value(variant);
    return QStringList{u"--provider"_s, v.platform, u"--base-url"_s, baseUrl.toString()} +
           paramArgs(v.params);
}

QStringList TestCli::where(const QString &variant) const
{
    return whereAt(variant, m_sandbox->baseUrl(m_variants.value(variant).platform));
}

void TestCli::addVariantRows(bool onlyWithShow)
{
    QTest::addColumn<QString>("platform");
    for (const Variant &v : std::as_const(m_variants)) {
        if (!onlyWithShow || v.canShow)
            QTest::newRow(qPrintable(v.name)) << v.name;
    }
}

CliRun TestCli::cli(const QStringList &args, const QByteArray &key,
                    const QMap<QString, QString> &env)
{
    CliRun run = runCli(args, key, env);
    m_runs << run;
    return run;
}

CliRun TestCli::show(const QString &platform, const QString &id, const QString &format)
{
    QStringList args = where(platform) << u"show"_s << id;
    if (!format.isEmpty())
        args << u"--format"_s << format;
    return cli(args);
}

std::optional<CliRun> TestCli::listUnderFaults(const QString &faults, const QStringList &options)
{
    if (!m_sandbox->server()->setFaults(faults))
        return std::nullopt;
    auto clear = qScopeGuard([this] { m_sandbox->server()->setFaults(QString()); });
    return cli(where(m_platforms.value(0)) + QStringList{u"list"_s} + options);
}

QList<QJsonObject> TestCli::listAll(const QString &platform, const QStringList &extra,
                                    QString *problem)
{
    const CliRun run = cli(where(platform) + QStringList{u"list"_s} + extra);
    if (run.exitCode != 0) {
        *problem = QString::fromUtf8(run.describe());
        return {};
    }
    return parseNdjson(run.out, problem);
}

const QStringList &TestCli::referenceIds(const QString &platform)
{
    if (!m_reference.contains(platform)) {
        QString problem;
        QStringList ids;
        for (const QJsonObject &row : listAll(platform, {}, &problem))
            ids << row.value(u"id"_s).toString();
        if (!problem.isEmpty())
            qWarning("reference list of %s failed: %s", qPrintable(platform), qPrintable(problem));
        m_reference.insert(platform, ids);
    }
    return m_reference[platform];
}

// The total the platform reports for the first page, asked in-process (-1: it reports
// none; -2: the request failed).
qint64 TestCli::providerTotal(const QString &variant)
{
    if (m_totals.contains(variant))
        return m_totals.value(variant);
    const Variant v = m_variants.value(variant);
    parley::Workspace w;
    w.id = QUuid::createUuid();
    w.platform = v.platform;
    w.baseUrl = m_sandbox->baseUrl(v.platform);
    w.params = v.params;
    parley::HttpClient http;
    const auto provider = parley::ProviderRegistry::create(w, kKey, &http);
    std::optional<parley::Result<parley::ConversationPage>> result;
    QObject context;
    parley::ListQuery query;
    query.pageSize = 1;
    provider->listConversations(
        query, parley::PageCursor::first(provider->capabilities().paging), &context,
        [&](parley::Result<parley::ConversationPage> r) { result.emplace(std::move(r)); });
    const bool answered = QTest::qWaitFor([&] { return result.has_value(); }, 10000);
    const qint64 total = answered && result->ok() ? result->value().total : -2;
    m_totals.insert(variant, total);
    return total;
}

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
    SandboxOptions options;
    options.conversations = kConversations;
    m_sandbox = std::make_unique<Sandbox>(options);
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));

    const QStringList emulated = m_sandbox->prefixes();
    QList<Variant> candidates;
    for (const parley::PlatformInfo &info : parley::ProviderRegistry::platforms()) {
        // Every platform comes with its emulation (DESIGN.md, "The sandbox").
        QVERIFY2(emulated.contains(info.id),
                 qPrintable(info.id + u" is registered but has no sandbox emulation"_s));
        m_platforms << info.id;
        candidates << Variant{info.id, info.id, sandboxParams(info), true};
    }
    for (Variant extra : extraVariants()) {
        QVERIFY2(m_platforms.contains(extra.platform),
                 qPrintable(u"the %1 variant's platform is not registered"_s.arg(extra.name)));
        QMap<QString, QString> params =
            sandboxParams(parley::ProviderRegistry::platform(extra.platform));
        params.insert(extra.params);
        extra.params = params;
        candidates << extra;
    }
    for (const Variant &v : std::as_const(candidates)) {
        parley::Workspace w;
        w.id = QUuid::createUuid();
        w.platform = v.platform;
        w.baseUrl = m_sandbox->baseUrl(v.platform);
        w.params = v.params;
        const auto problems = parley::ProviderRegistry::validate(w);
        QVERIFY2(problems.isEmpty(), qPrintable(v.name + u": the test's settings are invalid: "_s +
                                                QStringList(problems.values()).join(u' ')));
        m_variants.insert(v.name, v);
    }
    QVERIFY2(!m_variants.isEmpty(), "no platform is registered");
    qInfo("under test: %s", qPrintable(m_variants.keys().join(u", "_s)));
}

void TestCli::helpExplainsTheKey()
{
    const CliRun run = cli({u"--help"_s}, {});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("--key-env"));
    QVERIFY(run.out.contains("shell history"));
    // The list's ordering and range options are documented with it (tst_cli_list checks
    // what they do).
    for (const char *option : {"--page-size", "--sort", "--before", "--after"})
        QVERIFY2(run.out.contains(option), option);
    for (const QString &platform : std::as_const(m_platforms))
        QVERIFY2(run.out.contains(platform.toUtf8()), qPrintable(platform));
}

void TestCli::listsEveryConversationOnce_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<int>("pageSize"); // 0 = the provider's largest
    for (const QString &p : m_variants.keys()) {
        for (int size : {0, 1, 7, 10, 25}) {
            QTest::addRow("%s/page-size-%d", qPrintable(p), size) << p << size;
        }
    }
}

void TestCli::listsEveryConversationOnce()
{
    QFETCH(QString, platform);
    QFETCH(int, pageSize);
    const QStringList &reference = referenceIds(platform);
    // The sandbox holds kConversations per platform; some default views show a part of
    // them (PolyAI: the live environment; orq 2026-02: standalone conversations). Where
    // the platform reports a total, the list must have exactly that many.
    const qint64 total = providerTotal(platform);
    QVERIFY2(total != -2, "the in-process provider could not list");
    if (total >= 0)
        QCOMPARE(reference.size(), int(total));
    QVERIFY2(reference.size() >= 20 && reference.size() <= kConversations,
             qPrintable(QString::number(reference.size())));
    QCOMPARE(QSet<QString>(reference.cbegin(), reference.cend()).size(), reference.size());

    QStringList extra;
    if (pageSize > 0)
        extra << u"--page-size"_s << QString::number(pageSize);
    QString problem;
    const QList<QJsonObject> rows = listAll(platform, extra, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QStringList ids;
    for (const QJsonObject &row : rows)
        ids << row.value(u"id"_s).toString();
    QCOMPARE(ids, reference);
}

void TestCli::limitStopsEarly_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("pageSize");
    for (const QString &p : m_variants.keys()) {
        QTest::addRow("%s/limit-1", qPrintable(p)) << p << 1 << 0;
        QTest::addRow("%s/limit-12-pages-of-5", qPrintable(p)) << p << 12 << 5;
        QTest::addRow("%s/limit-above-total", qPrintable(p)) << p << kConversations + 10 << 10;
    }
}

void TestCli::limitStopsEarly()
{
    QFETCH(QString, platform);
    QFETCH(int, limit);
    QFETCH(int, pageSize);
    const QStringList reference = referenceIds(platform);
    QStringList extra{u"--limit"_s, QString::number(limit)};
    if (pageSize > 0)
        extra << u"--page-size"_s << QString::number(pageSize);
    QString problem;
    const QList<QJsonObject> rows = listAll(platform, extra, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QStringList ids;
    for (const QJsonObject &row : rows)
        ids << row.value(u"id"_s).toString();
    QCOMPARE(ids, reference.mid(0, limit));
}

void TestCli::ndjsonRowsHaveTheDocumentedFields_data()
{
    addVariantRows();
}

void TestCli::ndjsonRowsHaveTheDocumentedFields()
{
    QFETCH(QString, platform);
    QString problem;
    const QList<QJsonObject> rows = listAll(platform, {u"--format"_s, u"ndjson"_s}, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(rows.size(), referenceIds(platform).size());
    int withCreated = 0;
    int withTitle = 0;
    for (const QJsonObject &row : rows) {
        for (const QString &key :
             {u"id"_s, u"title"_s, u"status"_s, u"created_at"_s, u"updated_at"_s, u"platform"_s}) {
            QVERIFY2(row.contains(key), qPrintable(key + u" missing"_s));
        }
        QVERIFY(!row.value(u"id"_s).toString().isEmpty());
        QCOMPARE(row.value(u"platform"_s).toString(), m_variants.value(platform).platform);
        for (const QString &key : {u"title"_s, u"status"_s})
            QVERIFY2(row.value(key).isString() || row.value(key).isNull(), qPrintable(key));
        for (const QString &key : {u"created_at"_s, u"updated_at"_s}) {
            const QJsonValue v = row.value(key);
            QVERIFY2(v.isNull() || isoUtc().match(v.toString()).hasMatch(),
                     qPrintable(key + u" is not ISO 8601 UTC: "_s + v.toString()));
        }
        withCreated += row.value(u"created_at"_s).isString() ? 1 : 0;
        withTitle += row.value(u"title"_s).toString().isEmpty() ? 0 : 1;
    }
    QVERIFY2(withCreated > 0, "no row has a creation time");
    QVERIFY2(withTitle > 0, "no row has a title");
}

void TestCli::csvAndJsonMatchNdjson_data()
{
    ndjsonRowsHaveTheDocumentedFields_data();
}

void TestCli::csvAndJsonMatchNdjson()
{
    QFETCH(QString, platform);
    QString problem;
    const QList<QJsonObject> rows = listAll(platform, {u"--page-size"_s, u"20"_s}, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const CliRun csv = cli(where(platform) + QStringList{u"list"_s, u"--format"_s, u"csv"_s,
                                                         u"--page-size"_s, u"20"_s});
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    const QList<QStringList> records = parseCsv(csv.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(records.size(), rows.size() + 1);
    const QStringList header = records.constFirst();
    for (const QString &column :
         {u"id"_s, u"title"_s, u"status"_s, u"created_at"_s, u"updated_at"_s, u"platform"_s})
        QVERIFY2(header.contains(column), qPrintable(column));
    for (int i = 0; i < rows.size(); ++i) {
        const QStringList &record = records.at(i + 1);
        QCOMPARE(record.size(), header.size());
        for (int c = 0; c < header.size(); ++c)
            QCOMPARE(record.at(c), cellOf(rows.at(i).value(header.at(c))));
    }

    const CliRun json = cli(where(platform) + QStringList{u"list"_s, u"--format"_s, u"json"_s});
    QVERIFY2(json.exitCode == 0, json.describe().constData());
    const QJsonDocument doc = QJsonDocument::fromJson(json.out);
    QVERIFY(doc.isArray());
    const QJsonArray array = doc.array();
    QCOMPARE(array.size(), rows.size());
    for (int i = 0; i < rows.size(); ++i)
        QCOMPARE(array.at(i).toObject(), rows.at(i));
}

void TestCli::csvQuotesTitles_data()
{
    ndjsonRowsHaveTheDocumentedFields_data();
}

// The sandbox's titles hold no comma or quote, so the first page is fetched from the
// sandbox, its titles are replaced by a nasty one, and a small server of this test
// answers that page to the CLI.
void TestCli::csvQuotesTitles()
{
    QFETCH(QString, platform);
    const QString prefix = m_variants.value(platform).platform;
    QString problem;
    const QStringList firstPage{u"list"_s, u"--page-size"_s, u"5"_s, u"--limit"_s, u"5"_s};
    const QList<QJsonObject> rows = listAll(platform, firstPage.mid(1), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QStringList titles;
    for (const QJsonObject &row : rows)
        titles << row.value(u"title"_s).toString();

    // 1. Which request does the CLI send for that page?
    QUrl requestUrl;
    QList<QPair<QByteArray, QByteArray>> authHeaders;
    SandboxServer recorder;
    recorder.route("GET", u".*"_s, [&](const SandboxRequest &r) {
        if (requestUrl.isEmpty()) {
            requestUrl = r.http.url();
            for (const QByteArray &name : {QByteArray("authorization"), QByteArray("x-api-key")}) {
                if (!r.header(name).isEmpty())
                    authHeaders.append({name, r.header(name)});
            }
        }
        return SandboxReply::text("busy", 503);
    });
    const quint16 recorderPort = recorder.listen(QHostAddress::LocalHost, 0);
    QVERIFY(recorderPort != 0);
    QUrl recorderBase(u"http://127.0.0.1/"_s + prefix);
    recorderBase.setPort(recorderPort);
    const CliRun recorded =
        cli(whereAt(platform, recorderBase) + firstPage + QStringList{u"--retries"_s, u"0"_s});
    QVERIFY2(recorded.exitCode == 5, recorded.describe().constData());
    QVERIFY(requestUrl.isValid());

    // 2. The same request to the sandbox, and the nasty titles.
    QUrl sandboxUrl = m_sandbox->baseUrl(prefix);
    sandboxUrl.setPath(requestUrl.path());
    sandboxUrl.setQuery(requestUrl.query());
    QNetworkAccessManager nam;
    QNetworkRequest request(sandboxUrl);
    for (const auto &[name, value] : std::as_const(authHeaders))
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonDocument page = QJsonDocument::fromJson(reply->readAll());
    reply->deleteLater();
    QVERIFY(page.isObject() || page.isArray());
    const QString nasty = u"Refund, \"urgent\"\nsecond line, ok"_s;
    int replaced = 0;
    const QJsonValue rewritten =
        rewriteTitles(page.isObject() ? QJsonValue(page.object()) : QJsonValue(page.array()),
                      titles, nasty, &replaced);
    QVERIFY2(replaced > 0, qPrintable(u"no title of the first page was found verbatim in the "
                                      "platform's list JSON: "_s +
                                      titles.join(u" | "_s)));

    SandboxServer fake;
    const QJsonDocument body = rewritten.isObject() ? QJsonDocument(rewritten.toObject())
                                                    : QJsonDocument(rewritten.toArray());
    fake.route("GET", u".*"_s, [&](const SandboxRequest &) { return SandboxReply::json(body); });
    const quint16 fakePort = fake.listen(QHostAddress::LocalHost, 0);
    QVERIFY(fakePort != 0);
    QUrl fakeBase(u"http://127.0.0.1/"_s + prefix);
    fakeBase.setPort(fakePort);

    // 3. What the CLI makes of them: ndjson keeps the title, CSV quotes it.
    const CliRun ndjson = cli(whereAt(platform, fakeBase) + firstPage);
    QVERIFY2(ndjson.exitCode == 0, ndjson.describe().constData());
    const QList<QJsonObject> nastyRows = parseNdjson(ndjson.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QStringList expectedTitles;
    for (const QJsonObject &row : nastyRows)
        expectedTitles << row.value(u"title"_s).toString();
    QVERIFY2(std::any_of(expectedTitles.cbegin(), expectedTitles.cend(),
                         [](const QString &t) { return t.contains(u'"') && t.contains(u','); }),
             qPrintable(expectedTitles.join(u" | "_s)));

    const CliRun csv =
        cli(whereAt(platform, fakeBase) + firstPage + QStringList{u"--format"_s, u"csv"_s});
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    QVERIFY2(csv.out.contains("\"Refund, \"\"urgent\"\""), csv.out.constData());
    const QList<QStringList> records = parseCsv(csv.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(records.size(), nastyRows.size() + 1);
    const qsizetype titleColumn = records.constFirst().indexOf(u"title"_s);
    QVERIFY(titleColumn >= 0);
    for (int i = 0; i < nastyRows.size(); ++i)
        QCOMPARE(records.at(i + 1).at(titleColumn), expectedTitles.at(i));
}

void TestCli::showJson_data()
{
    addVariantRows(true);
}

void TestCli::showJson()
{
    QFETCH(QString, platform);
    const QStringList ids = referenceIds(platform);
    QVERIFY(!ids.isEmpty());
    for (const QString &id : {ids.constFirst(), ids.constLast()}) {
        const CliRun run = show(platform, id, u"json"_s);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        const QJsonDocument doc = QJsonDocument::fromJson(run.out);
        QVERIFY(doc.isObject());
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(u"summary"_s).toObject().value(u"id"_s).toString(), id);
        QCOMPARE(o.value(u"summary"_s).toObject().value(u"platform"_s).toString(),
                 m_variants.value(platform).platform);
        QVERIFY(o.value(u"properties"_s).isArray());
        QVERIFY(o.value(u"turns"_s).isArray());
        const bool hasTranscript = o.value(u"has_transcript"_s).toBool();
        const QJsonArray turns = o.value(u"turns"_s).toArray();
        if (hasTranscript) {
            QVERIFY2(!turns.isEmpty(), "a sandbox conversation with a transcript has turns");
        } else {
            QVERIFY(turns.isEmpty());
            QVERIFY(!o.value(u"transcript_note"_s).toString().isEmpty());
        }
        for (const QJsonValue &t : turns) {
            const QJsonObject turn = t.toObject();
            QVERIFY(!turn.value(u"role"_s).toString().isEmpty());
            QVERIFY(turn.value(u"fragments"_s).isArray());
            const QJsonValue ts = turn.value(u"timestamp"_s);
            QVERIFY(ts.isNull() || isoUtc().match(ts.toString()).hasMatch());
        }
    }
}

void TestCli::showMarkdown_data()
{
    addVariantRows(true);
}

void TestCli::showMarkdown()
{
    QFETCH(QString, platform);
    const QStringList ids = referenceIds(platform);
    QVERIFY(!ids.isEmpty());
    const QString id = ids.at(ids.size() / 2);
    const CliRun json = show(platform, id, u"json"_s);
    QVERIFY2(json.exitCode == 0, json.describe().constData());
    const QJsonObject detail = QJsonDocument::fromJson(json.out).object();

    const CliRun md = show(platform, id);
    QVERIFY2(md.exitCode == 0, md.describe().constData());
    const QString text = QString::fromUtf8(md.out);
    QVERIFY2(text.startsWith(u"# "_s), qPrintable(text.left(200)));
    QVERIFY(text.contains(id));
    QVERIFY(text.contains(u"## Transcript"_s));
    const QString title = detail.value(u"summary"_s).toObject().value(u"title"_s).toString();
    if (!title.isEmpty())
        QVERIFY2(text.section(u'\n', 0, 0).contains(title.section(u'\n', 0, 0).trimmed()),
                 qPrintable(text.section(u'\n', 0, 0)));
    int headings = 0;
    for (const QString &line : text.split(u'\n'))
        headings += line.startsWith(u"### "_s) ? 1 : 0;
    const QJsonArray turns = detail.value(u"turns"_s).toArray();
    QCOMPARE(headings, turns.size());
    for (const QJsonValue &t : turns) {
        // Every line of text, each where its label puts it ("**Question:** …"; a notebook's
        // headings a level under the turn's).
        for (const QJsonValue &f : t.toObject().value(u"fragments"_s).toArray()) {
            const QJsonObject fragment = f.toObject();
            if (fragment.value(u"kind"_s) != u"text"_s)
                continue;
            for (const QString &line : fragment.value(u"text"_s).toString().split(u'\n'))
                QVERIFY2(text.contains(line), qPrintable(line));
        }
    }
}

void TestCli::usageErrorsExitTwo_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString p = m_variants.firstKey();
    QTest::newRow("no command") << p << QStringList{} << u"command"_s;
    QTest::newRow("unknown command") << p << QStringList{u"delete"_s} << u"delete"_s;
    QTest::newRow("show without id") << p << QStringList{u"show"_s} << u"ID"_s;
    QTest::newRow("list with an extra argument") << p << QStringList{u"list"_s, u"x"_s} << u"x"_s;
    QTest::newRow("limit zero") << p << QStringList{u"list"_s, u"--limit"_s, u"0"_s}
                                << u"--limit"_s;
    QTest::newRow("limit not a number")
        << p << QStringList{u"list"_s, u"--limit"_s, u"many"_s} << u"--limit"_s;
    QTest::newRow("bad list format")
        << p << QStringList{u"list"_s, u"--format"_s, u"xml"_s} << u"xml"_s;
    QTest::newRow("markdown is for show")
        << p << QStringList{u"list"_s, u"--format"_s, u"markdown"_s} << u"markdown"_s;
    QTest::newRow("csv is for list")
        << p << QStringList{u"show"_s, u"abc"_s, u"--format"_s, u"csv"_s} << u"csv"_s;
    QTest::newRow("limit is for list")
        << p << QStringList{u"show"_s, u"abc"_s, u"--limit"_s, u"3"_s} << u"--limit"_s;
    QTest::newRow("page size above the maximum")
        << p << QStringList{u"list"_s, u"--page-size"_s, u"100000"_s} << u"--page-size"_s;
    QTest::newRow("filter without a value")
        << p << QStringList{u"list"_s, u"--filter"_s, u"nonsense"_s} << u"KEY=VALUE"_s;
    for (const QString &platform : m_variants.keys()) {
        QTest::addRow("%s/unknown filter", qPrintable(platform))
            << platform << QStringList{u"list"_s, u"--filter"_s, u"no_such_filter_key=1"_s}
            << u"no_such_filter_key"_s;
        QTest::addRow("%s/unknown param", qPrintable(platform))
            << platform << QStringList{u"--param"_s, u"no_such_setting=1"_s, u"list"_s}
            << u"no_such_setting"_s;
        // A value the filter bar cannot hold or refuses is refused here too, naming the filter
        // (InputRules::checkFilters).
        const Variant &v = m_variants[platform];
        parley::Workspace w;
        w.platform = v.platform;
        w.params = v.params;
        const auto provider = parley::ProviderRegistry::create(w, kKey, nullptr);
        const QList<parley::FilterSpec> specs =
            provider ? provider->capabilities().filters : QList<parley::FilterSpec>{};
        for (const parley::FilterSpec &spec : specs) {
            QString bad;
            switch (spec.kind) {
            case parley::FilterSpec::Kind::Choice:
                bad = u"no such choice"_s;
                break;
            case parley::FilterSpec::Kind::Bool:
                bad = u"maybe"_s;
                break;
            case parley::FilterSpec::Kind::DateTime:
                bad = u"last week"_s;
                break;
            case parley::FilterSpec::Kind::Text:
                if (spec.pattern.isEmpty())
                    continue;
                bad = u"a b c!"_s;
                break;
            }
            QTest::addRow("%s/filter %s=%s", qPrintable(platform), qPrintable(spec.key),
                          qPrintable(bad))
                << platform << QStringList{u"list"_s, u"--filter"_s, spec.key + u'=' + bad}
                << u"--filter "_s + spec.key + u':';
        }
    }
}

void TestCli::usageErrorsExitTwo()
{
    QFETCH(QString, platform);
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliRun run = cli(where(platform) + args);
    QVERIFY2(run.exitCode == 2, run.describe().constData());
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
}

void TestCli::authErrorsExitThree_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("command");
    for (const QString &p : m_variants.keys()) {
        QTest::addRow("%s/wrong key, list", qPrintable(p))
            << p << QByteArray("wrong-key-7f3a9c2e51") << u"list"_s;
        if (m_variants.value(p).canShow)
            QTest::addRow("%s/wrong key, show", qPrintable(p))
                << p << QByteArray("wrong-key-7f3a9c2e51") << u"show"_s;
        QTest::addRow("%s/no key", qPrintable(p)) << p << QByteArray() << u"list"_s;
    }
}

void TestCli::authErrorsExitThree()
{
    QFETCH(QString, platform);
    QFETCH(QByteArray, key);
    QFETCH(QString, command);
    QStringList args = where(platform) << command;
    if (command == "show"_L1)
        args << referenceIds(platform).value(0);
    const CliRun run = cli(args, key);
    QVERIFY2(run.exitCode == 3, run.describe().constData());
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(!run.mentions(key), run.describe().constData());
    if (key.isNull())
        QVERIFY2(run.err.contains("PARLEY_API_KEY"), run.err.constData());
}

void TestCli::unknownIdExitsFour_data()
{
    ndjsonRowsHaveTheDocumentedFields_data();
}

void TestCli::unknownIdExitsFour()
{
    QFETCH(QString, platform);
    const QStringList &ids = referenceIds(platform);
    QVERIFY(!ids.isEmpty());
    const QString missing = sibling(ids.constFirst());
    QVERIFY(!ids.contains(missing));
    for (const QString &format : {u"json"_s, u"markdown"_s}) {
        const CliRun run = show(platform, missing, format);
        QVERIFY2(run.exitCode == 4, run.describe().constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
    }
}

void TestCli::unreachableOrFailingServerExitsFive_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("failure");
    for (const QString &p : m_variants.keys()) {
        QTest::addRow("%s/closed port", qPrintable(p)) << p << u"closed"_s;
        QTest::addRow("%s/HTML 500", qPrintable(p)) << p << u"500"_s;
        QTest::addRow("%s/503", qPrintable(p)) << p << u"503"_s;
    }
}

void TestCli::unreachableOrFailingServerExitsFive()
{
    QFETCH(QString, platform);
    QFETCH(QString, failure);
    SandboxServer server;
    server.route("GET", u".*"_s, [&](const SandboxRequest &) {
        return failure == "500"_L1
                   ? SandboxReply::text("<html><body>Internal Server Error</body></html>", 500,
                                        "text/html")
                   : SandboxReply::text("Service Unavailable", 503);
    });
    quint16 port = 0;
    if (failure == "closed"_L1) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
        probe.close();
    } else {
        port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
    }
    QUrl base(u"http://127.0.0.1/"_s + m_variants.value(platform).platform);
    base.setPort(port);
    QList<QStringList> commands{{u"list"_s}};
    if (m_variants.value(platform).canShow)
        commands << QStringList{u"show"_s, referenceIds(platform).value(0)};
    // Not tried again, so one line of error; retries have their own tests below.
    for (const QStringList &command : std::as_const(commands)) {
        const CliRun run =
            cli(whereAt(platform, base) + command + QStringList{u"--retries"_s, u"0"_s});
        QVERIFY2(run.exitCode == 5, run.describe().constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(!run.err.contains("<html"), run.err.constData());
    }
}

// Two 503 pages, then the real answer: the list arrives and stderr says why it took longer.
void TestCli::passingFailuresAreTriedAgain()
{
    const auto run = listUnderFaults(u"html=503,first=2"_s, {u"--limit"_s, u"3"_s});
    QVERIFY(run);
    QVERIFY2(run->exitCode == 0, run->describe().constData());
    QCOMPARE(run->out.count('\n'), 3);
    QCOMPARE(run->err.count("trying again in"), 2);
    QVERIFY2(!run->err.contains("<html"), run->err.constData());
}

// A 429 that keeps coming: the wait the platform asks for (1 s) each time, then exit 5 with
// the platform's error after --retries attempts.
void TestCli::retriesGiveUpWithTheLastError()
{
    const auto run = listUnderFaults(u"status=429;retry-after=1"_s,
                                     {u"--retries"_s, u"2"_s, u"--limit"_s, u"1"_s});
    QVERIFY(run);
    QVERIFY2(run->exitCode == 5, run->describe().constData());
    QVERIFY(run->out.isEmpty());
    QCOMPARE(run->err.count("trying again in 1 s"), 2);
    QCOMPARE(run->err.count('\n'), 3); // two notes, one error
}

// A write that fails with a passing error is reported, never sent a second time.
void TestCli::writesAreNeverTriedAgain()
{
    int posts = 0;
    SandboxServer server;
    server.route("POST", u".*"_s, [&](const SandboxRequest &) {
        ++posts;
        return SandboxReply::text("<html><body>Bad Gateway</body></html>", 502, "text/html");
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QUrl base(u"http://127.0.0.1/posthog"_s);
    base.setPort(port);
    const CliRun run =
        cli(whereAt(u"posthog"_s, base) +
            QStringList{u"append"_s, QUuid::createUuid().toString(QUuid::WithoutBraces), u"note"_s,
                        u"--retries"_s, u"5"_s});
    QVERIFY2(run.exitCode == 5, run.describe().constData());
    QCOMPARE(posts, 1);
    QVERIFY2(!run.err.contains("trying again"), run.err.constData());
}

// A platform that never answers: --request-timeout ends the wait, exit 5 saying so.
void TestCli::requestTimeoutEndsAHang()
{
    const auto run =
        listUnderFaults(u"hang"_s, {u"--retries"_s, u"0"_s, u"--request-timeout"_s, u"1"_s});
    QVERIFY(run);
    QVERIFY2(run->exitCode == 5, run->describe().constData());
    QVERIFY2(run->err.contains("in time"), run->err.constData());
    QCOMPARE(run->err.count('\n'), 1);
}

void TestCli::foreignResponseExitsSix_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    for (const QString &p : m_variants.keys()) {
        QTest::addRow("%s/HTML page", qPrintable(p))
            << p << QByteArray("<!doctype html><html><body>Welcome to nginx!</body></html>")
            << QByteArray("text/html");
        QTest::addRow("%s/truncated JSON", qPrintable(p))
            << p << QByteArray("{\"data\": [{\"id\": \"abc\"") << QByteArray("application/json");
        QTest::addRow("%s/JSON array", qPrintable(p))
            << p << QByteArray("[1, 2, 3]") << QByteArray("application/json");
        QTest::addRow("%s/JSON string", qPrintable(p))
            << p << QByteArray("\"ok\"") << QByteArray("application/json");
    }
}

void TestCli::foreignResponseExitsSix()
{
    QFETCH(QString, platform);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    SandboxServer server;
    server.route("GET", u".*"_s, [&](const SandboxRequest &) {
        return SandboxReply::text(body, 200, contentType);
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    QUrl base(u"http://127.0.0.1/"_s + m_variants.value(platform).platform);
    base.setPort(port);
    QList<QStringList> commands{{u"list"_s}};
    if (m_variants.value(platform).canShow)
        commands << QStringList{u"show"_s, referenceIds(platform).value(0)};
    for (const QStringList &command : std::as_const(commands)) {
        const CliRun run = cli(whereAt(platform, base) + command);
        QVERIFY2(run.exitCode == 6, run.describe().constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
    }
}

// Last: nothing any run printed contains the key it was given.
void TestCli::keyNeverPrinted()
{
    QVERIFY(m_runs.size() > 10);
    for (const CliRun &run : std::as_const(m_runs)) {
        QVERIFY2(!run.mentions(kKey), run.describe().constData());
        QVERIFY2(!run.mentions("wrong-key-7f3a9c2e51"), run.describe().constData());
        QVERIFY2(!run.crashed && !run.timedOut, run.describe().constData());
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
