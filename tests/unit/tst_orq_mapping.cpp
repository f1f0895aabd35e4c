// orq.ai JSON mapping: the documented list, conversation and error shapes (fixtures in
// tests/data/orq/, written from the docs and OpenAPI revisions), and broken input.
#include "providers/orq/OrqMapping.h"
#include "support/MappingTestSupport.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

using namespace parley::mappingtest;

namespace {

const mappingtest::FixtureFolder fixture{"orq"};

QDateTime ms(qint64 v)
{
    return QDateTime::fromMSecsSinceEpoch(v, Qt::UTC);
}

} // namespace

class TestOrqMapping : public QObject
{
    Q_OBJECT

private slots:
    void seedExample()
    {
        const auto r = orq::parseListPage(fixture("list_seed_example.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        const Conversation &c = r.value().items.at(0);
        QCOMPARE(c.id, u"conv_01kbmyap3tva7ktd11dt2xesma"_s);
        QCOMPARE(c.title, u"<string>"_s);
        QCOMPARE(c.createdAt, ms(123));
        QCOMPARE(c.owner, u"<string>"_s);
        QVERIFY(!r.value().next.atEnd);
        QCOMPARE(r.value().next.token, c.id);
    }

    void firstPage()
    {
        const auto r = orq::parseListPage(fixture("list_first_page.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value();
        QCOMPARE(page.items.size(), 3);
        QCOMPARE(page.total, -1);

        const Conversation &a = page.items.at(0);
        QCOMPARE(a.id, u"conv_01jj1hdhn79xas7a01wb3hysdb"_s);
        QCOMPARE(a.title, u"Support chat #1234"_s);
        QCOMPARE(a.createdAt, QDateTime(QDate(2024, 12, 21), QTime(14, 0), Qt::UTC));
        QCOMPARE(a.updatedAt, QDateTime(QDate(2024, 12, 21), QTime(15, 0), Qt::UTC));
        QCOMPARE(a.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(a.kind, u"agent_01jj1hdhn79xas7a01wb3hysdb"_s); // metadata.entityId
        QCOMPARE(a.owner, u"user_01jj1hdhn79xas7a01wb3hysdb"_s);
        QVERIFY(a.status.isEmpty());
        QCOMPARE(a.turnCount, -1);

        const Conversation &b = page.items.at(1);
        QCOMPARE(b.kind, u"openai/gpt-4o"_s); // standalone: the model
        QCOMPARE(b.status, u"generating_title"_s);
        QCOMPARE(b.updatedAt, ms(1734700300500));

        const Conversation &c = page.items.at(2);
        QCOMPARE(c.kind, u"deployment_01jj1f00000000000000000000"_s); // top-level entityId
        QVERIFY(c.owner.isEmpty());

        QCOMPARE(page.next.style, PageCursor::Style::Cursor);
        QVERIFY(!page.next.atEnd);
        QCOMPARE(page.next.token, u"conv_01jj1f0000000000000000000b"_s);     // starting_after
        QCOMPARE(page.next.backToken, u"conv_01jj1hdhn79xas7a01wb3hysdb"_s); // ending_before
    }

    void lastAndEmptyPages()
    {
        auto r = orq::parseListPage(fixture("list_last_page.json"));
        QVERIFY(r.ok());
        QCOMPARE(r.value().items.size(), 1);
        QVERIFY(r.value().next.atEnd);
        r = orq::parseListPage(fixture("list_empty.json"));
        QVERIFY(r.ok());
        QVERIFY(r.value().items.isEmpty());
        QVERIFY(r.value().next.atEnd);
        // has_more with nothing to continue from cannot go on.
        r = orq::parseListPage(R"({"object": "list", "data": [], "has_more": true})");
        QVERIFY(r.ok());
        QVERIFY(r.value().next.atEnd);
    }

    void conversationWithMessages()
    {
        const auto r = orq::parseConversation(fixture("conversation.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.summary.id, u"conv_01kcpsnaq3barznzh4ba1xm41s"_s);
        QCOMPARE(d.summary.title, u"Where is my order?"_s);
        QCOMPARE(d.summary.turnCount, 5);
        QVERIFY(d.hasTranscript);
        QCOMPARE(propertyValue(d, u"Entity"_s), u"agent_01jj1hdhn79xas7a01wb3hysdb"_s);
        QVERIFY(propertyValue(d, u"Model"_s).isEmpty());
        QCOMPARE(propertyValue(d, u"Updated by"_s), u"system"_s);
        QCOMPARE(d.turns.size(), 5);

        const Turn &user = d.turns.at(0);
        QCOMPARE(user.id, u"msg_01kcpsnav10ehqgwmh86ghea1k"_s);
        QCOMPARE(user.role, Turn::Role::User);
        QCOMPARE(user.typeLabel, u"user"_s);
        QCOMPARE(user.timestamp, ms(1734789600000));
        QCOMPARE(user.fragments.size(), 3);
        QCOMPARE(user.plainText(), u"Where is my order? Invoice attached."_s);
        QCOMPARE(user.fragments.at(1).kind, Fragment::Kind::File);
        QCOMPARE(user.fragments.at(1).name, u"document.pdf"_s);
        QCOMPARE(user.fragments.at(1).text, u"https://example.com/files/document.pdf"_s);
        QCOMPARE(user.fragments.at(2).kind, Fragment::Kind::File);
        QVERIFY(user.fragments.at(2).text.contains(u"image/png"_s));

        const Turn &assistant = d.turns.at(1);
        QCOMPARE(assistant.role, Turn::Role::Assistant);
        QCOMPARE(assistant.fragments.at(0).kind, Fragment::Kind::Other); // reasoning: unknown
        QCOMPARE(assistant.fragments.at(0).name, u"reasoning"_s);
        QCOMPARE(assistant.fragments.at(0).text, u"Let me analyze this step by step..."_s);
        QCOMPARE(assistant.plainText(), u"Let me look that up."_s);

        const Turn &tool = d.turns.at(2);
        QCOMPARE(tool.role, Turn::Role::User);
        QCOMPARE(tool.fragments.at(0).kind, Fragment::Kind::ToolResult);
        QCOMPARE(tool.fragments.at(0).callId, u"call_42"_s);
        QCOMPARE(tool.fragments.at(0).text, u"{\"eta_days\":2,\"status\":\"shipped\"}"_s);

        const Turn &failed = d.turns.at(3);
        QCOMPARE(failed.state, Turn::State::Error);
        QCOMPARE(failed.errorDetail, u"The model provider timed out."_s);
        QCOMPARE(failed.fragments.at(0).kind, Fragment::Kind::Other);
        QCOMPARE(failed.fragments.at(0).name, u"data"_s);
        QCOMPARE(failed.fragments.at(0).text, u"{\"carrier\":\"DHL\"}"_s);
        QCOMPARE(failed.fragments.at(1).kind, Fragment::Kind::Error);
        QCOMPARE(failed.fragments.at(1).name, u"504"_s);

        // No role, created by "system": the assistant. Unknown part kinds stay visible.
        const Turn &last = d.turns.at(4);
        QCOMPARE(last.role, Turn::Role::Assistant);
        QCOMPARE(last.fragments.at(1).kind, Fragment::Kind::Other);
        QCOMPARE(last.fragments.at(1).name, u"hologram"_s);
        QVERIFY(last.fragments.at(1).text.contains(u"hologram"_s));
    }

    void conversationWithoutMessages()
    {
        const auto r = orq::parseConversation(fixture("conversation_without_messages.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(r.value().turns.isEmpty());
        QVERIFY(!r.value().hasTranscript);
        QVERIFY(!r.value().transcriptNote.isEmpty());
        QCOMPARE(r.value().summary.turnCount, -1);
        QCOMPARE(propertyValue(r.value(), u"Created by"_s), u"user_01jj1hdhn79xas7a01wb3hysdb"_s);
    }

    void brokenLists_data()
    {
        addBrokenBodies({
            {"empty", "  ", u"empty"_s},
            {"html", "<!doctype html><p>502</p>", u"JSON"_s},
            {"truncated", R"({"object": "list", "data": [{"_id": )", u"JSON"_s},
            {"array", R"([{"_id": "conv_1"}])", u"object"_s},
            {"no data", R"({"object": "list", "has_more": false})", u"'data'"_s},
            {"no has_more", R"({"object": "list", "data": []})", u"has_more"_s},
            {"data object", R"({"object": "list", "data": {}, "has_more": false})", u"data"_s},
            {"other object", R"({"object": "conversation", "data": [], "has_more": false})",
             u"list"_s},
        });
    }

    void brokenLists() { verifyBodyRefused(orq::parseListPage); }

    // A row that cannot be read is an unreadable row among the others.
    void unreadableRow_data()
    {
        addUnreadableItems({
            {"item text", R"("conv_1")", u"data[1] is text"_s},
            {"createdAt text", R"({"_id": "x", "createdAt": "soon"})", u"createdAt"_s},
            {"displayName number", R"({"_id": "x", "displayName": 5})", u"displayName"_s},
            {"metadata list", R"({"_id": "x", "metadata": []})", u"metadata"_s},
        });
    }

    void unreadableRow()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r =
            orq::parseListPage(amidGood(R"({"object": "list", "has_more": true, "data": [)",
                                        R"({"_id": "a"})", item, R"({"_id": "b"})", "]}"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        verifyOnlyUnreadable(r.value().items, 1, item, mentions, false);
        QCOMPARE(r.value().items.at(1).id, item.startsWith('{') ? u"x"_s : QString());
        QCOMPARE(r.value().next.token, u"b"_s); // paging goes on from the last row
        QVERIFY(!r.value().next.atEnd);
        QVERIFY(!r.value().error.isError());
    }

    // Paging that cannot go on keeps the rows: the page says why and is at its end.
    void pagingProblem_data()
    {
        addBrokenBodies({
            {"has_more text", R"({"object": "list", "data": [{"_id": "a"}], "has_more": "yes"})",
             u"has_more"_s},
            {"no id to continue",
             R"({"object": "list", "data": [{"_id": "a"}, {"displayName": "x"}], "has_more": true})",
             u"_id"_s},
        });
    }

    void pagingProblem()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto r = orq::parseListPage(body);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(!r.value().items.isEmpty());
        QCOMPARE(r.value().items.at(0).id, u"a"_s);
        QCOMPARE(r.value().error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().error.detail.contains(mentions), qPrintable(r.value().error.detail));
        QVERIFY(r.value().next.atEnd);
    }

    void brokenConversations_data()
    {
        addBrokenBodies({
            {"not json", "Internal Server Error", u"JSON"_s},
            {"no id", R"({"displayName": "x", "messages": []})", u"_id"_s},
        });
    }

    // A field of the conversation's own that cannot be read does not hide its messages.
    void unreadableOwnField()
    {
        mappingtest::verifyUnreadableOwnField(
            orq::parseConversation(R"({"_id": "c", "displayName": 5, "messages": [
                {"_id": "m1", "role": "user", "parts": [{"kind": "text", "text": "Hi"}]}]})"),
            u"displayName"_s, 1);
        mappingtest::verifyUnreadableOwnField(
            orq::parseConversation(R"({"_id": "c", "messages": {}})"), u"messages"_s, 0);
    }

    // A message that cannot be read is an unreadable turn (id, role, why, its JSON) and the
    // messages around it render; every message keeps its JSON.
    void unreadableMessage_data()
    {
        addUnreadableItems({
            {"message text", R"("hi")", u"messages[1] is text"_s},
            {"parts object", R"({"_id": "x", "role": "user", "parts": {}})", u"parts"_s},
            {"part number", R"({"_id": "x", "role": "user", "parts": [1]})", u"parts[0]"_s},
            {"text number",
             R"({"_id": "x", "role": "user", "parts": [{"kind": "text", "text": 1}]})", u"text"_s},
            {"error code text",
             R"({"_id": "x", "role": "assistant", "parts": [{"kind": "error", "error": "x", "code": "E"}]})",
             u"code"_s},
            {"file text",
             R"({"_id": "x", "role": "user", "parts": [{"kind": "file", "file": "x"}]})",
             u"file"_s},
            {"message time text",
             R"({"_id": "x", "role": "user", "createdAt": "noon", "parts": []})", u"createdAt"_s},
        });
    }

    void unreadableMessage()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r = orq::parseConversation(amidGood(
            R"({"_id": "c", "messages": [)",
            R"({"_id": "m1", "role": "user", "parts": [{"kind": "text", "text": "Hi"}]})", item,
            R"({"_id": "m2", "role": "assistant", "parts": [{"kind": "text", "text": "Yo"}]})",
            "]}"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QList<Turn> &turns = r.value().turns;
        verifyOnlyUnreadable(turns, 1, item, mentions, true);
        if (item.startsWith('{')) {
            QCOMPARE(turns.at(1).id, u"x"_s);
            QVERIFY(!turns.at(1).typeLabel.isEmpty()); // the role as orq.ai names it
        }
        QCOMPARE(turns.at(0).plainText(), u"Hi"_s);
        QCOMPARE(turns.at(2).plainText(), u"Yo"_s);
    }

    void brokenConversations() { verifyBodyRefused(orq::parseConversation); }

    void unknownRoleStaysVisible()
    {
        const auto r = orq::parseConversation(
            R"({"_id": "c", "messages": [{"_id": "m", "role": "tool", "createdById": "user_1",
                "parts": [{"kind": "text", "text": "x"}]}]})");
        QVERIFY(r.ok());
        QCOMPARE(r.value().turns.at(0).role, Turn::Role::Unknown);
        QCOMPARE(r.value().turns.at(0).typeLabel, u"tool"_s);
        QCOMPARE(r.value().turns.at(0).plainText(), u"x"_s);
    }

    void errors()
    {
        const ApiError auth = ApiError::make(ApiError::Kind::Auth, u"raw"_s, 401);
        ApiError e = orq::refineError(auth, fixture("error_current.json"));
        QCOMPARE(e.kind, ApiError::Kind::Auth);
        QCOMPARE(e.httpStatus, 401);
        QCOMPARE(e.code, u"invalid_api_key"_s);
        QCOMPARE(e.detail, u"The API key provided is invalid."_s);

        e = orq::refineError(ApiError::make(ApiError::Kind::Server, {}, 502),
                             fixture("error_legacy.json"));
        QVERIFY(e.detail.startsWith(u"Upstream model returned an error"_s));
        QVERIFY(e.detail.contains(u"model provider"_s));
        QVERIFY(e.code.isEmpty()); // the legacy code is the HTTP status again

        e = orq::refineError(ApiError::make(ApiError::Kind::NotFound, {}, 404),
                             fixture("error_not_found.json"));
        QCOMPARE(e.kind, ApiError::Kind::NotFound);
        QCOMPARE(e.detail, u"Conversation not found"_s);

        QCOMPARE(orq::refineError(auth, "<html/>").detail, u"raw"_s);
        QCOMPARE(orq::refineError(auth, R"({"error": 5})").detail, u"raw"_s);
        QCOMPARE(orq::refineError(auth, R"({"error": {}})").code, QString());
        QVERIFY(!orq::refineError(ApiError{}, fixture("error_current.json")).isError());
    }
};

QTEST_GUILESS_MAIN(TestOrqMapping)
#include "tst_orq_mapping.moc"
