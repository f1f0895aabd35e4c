// parley-cli show end to end: the built binary against the sandbox over real HTTP.
// - PolyAI v1 has no endpoint for one conversation: show pages through the list of each
//   client environment (live, then sandbox, then pre-release), stops at the first that has
//   the id, says on stderr which it searched, and exits 4 when none has it.
// - Fixie: `--format json` carries each turn's and message's metadata and what it answers.

#include "tst_cli_support.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clitest;

namespace {

constexpr int kConversations = 40;
constexpr quint32 kSeed = 21;
const QByteArray kKey = "parley-demo-key";

} // namespace

class TestCliShow : public QObject
{
    Q_OBJECT

private:
    QStringList polyaiV1() const;
    // The first id the v1 list prints in `environment`; fails the test when there is none.
    QString firstIn(const QString &environment);
    CliRun show(const QString &id);

    std::unique_ptr<parley::sandbox::Sandbox> m_sandbox;

private Q_SLOTS:
    void initTestCase();
    void polyaiV1FindsEachEnvironment_data();
    void polyaiV1FindsEachEnvironment();
    void polyaiV1UnknownIdNamesEveryEnvironment();
    void fixieJsonCarriesMetadata();
};

QStringList TestCliShow::polyaiV1() const
{
    QMap<QString, QString> params = sandboxParams(parley::ProviderRegistry::platform(u"polyai"_s));
    params.insert(u"api_version"_s, u"v1"_s);
    return QStringList{u"--provider"_s, u"polyai"_s, u"--base-url"_s,
                       m_sandbox->baseUrl(u"polyai"_s).toString()} +
           paramArgs(params);
}

QString TestCliShow::firstIn(const QString &environment)
{
    const QString id =
        firstConversation(polyaiV1() << u"--filter"_s << u"client_env="_s + environment, kKey);
    if (id.isEmpty())
        QTest::qFail(qPrintable(u"no conversation in "_s + environment), __FILE__, __LINE__);
    return id;
}

CliRun TestCliShow::show(const QString &id)
{
    return runCli(polyaiV1() << u"show"_s << id << u"--format"_s << u"json"_s, kKey);
}

void TestCliShow::initTestCase()
{
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + u" is not built"_s));
    m_sandbox = startSandbox(kKey, kConversations, 5, kSeed);
    QVERIFY(m_sandbox);
    QVERIFY(m_sandbox->prefixes().contains(u"polyai"_s));
}

void TestCliShow::polyaiV1FindsEachEnvironment_data()
{
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QString>("searched"); // as the stderr line lists them
    QTest::newRow("live") << u"live"_s << u"live"_s;
    QTest::newRow("sandbox") << u"sandbox"_s << u"live, sandbox"_s;
    QTest::newRow("pre-release") << u"pre-release"_s << u"live, sandbox, pre-release"_s;
}

void TestCliShow::polyaiV1FindsEachEnvironment()
{
    QFETCH(QString, environment);
    QFETCH(QString, searched);
    const QString id = firstIn(environment);
    QVERIFY(!id.isEmpty());
    const CliRun run = show(id);
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QJsonObject shown = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(shown.value(u"summary"_s).toObject().value(u"id"_s).toString(), id);
    // One line: the environments searched, in order, up to the one that has it.
    QCOMPARE(run.err.count('\n'), 1);
    const QString note = QString::fromUtf8(run.err);
    QVERIFY2(note.contains(u"client environments "_s + searched + u';'), run.err.constData());
    QVERIFY2(note.contains(u"in "_s + environment + u'.'), run.err.constData());
}

void TestCliShow::polyaiV1UnknownIdNamesEveryEnvironment()
{
    const QString id = firstIn(u"live"_s);
    QVERIFY(!id.isEmpty());
    // Same shape, another id: passes the id checks, names nothing.
    QString missing = id;
    missing[missing.size() - 1] = missing.back() == u'0' ? u'1' : u'0';
    const CliRun run = show(missing);
    QVERIFY2(run.exitCode == 4, run.describe().constData());
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(run.err.contains("live, sandbox, pre-release"), run.err.constData());
    QVERIFY2(run.err.contains(missing.toUtf8()), run.err.constData());
}

void TestCliShow::fixieJsonCarriesMetadata()
{
    const QStringList fixie = where(u"fixie"_s, *m_sandbox);
    const CliRun listed = runCli(fixie + QStringList{u"list"_s, u"--limit"_s, u"10"_s}, kKey);
    QVERIFY2(listed.exitCode == 0, listed.describe().constData());
    QString problem;
    const QList<QJsonObject> rows = parseNdjson(listed.out, &problem);
    QVERIFY2(rows.size() == 10, qPrintable(problem));
    // The sandbox's conversations carry metadata on their first user turn and on each
    // function call; among ten, some call a function.
    bool turnMetadata = false;
    bool fragmentMetadata = false;
    bool answersNamed = false;
    for (const QJsonObject &row : rows) {
        const CliRun run = runCli(
            fixie + QStringList{u"show"_s, row.value(u"id"_s).toString(), u"--format"_s, u"json"_s},
            kKey);
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        const QJsonArray turns =
            QJsonDocument::fromJson(run.out).object().value(u"turns"_s).toArray();
        QVERIFY(!turns.isEmpty());
        const QJsonObject first = turns.first().toObject();
        turnMetadata =
            turnMetadata ||
            !first.value(u"metadata"_s).toObject().value(u"channel"_s).toString().isEmpty();
        for (const QJsonValue &t : turns) {
            const QJsonObject turn = t.toObject();
            if (turn.value(u"role"_s) == u"assistant"_s)
                answersNamed = answersNamed || !turn.value(u"in_reply_to"_s).toString().isEmpty();
            for (const QJsonValue &f : turn.value(u"fragments"_s).toArray()) {
                const QJsonObject fragment = f.toObject();
                if (fragment.value(u"kind"_s) == u"tool_call"_s)
                    fragmentMetadata =
                        fragmentMetadata ||
                        fragment.value(u"metadata"_s).toObject().contains(u"durationMs"_s);
            }
        }
    }
    QVERIFY(turnMetadata);
    QVERIFY(fragmentMetadata);
    QVERIFY(answersNamed);
}

QTEST_GUILESS_MAIN(TestCliShow)
#include "tst_cli_show.moc"
