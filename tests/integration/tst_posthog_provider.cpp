// PosthogProvider's quirks against the in-process sandbox over real HTTP on 127.0.0.1: the
// list's order and rows, transcripts with every message type, PostHog's error bodies, ids,
// the project path, and the registry's validation of PostHog workspaces. What every
// platform must do (paging, auth kinds, faults, writes) is checked by conformance_posthog.
#include "core/FragmentContent.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/posthog/PosthogProvider.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/posthog/PosthogSandboxData.h"
#include "support/SandboxTestCase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kPersonalKey = "phx_sandbox_key";

} // namespace

class TestPosthogProvider : public PlatformTestCase<PosthogSandboxData>
{
    Q_OBJECT

public:
    TestPosthogProvider()
        : PlatformTestCase(u"posthog"_s, 11, kPersonalKey)
    {}

private:
    Workspace workspace() const { return demoWorkspace({{u"project_id"_s, u"4711"_s}}); }

    std::unique_ptr<Provider> provider(const QByteArray &key = kPersonalKey) const
    {
        return m_fx.provider(workspace(), key);
    }

    // A conversation whose messages contain every type in `types`.
    int findConversationWith(const QStringList &types) const
    {
        for (int i = 0; i < m_data.count(); ++i) {
            QSet<QString> seen;
            for (const QJsonValue &m : m_data.detail(i).value(u"messages"_s).toArray())
                seen.insert(m.toObject().value(u"type"_s).toString());
            bool all = true;
            for (const QString &t : types)
                all = all && seen.contains(t);
            if (all)
                return i;
        }
        return -1;
    }

private slots:
    void registryKnowsPosthog()
    {
        // api_path: the prefix of older self-hosted instances.
        verifyRegistered(u"PostHog AI"_s, QUrl(u"https://us.posthog.com"_s),
                         {u"project_id"_s, u"api_path"_s});
        const PlatformInfo info = ProviderRegistry::platform(u"posthog"_s);
        QVERIFY(info.keyHint.contains(u"conversation:read"_s));
        QVERIFY(info.fields.at(0).required);
        QVERIFY(!info.fields.at(1).required);
        QVERIFY(ProviderRegistry::platform(u"nope"_s).id.isEmpty());

        const auto p = provider();
        QVERIFY(p);
        verifyCapabilities(p.get(),
                           Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                               Capabilities::Create | Capabilities::Send | Capabilities::Append |
                               Capabilities::Cancel | Capabilities::FollowUps,
                           PageCursor::Style::Offset, 100);
        const Capabilities caps = p->capabilities();
        QVERIFY(caps.filters.isEmpty());
        QVERIFY(caps.sortFields.isEmpty());
        QVERIFY(caps.listNote.contains(u"owner"_s));

        Workspace unknown = workspace();
        unknown.platform = u"nope"_s;
        QVERIFY(!m_fx.provider(unknown));
    }

