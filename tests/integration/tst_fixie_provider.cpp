// FixieProvider's quirks against the in-process sandbox over real HTTP on 127.0.0.1: the
// list's order and title, transcripts in all four turn states, plain-text errors, ids and
// agents, and the registry's validation of Fixie workspaces. What every platform must do
// (paging, auth kinds, faults, writes) is checked by conformance_fixie.
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/fixie/FixieProvider.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/fixie/FixieSandboxData.h"
#include "support/SandboxTestCase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

Turn::State stateOf(const QString &state)
{
    if (state == "in-progress"_L1)
        return Turn::State::InProgress;
    if (state == "stopped"_L1)
        return Turn::State::Stopped;
    if (state == "error"_L1)
        return Turn::State::Error;
    return Turn::State::Done;
}

} // namespace

class TestFixieProvider : public PlatformTestCase<FixieSandboxData>
{
    Q_OBJECT

public:
    TestFixieProvider()
        : PlatformTestCase(u"fixie"_s, 23)
    {}

private:
    Workspace workspace(const QString &agent = u"0d3f6a2e-8c1b-4e7a-9f55-2b6c1d0e4a77"_s) const
    {
        return demoWorkspace({{u"agent_id"_s, agent}});
    }

    std::unique_ptr<Provider> provider(const QByteArray &key = kKey) const
    {
        return m_fx.provider(workspace(), key);
    }

    int findEnding(FixieSandboxData::Ending ending) const
    {
        for (int i = 0; i < m_data.count(); ++i) {
            if (m_data.ending(i) == ending)
                return i;
        }
        return -1;
    }

private slots:
    void registryKnowsFixie()
    {
        verifyRegistered(u"Fixie"_s, QUrl(u"https://api.fixie.ai"_s), {u"agent_id"_s});
        QVERIFY(ProviderRegistry::platform(u"fixie"_s).fields.at(0).required);

        const auto p = provider();
        QVERIFY(p);
        verifyCapabilities(p.get(),
                           Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                               Capabilities::Create | Capabilities::Send | Capabilities::Cancel,
                           PageCursor::Style::Offset, 100);
        const Capabilities caps = p->capabilities();
        QVERIFY(caps.filters.isEmpty());
        QVERIFY(caps.sortFields.isEmpty());
        QVERIFY(caps.listNote.contains(u"title"_s));
    }

    void firstPage()
    {
        ConversationPage pg;
        QVERIFY(firstPageChecked(*provider(), 25, &pg));
        QCOMPARE(pg.next.offset, 25);

        const Conversation &newest = pg.items.first();
        const QJsonObject body = m_data.conversation(m_data.indexAtPosition(0));
        QCOMPARE(newest.id, body.value(u"id"_s).toString());
        const QJsonArray turns = body.value(u"turns"_s).toArray();
        QCOMPARE(newest.turnCount, int(turns.size()));
        const QString firstUserText = turns.first()
                                          .toObject()
                                          .value(u"messages"_s)
                                          .toArray()
                                          .first()
                                          .toObject()
                                          .value(u"content"_s)
                                          .toString();
        QCOMPARE(newest.title, firstUserText.left(80).simplified());
        QCOMPARE(newest.status, u"in-progress"_s); // the newest are still generating
        QVERIFY(newest.createdAt.isValid() && newest.createdAt <= newest.updatedAt);
        for (qsizetype i = 1; i < pg.items.size(); ++i)
            QVERIFY(pg.items.at(i).createdAt < pg.items.at(i - 1).createdAt);
    }

    // Paging at every page size, the cap, the total and the end cursor: conformance_fixie.
    void everyConversationNewestFirst() { verifyWalk(*provider(), 50, idsInListOrder()); }

    void offsetPastTheEnd()
    {
        const auto p = provider();
        PageCursor c = PageCursor::first(PageCursor::Style::Offset);
        c.offset = kCount + 50;
        const auto r = page(*p, 10, c);
        QVERIFY(r && r->ok());
        QVERIFY(r->value().items.isEmpty());
        QVERIFY(r->value().next.atEnd);
    }

    void filtersAreRefusedBeforeSending()
    {
        const auto p = provider();
        const int before = requests();
        ListQuery q;
        q.filters.insert(u"state"_s, u"error"_s);
        int answers = 0;
        const auto r =
            listPage(*p, q, PageCursor::first(PageCursor::Style::Offset), this, &answers);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(answers, 1);
        QCOMPARE(requests(), before);
    }

    void transcriptsInEveryState_data()
    {
        QTest::addColumn<int>("ending");
        QTest::newRow("done") << int(FixieSandboxData::Ending::Done);
        QTest::newRow("in-progress") << int(FixieSandboxData::Ending::InProgress);
        QTest::newRow("stopped") << int(FixieSandboxData::Ending::Stopped);
        QTest::newRow("error") << int(FixieSandboxData::Ending::Error);
    }

