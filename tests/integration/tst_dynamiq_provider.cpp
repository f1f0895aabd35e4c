// DynamiqProvider's quirks against the in-process sandbox over real HTTP on 127.0.0.1: the
// list's order and rows, exactly which rows each filter and sort gives, suggestions, details
// without a transcript, Dynamiq's error texts, and the registry's validation of Dynamiq
// workspaces. What every platform must do (paging, auth kinds, faults, writes) is checked by
// conformance_dynamiq.
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/dynamiq/DynamiqProvider.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"
#include "support/SandboxTestCase.h"

#include <QHash>
#include <QSet>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

using Params = QMap<QString, QString>;

} // namespace

class TestDynamiqProvider : public PlatformTestCase<DynamiqSandboxData>
{
    Q_OBJECT

public:
    TestDynamiqProvider()
        : PlatformTestCase(u"dynamiq"_s, 17)
    {}

private:
    // The demo workspace without its params (no app host).
    Workspace workspace() const
    {
        Workspace ws = m_fx.workspace(u"dynamiq"_s);
        ws.params.clear();
        return ws;
    }

    std::unique_ptr<Provider> provider(const QByteArray &key = kKey,
                                       const QMap<QString, QString> &params = {}) const
    {
        Workspace ws = workspace();
        ws.params = params;
        return m_fx.provider(ws, key);
    }

    // Every page of a list, or an empty list and a failure.
    QList<Conversation> rowsOf(Provider &p, const ListQuery &q, qint64 *total = nullptr)
    {
        const Walk w = walk(p, q, kCount + 1);
        if (!w.ok()) {
            QTest::qFail(qPrintable(w.error.message()), __FILE__, __LINE__);
            return {};
        }
        if (total)
            *total = w.total;
        return w.rows;
    }

    static QStringList idsOf(const QList<Conversation> &rows)
    {
        QStringList ids;
        for (const Conversation &c : rows)
            ids << c.id;
        return ids;
    }

private slots:
    void registryKnowsDynamiq()
    {
        QVERIFY(m_fx.sandbox().prefixes().contains(u"dynamiq-app"_s));
        verifyRegistered(u"Dynamiq"_s, QUrl(u"https://api.getdynamiq.ai"_s),
                         {u"credential_type"_s, u"app_host"_s});
        const PlatformInfo info = ProviderRegistry::platform(u"dynamiq"_s);
        QVERIFY(info.keyHint.contains(u"dynamiq_acc_"_s));
        QVERIFY(info.keyHint.contains(u"dyn_pat_"_s));
        QCOMPARE(info.fields.at(0).choices, (QStringList{u"access_key"_s, u"personal_token"_s}));
        QVERIFY(!info.fields.at(0).required);
        QVERIFY(!info.fields.at(1).required);

        const auto p = provider();
        QVERIFY(p);
        // Opening one gives its details but no messages; how the write side (create, send,
        // cancel, connectors) works: tst_dynamiq_write.
        verifyCapabilities(p.get(),
                           Capabilities::List | Capabilities::Details | Capabilities::Create |
                               Capabilities::Send | Capabilities::Cancel | Capabilities::Connectors,
                           PageCursor::Style::PageNumber, 100);
        const Capabilities caps = p->capabilities();
        QStringList keys;
        for (const FilterSpec &f : caps.filters)
            keys << f.key;
        QCOMPARE(keys, (QStringList{u"app_id"_s, u"model_id"_s, u"org_id"_s}));
        QCOMPARE(caps.sortFields,
                 (QStringList{u"created_at"_s, u"updated_at"_s, u"title"_s, u"started_at"_s}));
        QVERIFY(caps.listNote.contains(u"messages"_s));
    }

    void firstPage()
    {
        ConversationPage pg;
        QVERIFY(firstPageChecked(*provider(), 25, &pg));
        QCOMPARE(pg.next.page, 2);

        const Conversation &newest = pg.items.first();
        QCOMPARE(newest.id, m_data.idAt(kCount - 1));
        QCOMPARE(newest.title, m_data.title(kCount - 1));
        QCOMPARE(newest.owner, m_data.userId());
        QVERIFY(!newest.kind.isEmpty());
        QVERIFY(newest.createdAt.isValid());
        QVERIFY(newest.createdAt <= newest.updatedAt);
        for (qsizetype i = 1; i < pg.items.size(); ++i)
            QVERIFY(pg.items.at(i).createdAt < pg.items.at(i - 1).createdAt);
    }

