// PolyaiProvider's quirks (v1 and v3) against the in-process sandbox over real HTTP on
// 127.0.0.1: v1's paging and the live-only, oldest-first order, exactly which rows each
// server-side filter gives, the client-side refusal of variant_id with variant_name,
// transcripts (v3 endpoint, v1 list cache), PolyAI's error texts, and the emulation's own
// rules checked on the wire. What every platform must do (paging, auth kinds, faults) is
// checked by conformance_polyai (on the default version, v3).
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/polyai/PolyaiMapping.h"
#include "providers/polyai/PolyaiProvider.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/polyai/PolyaiSandbox.h"
#include "sandbox/polyai/PolyaiSandboxData.h"
#include "support/SandboxTestCase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

using Predicate = std::function<bool(int index, const PolyaiSandboxData::Facts &)>;

} // namespace

class TestPolyaiProvider : public PlatformTestCase<PolyaiSandboxData>
{
    Q_OBJECT

public:
    TestPolyaiProvider()
        : PlatformTestCase(u"polyai"_s, 5)
    {}

private:
    Workspace workspace(const QString &version) const
    {
        return demoWorkspace({{u"api_version"_s, version},
                              {u"region"_s, u"uk-1"_s},
                              {u"account_id"_s, u"acme"_s},
                              {u"project_id"_s, u"PROJECT-support"_s}});
    }

    std::unique_ptr<PolyaiProvider> provider(const QString &version, const QByteArray &key = kKey)
    {
        return std::make_unique<PolyaiProvider>(workspace(version), key, &m_fx.http());
    }

    // The ids the sandbox holds that satisfy `keep`, oldest first (the list's order).
    QStringList expected(const Predicate &keep) const
    {
        QStringList out;
        for (int i = 0; i < m_data.count(); ++i) {
            if (keep(i, m_data.facts(i)))
                out << m_data.idAt(i);
        }
        return out;
    }

    static bool live(int, const PolyaiSandboxData::Facts &f) { return f.environment == "live"_L1; }

    // A raw request through the real HttpClient, for the emulation's own rules.
    HttpResponse raw(const QString &path, const QList<QPair<QString, QString>> &query,
                     const QByteArray &key = kKey)
    {
        Endpoint e;
        e.authHeader = "x-api-key";
        e.secret = key;
        return rawGet(e, path, query);
    }

private slots:
    void registryKnowsPolyai()
    {
        verifyRegistered(u"PolyAI"_s, QUrl(u"https://api.us-1.platform.polyai.app"_s),
                         {u"api_version"_s, u"region"_s, u"account_id"_s, u"project_id"_s});
        const PlatformInfo info = ProviderRegistry::platform(u"polyai"_s);
        QVERIFY(info.fields.at(0).hint.contains(u"2026-08-31"_s));
        // Automatic by default (Test Connection finds the version), v3 until then.
        QVERIFY(info.fields.at(0).automatic);
        QVERIFY(info.fields.at(0).defaultValue.isEmpty());
        QCOMPARE(info.fields.at(0).fallback, u"v3"_s);
        QCOMPARE(info.fields.at(1).choices, (QStringList{u"us-1"_s, u"uk-1"_s, u"euw-1"_s}));

        Workspace ws = workspace(u"v3"_s);
        QVERIFY(ProviderRegistry::validate(ws).isEmpty());
        ws.params.insert(u"project_id"_s, u"a/b"_s);
        ws.params.insert(u"api_version"_s, u"v2"_s);
        const auto problems = ProviderRegistry::validate(ws);
        QVERIFY(problems.contains(u"project_id"_s));
        QVERIFY(problems.contains(u"api_version"_s));
        auto p = m_fx.provider(workspace(u"v1"_s), kKey);
        QVERIFY(p);
        QCOMPARE(p->platform(), u"polyai"_s);
        QCOMPARE(p->capabilities().paging, PageCursor::Style::Offset);
    }

    void baseUrlFollowsTheRegion()
    {
        Workspace ws = workspace(u"v3"_s);
        ws.baseUrl = QUrl();
        QCOMPARE(PolyaiProvider::apiRoot(ws), QUrl(u"https://api.uk-1.platform.polyai.app"_s));
        // The dialog's pre-filled default host does not pin the region.
        ws.baseUrl = QUrl(u"https://api.us-1.platform.polyai.app/"_s);
        QCOMPARE(PolyaiProvider::apiRoot(ws), QUrl(u"https://api.uk-1.platform.polyai.app"_s));
        ws.params.insert(u"region"_s, u"euw-1"_s);
        QCOMPARE(PolyaiProvider::apiRoot(ws), QUrl(u"https://api.euw-1.platform.polyai.app"_s));
        // Any other host (a proxy, the sandbox) is used as it is.
        ws.baseUrl = QUrl(u"https://proxy.example.com/polyai/"_s);
        QCOMPARE(PolyaiProvider::apiRoot(ws), QUrl(u"https://proxy.example.com/polyai"_s));
        ws.baseUrl = m_fx.sandbox().baseUrl(u"polyai"_s);
        QCOMPARE(PolyaiProvider::apiRoot(ws), m_fx.sandbox().baseUrl(u"polyai"_s));
    }