    void transcriptsInEveryState()
    {
        QFETCH(int, ending);
        const int index = findEnding(FixieSandboxData::Ending(ending));
        QVERIFY(index >= 0);
        const QJsonObject body = m_data.conversation(index);
        const QJsonArray turns = body.value(u"turns"_s).toArray();

        const auto p = provider();
        ConversationDetail d;
        QVERIFY(openChecked(*p, m_data.idAt(index), &d));
        QVERIFY(d.hasTranscript);
        QVERIFY(!d.summary.title.isEmpty());
        QCOMPARE(d.turns.size(), turns.size());
        for (qsizetype i = 0; i < turns.size(); ++i) {
            const QJsonObject t = turns.at(i).toObject();
            const Turn &turn = d.turns.at(i);
            QCOMPARE(turn.id, t.value(u"id"_s).toString());
            QCOMPARE(turn.role, t.value(u"role"_s).toString() == "user"_L1 ? Turn::Role::User
                                                                           : Turn::Role::Assistant);
            QCOMPARE(turn.state, stateOf(t.value(u"state"_s).toString()));
            QCOMPARE(turn.inReplyTo, t.value(u"inReplyToId"_s).toString());
            QCOMPARE(turn.errorDetail, t.value(u"errorDetail"_s).toString());
            QVERIFY(turn.timestamp.isValid());
            const QJsonArray messages = t.value(u"messages"_s).toArray();
            QCOMPARE(turn.fragments.size(), messages.size());
            for (qsizetype m = 0; m < messages.size(); ++m) {
                const QJsonObject fragment = messages.at(m).toObject();
                const Fragment &f = turn.fragments.at(m);
                const QString kind = fragment.value(u"kind"_s).toString();
                if (kind == "text"_L1) {
                    QCOMPARE(f.kind, Fragment::Kind::Text);
                    QCOMPARE(f.text, fragment.value(u"content"_s).toString());
                    QCOMPARE(f.inProgress, fragment.value(u"state"_s) == u"in-progress"_s);
                } else if (kind == "functionCall"_L1) {
                    QCOMPARE(f.kind, Fragment::Kind::ToolCall);
                    QCOMPARE(f.name, fragment.value(u"name"_s).toString());
                    QCOMPARE(QJsonDocument::fromJson(f.text.toUtf8()).object(),
                             fragment.value(u"args"_s).toObject());
                } else {
                    QCOMPARE(kind, u"functionResponse"_s);
                    QCOMPARE(f.kind, Fragment::Kind::ToolResult);
                    QCOMPARE(f.text, fragment.value(u"response"_s).toString());
                    QCOMPARE(f.failed, fragment.value(u"failed"_s).toBool());
                }
            }
        }
        const Turn &last = d.turns.last();
        switch (FixieSandboxData::Ending(ending)) {
        case FixieSandboxData::Ending::Done:
            QCOMPARE(last.state, Turn::State::Done);
            QCOMPARE(d.summary.status, u"done"_s);
            break;
        case FixieSandboxData::Ending::InProgress:
            QCOMPARE(last.state, Turn::State::InProgress);
            QVERIFY(last.fragments.last().inProgress);
            break;
        case FixieSandboxData::Ending::Stopped:
            QCOMPARE(last.state, Turn::State::Stopped);
            QVERIFY(last.fragments.last().inProgress); // cut off mid-text
            QCOMPARE(d.summary.status, u"stopped"_s);
            break;
        case FixieSandboxData::Ending::Error:
            QCOMPARE(last.state, Turn::State::Error);
            QVERIFY(!last.errorDetail.isEmpty());
            QCOMPARE(d.summary.status, u"error"_s);
            break;
        }
    }

    void anyAgentIdIsAccepted()
    {
        const auto p = m_fx.provider(workspace(u"support-bot.v2"_s));
        const auto r = page(*p, 5, PageCursor::first(PageCursor::Style::Offset));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().items.size(), 5);
    }

    // The kind for list, open and the connection test, and no key in the message:
    // conformance_fixie (wrongKeyIsAuth, unknownIdIsNotFound).
    void errorsCarryFixiesText_data()
    {
        addErrorColumns();
        addErrorRow("wrong key", {"wrong-key",
                                  {},
                                  ApiError::Kind::Auth,
                                  401,
                                  {},
                                  u"Unauthorized: the API key is not valid."_s});
        addErrorRow("no key",
                    {{}, {}, ApiError::Kind::Auth, 0, {}, u"Unauthorized: no API key was sent."_s});
        addErrorRow("unknown id", {kKey,
                                   u"00000000-0000-4000-8000-000000000000"_s,
                                   ApiError::Kind::NotFound,
                                   404,
                                   {},
                                   u"Conversation not found."_s});
    }

    void errorsCarryFixiesText()
    {
        verifyErrorRow([this](const QByteArray &key) { return provider(key); });
    }

    void malformedIdsAreRefusedBeforeSending()
    {
        const auto p = provider();
        verifyOpenRefusedBeforeSending(*p, {QString(), u"../../agents"_s, u"a b"_s, u"x?y=1"_s});
    }

    void missingAgentIsConfig()
    {
        const auto p = m_fx.provider(workspace(QString()));
        QVERIFY(p);
        verifyConfigErrorBeforeSending(*p, m_data.idAt(0));
    }

    void validate_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("agent");
        QTest::addColumn<QStringList>("problems");
        QTest::newRow("default host")
            << QString() << u"0d3f6a2e-8c1b-4e7a-9f55-2b6c1d0e4a77"_s << QStringList();
        QTest::newRow("slug") << u"https://api.fixie.ai"_s << u"support-bot"_s << QStringList();
        QTest::newRow("loopback") << u"http://127.0.0.1:9000/fixie"_s << u"a"_s << QStringList();
        QTest::newRow("no agent") << QString() << QString() << QStringList{u"agent_id"_s};
        QTest::newRow("agent with a slash")
            << QString() << u"team/agent"_s << QStringList{u"agent_id"_s};
        QTest::newRow("agent with spaces")
            << QString() << u"my agent"_s << QStringList{u"agent_id"_s};
        QTest::newRow("remote http")
            << u"http://api.fixie.ai"_s << u"a"_s << QStringList{u"base_url"_s};
    }

    void validate()
    {
        QFETCH(QString, baseUrl);
        QFETCH(QString, agent);
        QFETCH(QStringList, problems);
        QCOMPARE(validation(baseUrl, {{u"agent_id"_s, agent}}).keys(), problems);
    }
};

QTEST_GUILESS_MAIN(TestFixieProvider)
#include "tst_fixie_provider.moc"