    // The apps and models the listed rows name are offered when creating one: the sandbox's
    // own, by their names, the newest row's first; a failed page adds nothing.
    void listedAppsAndModelsAreSuggested()
    {
        const auto p = provider();
        QVERIFY(p->suggestions(u"app_id"_s).isEmpty());
        ListQuery q;
        q.pageSize = 25;
        const auto r = page(*p, q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(r && r->ok());

        QHash<QString, QString> apps, models;
        for (const DynamiqSandboxData::App &a : m_data.apps())
            apps.insert(a.id, a.name);
        for (const DynamiqSandboxData::Model &m : m_data.models())
            models.insert(m.id, m.name);
        const QList<FieldSuggestion> appSeen = p->suggestions(u"app_id"_s);
        const QList<FieldSuggestion> modelSeen = p->suggestions(u"model_id"_s);
        QVERIFY(!appSeen.isEmpty());
        QVERIFY(!modelSeen.isEmpty());
        for (const FieldSuggestion &s : appSeen)
            QCOMPARE(s.label, apps.value(s.value, u"(not a sandbox app)"_s));
        for (const FieldSuggestion &s : modelSeen)
            QCOMPARE(s.label, models.value(s.value, u"(not a sandbox model)"_s));
        // The newest row's binding comes first.
        const Conversation &newest = r->value().items.first();
        const FieldSuggestion &first =
            apps.values().contains(newest.kind) ? appSeen.first() : modelSeen.first();
        QCOMPARE(first.label, newest.kind);

        const auto p2 = provider("wrong-key");
        const auto refused = page(*p2, q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(refused && !refused->ok());
        QVERIFY(p2->suggestions(u"app_id"_s).isEmpty());
    }

    // Paging at every page size, the cap, the total and the end cursor: conformance_dynamiq.
    void everyConversationNewestFirst()
    {
        QStringList newestFirst;
        for (int index = kCount - 1; index >= 0; --index)
            newestFirst << m_data.idAt(index);
        verifyWalk(*provider(), 7, newestFirst);
    }

    void filtersNarrowTheList_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("which");
        QTest::newRow("app 0") << u"app_id"_s << 0;
        QTest::newRow("app 3") << u"app_id"_s << 3;
        QTest::newRow("model 1") << u"model_id"_s << 1;
        QTest::newRow("org 1") << u"org_id"_s << 1;
    }

    void filtersNarrowTheList()
    {
        QFETCH(QString, key);
        QFETCH(int, which);
        QString value;
        QStringList expected;
        for (int index = kCount - 1; index >= 0; --index) {
            const DynamiqSandboxData::Facts f = m_data.facts(index);
            const bool match = key == "app_id"_L1     ? f.app == which
                               : key == "model_id"_L1 ? f.model == which
                                                      : f.org == which;
            if (match)
                expected << m_data.idAt(index);
        }
        value = key == "app_id"_L1     ? m_data.apps().at(which).id
                : key == "model_id"_L1 ? m_data.models().at(which).id
                                       : m_data.orgIds().at(which);
        QVERIFY(expected.size() > 3 && expected.size() < kCount);

        const auto p = provider();
        ListQuery q;
        q.pageSize = 7;
        q.filters.insert(key, value.toUpper()); // any case: sent lower-case
        qint64 total = -2;
        const QList<Conversation> rows = rowsOf(*p, q, &total);
        QCOMPARE(total, expected.size());
        QCOMPARE(idsOf(rows), expected);
        if (key == "app_id"_L1) {
            for (const Conversation &c : rows)
                QCOMPARE(c.kind, m_data.apps().at(which).name);
        }
    }

    void filtersCombine()
    {
        const auto p = provider();
        ListQuery q;
        q.pageSize = 50;
        q.filters.insert(u"app_id"_s, m_data.apps().at(1).id);
        q.filters.insert(u"org_id"_s, m_data.orgIds().at(0));
        QStringList expected;
        for (int index = kCount - 1; index >= 0; --index) {
            const DynamiqSandboxData::Facts f = m_data.facts(index);
            if (f.app == 1 && f.org == 0)
                expected << m_data.idAt(index);
        }
        QCOMPARE(idsOf(rowsOf(*p, q)), expected);

        // An app and a model: a conversation is bound to one of them only.
        q.filters.insert(u"model_id"_s, m_data.models().at(0).id);
        const auto r = page(*p, q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(r && r->ok());
        QVERIFY(r->value().items.isEmpty());
        QCOMPARE(r->value().total, 0);
        QVERIFY(r->value().next.atEnd);

        // A UUID that names nothing: an empty list, not an error.
        ListQuery none;
        none.filters.insert(u"app_id"_s, u"00000000-0000-4000-8000-000000000000"_s);
        const auto n = page(*p, none, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(n && n->ok());
        QCOMPARE(n->value().total, 0);
    }

    void sortReachesTheServer()
    {
        const auto p = provider();
        ListQuery q;
        q.pageSize = 40;
        q.sort = u"title,-created_at"_s;
        const QList<Conversation> byTitle = rowsOf(*p, q);
        QCOMPARE(byTitle.size(), kCount);
        for (qsizetype i = 1; i < byTitle.size(); ++i) {
            const int c = byTitle.at(i - 1).title.compare(byTitle.at(i).title);
            QVERIFY2(c < 0 || (c == 0 && byTitle.at(i - 1).createdAt > byTitle.at(i).createdAt),
                     qPrintable(byTitle.at(i - 1).title + u" / "_s + byTitle.at(i).title));
        }
        const QStringList titleIds = idsOf(byTitle);
        QCOMPARE(QSet<QString>(titleIds.cbegin(), titleIds.cend()).size(), kCount);

        q.sort = u"-updated_at"_s;
        const QList<Conversation> byUpdate = rowsOf(*p, q);
        QCOMPARE(byUpdate.size(), kCount);
        for (qsizetype i = 1; i < byUpdate.size(); ++i)
            QVERIFY(byUpdate.at(i - 1).updatedAt >= byUpdate.at(i).updatedAt);
        QVERIFY(idsOf(byUpdate) != idsOf(rowsOf(*p, ListQuery{}))); // really another order

        q.sort = u"created_at"_s;
        const QList<Conversation> oldestFirst = rowsOf(*p, q);
        QCOMPARE(oldestFirst.first().id, m_data.idAt(0));
        QCOMPARE(oldestFirst.last().id, m_data.idAt(kCount - 1));

        // The reference's own example, started_at, sorts as created_at in the sandbox.
        q.sort = u"-started_at"_s;
        QCOMPARE(idsOf(rowsOf(*p, q)), idsOf(rowsOf(*p, ListQuery{})));
        q.sort = u"started_at,title"_s;
        QCOMPARE(idsOf(rowsOf(*p, q)), idsOf(oldestFirst));
    }

    void unknownSortFieldIsTheServersInvalid()
    {
        const auto p = provider();
        ListQuery q;
        q.sort = u"-name"_s; // a field name, but not a sort field
        const auto r = page(*p, q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(r->error().httpStatus, 400);
        QCOMPARE(r->error().code, u"bad_request"_s);
        QVERIFY2(r->error().detail.startsWith(u"Bad Request (sort: "_s),
                 qPrintable(r->error().detail));
        QVERIFY(r->error().detail.contains(u"name"_s));
    }

    void badFiltersAreRefusedBeforeSending()
    {
        const auto p = provider();
        const int before = requests();
        const QList<QPair<QString, QString>> cases{{u"app_id"_s, u"support-copilot"_s},
                                                   {u"org_id"_s, u"12"_s},
                                                   {u"user_id"_s, m_data.userId()}};
        for (const auto &[key, value] : cases) {
            ListQuery q;
            q.filters.insert(key, value);
            int answers = 0;
            const auto r = page(*p, q, PageCursor::first(PageCursor::Style::PageNumber), &answers);
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
            QCOMPARE(answers, 1);
        }
        QCOMPARE(requests(), before);
    }

    void pageBeyondTheEndIsEmpty()
    {
        const auto p = provider();
        PageCursor c = PageCursor::first(PageCursor::Style::PageNumber);
        c.page = 500;
        const auto r = page(*p, ListQuery{}, c);
        QVERIFY(r && r->ok());
        QVERIFY(r->value().items.isEmpty());
        QVERIFY(r->value().next.atEnd);
        QCOMPARE(r->value().total, kCount);
    }

    void detailsWithoutTranscript()
    {
        const auto p = provider();
        int appIndex = -1;
        int modelIndex = -1;
        for (int i = 0; i < kCount && (appIndex < 0 || modelIndex < 0); ++i) {
            if (m_data.facts(i).app >= 0 && appIndex < 0)
                appIndex = i;
            if (m_data.facts(i).model >= 0 && modelIndex < 0)
                modelIndex = i;
        }
        QVERIFY(appIndex >= 0 && modelIndex >= 0);

        auto value = [](const ConversationDetail &d, const QString &label) {
            for (const Property &prop : d.properties) {
                if (prop.label == label)
                    return prop.value;
            }
            return QString();
        };

        const auto a = open(*p, m_data.idAt(appIndex).toUpper()); // ids in any case
        QVERIFY(a);
        QVERIFY2(a->ok(), qPrintable(a->error().message()));
        const ConversationDetail &d = a->value();
        QCOMPARE(d.summary.id, m_data.idAt(appIndex));
        QCOMPARE(d.summary.title, m_data.title(appIndex));
        QVERIFY(!d.hasTranscript);
        QVERIFY(d.turns.isEmpty());
        QVERIFY(d.transcriptNote.contains(u"Dynamiq offers no endpoint"_s));
        const DynamiqSandboxData::App &app = m_data.apps().at(m_data.facts(appIndex).app);
        QCOMPARE(value(d, u"App"_s), app.name);
        QCOMPARE(value(d, u"App ID"_s), app.id);
        QCOMPARE(value(d, u"App description"_s), app.description);
        QCOMPARE(value(d, u"User ID"_s), m_data.userId());
        QCOMPARE(value(d, u"Organization ID"_s), m_data.orgIds().at(m_data.facts(appIndex).org));
        QCOMPARE(d.summary.createdAt.toSecsSinceEpoch(), m_data.facts(appIndex).created);
        QCOMPARE(d.summary.updatedAt.toSecsSinceEpoch(), m_data.facts(appIndex).updated);

        const auto m = open(*p, m_data.idAt(modelIndex));
        QVERIFY(m && m->ok());
        const DynamiqSandboxData::Model &model = m_data.models().at(m_data.facts(modelIndex).model);
        QCOMPARE(m->value().summary.kind, model.name);
        QCOMPARE(value(m->value(), u"Model ID"_s), model.id);
        QCOMPARE(value(m->value(), u"Model provider"_s), model.provider);
        QVERIFY(value(m->value(), u"App"_s).isEmpty());
    }

    void wrongKeyIsAuthWithDynamiqsMessage_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("credentialType");
        QTest::addColumn<QString>("hint");
        QTest::newRow("access key")
            << QByteArray("dynamiq_acc_wrong") << u"access_key"_s << u"has not expired"_s;
        QTest::newRow("token set as access key") << QByteArray("dyn_pat_wrong") << u"access_key"_s
                                                 << u"looks like a personal access token"_s;
        QTest::newRow("access key set as token")
            << QByteArray("dynamiq_acc_wrong") << u"personal_token"_s
            << u"looks like an Access Key"_s;
        QTest::newRow("unknown prefix, token") << QByteArray("wrong") << u"personal_token"_s
                                               << u"personal access token (dyn_pat_…) has"_s;
    }

    // The kind for open and the connection test: conformance_dynamiq (wrongKeyIsAuth).
    void wrongKeyIsAuthWithDynamiqsMessage()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, credentialType);
        QFETCH(QString, hint);
        const auto p = provider(key, {{u"credential_type"_s, credentialType}});
        const auto r = page(*p, ListQuery{}, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Auth);
        QCOMPARE(r->error().httpStatus, 401);
        QCOMPARE(r->error().code, u"unauthorized"_s);
        QVERIFY2(r->error().detail.startsWith(u"Unauthorized; "_s), qPrintable(r->error().detail));
        QVERIFY2(r->error().detail.contains(hint), qPrintable(r->error().detail));
        QVERIFY(!r->error().message().contains(QString::fromLatin1(key)));
    }

    // The kind of an unknown id: conformance_dynamiq (unknownIdIsNotFound).
    void errorsCarryDynamiqsText_data()
    {
        addErrorColumns();
        addErrorRow("no key, no hint", {{}, {}, ApiError::Kind::Auth, 0, {}, u"Unauthorized"_s});
        addErrorRow("unknown id", {kKey, u"00000000-0000-4000-8000-000000000000"_s,
                                   ApiError::Kind::NotFound, 404, u"not_found"_s, u"Not Found"_s});
    }

    void errorsCarryDynamiqsText()
    {
        verifyErrorRow([this](const QByteArray &key) { return provider(key); });
    }

    void malformedIdIsRefusedBeforeSending()
    {
        const auto p = provider();
        verifyOpenRefusedBeforeSending(*p, {QString(), u"../v1/conversations"_s, u"conv_123"_s,
                                            u"00000000-0000-4000-8000-000000000000/x"_s});
    }

    void baseUrlWithTrailingSlash()
    {
        Workspace ws = workspace();
        ws.baseUrl.setPath(ws.baseUrl.path() + u"/"_s);
        const auto p = m_fx.provider(ws);
        ListQuery q;
        q.pageSize = 3;
        const auto r = page(*p, q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().items.size(), 3);
    }

    void appBaseUrl()
    {
        Workspace ws = workspace();
        QVERIFY(DynamiqProvider::appBaseUrl(ws).isEmpty());
        ws.params.insert(u"app_host"_s, u"support.apps.example.com"_s);
        QCOMPARE(DynamiqProvider::appBaseUrl(ws), QUrl(u"https://support.apps.example.com"_s));
        ws.params.insert(u"app_host"_s, m_fx.sandbox().baseUrl(u"dynamiq-app"_s).toString() + u'/');
        QCOMPARE(DynamiqProvider::appBaseUrl(ws), m_fx.sandbox().baseUrl(u"dynamiq-app"_s));
    }

    void validate_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<Params>("params");
        QTest::addColumn<QStringList>("problems");
        using P = Params;
        QTest::newRow("defaults") << QString() << P{} << QStringList();
        QTest::newRow("self-hosted")
            << u"https://dynamiq.internal.example.org/api"_s << P{} << QStringList();
        QTest::newRow("token") << QString() << P{{u"credential_type"_s, u"personal_token"_s}}
                               << QStringList();
        QTest::newRow("app host") << QString() << P{{u"app_host"_s, u"support.apps.example.com"_s}}
                                  << QStringList();
        QTest::newRow("app host as url")
            << QString() << P{{u"app_host"_s, u"https://support.example.com:8443/app"_s}}
            << QStringList();
        QTest::newRow("unknown credential type")
            << QString() << P{{u"credential_type"_s, u"password"_s}}
            << QStringList{u"credential_type"_s};
        QTest::newRow("app host with spaces")
            << QString() << P{{u"app_host"_s, u"my app"_s}} << QStringList{u"app_host"_s};
        QTest::newRow("app host with a query")
            << QString() << P{{u"app_host"_s, u"a.example.com/?x=1"_s}}
            << QStringList{u"app_host"_s};
        QTest::newRow("plain http remote")
            << u"http://api.getdynamiq.ai"_s << P{} << QStringList{u"base_url"_s};
    }

    void validate()
    {
        QFETCH(QString, baseUrl);
        QFETCH(Params, params);
        QFETCH(QStringList, problems);
        QCOMPARE(validation(baseUrl, params).keys(), problems);
    }
};

QTEST_GUILESS_MAIN(TestDynamiqProvider)
#include "tst_dynamiq_provider.moc"
