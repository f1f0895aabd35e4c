// The workspace dialog, the new-conversation dialog, the server filter bar and parley-cli
// accept and refuse the same values for the same field, for every registered platform's
// declarations: each surface is asked about the same value, and all answer as InputRules
// does. The command line runs against a closed loopback port: a value it accepts gets as
// far as the network (exit 5), a value it refuses ends as a usage error (exit 2).

#include "NewConversationDialog.h"
#include "ServerFilterBar.h"
#include "WorkspaceDialog.h"
#include "integration/tst_cli_support.h"
#include "providers/ProviderRegistry.h"
#include "rules/InputRules.h"
#include "session/DemoWorkspaces.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QTcpServer>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

constexpr int kUsage = 2;       // cli::ExitCode::Usage
constexpr int kUnreachable = 5; // cli::ExitCode::Unavailable

// Values a person might type; each platform's declarations decide which are fine.
const QStringList kTyped{u"12345"_s, u"a b c!"_s, u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s};

// The example a field shows, when it is a whole value (not "agent_01…").
QString example(const WorkspaceField &field)
{
    return field.placeholder.contains(u'…') ? QString() : field.placeholder;
}

QStringList candidates(const WorkspaceField &field)
{
    if (!field.choices.isEmpty())
        return QStringList(field.choices) << u"no such choice"_s;
    QStringList out = kTyped;
    if (!example(field).isEmpty() && !out.contains(field.placeholder))
        out << field.placeholder;
    return out;
}

Capabilities capabilitiesOf(const QString &platform)
{
    Workspace ws;
    ws.platform = platform;
    ws.params = DemoWorkspaces::paramsFor(platform);
    const auto provider = ProviderRegistry::create(ws, "key", nullptr);
    return provider ? provider->capabilities() : Capabilities{};
}

// What parley-cli's argument checks say to `args` for an ad-hoc workspace of `platform`
// whose settings are the demo's, overridden by `params`: false when it refused, naming
// `option` ("--filter KEY"), true when it let the value through (to the network, exit 5, or
// to a platform's own rule about combinations, such as a search mode that needs search
// text: a usage error that does not name the option, as the filter bar's value meets it).
std::optional<bool> cliAccepts(const QString &platform, const QMap<QString, QString> &params,
                               const QStringList &args, const QString &option, QByteArray *describe)
{
    QTcpServer closed;
    if (!closed.listen(QHostAddress::LocalHost, 0))
        return std::nullopt;
    const quint16 port = closed.serverPort();
    closed.close();
    QStringList all{u"--provider"_s, platform, u"--base-url"_s, u"http://127.0.0.1:%1"_s.arg(port),
                    u"--retries"_s,  u"0"_s};
    QMap<QString, QString> settings = DemoWorkspaces::paramsFor(platform);
    settings.insert(params);
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        all << u"--param"_s << it.key() + u'=' + it.value();
    const clitest::CliRun run = clitest::runCli(all + args, "a-key-for-nothing");
    *describe = run.describe();
    if (run.exitCode == kUsage)
        return !run.err.contains((option + u':').toUtf8());
    if (run.exitCode == kUnreachable)
        return true;
    return std::nullopt;
}

} // namespace

