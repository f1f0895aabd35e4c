// Degrade, never discard (issue 12 §4), end to end: the real parley-cli against the
// in-process sandbox over real HTTP, with the sandbox's body faults.
// - broken-item: one list row (or one message) has every field of the wrong type. `list`
//   exits 0, leaves the row out of ndjson, csv and json and says so once on stderr
//   ("warning: unreadable conversation <id>: <why>"); `show` exits 0 and keeps the message
//   in its place, marked unreadable in --format json, with one warning.
// - invalid-utf8: a byte sequence that is no UTF-8 in a string of the body: read with
//   U+FFFD, exit 0, every row printed.
// - repeat-page: a platform that answers every page with the first one. The rows of the
//   first page are printed, then the list ends with exit 6 and the reason.
#include "cli/ExitCode.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "tst_cli_support.h"

#include <QJsonArray>
#include <QScopeGuard>

using namespace clitest;
using namespace Qt::StringLiterals;
using parley::cli::ExitCode;

namespace {

const QByteArray kKey = "degrade-key";
constexpr int kConversations = 12;
const QStringList kPlatforms{u"dynamiq"_s, u"fixie"_s, u"orq"_s, u"polyai"_s, u"posthog"_s};
// The platforms with a transcript to show.
const QStringList kTranscripts{u"fixie"_s, u"orq"_s, u"polyai"_s, u"posthog"_s};

QStringList idsOf(const QList<QJsonObject> &rows)
{
    QStringList ids;
    for (const QJsonObject &row : rows)
        ids << row.value(u"id"_s).toString();
    return ids;
}

int countOf(const QByteArray &text, const QByteArray &what)
{
    return int(text.count(what));
}

} // namespace

class TestCliDegrade : public QObject
{
    Q_OBJECT

    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;

    QStringList at(const QString &platform) const { return where(platform, *m_sandbox); }
    CliRun run(const QString &platform, const QStringList &args)
    {
        return runCli(at(platform) + args, kKey);
    }
    // `args` run with `fault` set on the sandbox, and cleared after.
    CliRun runWith(const QString &fault, const QString &platform, const QStringList &args)
    {
        QString why;
        if (!m_sandbox->server()->setFaults(fault, &why)) {
            QTest::qFail(qPrintable(why), __FILE__, __LINE__);
            return {};
        }
        auto clear = qScopeGuard([this] { m_sandbox->server()->setFaults(QString()); });
        return run(platform, args);
    }
    // The ids `list` prints without a fault.
    QStringList referenceIds(const QString &platform, const QStringList &options = {})
    {
        const CliRun r = run(platform, QStringList{u"list"_s} + options);
        QString problem;
        const QList<QJsonObject> rows = parseNdjson(r.out, &problem);
        if (r.exitCode != 0 || !problem.isEmpty())
            QTest::qFail(r.describe().constData(), __FILE__, __LINE__);
        return idsOf(rows);
    }
    void addPlatforms(const QStringList &platforms)
    {
        QTest::addColumn<QString>("platform");
        for (const QString &p : platforms)
            QTest::newRow(p.toLatin1().constData()) << p;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
        m_sandbox = startSandbox(kKey, kConversations, 5);
        QVERIFY(m_sandbox);
        for (const QString &platform : kPlatforms)
            QVERIFY2(m_sandbox->prefixes().contains(platform), qPrintable(platform));
    }