    void environmentsPathListsTheSameConversations()
    {
        Workspace ws = workspace();
        ws.params.insert(u"api_path"_s, u"environments"_s);
        const auto p = m_fx.provider(ws);
        QVERIFY(p);
        const auto r = page(*p, 5, PageCursor::first(PageCursor::Style::Offset));
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error().message()));
        QVERIFY(r->value().next.token.contains(u"/api/environments/4711/conversations/"_s));
        QCOMPARE(r->value().items.first().id, m_data.idAt(m_data.indexAtPosition(0)));
    }

    void firstPage()
    {
        ConversationPage pg;
        QVERIFY(firstPageChecked(*provider(), 25, &pg));
        QCOMPARE(pg.next.offset, 25);
        QVERIFY(pg.next.token.contains(u"offset=25"_s));

        const Conversation &newest = pg.items.first();
        QCOMPARE(newest.id, m_data.idAt(m_data.indexAtPosition(0)));
        QVERIFY(!newest.title.isEmpty());
        QVERIFY(newest.updatedAt.isValid());
        QVERIFY(newest.createdAt.isValid());
        QVERIFY(newest.createdAt <= newest.updatedAt);
        QCOMPARE(newest.owner, m_data.owner().value(u"email"_s).toString());
        QVERIFY(!newest.kind.isEmpty());
        QVERIFY(!newest.status.isEmpty());
        for (qsizetype i = 1; i < pg.items.size(); ++i)
            QVERIFY(pg.items.at(i).updatedAt < pg.items.at(i - 1).updatedAt);
    }

    // Paging at every page size, the cap, the total and the end cursor: conformance_posthog.
    void everyConversationNewestFirst() { verifyWalk(*provider(), 50, idsInListOrder()); }

    void retrieveTranscript()
    {
        const int index = findConversationWith({u"human"_s, u"ai"_s, u"tool"_s, u"ai/viz"_s});
        QVERIFY(index >= 0);
        const QJsonArray messages = m_data.detail(index).value(u"messages"_s).toArray();

        const auto p = provider();
        ConversationDetail d;
        QVERIFY(openChecked(*p, m_data.idAt(index), &d));
        QCOMPARE(d.summary.title, m_data.summary(index).value(u"title"_s).toString());
        QVERIFY(d.hasTranscript);
        QCOMPARE(d.turns.size(), messages.size());
        QCOMPARE(d.summary.turnCount, int(messages.size()));
        QCOMPARE(d.turns.first().role, Turn::Role::User);
        QVERIFY(!d.turns.first().plainText().isEmpty());

        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages.at(i).toObject();
            const Turn &t = d.turns.at(i);
            const QString type = m.value(u"type"_s).toString();
            QCOMPARE(t.id, m.value(u"id"_s).toString());
            QCOMPARE(t.typeLabel, type);
            if (type == "human"_L1) {
                QCOMPARE(t.role, Turn::Role::User);
                QCOMPARE(t.plainText(), m.value(u"content"_s).toString());
            } else if (type == "tool"_L1) {
                QCOMPARE(t.role, Turn::Role::Tool);
                QCOMPARE(t.fragments.at(0).kind, Fragment::Kind::ToolResult);
                QCOMPARE(t.fragments.at(0).callId, m.value(u"tool_call_id"_s).toString());
                QVERIFY(!t.fragments.at(0).name.isEmpty());
                QVERIFY(!t.inReplyTo.isEmpty());
            } else if (type == "ai/viz"_L1) {
                QCOMPARE(t.role, Turn::Role::Assistant);
                QCOMPARE(t.fragments.at(0).kind, Fragment::Kind::Text);
                QCOMPARE(t.fragments.at(0).name, content::kQuestion);
                QCOMPARE(t.fragments.at(0).text, m.value(u"query"_s).toString());
                QCOMPARE(t.fragments.at(1).name, content::kPlan);
                QCOMPARE(t.fragments.at(1).text, m.value(u"plan"_s).toString());
                QCOMPARE(QJsonDocument::fromJson(t.raw).object(), m);
            } else if (type == "ai"_L1) {
                QCOMPARE(t.role, Turn::Role::Assistant);
                int calls = 0;
                for (const Fragment &f : t.fragments)
                    calls += f.kind == Fragment::Kind::ToolCall;
                QCOMPARE(calls, int(m.value(u"tool_calls"_s).toArray().size()));
            }
        }
        QVERIFY(!d.properties.isEmpty());
    }

    void retrieveFailureAndUnknownTypes()
    {
        const int failing = findConversationWith({u"ai/failure"_s});
        QVERIFY(failing >= 0);
        const auto p = provider();
        const auto r = open(*p, m_data.idAt(failing));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().turns.last().state, Turn::State::Error);
        QVERIFY(!r->value().turns.last().errorDetail.isEmpty());

        const int future = findConversationWith({u"ai/dashboard"_s});
        QVERIFY(future >= 0);
        const auto u = open(*p, m_data.idAt(future));
        QVERIFY(u && u->ok());
        bool kept = false;
        for (const Turn &t : u->value().turns)
            kept = kept || (t.role == Turn::Role::Unknown && t.typeLabel == "ai/dashboard"_L1);
        QVERIFY(kept);
    }

    // The kinds: conformance_posthog (wrongKeyIsAuth, unknownIdIsNotFound).
    void errorsCarryPosthogsText_data()
    {
        addErrorColumns();
        addErrorRow("wrong key",
                    {"phx_wrong",
                     {},
                     ApiError::Kind::Auth,
                     401,
                     u"authentication_failed"_s,
                     u"Personal API key found in request Authorization header is invalid."_s});
        addErrorRow("empty key", {{}, {}, ApiError::Kind::Auth, 0, u"not_authenticated"_s, {}});
        addErrorRow("unknown id", {kPersonalKey,
                                   u"00000000-0000-4000-8000-000000000000"_s,
                                   ApiError::Kind::NotFound,
                                   404,
                                   {},
                                   u"Not found."_s});
    }

    void errorsCarryPosthogsText()
    {
        verifyErrorRow([this](const QByteArray &key) { return provider(key); });
    }

    void malformedIdIsRefusedBeforeSending()
    {
        const auto p = provider();
        verifyOpenRefusedBeforeSending(*p, {u"../../projects"_s, QString(), u"a b"_s, u"x?y=1"_s});
    }

    void missingProjectIsConfig()
    {
        Workspace ws = workspace();
        ws.params.remove(u"project_id"_s);
        const auto p = m_fx.provider(ws);
        QVERIFY(p);
        verifyConfigErrorBeforeSending(*p, m_data.idAt(0));
    }

    void baseUrlWithTrailingSlash()
    {
        Workspace ws = workspace();
        ws.baseUrl.setPath(ws.baseUrl.path() + u'/');
        const auto p = m_fx.provider(ws);
        const auto r = page(*p, 5, PageCursor::first(PageCursor::Style::Offset));
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error().message()));
        QCOMPARE(r->value().items.size(), 5);
    }

    void validate_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("projectId");
        QTest::addColumn<QStringList>("problems"); // keys expected in validate()'s answer

        QTest::newRow("cloud") << u"https://eu.posthog.com"_s << u"12345"_s << QStringList();
        QTest::newRow("default base url") << QString() << u"1"_s << QStringList();
        QTest::newRow("self-hosted with prefix")
            << u"https://analytics.example.org/posthog"_s << u"2"_s << QStringList();
        QTest::newRow("loopback http")
            << u"http://127.0.0.1:8000/posthog"_s << u"3"_s << QStringList();
        QTest::newRow("localhost http") << u"http://localhost:8000"_s << u"3"_s << QStringList();
        QTest::newRow("ipv6 loopback http") << u"http://[::1]:8000"_s << u"3"_s << QStringList();
        QTest::newRow("project id with spaces")
            << u"https://us.posthog.com"_s << u" 42 "_s << QStringList();
        QTest::newRow("remote http")
            << u"http://us.posthog.com"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("no scheme") << u"us.posthog.com"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("ftp") << u"ftp://us.posthog.com"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("no host") << u"https://"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("credentials in url")
            << u"https://me:secret@us.posthog.com"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("query in url")
            << u"https://us.posthog.com/?x=1"_s << u"1"_s << QStringList{u"base_url"_s};
        QTest::newRow("missing project")
            << u"https://us.posthog.com"_s << QString() << QStringList{u"project_id"_s};
        QTest::newRow("project not digits")
            << u"https://us.posthog.com"_s << u"proj_12"_s << QStringList{u"project_id"_s};
        QTest::newRow("project digits then text")
            << u"https://us.posthog.com"_s << u"12abc"_s << QStringList{u"project_id"_s};
        QTest::newRow("both wrong")
            << u"http://example.com"_s << u"x"_s << QStringList{u"base_url"_s, u"project_id"_s};
    }

    void validate()
    {
        QFETCH(QString, baseUrl);
        QFETCH(QString, projectId);
        QFETCH(QStringList, problems);
        const QMap<QString, QString> found = validation(baseUrl, {{u"project_id"_s, projectId}});
        QCOMPARE(found.keys(), problems);
        for (const QString &message : found)
            QVERIFY2(message.size() > 10 && message.endsWith(u'.'), qPrintable(message));
    }

    void validateExplainsPlainHttp()
    {
        Workspace ws = workspace();
        ws.baseUrl = QUrl(u"http://posthog.internal"_s);
        const QString message = ProviderRegistry::validate(ws).value(u"base_url"_s);
        QVERIFY2(message.contains(u"https"_s) && message.contains(u"unencrypted"_s),
                 qPrintable(message));
    }

    void validateUnknownPlatform()
    {
        Workspace ws = workspace();
        ws.platform = u"nope"_s;
        QCOMPARE(ProviderRegistry::validate(ws).keys(), QStringList{u"platform"_s});
    }
};

QTEST_GUILESS_MAIN(TestPosthogProvider)
#include "tst_posthog_provider.moc"
