// Contract tests: each provider against the vendor's OpenAPI spec served by Prism.
//
// For every spec in PARLEY_CONTRACTS_DIR, Prism runs (`prism-mock SPEC PORT -d`) and the
// matching provider is pointed at it through a small recording proxy of this test. Each
// call is made twice: with the spec's static examples (`Prefer: dynamic=false`, Prism's
// per-request switch) and with random data (-d). Every request the provider sends must be
// valid for the spec (Prism answers a request that breaks it with 401/422/400 or a Prism
// error body, which is printed), and every response must parse. Random data may break
// Parley's stricter parsing (a random string where a date belongs): that must end in a
// clean BadResponse, never a crash and never anything else.

#include "tst_contract_support.h"

#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "support/WorkspaceDefaults.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using namespace contracttest;

namespace {

// Which provider serves which spec, with what settings, and the decisions taken for it.
struct SpecCase
{
    QString file;
    QString platform;
    QMap<QString, QString> params; // override the platform's defaults
    // Non-empty: the spec does not hold the endpoint the provider opens one conversation
    // with, so that call is not checked against it (and why).
    QString noDetail;
    // Static examples are placeholders ("string", 0). A BadResponse whose message holds one
    // of these texts is the right answer to such a placeholder; anything else refused in
    // static mode is a mismatch.
    QStringList acceptedStatic;
};

const QMap<QString, QString> kPolyaiIds{{u"account_id"_s, u"acme"_s},
                                        {u"project_id"_s, u"support"_s}};

QMap<QString, QString> with(QMap<QString, QString> base, const QString &key, const QString &value)
{
    base.insert(key, value);
    return base;
}

QList<SpecCase> specCases()
{
    // The example's next_offset is 0 on a page asked at offset 0: following it would ask
    // for the same page for ever, so refusing it is right.
    const QString offsetStuck = u"does not move past offset"_s;
    // The example's cursor is "string" whatever it is asked with: the same loop.
    const QString cursorStuck = u"the returned cursor is the one this page was asked with"_s;
    return {
        {u"posthog-max-conversations.projects.json"_s,
         u"posthog"_s,
         {{u"project_id"_s, u"12345"_s}},
         {},
         {}},
        {u"posthog-max-conversations.environments-alias.json"_s,
         u"posthog"_s,
         {{u"project_id"_s, u"12345"_s}, {u"api_path"_s, u"environments"_s}},
         {},
         {}},
        {u"orq-conversations@cbdae844-seedmatch.json"_s,
         u"orq"_s,
         {{u"api_revision"_s, u"2025-12 (starting_after)"_s}},
         {},
         {}},
        {u"orq-conversations@d0daa1e2.json"_s,
         u"orq"_s,
         {{u"api_revision"_s, u"2026-02 (startingAfter)"_s}},
         {},
         {}},
        {u"polyai-v1-conversations@1602fccb-seedmatch.json"_s,
         u"polyai"_s,
         with(kPolyaiIds, u"api_version"_s, u"v1"_s),
         u"PolyAI v1 has no single-conversation endpoint"_s,
         {offsetStuck}},
        {u"polyai-v1-conversations@a0b7d7a0.json"_s,
         u"polyai"_s,
         with(kPolyaiIds, u"api_version"_s, u"v1"_s),
         u"PolyAI v1 has no single-conversation endpoint"_s,
         {offsetStuck}},
        {u"polyai-v3-conversations@a0b7d7a0.json"_s,
         u"polyai"_s,
         with(kPolyaiIds, u"api_version"_s, u"v3"_s),
         u"the provider opens /v3/{account}/{project}/conversations/{id} (PolyAI's introduction "
         "page); this spec documents only /v1/agents/{agentId}/conversations/{id}"_s,
         {cursorStuck}},
        {u"dynamiq-conversations.from-seed.yaml"_s,
         u"dynamiq"_s,
         {},
         u"the seed documents no single-conversation endpoint"_s,
         {}},
        {u"fixie-agent-conversations.from-seed.yaml"_s,
         u"fixie"_s,
         {{u"agent_id"_s, u"agent-1"_s}},
         u"the seed-derived spec holds only the list"_s,
         {}},
    };
}

QString contractsDir()
{
    const QByteArray env = qgetenv("PARLEY_CONTRACTS_DIR");
    return QDir::cleanPath(env.isEmpty() ? QStringLiteral(PARLEY_CONTRACTS_DIR)
                                         : QString::fromLocal8Bit(env));
}

} // namespace

class TestContract : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void conformsToSpec_data();
    void conformsToSpec();
    void cleanupTestCase();

private:
    void runMode(const SpecCase &spec, PrismInstance &prism, bool random, QStringList *failures);
    // Empty, or why the spec cannot run here: its file is not in the contracts folder.
    static QString missingSpec(const SpecCase &spec);

    // Started together in initTestCase (Prism takes seconds to start), each stopped at the
    // end of its own test.
    std::map<int, std::unique_ptr<PrismInstance>> m_prisms;
};

QString TestContract::missingSpec(const SpecCase &spec)
{
    if (QFileInfo::exists(contractsDir() + u'/' + spec.file))
        return {};
    return u"vendor spec %1 is not in %2: set PARLEY_CONTRACTS_DIR (CMake cache variable or "
           "environment) to a folder that holds it"_s.arg(spec.file, contractsDir());
}

namespace {
bool registered(const SpecCase &spec)
{
    return !parley::ProviderRegistry::platform(spec.platform).id.isEmpty();
}
} // namespace

