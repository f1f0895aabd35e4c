// InputRules: what a user may type, checked from what a platform declares. Table-driven over
// synthetic declarations (each rule and its exact words) and over every registered
// platform's own declarations (each pattern compiles, each choice is accepted, what does not
// fit is refused, the demo workspace passes).

#include "providers/ProviderRegistry.h"
#include "rules/InputRules.h"
#include "session/DemoWorkspaces.h"
#include "support/TextRows.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;
using parley::test::addTextRows;

using Problems = QMap<QString, QString>;
using Params = QMap<QString, QString>;

namespace {

WorkspaceField field(const QString &key, const QString &label, bool required = true,
                     const QString &pattern = {}, const QString &placeholder = {})
{
    WorkspaceField f;
    f.key = key;
    f.label = label;
    f.required = required;
    f.pattern = pattern;
    f.placeholder = placeholder;
    return f;
}

FilterSpec filter(const QString &key, const QString &label, FilterSpec::Kind kind)
{
    FilterSpec s;
    s.key = key;
    s.label = label;
    s.kind = kind;
    return s;
}

// An app and a model, exactly one of which is given (both required), and an optional org.
QList<WorkspaceField> pairFields(bool bothRequired = true)
{
    WorkspaceField app = field(u"app"_s, u"App ID"_s, true, u"[0-9]+"_s, u"42"_s);
    app.exclusiveWith = u"model"_s;
    WorkspaceField model = field(u"model"_s, u"Model ID"_s, bothRequired, u"[0-9]+"_s);
    model.exclusiveWith = u"app"_s;
    return {app, model, field(u"org"_s, u"Org"_s, false)};
}

PlatformInfo synthetic()
{
    PlatformInfo info;
    info.id = u"synthetic"_s;
    info.displayName = u"Synthetic"_s;
    info.defaultBaseUrl = QUrl(u"https://api.example.com"_s);
    WorkspaceField region = field(u"region"_s, u"Region"_s);
    region.choices = {u"eu"_s, u"us"_s};
    info.fields = {field(u"project"_s, u"Project ID"_s, true, u"[0-9]+"_s, u"12345"_s),
                   field(u"team"_s, u"Team"_s, false, u"[a-z]+"_s), region};
    return info;
}

Workspace workspaceOf(const PlatformInfo &info, const Params &params, const QUrl &url = {})
{
    Workspace ws;
    ws.platform = info.id;
    ws.baseUrl = url;
    ws.params = params;
    return ws;
}

// The capabilities a platform's demo workspace has (the sandbox's settings).
Capabilities capabilitiesOf(const PlatformInfo &info)
{
    Workspace ws = workspaceOf(info, DemoWorkspaces::paramsFor(info.id), info.defaultBaseUrl);
    const auto provider = ProviderRegistry::create(ws, "key", nullptr);
    return provider ? provider->capabilities() : Capabilities{};
}

// `value` is what a field of `format` takes: any text, JSON, or a JSON object.
bool isJsonOf(WorkspaceField::Format format, const QString &value)
{
    if (format == WorkspaceField::Format::Text)
        return true;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(u"{\"v\": %1}"_s.arg(value).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return false;
    return format == WorkspaceField::Format::Json || doc.object().value(u"v"_s).isObject();
}

bool matchesAll(const QString &pattern, const QString &value)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(value).hasMatch();
}

// Values a person might type where an id is asked for; at least one of them fails any
// pattern stricter than "anything".
const QStringList kCandidates{u"12345"_s, u"abc"_s, u"a b c!"_s, u"not/valid?"_s,
                              u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s};

// A value `spec` takes.
QString aValue(const FilterSpec &spec)
{
    switch (spec.kind) {
    case FilterSpec::Kind::Choice:
        return spec.choices.value(0, u"x"_s);
    case FilterSpec::Kind::Bool:
        return u"true"_s;
    case FilterSpec::Kind::DateTime:
        return u"2026-05-01T00:00:00Z"_s;
    case FilterSpec::Kind::Text:
        break;
    }
    return u"1"_s;
}

} // namespace

class TstInputRules : public QObject
{
    Q_OBJECT

private slots:
    // ---- synthetic declarations: each rule and its words ----