    void unreadableRowIsLeftOutWithOneWarning_data() { addPlatforms(kPlatforms); }
    void unreadableRowIsLeftOutWithOneWarning()
    {
        QFETCH(QString, platform);
        const QStringList all = referenceIds(platform);
        QVERIFY2(all.size() >= 3, qPrintable(all.join(u' ')));
        const QString broken = all.at(1); // broken-item breaks the page's second row

        const CliRun ndjson = runWith(u"broken-item"_s, platform, {u"list"_s});
        QVERIFY2(ndjson.exitCode == 0, ndjson.describe().constData());
        QString problem;
        const QStringList printed = idsOf(parseNdjson(ndjson.out, &problem));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QStringList expected = all;
        expected.removeAt(1);
        QCOMPARE(printed, expected);
        QCOMPARE(countOf(ndjson.err, "warning: unreadable conversation "), 1);
        const QByteArray warning = "warning: unreadable conversation " + broken.toUtf8() + ": ";
        QVERIFY2(ndjson.err.contains(warning), ndjson.err.constData());
        const QByteArray shown = QByteArray::number(all.size() - 1);
        QVERIFY2(ndjson.err.contains(QByteArray(shown + " of ")) ||
                     ndjson.err.contains(QByteArray(shown + " conversations")),
                 ndjson.err.constData()); // the summary counts the rows printed

        const CliRun csv =
            runWith(u"broken-item"_s, platform, {u"list"_s, u"--format"_s, u"csv"_s});
        QVERIFY2(csv.exitCode == 0, csv.describe().constData());
        const QList<QStringList> records = parseCsv(csv.out, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(records.size(), all.size()); // the header and every row but one
        QVERIFY(!csv.out.contains(broken.toUtf8()));
        QCOMPARE(countOf(csv.err, "warning: unreadable conversation "), 1);

        // json leaves it out as well: every element has the row's keys, none is half-read.
        const CliRun json =
            runWith(u"broken-item"_s, platform, {u"list"_s, u"--format"_s, u"json"_s});
        QVERIFY2(json.exitCode == 0, json.describe().constData());
        const QJsonArray array = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(array.size(), all.size() - 1);
        QCOMPARE(countOf(json.err, "warning: unreadable conversation "), 1);
    }

    void unreadableMessageStaysInItsPlace_data() { addPlatforms(kTranscripts); }
    void unreadableMessageStaysInItsPlace()
    {
        QFETCH(QString, platform);
        // A conversation with a few messages, so that one breaks amid others.
        QString id;
        QJsonArray turns;
        for (const QString &candidate : referenceIds(platform)) {
            const CliRun shown = run(platform, {u"show"_s, candidate, u"--format"_s, u"json"_s});
            QVERIFY2(shown.exitCode == 0, shown.describe().constData());
            turns = QJsonDocument::fromJson(shown.out).object().value(u"turns"_s).toArray();
            if (turns.size() >= 3) {
                id = candidate;
                break;
            }
        }
        QVERIFY2(!id.isEmpty(), "no conversation with three messages in the sandbox");

        const CliRun json =
            runWith(u"broken-item"_s, platform, {u"show"_s, id, u"--format"_s, u"json"_s});
        QVERIFY2(json.exitCode == 0, json.describe().constData());
        const QJsonArray degraded =
            QJsonDocument::fromJson(json.out).object().value(u"turns"_s).toArray();
        int unreadable = 0;
        for (const QJsonValue &t : degraded)
            unreadable += t.toObject().contains(u"unreadable"_s) ? 1 : 0;
        QCOMPARE(unreadable, 1);
        // The first message is read as without the fault; the rest is there around the one.
        QCOMPARE(degraded.first().toObject().value(u"text"_s),
                 turns.first().toObject().value(u"text"_s));
        QVERIFY2(degraded.size() >= turns.size() - 1, json.out.left(600).constData());
        QCOMPARE(countOf(json.err, "warning: unreadable message "), 1);

        const CliRun markdown = runWith(u"broken-item"_s, platform, {u"show"_s, id});
        QVERIFY2(markdown.exitCode == 0, markdown.describe().constData());
        QCOMPARE(countOf(markdown.err, "warning: unreadable message "), 1);
    }

    void invalidUtf8IsReadAsReplacementCharacter_data() { addPlatforms(kPlatforms); }
    void invalidUtf8IsReadAsReplacementCharacter()
    {
        QFETCH(QString, platform);
        const QStringList all = referenceIds(platform);
        const CliRun r = runWith(u"invalid-utf8"_s, platform, {u"list"_s});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QString problem;
        // Every row is printed (an id may hold the U+FFFD itself: the bytes go into the first
        // text), or, where that text is a time that no longer reads as one, said unreadable.
        const int printed = int(parseNdjson(r.out, &problem).size());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(printed + countOf(r.err, "warning: unreadable conversation "), all.size());
        QVERIFY(!r.err.contains("UTF"));
    }

    // orq's page holds its rows first, and a row's first text is its id: the U+FFFD is
    // printed where the bytes were.
    void replacementCharacterIsPrinted()
    {
        const CliRun r = runWith(u"invalid-utf8,path=/orq/.*"_s, u"orq"_s, {u"list"_s});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("\xEF\xBF\xBD"), r.out.left(400).constData());
    }

    void repeatedPageKeepsTheRowsThenFails_data() { addPlatforms(kPlatforms); }
    void repeatedPageKeepsTheRowsThenFails()
    {
        QFETCH(QString, platform);
        const QStringList pageSize{u"--page-size"_s, u"2"_s};
        const QStringList all = referenceIds(platform, pageSize);
        QVERIFY2(all.size() > 2, qPrintable(all.join(u' ')));

        const CliRun r = runWith(u"repeat-page"_s, platform, QStringList{u"list"_s} + pageSize);
        QVERIFY2(r.exitCode == int(ExitCode::BadResponse), r.describe().constData());
        QString problem;
        QCOMPARE(idsOf(parseNdjson(r.out, &problem)), all.mid(0, 2)); // printed first
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(r.err.contains("same page"), r.err.constData());
        QVERIFY2(r.err.indexOf("2 ") < r.err.indexOf("same page"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliDegrade)
#include "tst_cli_degrade.moc"