void TestContract::initTestCase()
{
    // tests/run-headless.sh points PRISM_HOME into the build tree; do the same when the
    // binary is run by hand, so that Prism is never installed into a throw-away HOME.
    if (qEnvironmentVariableIsEmpty("PRISM_HOME"))
        qputenv("PRISM_HOME", QByteArray(PARLEY_BINARY_DIR) + "/prism");
    const QString dir = contractsDir();
    if (!QFileInfo(dir).isDir())
        QSKIP(qPrintable(u"no folder of vendor OpenAPI specs at %1: set PARLEY_CONTRACTS_DIR "
                         "(CMake cache variable or environment) to one"_s.arg(dir)));
    if (!QFileInfo(dir + u"/tools/prism-mock"_s).isExecutable())
        QSKIP(qPrintable(
            u"%1/tools/prism-mock (the contracts folder's Prism launcher) is "
            "missing: set PARLEY_CONTRACTS_DIR to a complete contracts folder"_s.arg(dir)));
    if (!prismInstalled() && !npmAvailable())
        QSKIP("Prism is not installed under $PRISM_HOME and npm is missing: install Node.js/npm "
              "(packaging/install-deps.sh --test), or Prism itself with `npm install --prefix "
              "$PRISM_HOME @stoplight/prism-cli@5`");

    const QList<SpecCase> cases = specCases();
    QList<int> indexes;
    for (int i = 0; i < cases.size(); ++i) {
        if (missingSpec(cases.at(i)).isEmpty() && registered(cases.at(i)))
            indexes << i;
    }
    const QList<quint16> ports = freePorts(int(indexes.size()));
    QVERIFY(ports.size() == indexes.size());
    for (qsizetype n = 0; n < indexes.size(); ++n) {
        auto prism =
            std::make_unique<PrismInstance>(contractsDir() + u'/' + cases.at(indexes.at(n)).file);
        prism->begin(ports.at(n));
        // Without Prism the first prism-mock installs it: the others wait for that.
        if (n == 0 && !prismInstalled()) {
            QString error;
            QVERIFY2(prism->finishStart(&error), qPrintable(error));
        }
        m_prisms[indexes.at(n)] = std::move(prism);
    }
}

void TestContract::cleanupTestCase()
{
    m_prisms.clear();
}

void TestContract::conformsToSpec_data()
{
    QTest::addColumn<int>("index");
    const QList<SpecCase> cases = specCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(qPrintable(cases.at(i).file)) << i;
}

void TestContract::conformsToSpec()
{
    QFETCH(int, index);
    const SpecCase spec = specCases().at(index);
    QVERIFY2(registered(spec),
             qPrintable(u"the %1 provider is not registered"_s.arg(spec.platform)));
    const QString missing = missingSpec(spec);
    if (!missing.isEmpty())
        QSKIP(qPrintable(missing));
    QVERIFY(m_prisms.count(index));
    const std::unique_ptr<PrismInstance> prism = std::move(m_prisms[index]);
    m_prisms.erase(index);
    QString error;
    QVERIFY2(prism->finishStart(&error), qPrintable(error));

    if (!spec.noDetail.isEmpty())
        qInfo("detail not checked against this spec: %s", qPrintable(spec.noDetail));
    QStringList failures;
    runMode(spec, *prism, false, &failures);
    runMode(spec, *prism, true, &failures);
    prism->stop();
    // QTest cuts long failure messages: each problem goes to the log in full.
    for (const QString &failure : std::as_const(failures))
        qWarning("%s", qPrintable(failure));
    QVERIFY2(failures.isEmpty(),
             qPrintable(u"%1 problem(s), each logged above; the first: %2"_s.arg(
                 QString::number(failures.size()), failures.value(0).left(600))));
}

void TestContract::runMode(const SpecCase &spec, PrismInstance &prism, bool random,
                           QStringList *failures)
{
    const QString mode = random ? u"random (-d)"_s : u"static examples"_s;
    PrismProxy proxy(prism.port());
    proxy.setPrefer(random ? "dynamic=true" : "dynamic=false");
    const quint16 port = proxy.listen();
    if (port == 0) {
        failures->append(mode + u": the recording proxy cannot listen"_s);
        return;
    }

    const parley::PlatformInfo info = parley::ProviderRegistry::platform(spec.platform);
    parley::Workspace workspace;
    workspace.id = QUuid::createUuid();
    workspace.name = u"contract"_s;
    workspace.platform = spec.platform;
    workspace.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    workspace.params = parley::test::defaultParams(info);
    for (auto it = spec.params.cbegin(); it != spec.params.cend(); ++it) {
        if (std::any_of(info.fields.cbegin(), info.fields.cend(),
                        [&](const parley::WorkspaceField &f) { return f.key == it.key(); }))
            workspace.params.insert(it.key(), it.value());
    }
    const auto problems = parley::ProviderRegistry::validate(workspace);
    if (!problems.isEmpty()) {
        failures->append(u"the test's workspace settings for %1 are not valid: %2"_s.arg(
            spec.platform, QStringList(problems.values()).join(u' ')));
        return;
    }

    parley::HttpClient http;
    // A new provider for every call, so that nothing a provider remembers from a list (some
    // keep the transcripts a list page carries) saves it a request.
    ContractRunner runner(
        [&] { return parley::ProviderRegistry::create(workspace, "contract-test-key", &http); },
        &proxy, mode, random, failures);
    runner.setAcceptedBadResponses(random ? QStringList() : spec.acceptedStatic);
    runner.run(spec.noDetail.isEmpty(), random ? 5 : 1);
}

QTEST_GUILESS_MAIN(TestContract)
#include "tst_contract.moc"