    void workspaceFields_data()
    {
        QTest::addColumn<Params>("params");
        QTest::addColumn<Problems>("expected");
        const Params fine{{u"project"_s, u"12345"_s}, {u"region"_s, u"eu"_s}};
        QTest::newRow("all fine") << fine << Problems{};
        QTest::newRow("optional may be empty, values are trimmed")
            << Params{{u"project"_s, u" 12345 "_s}, {u"region"_s, u"us"_s}, {u"team"_s, u""_s}}
            << Problems{};
        QTest::newRow("required missing") << Params{{u"region"_s, u"eu"_s}}
                                          << Problems{{u"project"_s, u"Project ID is required."_s}};
        QTest::newRow("blank is missing") << Params{{u"project"_s, u"  "_s}, {u"region"_s, u"eu"_s}}
                                          << Problems{{u"project"_s, u"Project ID is required."_s}};
        QTest::newRow("pattern, with an example")
            << Params{{u"project"_s, u"12a"_s}, {u"region"_s, u"eu"_s}}
            << Problems{{u"project"_s,
                         u"“12a” is not a valid Project ID (expected something like 12345)."_s}};
        QTest::newRow("pattern is anchored, without an example")
            << Params{{u"project"_s, u"1"_s}, {u"region"_s, u"eu"_s}, {u"team"_s, u"ab1"_s}}
            << Problems{{u"team"_s, u"“ab1” is not a valid Team."_s}};
        QTest::newRow("choices") << Params{{u"project"_s, u"1"_s}, {u"region"_s, u"mars"_s}}
                                 << Problems{
                                        {u"region"_s, u"The Region must be one of: eu, us."_s}};
    }
    void workspaceFields()
    {
        QFETCH(Params, params);
        QFETCH(Problems, expected);
        QCOMPARE(InputRules::checkWorkspace(workspaceOf(synthetic(), params), synthetic()),
                 expected);
    }

    void workspacePairs_data()
    {
        QTest::addColumn<bool>("bothRequired");
        QTest::addColumn<Params>("params");
        QTest::addColumn<Problems>("expected");
        QTest::newRow("one of the two") << true << Params{{u"model"_s, u"7"_s}} << Problems{};
        QTest::newRow("neither") << true << Params{}
                                 << Problems{{u"app"_s, u"App ID or Model ID is required."_s}};
        QTest::newRow("both, said at the second")
            << true << Params{{u"app"_s, u"1"_s}, {u"model"_s, u"2"_s}}
            << Problems{{u"model"_s, u"Set either App ID or Model ID, not both."_s}};
        QTest::newRow("both, the first's own value still checked")
            << true << Params{{u"app"_s, u"x"_s}, {u"model"_s, u"2"_s}}
            << Problems{{u"app"_s, u"“x” is not a valid App ID (expected something like 42)."_s},
                        {u"model"_s, u"Set either App ID or Model ID, not both."_s}};
        QTest::newRow("partner optional: the required one is")
            << false << Params{} << Problems{{u"app"_s, u"App ID is required."_s}};
        QTest::newRow("partner optional and set")
            << false << Params{{u"model"_s, u"3"_s}} << Problems{};
    }
    void workspacePairs()
    {
        QFETCH(bool, bothRequired);
        QFETCH(Params, params);
        QFETCH(Problems, expected);
        PlatformInfo info = synthetic();
        info.fields = pairFields(bothRequired);
        QCOMPARE(InputRules::checkWorkspace(workspaceOf(info, params), info), expected);
    }

