// Testing a workspace finds which form of the platform's API answers, for the settings left
// on automatic (Provider::probeConnection), against sandboxes that serve one form only
// (SandboxOptions::onlyForms) over real HTTP: PolyAI's API version (the other answers 404),
// PostHog's API path (404), orq.ai's revision (same status, other paging). An explicit
// setting is never second-guessed, and parley-cli never probes.
#include "tst_cli_support.h"

#include "net/HttpClient.h"
#include "providers/Provider.h"
#include "support/PlatformSandbox.h"

#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

const QString kSnake = u"2025-12 (starting_after)"_s;
const QString kCamel = u"2026-02 (startingAfter)"_s;

} // namespace

class TestApiForms : public QObject
{
    Q_OBJECT

private:
    // A sandbox whose `platform` serves only `form` (empty: every form).
    std::unique_ptr<PlatformSandbox> serving(const QString &platform, const QString &form);
    // probeConnection() of `platform`'s demo workspace on `sandbox`, `key` set to `value`
    // (empty: left on automatic).
    std::optional<ConnectionTest> probe(const PlatformSandbox &sandbox, const QString &platform,
                                        const QString &key, const QString &value);

private slots:
    void automaticFindsTheFormServed_data();
    void automaticFindsTheFormServed();
    void explicitSettingIsNeverSecondGuessed_data();
    void explicitSettingIsNeverSecondGuessed();
    void wrongKeyIsAnAuthErrorNotAForm();
    void cliNeverProbes();
};

std::unique_ptr<PlatformSandbox> TestApiForms::serving(const QString &platform, const QString &form)
{
    sandbox::SandboxOptions options;
    options.conversations = 12;
    if (!form.isEmpty())
        options.onlyForms.insert(platform, form);
    auto fx = std::make_unique<PlatformSandbox>();
    QString error;
    if (!fx->start(options, &error)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return nullptr;
    }
    return fx;
}

std::optional<ConnectionTest> TestApiForms::probe(const PlatformSandbox &fx,
                                                  const QString &platform, const QString &key,
                                                  const QString &value)
{
    Workspace ws = fx.workspace(platform);
    if (value.isEmpty())
        ws.params.remove(key);
    else
        ws.params.insert(key, value);
    const auto provider = fx.provider(ws);
    std::optional<ConnectionTest> result;
    QObject context;
    provider->probeConnection(&context, [&result](ConnectionTest r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        QTest::qFail("no answer", __FILE__, __LINE__);
    return result;
}

void TestApiForms::automaticFindsTheFormServed_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("served"); // empty: every form
    QTest::addColumn<QString>("found");
    QTest::newRow("polyai v1 only") << u"polyai"_s << u"api_version"_s << u"v1"_s << u"v1"_s;
    QTest::newRow("polyai v3 only") << u"polyai"_s << u"api_version"_s << u"v3"_s << u"v3"_s;
    QTest::newRow("polyai both") << u"polyai"_s << u"api_version"_s << QString() << u"v3"_s;
    QTest::newRow("posthog environments only")
        << u"posthog"_s << u"api_path"_s << u"environments"_s << u"environments"_s;
    QTest::newRow("posthog projects only")
        << u"posthog"_s << u"api_path"_s << u"projects"_s << u"projects"_s;
    QTest::newRow("posthog both") << u"posthog"_s << u"api_path"_s << QString() << u"projects"_s;
    QTest::newRow("orq 2026-02 only") << u"orq"_s << u"api_revision"_s << u"2026-02"_s << kCamel;
    QTest::newRow("orq 2025-12 only") << u"orq"_s << u"api_revision"_s << u"2025-12"_s << kSnake;
    QTest::newRow("orq both") << u"orq"_s << u"api_revision"_s << QString() << kSnake;
}

void TestApiForms::automaticFindsTheFormServed()
{
    QFETCH(QString, platform);
    QFETCH(QString, key);
    QFETCH(QString, served);
    QFETCH(QString, found);
    const auto fx = serving(platform, served);
    QVERIFY(fx);
    const auto result = probe(*fx, platform, key, {});
    QVERIFY(result);
    QVERIFY2(!result->error, qPrintable(result->error.message()));
    QCOMPARE(result->found, (QMap<QString, QString>{{key, found}}));

    // What was found works: the workspace with it lists.
    const auto confirmed = probe(*fx, platform, key, found);
    QVERIFY(confirmed && !confirmed->error && confirmed->found.isEmpty());
}

void TestApiForms::explicitSettingIsNeverSecondGuessed_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("served");
    QTest::addColumn<QString>("chosen");
    QTest::addColumn<bool>("fails"); // the chosen form is refused
    QTest::newRow("polyai") << u"polyai"_s << u"api_version"_s << u"v1"_s << u"v3"_s << true;
    QTest::newRow("posthog") << u"posthog"_s << u"api_path"_s << u"environments"_s << u"projects"_s
                             << true;
    // orq's revisions answer alike: the test passes and nothing is changed.
    QTest::newRow("orq") << u"orq"_s << u"api_revision"_s << u"2026-02"_s << kSnake << false;
}

void TestApiForms::explicitSettingIsNeverSecondGuessed()
{
    QFETCH(QString, platform);
    QFETCH(QString, key);
    QFETCH(QString, served);
    QFETCH(QString, chosen);
    QFETCH(bool, fails);
    const auto fx = serving(platform, served);
    QVERIFY(fx);
    const auto result = probe(*fx, platform, key, chosen);
    QVERIFY(result);
    QVERIFY(result->found.isEmpty());
    QCOMPARE(result->error.isError(), fails);
    if (fails)
        QCOMPARE(result->error.kind, ApiError::Kind::NotFound);
}

void TestApiForms::wrongKeyIsAnAuthErrorNotAForm()
{
    const auto fx = serving(u"polyai"_s, u"v1"_s);
    QVERIFY(fx);
    Workspace ws = fx->workspace(u"polyai"_s);
    ws.params.remove(u"api_version"_s);
    const auto provider = fx->provider(ws, "not-the-key");
    std::optional<ConnectionTest> result;
    QObject context;
    provider->probeConnection(&context, [&result](ConnectionTest r) { result = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QVERIFY(result->found.isEmpty());
    // v3 is not there (404), v1 refuses the key: the key is what is wrong.
    QCOMPARE(result->error.kind, ApiError::Kind::Auth);
}

void TestApiForms::cliNeverProbes()
{
    // The ad-hoc CLI uses the fallback form of a setting left on automatic (v3): against a
    // v1-only PolyAI that is 404, not a probe.
    const auto fx = serving(u"polyai"_s, u"v1"_s);
    QVERIFY(fx);
    QVERIFY2(QFileInfo(clitest::cliPath()).isExecutable(), "parley-cli is not built");
    QMap<QString, QString> params = fx->workspace(u"polyai"_s).params;
    params.remove(u"api_version"_s);
    const QStringList where{u"--provider"_s, u"polyai"_s, u"--base-url"_s,
                            fx->sandbox().baseUrl(u"polyai"_s).toString()};
    const clitest::CliRun run =
        clitest::runCli(where + clitest::paramArgs(params) + QStringList{u"list"_s}, fx->key());
    QVERIFY2(run.exitCode == 4, run.describe().constData());
    // With v1 named, it lists.
    params.insert(u"api_version"_s, u"v1"_s);
    const clitest::CliRun named =
        clitest::runCli(where + clitest::paramArgs(params) + QStringList{u"list"_s}, fx->key());
    QVERIFY2(named.exitCode == 0, named.describe().constData());
}

QTEST_GUILESS_MAIN(TestApiForms)
#include "tst_api_forms.moc"