    void capabilitiesPerVersion()
    {
        const Capabilities v1 = provider(u"v1"_s)->capabilities();
        QCOMPARE(v1.paging, PageCursor::Style::Offset);
        QCOMPARE(v1.maxPageSize, 5000);
        QVERIFY(v1.can(Capabilities::List) && v1.can(Capabilities::Transcript));
        QVERIFY(!v1.can(Capabilities::Send));
        QVERIFY(v1.listNote.contains(u"oldest first"_s));
        const Capabilities v3 = provider(u"v3"_s)->capabilities();
        QCOMPARE(v3.paging, PageCursor::Style::Cursor);
        QCOMPARE(v3.maxPageSize, 1000);
        QVERIFY(v3.filters.size() > v1.filters.size());
    }

    void walkEveryPage_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<int>("pageSize");
        for (int size : {1, 7, 50, 160, 1000})
            QTest::addRow("v1 by %d", size) << u"v1"_s << size;
        // The default version at every page size: conformance_polyai.
        QTest::newRow("v3 by 50") << u"v3"_s << 50;
    }

    void walkEveryPage()
    {
        QFETCH(QString, version);
        QFETCH(int, pageSize);
        const Walk w = walk(*provider(version), pageSize);
        QVERIFY2(w.ok(), qPrintable(w.error.message()));
        // Only the live environment's conversations unless another is asked for, each
        // exactly once, oldest first.
        const QStringList want = expected(&TestPolyaiProvider::live);
        QVERIFY(want.size() > 100 && want.size() < kCount);
        QCOMPARE(w.ids(), want);
        const QStringList ids = w.ids();
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
        QVERIFY(w.largestPage <= pageSize);
        QCOMPARE(w.pages, (int(want.size()) + pageSize - 1) / pageSize);
        for (int i = 1; i < w.rows.size(); ++i)
            QVERIFY(w.rows.at(i).createdAt > w.rows.at(i - 1).createdAt);
    }

    void environmentsPartitionEverything()
    {
        for (const QString &version : {u"v1"_s, u"v3"_s}) {
            auto p = provider(version);
            QSet<QString> all;
            int total = 0;
            for (const QString &env : {u"sandbox"_s, u"pre-release"_s, u"live"_s}) {
                ListQuery q;
                q.pageSize = 40;
                q.filters.insert(u"client_env"_s, env);
                const Walk w = walk(*p, q);
                QVERIFY2(w.ok(), qPrintable(w.error.message()));
                QCOMPARE(w.ids(), expected([&](int, const PolyaiSandboxData::Facts &f) {
                             return f.environment == env;
                         }));
                total += int(w.ids().size());
                const QStringList ids = w.ids();
                all.unite(QSet<QString>(ids.begin(), ids.end()));
            }
            QCOMPARE(total, kCount);
            QCOMPARE(all.size(), kCount);
        }
    }

    void filtersReachTheServer()
    {
        const auto &variants = PolyaiSandboxData::variants();
        const QDateTime from = m_data.facts(60).started;
        const QDateTime to = m_data.facts(140).started;
        struct Case
        {
            QString version;
            QMap<QString, QString> filters;
            Predicate keep;
        };
        const QList<Case> cases = {
            {u"v1"_s,
             {{u"variant_name"_s, variants.at(1).name}},
             [](int i, const auto &f) { return live(i, f) && f.variant == 1; }},
            {u"v3"_s,
             {{u"variant_id"_s, variants.at(2).id}, {u"client_env"_s, u"sandbox"_s}},
             [](int, const auto &f) { return f.environment == "sandbox"_L1 && f.variant == 2; }},
            {u"v1"_s,
             {{u"in_progress"_s, u"true"_s}},
             [](int i, const auto &f) { return live(i, f) && f.inProgress; }},
            {u"v3"_s,
             {{u"in_progress"_s, u"no"_s}},
             [](int i, const auto &f) { return live(i, f) && !f.inProgress; }},
            {u"v1"_s,
             {{u"start_time"_s, JsonFields::toIsoUtc(from)},
              {u"end_time"_s, JsonFields::toIsoUtc(to)}},
             [](int i, const auto &f) { return live(i, f) && i >= 60 && i <= 140; }},
            {u"v3"_s,
             {{u"channel"_s, u"chat"_s}},
             [](int i, const auto &f) { return live(i, f) && !f.voice; }},
            {u"v3"_s,
             {{u"sample"_s, u"random"_s}},
             [](int i, const auto &f) { return live(i, f) && f.sampled; }},
            {u"v3"_s,
             {{u"query_type"_s, u"transcript"_s},
              {u"query"_s, u"PAYMENT"_s},
              {u"turn_type"_s, u"user"_s}},
             [this](int i, const auto &f) {
                 return live(i, f) && m_data.transcriptContains(i, u"payment"_s, u"user"_s);
             }},
        };
        for (const Case &c : cases) {
            auto p = provider(c.version);
            ListQuery q;
            q.pageSize = 9;
            q.filters = c.filters;
            const Walk w = walk(*p, q);
            const QString label = c.version + u' ' + c.filters.keys().join(u',');
            QVERIFY2(w.ok(), qPrintable(label + u": "_s + w.error.message()));
            const QStringList want = expected(c.keep);
            QVERIFY2(!want.isEmpty(), qPrintable(label));
            QVERIFY2(want.size() < expected(&TestPolyaiProvider::live).size(), qPrintable(label));
            QVERIFY2(w.ids() == want, qPrintable(label));
        }
    }

    void variantIdWithNameIsRefusedBeforeSending()
    {
        for (const QString &version : {u"v1"_s, u"v3"_s}) {
            auto p = provider(version);
            ListQuery q;
            q.filters.insert(u"variant_id"_s, u"VARIANT-default"_s);
            q.filters.insert(u"variant_name"_s, u"Default"_s);
            const int before = requests();
            int answers = 0;
            const auto r =
                listPage(*p, q, PageCursor::first(p->capabilities().paging), this, &answers);
            QVERIFY(r);
            QCOMPARE(answers, 1);
            QVERIFY(!r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
            QVERIFY(r->error().detail.contains(u"Variant ID"_s));
            QVERIFY(r->error().detail.contains(u"Variant name"_s));
            QCOMPARE(requests(), before); // nothing went out
        }
        // The emulation refuses the pair too, with each version's error body.
        HttpResponse r = raw(u"/v1/acme/p/conversations"_s,
                             {{u"variant_id"_s, u"x"_s}, {u"variant_name"_s, u"y"_s}});
        QCOMPARE(r.status, 400);
        QVERIFY(QJsonDocument::fromJson(r.body).object().contains(u"error_message"_s));
        r = raw(u"/v3/acme/p/conversations"_s,
                {{u"variant_id"_s, u"x"_s}, {u"variant_name"_s, u"y"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(u"success"_s), QJsonValue(false));
    }

    void v3TranscriptFromItsEndpoint()
    {
        auto p = provider(u"v3"_s);
        const int index = 17;
        const int before = requests();
        const auto r = open(*p, m_data.idAt(index));
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error().message()));
        QCOMPARE(requests(), before + 1);
        const ConversationDetail &d = r->value();
        QCOMPARE(d.summary.id, m_data.idAt(index));
        QVERIFY(d.summary.title.startsWith(u"Caller"_s)); // the detail's shortSummary
        QCOMPARE(d.summary.createdAt, m_data.facts(index).started);
        QVERIFY(!d.turns.isEmpty());
        QCOMPARE(d.turns.first().role, Turn::Role::Assistant);
        bool user = false;
        for (const Turn &t : d.turns) {
            user = user || t.role == Turn::Role::User;
            QVERIFY(t.timestamp.isValid());
            QVERIFY(!t.fragments.isEmpty());
        }
        QVERIFY(user);
        bool hasLanguage = false;
        for (const Property &prop : d.properties)
            hasLanguage = hasLanguage || prop.label == "Language"_L1;
        QVERIFY(hasLanguage);

        // Listed and finished: answered from the list, no request. Running: asked again.
        ListQuery q;
        q.pageSize = 1000;
        QVERIFY(page(*p, q, PageCursor::first(PageCursor::Style::Cursor))->ok());
        const QStringList done =
            expected([](int i, const auto &f) { return live(i, f) && !f.inProgress && i != 17; });
        const QStringList runningIds =
            expected([](int i, const auto &f) { return live(i, f) && f.inProgress; });
        QVERIFY(!done.isEmpty() && !runningIds.isEmpty());
        const int finished = m_data.indexOf(done.first());
        const int running = m_data.indexOf(runningIds.first());
        int count = requests();
        QVERIFY(open(*p, m_data.idAt(finished))->ok());
        QCOMPARE(requests(), count);
        QVERIFY(open(*p, m_data.idAt(running))->ok());
        QCOMPARE(requests(), count + 1);
    }

    void v1TranscriptFromTheLoadedList()
    {
        auto p = provider(u"v1"_s);
        const QString id = expected(&TestPolyaiProvider::live).at(3);
        // Not loaded yet: v1 has nothing to ask, and says so.
        int count = requests();
        auto r = open(*p, id);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::NotFound);
        QCOMPARE(r->error().code, u"not_loaded"_s);
        QVERIFY(r->error().detail.contains(u"v1"_s));
        QVERIFY(r->error().detail.contains(u"Reload"_s));
        QCOMPARE(requests(), count);

        ListQuery q;
        q.pageSize = 10;
        const auto first = page(*p, q, PageCursor::first(PageCursor::Style::Offset));
        QVERIFY(first && first->ok());
        QCOMPARE(p->cachedCount(), 10);
        count = requests();
        r = open(*p, id);
        QVERIFY2(r->ok(), qPrintable(r->error().message()));
        QCOMPARE(requests(), count); // from the list, no request
        QCOMPARE(r->value().summary.id, id);
        const auto viaMapping = polyai::parseConversation(
            QJsonDocument(m_data.listItem(m_data.indexOf(id), PolyaiSandboxData::Shape::V1,
                                          u"acme"_s, u"PROJECT-support"_s, false, true))
                .toJson());
        QVERIFY(viaMapping.ok());
        QCOMPARE(r->value().turns.size(), viaMapping.value().turns.size());
        for (int i = 0; i < r->value().turns.size(); ++i)
            QCOMPARE(r->value().turns.at(i).plainText(),
                     viaMapping.value().turns.at(i).plainText());
    }

    void listCacheIsBounded()
    {
        SandboxOptions options;
        options.seed = m_seed;
        options.conversations = 1200;
        Sandbox big(options);
        QVERIFY(big.start());
        Workspace ws = workspace(u"v1"_s);
        ws.baseUrl = big.baseUrl(u"polyai"_s);
        PolyaiProvider p(ws, kKey, &m_fx.http());
        ListQuery q;
        q.pageSize = 5000;
        const auto r = page(p, q, PageCursor::first(PageCursor::Style::Offset));
        QVERIFY(r && r->ok());
        const QList<Conversation> &rows = r->value().items;
        QVERIFY(rows.size() > PolyaiProvider::kCacheSize);
        QVERIFY(r->value().next.atEnd);
        QCOMPARE(p.cachedCount(), PolyaiProvider::kCacheSize);
        QVERIFY(open(p, rows.last().id)->ok());
        const auto evicted = open(p, rows.first().id);
        QVERIFY(!evicted->ok());
        QCOMPARE(evicted->error().kind, ApiError::Kind::NotFound);
    }

    void unknownConversation()
    {
        auto p = provider(u"v3"_s);
        const auto r = open(*p, u"CA00000000000000000000000000000000"_s);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::NotFound);
        QCOMPARE(r->error().httpStatus, 404);
        QCOMPARE(r->error().code, u"CONVERSATIONS_NOT_FOUND"_s);
        QVERIFY(r->error().detail.contains(u"does not exist"_s));

        const int count = requests();
        const auto bad = open(*p, u"../../v1/x"_s);
        QVERIFY(bad && !bad->ok());
        QCOMPARE(bad->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(requests(), count);
    }

    // The connection test, right and wrong: conformance_polyai (wrongKeyIsAuth,
    // testConnectionSucceeds).
    void wrongKey()
    {
        for (const QString &version : {u"v1"_s, u"v3"_s}) {
            auto p = provider(version, "not-the-key");
            ListQuery q;
            const auto r = page(*p, q, PageCursor::first(p->capabilities().paging));
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Auth);
            QCOMPARE(r->error().httpStatus, 401);
            QVERIFY2(r->error().detail.contains(u"Invalid API key"_s),
                     qPrintable(r->error().detail));
        }
        auto none = provider(u"v3"_s, QByteArray());
        const auto missing = page(*none, ListQuery{}, PageCursor::first(PageCursor::Style::Cursor));
        QCOMPARE(missing->error().kind, ApiError::Kind::Auth);
        QVERIFY(missing->error().detail.contains(u"Missing"_s));
    }

    void workspaceWithoutIds()
    {
        Workspace ws = workspace(u"v3"_s);
        ws.params.remove(u"account_id"_s);
        PolyaiProvider p(ws, kKey, &m_fx.http());
        const int count = requests();
        const auto r = page(p, ListQuery{}, PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Config);
        QCOMPARE(requests(), count);
    }

    void emulationRulesOnTheWire()
    {
        // Page size limits per version.
        QCOMPARE(raw(u"/v1/a/p/conversations"_s, {{u"limit"_s, u"0"_s}}).status, 400);
        QCOMPARE(raw(u"/v1/a/p/conversations"_s, {{u"limit"_s, u"5001"_s}}).status, 400);
        QCOMPARE(raw(u"/v1/a/p/conversations"_s, {{u"limit"_s, u"5000"_s}}).status, 200);
        QCOMPARE(raw(u"/v3/a/p/conversations"_s, {{u"limit"_s, u"1001"_s}}).status, 400);
        QCOMPARE(raw(u"/v3/a/p/conversations"_s, {{u"limit"_s, u"ten"_s}}).status, 400);
        // v1's default page is 5 conversations, v3's 1000.
        HttpResponse r = raw(u"/v1/a/p/conversations"_s, {});
        QCOMPARE(
            QJsonDocument::fromJson(r.body).object().value(u"conversations"_s).toArray().size(), 5);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(u"next_offset"_s).toInt(), 5);
        // Cursors: opaque, stable, malformed ones refused, not combined with offset.
        r = raw(u"/v3/a/p/conversations"_s, {{u"limit"_s, u"4"_s}});
        const QString cursor =
            QJsonDocument::fromJson(r.body).object().value(u"cursor"_s).toString();
        QVERIFY(!cursor.isEmpty());
        const HttpResponse again1 =
            raw(u"/v3/a/p/conversations"_s, {{u"limit"_s, u"4"_s}, {u"cursor"_s, cursor}});
        const HttpResponse again2 =
            raw(u"/v3/a/p/conversations"_s, {{u"limit"_s, u"4"_s}, {u"cursor"_s, cursor}});
        QCOMPARE(again1.status, 200);
        QCOMPARE(again1.body, again2.body);
        QCOMPARE(raw(u"/v3/a/p/conversations"_s, {{u"cursor"_s, u"garbage!"_s}}).status, 400);
        QCOMPARE(
            raw(u"/v3/a/p/conversations"_s, {{u"cursor"_s, cursor}, {u"offset"_s, u"4"_s}}).status,
            400);
        // Bodies echo the path's ids; other checks.
        r = raw(u"/v3/ws-other/PROJECT-x/conversations"_s, {{u"limit"_s, u"1"_s}});
        const QJsonObject first = QJsonDocument::fromJson(r.body)
                                      .object()
                                      .value(u"conversations"_s)
                                      .toArray()
                                      .first()
                                      .toObject();
        QCOMPARE(first.value(u"account_id"_s).toString(), u"ws-other"_s);
        QCOMPARE(first.value(u"project_id"_s).toString(), u"PROJECT-x"_s);
        QCOMPARE(raw(u"/v1/a/p/conversations"_s, {{u"client_env"_s, u"prod"_s}}).status, 400);
        QCOMPARE(raw(u"/v3/a/p/conversations"_s, {{u"query_type"_s, u"semantic"_s}}).status, 400);
        QCOMPARE(raw(u"/v3/a/p/conversations"_s, {{u"sample"_s, u"random"_s},
                                                  {u"query_type"_s, u"semantic"_s},
                                                  {u"query"_s, u"x"_s}})
                     .status,
                 400);
        // include_context_state (v1) adds the state dictionary.
        r = raw(u"/v1/a/p/conversations"_s, {{u"include_context_state"_s, u"true"_s}});
        QVERIFY(QJsonDocument::fromJson(r.body)
                    .object()
                    .value(u"conversations"_s)
                    .toArray()
                    .first()
                    .toObject()
                    .contains(u"context_state"_s));
        // v1 has no single-conversation endpoint.
        QCOMPARE(raw(u"/v1/a/p/conversations/"_s + m_data.idAt(0), {}).status, 404);
        // The key travels in x-api-key; a wrong one gets the v1 error body.
        r = raw(u"/v1/a/p/conversations"_s, {}, "wrong");
        QCOMPARE(r.status, 401);
        QVERIFY(QJsonDocument::fromJson(r.body).object().contains(u"error_message"_s));
    }
};

QTEST_GUILESS_MAIN(TestPolyaiProvider)
#include "tst_polyai_provider.moc"