    void baseUrl_data()
    {
        // `says`: a part of the problem; empty = accepted
        addTextRows("url", "says",
                    {{"empty means the default", nullptr, nullptr},
                     {"https", "https://eu.example.com/api", nullptr},
                     {"http to this computer", "http://127.0.0.1:8080", nullptr},
                     {"http elsewhere", "http://api.example.com", "unencrypted"},
                     {"other scheme", "ftp://api.example.com",
                      "must start with https:// (for example "
                      "https://api.example.com)"},
                     {"relative", "api.example.com", "must start with https://"},
                     {"user info", "https://me:pw@api.example.com", "user name"},
                     {"query", "https://api.example.com/?a=1", "“?” or “#”"},
                     {"no host", "https://", "host"}});
    }
    void baseUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, says);
        const QUrl u(url, QUrl::StrictMode);
        const Workspace ws =
            workspaceOf(synthetic(), {{u"project"_s, u"1"_s}, {u"region"_s, u"eu"_s}}, u);
        const QString problem = InputRules::checkWorkspace(ws, synthetic()).value(u"base_url"_s);
        if (says.isEmpty())
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        else
            QVERIFY2(problem.contains(says), qPrintable(problem));
        if (!url.isEmpty())
            QCOMPARE(InputRules::checkBaseUrl(u, synthetic()), problem);
    }

    void unknownPlatform()
    {
        Workspace ws;
        ws.platform = u"nowhere"_s;
        const Problems p = InputRules::checkWorkspace(ws, PlatformInfo{});
        QCOMPARE(p.keys(), QStringList{u"platform"_s});
        QVERIFY(p.value(u"platform"_s).contains(u"nowhere"_s));
        QCOMPARE(ProviderRegistry::validate(ws), p);
    }

    void createFields_data()
    {
        QTest::addColumn<Params>("params");
        QTest::addColumn<QStringList>("chosen");
        QTest::addColumn<Problems>("expected");
        QTest::newRow("one of the two")
            << Params{{u"app"_s, u"42"_s}} << QStringList{} << Problems{};
        QTest::newRow("neither, nothing chosen")
            << Params{} << QStringList{}
            << Problems{{u"app"_s, u"Enter the App ID or the Model ID."_s}};
        QTest::newRow("neither, the model chosen")
            << Params{} << QStringList{u"model"_s}
            << Problems{{u"model"_s, u"Enter the Model ID."_s}};
        QTest::newRow("chosen one set")
            << Params{{u"model"_s, u"9"_s}} << QStringList{u"model"_s} << Problems{};
        QTest::newRow("both") << Params{{u"app"_s, u"1"_s}, {u"model"_s, u"2"_s}} << QStringList{}
                              << Problems{
                                     {u"model"_s, u"Give the App ID or the Model ID, not both."_s}};
        QTest::newRow("pattern, with an example")
            << Params{{u"app"_s, u"x1"_s}} << QStringList{}
            << Problems{{u"app"_s, u"This is not a valid App ID (for example 42)."_s}};
        QTest::newRow("pattern, without an example")
            << Params{{u"model"_s, u"x1"_s}} << QStringList{}
            << Problems{{u"model"_s, u"This is not a valid Model ID."_s}};
        QTest::newRow("optional may be anything without a pattern")
            << Params{{u"app"_s, u"1"_s}, {u"org"_s, u"any thing"_s}} << QStringList{}
            << Problems{};
    }
    void createFields()
    {
        QFETCH(Params, params);
        QFETCH(QStringList, chosen);
        QFETCH(Problems, expected);
        QCOMPARE(InputRules::checkCreateFields(pairFields(), params, chosen), expected);
    }

    void createChoicesAndBrokenPattern()
    {
        WorkspaceField tone = field(u"tone"_s, u"Tone"_s, false);
        tone.choices = {u"calm"_s, u"brisk"_s};
        // A pattern that does not compile is the platform's mistake: it refuses nothing.
        const WorkspaceField broken = field(u"broken"_s, u"Broken"_s, false, u"([a-z"_s);
        QCOMPARE(InputRules::checkCreateFields({tone, broken},
                                               {{u"tone"_s, u"loud"_s}, {u"broken"_s, u"x"_s}}),
                 (Problems{{u"tone"_s, u"Choose one of: calm, brisk."_s}}));
        QVERIFY(InputRules::checkCreateFields({tone}, {{u"tone"_s, u"calm"_s}}).isEmpty());
        QVERIFY(InputRules::fits(broken, u"anything"_s));
        QVERIFY(!InputRules::fits(tone, u"loud"_s));
        QVERIFY(!InputRules::fits(tone, QString()));
        QVERIFY(InputRules::fits(tone, u" brisk "_s));
    }

    void newConversationText_data()
    {
        QTest::addColumn<bool>("needsText");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("optional, none") << false << 0 << QString() << QString();
        QTest::newRow("needed, none")
            << true << 0 << u"  "_s
            << u"Write the first message: the platform starts a conversation with one."_s;
        QTest::newRow("at the limit") << true << 5 << u"12345"_s << QString();
        QTest::newRow("over the limit") << false << 5 << u"123456"_s
                                        << u"The platform takes at most 5 characters; this is 6."_s;
    }
    void newConversationText()
    {
        QFETCH(bool, needsText);
        QFETCH(int, limit);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        Capabilities caps;
        caps.createNeedsText = needsText;
        caps.maxMessageLength = limit;
        NewConversation request;
        request.text = text;
        const Problems found = InputRules::checkNewConversation(caps, request);
        QCOMPARE(found.value(u"text"_s), expected);
        QCOMPARE(found.size(), expected.isEmpty() ? 0 : 1);
        QCOMPARE(InputRules::checkMessageLength(caps, text).isEmpty(),
                 limit == 0 || text.size() <= limit);
    }

    void filterValues_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("sent");
        using K = FilterSpec::Kind;
        QTest::newRow("text, matches") << int(K::Text) << u" ab-12 "_s << QString() << u"ab-12"_s;
        QTest::newRow("text, anchored")
            << int(K::Text) << u"x ab-12"_s << u"Give the id."_s << QString();
        QTest::newRow("empty is not set") << int(K::Text) << u"  "_s << QString() << QString();
        QTest::newRow("choice") << int(K::Choice) << u"live"_s << QString() << u"live"_s;
        QTest::newRow("not a choice") << int(K::Choice) << u"prod"_s
                                      << u"“prod” is not one of: sandbox, live."_s << QString();
        QTest::newRow("bool, any case") << int(K::Bool) << u"TRUE"_s << QString() << u"true"_s;
        QTest::newRow("not a bool")
            << int(K::Bool) << u"maybe"_s << u"“maybe” is neither true nor false."_s << QString();
        QTest::newRow("time, to UTC") << int(K::DateTime) << u"2026-01-31T10:00:00+01:00"_s
                                      << QString() << u"2026-01-31T09:00:00Z"_s;
        QTest::newRow("not a time")
            << int(K::DateTime) << u"yesterday"_s
            << u"“yesterday” is not a date and time like 2026-01-31T09:00:00Z."_s << QString();
    }
    void filterValues()
    {
        QFETCH(int, kind);
        QFETCH(QString, value);
        QFETCH(QString, problem);
        QFETCH(QString, sent);
        FilterSpec spec = filter(u"k"_s, u"K"_s, FilterSpec::Kind(kind));
        spec.pattern = u"[a-z]+-[0-9]+"_s;
        spec.patternHint = u"Give the id."_s;
        spec.choices = {u"sandbox"_s, u"live"_s};
        QString normalized = u"unset"_s;
        QCOMPARE(InputRules::checkFilter(spec, value, &normalized), problem);
        QCOMPARE(normalized, sent);
        // Without a hint, the label says what is wrong.
        spec.patternHint.clear();
        if (kind == int(FilterSpec::Kind::Text) && !problem.isEmpty())
            QCOMPARE(InputRules::checkFilter(spec, value), u"Not a valid K."_s);
    }

    void filterSets_data()
    {
        QTest::addColumn<Params>("filters");
        QTest::addColumn<QStringList>("refused");
        QTest::addColumn<Params>("sent");
        QTest::newRow("fine") << Params{{u"b"_s, u"x"_s}, {u"when"_s, u"2026-01-01T00:00:00Z"_s}}
                              << QStringList{}
                              << Params{{u"b"_s, u"x"_s}, {u"when"_s, u"2026-01-01T00:00:00Z"_s}};
        QTest::newRow("empty left out") << Params{{u"a"_s, u""_s}} << QStringList{} << Params{};
        QTest::newRow("unknown key")
            << Params{{u"zzz"_s, u"1"_s}} << QStringList{u"zzz"_s} << Params{};
        QTest::newRow("both of a pair, said at the later")
            << Params{{u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}} << QStringList{u"b"_s}
            << Params{{u"a"_s, u"1"_s}};
        QTest::newRow("one of a pair")
            << Params{{u"b"_s, u"2"_s}} << QStringList{} << Params{{u"b"_s, u"2"_s}};
        QTest::newRow("bad time") << Params{{u"when"_s, u"soon"_s}} << QStringList{u"when"_s}
                                  << Params{};
    }
    void filterSets()
    {
        QFETCH(Params, filters);
        QFETCH(QStringList, refused);
        QFETCH(Params, sent);
        FilterSpec a = filter(u"a"_s, u"Variant ID"_s, FilterSpec::Kind::Text);
        a.exclusiveWith = u"b"_s;
        const FilterSpec b = filter(u"b"_s, u"Variant name"_s, FilterSpec::Kind::Text);
        const FilterSpec when = filter(u"when"_s, u"After"_s, FilterSpec::Kind::DateTime);
        Params normalized;
        const Problems found = InputRules::checkFilters({a, b, when}, filters, &normalized);
        QCOMPARE(found.keys(), refused);
        QCOMPARE(normalized, sent);
        if (refused == QStringList{u"b"_s})
            QCOMPARE(found.value(u"b"_s),
                     u"Variant name cannot be combined with Variant ID: clear one of them."_s);
        if (refused == QStringList{u"zzz"_s}) {
            QVERIFY(found.value(u"zzz"_s).contains(u"a, b, when"_s));
            QVERIFY(!InputRules::checkFilters({}, filters).value(u"zzz"_s).isEmpty());
        }
    }

    void sortAndPageSize()
    {
        Capabilities caps;
        caps.sortFields = {u"created_at"_s, u"title"_s};
        caps.maxPageSize = 100;
        for (const QString &ok :
             {u""_s, u"title"_s, u"-created_at"_s, u"-created_at,title"_s, u"title, -created_at"_s})
            QVERIFY2(InputRules::checkSort(caps.sortFields, ok).isEmpty(), qPrintable(ok));
        for (const QString &bad : {u"size"_s, u"--title"_s, u"-"_s, u"title,size"_s,
                                   u"title,,created_at"_s, u"title,"_s, u"title,-title"_s})
            QVERIFY2(!InputRules::checkSort(caps.sortFields, bad).isEmpty(), qPrintable(bad));
        // The problem names the field at fault and the fields there are.
        const QString unknown = InputRules::checkSort(caps.sortFields, u"-created_at,size"_s);
        QVERIFY2(unknown.contains(u"“size”"_s) && unknown.contains(u"created_at, title"_s),
                 qPrintable(unknown));
        QVERIFY(!InputRules::checkSort({}, u"title"_s).isEmpty());
        QVERIFY(InputRules::checkSort({}, QString()).isEmpty());

        for (int ok : {1, 50, 100})
            QVERIFY(InputRules::checkPageSize(caps, ok).isEmpty());
        for (int bad : {-1, 0, 101})
            QCOMPARE(InputRules::checkPageSize(caps, bad),
                     u"The page size is a whole number from 1 to 100."_s);
        caps.maxPageSize = 0; // undeclared: one row at a time is still allowed
        QCOMPARE(InputRules::maxPageSize(caps), 1);

        caps.filters = {filter(u"q"_s, u"Q"_s, FilterSpec::Kind::Text)};
        caps.maxPageSize = 100;
        ListQuery q;
        q.filters = {{u"q"_s, u" x "_s}, {u"gone"_s, u"1"_s}};
        q.sort = u"-size"_s;
        q.pageSize = 500;
        ListQuery sent;
        const Problems found = InputRules::checkListQuery(caps, q, &sent);
        QCOMPARE(found.keys(), (QStringList{u"gone"_s, u"page_size"_s, u"sort"_s}));
        QCOMPARE(sent.filters, (Params{{u"q"_s, u"x"_s}}));

        // sanitized() drops what is not offered and keeps values as they are.
        q.sort = u"-title"_s;
        const ListQuery kept = InputRules::sanitized(q, caps);
        QCOMPARE(kept.filters, (Params{{u"q"_s, u" x "_s}}));
        QCOMPARE(kept.sort, u"-title"_s);
        QCOMPARE(kept.pageSize, 500);
        q.sort = u"size"_s;
        QCOMPARE(InputRules::sanitized(q, caps).sort, QString());
    }

    // ---- every registered platform's declarations ----

    void platforms_data()
    {
        QTest::addColumn<QString>("platform");
        for (const PlatformInfo &info : ProviderRegistry::platforms())
            QTest::newRow(qPrintable(info.id)) << info.id;
        QVERIFY(!ProviderRegistry::platforms().isEmpty());
    }

    void platforms()
    {
        QFETCH(QString, platform);
        const PlatformInfo info = ProviderRegistry::platform(platform);
        const Capabilities caps = capabilitiesOf(info);

        // The demo workspace (defaults, fitting placeholders) is a valid workspace, and
        // ProviderRegistry::validate says the same as the rules.
        const Workspace demo =
            workspaceOf(info, DemoWorkspaces::paramsFor(platform), info.defaultBaseUrl);
        QCOMPARE(InputRules::checkWorkspace(demo, info), Problems{});
        QCOMPARE(ProviderRegistry::validate(demo), Problems{});

        for (const WorkspaceField &f : info.fields) {
            const QByteArray where = platform.toUtf8() + '/' + f.key.toUtf8();
            QVERIFY2(QRegularExpression(f.pattern).isValid(), where.constData());
            Workspace ws = demo;
            ws.params.remove(f.key);
            QCOMPARE(InputRules::checkWorkspace(ws, info).contains(f.key),
                     f.required && f.exclusiveWith.isEmpty());
            for (const QString &choice : f.choices) {
                ws.params.insert(f.key, choice);
                QVERIFY2(!InputRules::checkWorkspace(ws, info).contains(f.key), where.constData());
            }
            if (!f.choices.isEmpty()) {
                ws.params.insert(f.key, u"no such choice"_s);
                QVERIFY2(InputRules::checkWorkspace(ws, info).contains(f.key), where.constData());
            }
            if (f.pattern.isEmpty() || !f.choices.isEmpty())
                continue;
            for (const QString &value : kCandidates) {
                ws.params.insert(f.key, value);
                QCOMPARE(InputRules::checkWorkspace(ws, info).contains(f.key),
                         !matchesAll(f.pattern, value));
            }
        }

        for (const WorkspaceField &f : caps.createFields) {
            const QByteArray where = platform.toUtf8() + "/create/" + f.key.toUtf8();
            QVERIFY2(QRegularExpression(f.pattern).isValid(), where.constData());
            for (const QString &value : kCandidates) {
                const bool refused =
                    InputRules::checkCreateFields(caps.createFields, {{f.key, value}}, {f.key})
                        .contains(f.key);
                QCOMPARE(refused, (!f.pattern.isEmpty() && !matchesAll(f.pattern, value)) ||
                                      !isJsonOf(f.format, value) ||
                                      (!f.choicesOpen && !f.choices.isEmpty() &&
                                       !f.choices.contains(value)));
            }
            // The example shown with a field is one it takes.
            if (!f.placeholder.isEmpty() && !f.placeholder.contains(u'…'))
                QVERIFY2(InputRules::fits(f, f.placeholder), where.constData());
        }

        for (const FilterSpec &s : caps.filters) {
            const QByteArray where = platform.toUtf8() + "/filter/" + s.key.toUtf8();
            QVERIFY2(QRegularExpression(s.pattern).isValid(), where.constData());
            QVERIFY2(s.exclusiveWith.isEmpty() ||
                         std::any_of(caps.filters.cbegin(), caps.filters.cend(),
                                     [&](const FilterSpec &o) { return o.key == s.exclusiveWith; }),
                     where.constData());
            switch (s.kind) {
            case FilterSpec::Kind::Choice:
                for (const QString &choice : s.choices)
                    QVERIFY2(InputRules::checkFilter(s, choice).isEmpty(), where.constData());
                QVERIFY2(!InputRules::checkFilter(s, u"no such choice"_s).isEmpty(),
                         where.constData());
                break;
            case FilterSpec::Kind::Bool:
                QVERIFY(InputRules::checkFilter(s, u"false"_s).isEmpty());
                QVERIFY(!InputRules::checkFilter(s, u"perhaps"_s).isEmpty());
                break;
            case FilterSpec::Kind::DateTime:
                QVERIFY(InputRules::checkFilter(s, u"2026-05-01T00:00:00Z"_s).isEmpty());
                QVERIFY(!InputRules::checkFilter(s, u"last week"_s).isEmpty());
                break;
            case FilterSpec::Kind::Text:
                for (const QString &value : kCandidates)
                    QCOMPARE(InputRules::checkFilter(s, value).isEmpty(),
                             s.pattern.isEmpty() || matchesAll(s.pattern, value));
                break;
            }
            if (!s.exclusiveWith.isEmpty()) {
                const auto other =
                    std::find_if(caps.filters.cbegin(), caps.filters.cend(),
                                 [&](const FilterSpec &o) { return o.key == s.exclusiveWith; });
                const Params both{{s.key, aValue(s)}, {s.exclusiveWith, aValue(*other)}};
                QCOMPARE(InputRules::checkFilters(caps.filters, both).size(), 1);
            }
        }

        for (const QString &sort : caps.sortFields) {
            QVERIFY(InputRules::checkSort(caps.sortFields, sort).isEmpty());
            QVERIFY(InputRules::checkSort(caps.sortFields, u"-"_s + sort).isEmpty());
        }
        QVERIFY(!InputRules::checkSort(caps.sortFields, u"no_such_field"_s).isEmpty());
        QVERIFY(caps.maxPageSize >= 1);
        QVERIFY(InputRules::checkPageSize(caps, caps.maxPageSize).isEmpty());
        QVERIFY(!InputRules::checkPageSize(caps, caps.maxPageSize + 1).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstInputRules)
#include "tst_inputrules.moc"