class TstInputRulesAgree : public QObject
{
    Q_OBJECT

private slots:
    void workspaceDialogAndCli_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        for (const PlatformInfo &info : ProviderRegistry::platforms()) {
            for (const WorkspaceField &f : info.fields) {
                for (const QString &value : candidates(f))
                    QTest::addRow("%s/%s=%s", qPrintable(info.id), qPrintable(f.key),
                                  qPrintable(value))
                        << info.id << f.key << value;
            }
        }
    }
    void workspaceDialogAndCli()
    {
        QFETCH(QString, platform);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const PlatformInfo info = ProviderRegistry::platform(platform);
        Workspace ws;
        ws.platform = platform;
        ws.params = DemoWorkspaces::paramsFor(platform);
        ws.params.insert(key, value);
        const bool rules = !InputRules::checkWorkspace(ws, info).contains(key);

        WorkspaceDialog dialog{AppServices{}};
        auto *combo = dialog.findChild<QComboBox *>(u"platformCombo"_s);
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(platform));
        QWidget *editor = dialog.findChild<QWidget *>(u"field_"_s + key);
        QVERIFY(editor);
        bool held = true; // a choice box cannot hold a value it does not list
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setText(value);
        else if (auto *box = qobject_cast<QComboBox *>(editor)) {
            held = box->findData(value) >= 0;
            box->setCurrentIndex(box->findData(value));
        }
        const bool dialogAccepts = held && !dialog.problems().contains(key);
        QCOMPARE(dialogAccepts, rules);

        QByteArray describe;
        const std::optional<bool> cli =
            cliAccepts(platform, {{key, value}}, {u"list"_s}, u"--param "_s + key, &describe);
        QVERIFY2(cli.has_value(), describe.constData());
        QVERIFY2(*cli == rules, describe.constData());
    }

    void newConversationDialogAndCli_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        for (const PlatformInfo &info : ProviderRegistry::platforms()) {
            const Capabilities caps = capabilitiesOf(info.id);
            if (!caps.can(Capabilities::Create))
                continue;
            for (const WorkspaceField &f : caps.createFields) {
                for (const QString &value : candidates(f))
                    QTest::addRow("%s/%s=%s", qPrintable(info.id), qPrintable(f.key),
                                  qPrintable(value))
                        << info.id << f.key << value;
            }
        }
    }
    void newConversationDialogAndCli()
    {
        QFETCH(QString, platform);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const Capabilities caps = capabilitiesOf(platform);
        // The field under test, chosen where it is one of a pair, and the other required
        // fields at their example (of another pair, the first only, chosen).
        QMap<QString, QString> params{{key, value}};
        QStringList handled{key}; // set, or the partner of one set
        for (const WorkspaceField &f : caps.createFields) {
            if (f.key == key)
                handled << f.exclusiveWith;
        }
        for (const WorkspaceField &f : caps.createFields) {
            if (!f.required || handled.contains(f.key))
                continue;
            params.insert(f.key, example(f));
            handled << f.key << f.exclusiveWith;
        }
        const bool withText = caps.createNeedsText || caps.can(Capabilities::Send);
        NewConversation request;
        request.params = params;
        request.text = withText ? u"Hello"_s : QString();
        const bool rules = InputRules::checkNewConversation(caps, request, params.keys()).isEmpty();

        NewConversationDialog dialog(caps, platform);
        for (auto it = params.cbegin(); it != params.cend(); ++it) {
            // A line edit, or an editable choice (open choices: any value can be typed).
            auto *editor = dialog.findChild<QWidget *>(u"field_"_s + it.key());
            auto *line = qobject_cast<QLineEdit *>(editor);
            auto *box = qobject_cast<QComboBox *>(editor);
            QVERIFY(line || (box && box->isEditable()));
            if (line)
                line->setText(it.value());
            else
                box->setEditText(it.value());
        }
        for (auto it = params.cbegin(); it != params.cend(); ++it) {
            if (auto *choose = dialog.findChild<QRadioButton *>(u"choose_"_s + it.key()))
                choose->setChecked(true);
        }
        dialog.findChild<QPlainTextEdit *>(u"messageEdit"_s)->setPlainText(request.text);
        QCOMPARE(dialog.problems().isEmpty(), rules);

        QStringList args{u"create"_s};
        for (auto it = params.cbegin(); it != params.cend(); ++it)
            args << u"--param"_s << it.key() + u'=' + it.value();
        if (withText)
            args << request.text;
        QByteArray describe;
        const std::optional<bool> cli =
            cliAccepts(platform, {}, args, u"--param "_s + key, &describe);
        QVERIFY2(cli.has_value(), describe.constData());
        QVERIFY2(*cli == rules, describe.constData());
    }

    void filterBarAndCli_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        for (const PlatformInfo &info : ProviderRegistry::platforms()) {
            for (const FilterSpec &s : capabilitiesOf(info.id).filters) {
                QStringList values;
                switch (s.kind) {
                case FilterSpec::Kind::Choice:
                    values = QStringList(s.choices) << u"no such choice"_s;
                    break;
                case FilterSpec::Kind::Bool:
                    values = {u"true"_s, u"false"_s, u"maybe"_s};
                    break;
                case FilterSpec::Kind::DateTime:
                    values = {u"2026-05-01T09:30:00Z"_s, u"last week"_s};
                    break;
                case FilterSpec::Kind::Text:
                    // A value every platform's own checks take, and one that breaks a pattern.
                    values = {u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s};
                    if (!s.pattern.isEmpty())
                        values << u"a b c!"_s;
                    break;
                }
                for (const QString &value : values)
                    QTest::addRow("%s/%s=%s", qPrintable(info.id), qPrintable(s.key),
                                  qPrintable(value))
                        << info.id << s.key << value;
            }
        }
    }
    void filterBarAndCli()
    {
        QFETCH(QString, platform);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const Capabilities caps = capabilitiesOf(platform);
        const bool rules = InputRules::checkFilters(caps.filters, {{key, value}}).isEmpty();

        // The bar accepts what it can show and would apply as it is.
        ServerFilterBar bar;
        bar.setCapabilities(caps);
        ListQuery query;
        query.filters.insert(key, value);
        bar.setQuery(query);
        QMap<QString, QString> sent;
        InputRules::checkFilters(caps.filters, {{key, value}}, &sent);
        const bool barAccepts = bar.isValid() && !bar.query().filters.value(key).isEmpty() &&
                                (!rules || bar.query().filters.value(key) == sent.value(key));
        QCOMPARE(barAccepts, rules);

        QByteArray describe;
        const std::optional<bool> cli =
            cliAccepts(platform, {}, {u"list"_s, u"--filter"_s, key + u'=' + value},
                       u"--filter "_s + key, &describe);
        QVERIFY2(cli.has_value(), describe.constData());
        QVERIFY2(*cli == rules, describe.constData());
    }

    void sortBarAndCli_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("sort");
        for (const PlatformInfo &info : ProviderRegistry::platforms()) {
            const QStringList fields = capabilitiesOf(info.id).sortFields;
            if (fields.isEmpty())
                continue;
            QStringList values{fields.constFirst(), u"-"_s + fields.constLast(), u"no_such"_s,
                               fields.constFirst() + u",,"_s + fields.constLast(),
                               fields.constFirst() + u",-"_s + fields.constFirst()};
            if (fields.size() > 1)
                values << u"-"_s + fields.at(0) + u","_s + fields.at(1)
                       << fields.at(1) + u",-no_such"_s;
            for (const QString &sort : std::as_const(values))
                QTest::addRow("%s/%s", qPrintable(info.id), qPrintable(sort)) << info.id << sort;
        }
    }
    // The sort field takes what the rules take, typed, and says why not in the same words;
    // parley-cli list --sort agrees.
    void sortBarAndCli()
    {
        QFETCH(QString, platform);
        QFETCH(QString, sort);
        const Capabilities caps = capabilitiesOf(platform);
        const QString rule = InputRules::checkSort(caps.sortFields, sort);

        ServerFilterBar bar;
        bar.setCapabilities(caps);
        auto *field = bar.findChild<QComboBox *>(u"sortField"_s);
        QVERIFY(field && field->isEditable());
        field->setEditText(sort);
        QCOMPARE(bar.isValid(), rule.isEmpty());
        if (rule.isEmpty())
            QCOMPARE(bar.query().sort, sort);
        auto *problem = bar.findChild<QLabel *>(u"sortProblem"_s);
        QVERIFY(problem);
        QCOMPARE(problem->text(), rule);

        QByteArray describe;
        const std::optional<bool> cli = cliAccepts(platform, {}, {u"list"_s, u"--sort"_s, sort},
                                                   u"--sort for "_s + platform, &describe);
        QVERIFY2(cli.has_value(), describe.constData());
        QVERIFY2(*cli == rule.isEmpty(), describe.constData());
    }

    // Synthetic: a pattern filter (no registered platform declares one today) is refused
    // by the bar exactly when the rules refuse it, with the same words.
    void filterBarSaysWhatTheRulesSay()
    {
        FilterSpec id;
        id.key = u"app_id"_s;
        id.label = u"App ID"_s;
        id.pattern = u"[0-9a-f]{8}"_s;
        Capabilities caps;
        caps.filters = {id};
        ServerFilterBar bar;
        bar.setCapabilities(caps);
        for (const QString &value : {u"0123abcd"_s, u"0123abcd "_s, u"xyz"_s, u"0123abcde"_s}) {
            ListQuery q;
            q.filters.insert(id.key, value);
            bar.setQuery(q);
            const QString rule = InputRules::checkFilter(id, value);
            QCOMPARE(bar.isValid(), rule.isEmpty());
            auto *problem = bar.findChild<QLabel *>(u"filterProblem_app_id"_s);
            QVERIFY(problem);
            QCOMPARE(problem->text(), rule);
        }
    }
};

QTEST_MAIN(TstInputRulesAgree)
#include "tst_inputrules_agree.moc"
