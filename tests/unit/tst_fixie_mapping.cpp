// Fixie JSON mapping: the documented shapes (fixtures in tests/data/fixie/, written from
// the API pages and the SDK's types) and what happens with broken input.
#include "net/ErrorBody.h"
#include "providers/fixie/FixieMapping.h"
#include "support/MappingTestSupport.h"

#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

using namespace parley::mappingtest;

namespace {

const mappingtest::FixtureFolder fixture{"fixie"};

// An assistant turn "x" with the given fields and messages.
QByteArray oneTurn(const QByteArray &turnFields, const QByteArray &messages = "[]")
{
    return R"({"id": "x", "role": "assistant", "state": "done", )" + turnFields +
           R"( "messages": )" + messages + "}";
}

} // namespace

class TestFixieMapping : public QObject
{
    Q_OBJECT

private slots:
    void listFirstPage()
    {
        const auto r = fixie::parseListPage(fixture("list_first_page.json"), 0, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value();
        QCOMPARE(page.total, 3);
        QCOMPARE(page.items.size(), 2);

        const Conversation &a = page.items.at(0);
        QCOMPARE(a.id, u"c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"_s);
        // No title in Fixie: the first user text, whitespace folded.
        QCOMPARE(a.title, u"Where is my order? It was due yesterday."_s);
        QCOMPARE(a.status, u"done"_s);
        QCOMPARE(a.turnCount, 2);
        QCOMPARE(a.createdAt, QDateTime(QDate(2024, 3, 7), QTime(22, 56, 8), Qt::UTC));
        QCOMPARE(a.updatedAt, QDateTime(QDate(2024, 3, 7), QTime(22, 56, 11, 500), Qt::UTC));
        QVERIFY(a.kind.isEmpty());
        QVERIFY(a.owner.isEmpty());

        const Conversation &b = page.items.at(1);
        // The agent spoke first: the title is still the user's first message, cut.
        QVERIFY2(b.title.startsWith(u"Please export all conversations from March as CSV"_s),
                 qPrintable(b.title));
        QCOMPARE(b.title.size(), fixie::kTitleLength);
        QVERIFY(b.title.endsWith(QChar(0x2026)));
        QCOMPARE(b.status, u"in-progress"_s);
        QCOMPARE(b.turnCount, 3);

        QCOMPARE(page.next.style, PageCursor::Style::Offset);
        QCOMPARE(page.next.offset, 2);
        QVERIFY(!page.next.atEnd);
    }

    void listLastPage()
    {
        const auto r = fixie::parseListPage(fixture("list_last_page.json"), 2, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        const Conversation &c = r.value().items.at(0);
        QVERIFY(c.title.isEmpty()); // no turns, nothing to derive from
        QVERIFY(c.status.isEmpty());
        QCOMPARE(c.turnCount, 0);
        QVERIFY(!c.createdAt.isValid());
        QCOMPARE(r.value().next.offset, 3);
        QVERIFY(r.value().next.atEnd);
    }

    void listWithoutTotal()
    {
        const auto full = fixie::parseListPage(fixture("list_without_total.json"), 4, 2);
        QVERIFY2(full.ok(), qPrintable(full.error().message()));
        QCOMPARE(full.value().total, -1);
        QVERIFY(!full.value().next.atEnd); // a full page: there may be more
        QCOMPARE(full.value().next.offset, 6);
        const auto shorter = fixie::parseListPage(fixture("list_without_total.json"), 4, 3);
        QVERIFY(shorter.ok());
        QVERIFY(shorter.value().next.atEnd);
    }

    void emptyPageEnds()
    {
        const auto r = fixie::parseListPage(
            R"({"conversations": [], "pageInfo": {"totalResultCount": 500}})", 100, 20);
        QVERIFY(r.ok());
        QVERIFY(r.value().next.atEnd);
        QCOMPARE(r.value().total, 500);
    }

    void transcript()
    {
        const auto r = fixie::parseConversation(fixture("conversation.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QVERIFY(d.hasTranscript);
        QCOMPARE(d.summary.id, u"c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"_s);
        QCOMPARE(d.summary.title, u"What does my invoice say?"_s);
        QCOMPARE(d.summary.status, u"in-progress"_s);
        QCOMPARE(d.summary.turnCount, 7);
        QCOMPARE(d.turns.size(), 7);

        const Turn &user = d.turns.at(0);
        QCOMPARE(user.id, u"t1"_s);
        QCOMPARE(user.role, Turn::Role::User);
        QCOMPARE(user.state, Turn::State::Done);
        QCOMPARE(user.timestamp, QDateTime(QDate(2024, 3, 7), QTime(22, 56, 8), Qt::UTC));
        QCOMPARE(user.plainText(), u"What does my invoice say?"_s);
        QVERIFY(user.typeLabel.isEmpty());
        QCOMPARE(user.metadata, (QJsonObject{{u"channel"_s, u"web"_s}}));

        const Turn &done = d.turns.at(1);
        QCOMPARE(done.role, Turn::Role::Assistant);
        QCOMPARE(done.state, Turn::State::Done);
        QCOMPARE(done.inReplyTo, u"t1"_s);
        QCOMPARE(done.timestamp, QDateTime(QDate(2024, 3, 7), QTime(22, 56, 9, 250), Qt::UTC));
        QCOMPARE(done.fragments.size(), 3);
        QCOMPARE(done.fragments.at(0).kind, Fragment::Kind::ToolCall);
        QCOMPARE(done.fragments.at(0).name, u"queryKnowledgeBase"_s);
        QCOMPARE(QJsonDocument::fromJson(done.fragments.at(0).text.toUtf8()).object(),
                 (QJsonObject{{u"query"_s, u"invoice 42"_s}, {u"limit"_s, 3}}));
        QCOMPARE(done.fragments.at(0).metadata, (QJsonObject{{u"durationMs"_s, 120}}));
        QVERIFY(done.metadata.isEmpty());
        QVERIFY(done.fragments.at(1).metadata.isEmpty());
        QCOMPARE(done.fragments.at(1).kind, Fragment::Kind::ToolResult);
        QCOMPARE(done.fragments.at(1).name, u"queryKnowledgeBase"_s);
        QCOMPARE(done.fragments.at(1).text, u"{\"matches\":2}"_s);
        QVERIFY(!done.fragments.at(1).failed);
        QCOMPARE(done.fragments.at(2).kind, Fragment::Kind::Text);
        QVERIFY(!done.fragments.at(2).inProgress);
        QCOMPARE(done.plainText(), u"It lists two items."_s);

        // Stopped while a fragment was still streaming: both facts kept.
        const Turn &stopped = d.turns.at(3);
        QCOMPARE(stopped.state, Turn::State::Stopped);
        QCOMPARE(stopped.fragments.size(), 1);
        QVERIFY(stopped.fragments.at(0).inProgress);
        QCOMPARE(stopped.fragments.at(0).text, u"The total is"_s);

        const Turn &error = d.turns.at(5);
        QCOMPARE(error.state, Turn::State::Error);
        QCOMPARE(error.errorDetail, u"upstream timeout"_s);
        QCOMPARE(error.inReplyTo, u"t5"_s);
        QCOMPARE(error.fragments.size(), 4);
        QCOMPARE(error.fragments.at(0).text, u"{}"_s);
        QVERIFY(error.fragments.at(1).failed);
        QCOMPARE(error.fragments.at(1).text, u"service unavailable"_s);
        // Kinds Fixie does not document are kept, with their content.
        QCOMPARE(error.fragments.at(2).kind, Fragment::Kind::Other);
        QCOMPARE(error.fragments.at(2).name, u"image"_s);
        QVERIFY2(error.fragments.at(2).text.contains(u"chart.png"_s),
                 qPrintable(error.fragments.at(2).text));
        QVERIFY(!error.fragments.at(2).text.contains(u"\"kind\""_s));
        QCOMPARE(error.fragments.at(3).kind, Fragment::Kind::Other);
        QVERIFY(!error.fragments.at(3).name.isEmpty());
        QVERIFY(error.fragments.at(3).text.contains(u"without a kind"_s));

        const Turn &running = d.turns.at(6);
        QCOMPARE(running.state, Turn::State::InProgress);
        QVERIFY(running.fragments.at(0).inProgress);

        QCOMPARE(d.summary.createdAt, QDateTime(QDate(2024, 3, 7), QTime(22, 56, 8), Qt::UTC));
        QCOMPARE(d.summary.updatedAt, QDateTime(QDate(2024, 3, 7), QTime(22, 59), Qt::UTC));
        QCOMPARE(propertyValue(d, u"Turns by role"_s), u"3 from the user, 4 from the agent"_s);
        QVERIFY(propertyValue(d, u"Derived fields"_s).contains(u"first user message"_s));
        // Turn and message metadata among the details, numbered from 1 in transcript order.
        QCOMPARE(propertyValue(d, u"Turn 1 metadata"_s), u"{\"channel\":\"web\"}"_s);
        QCOMPARE(propertyValue(d, u"Turn 2, message 1 metadata"_s), u"{\"durationMs\":120}"_s);
        QCOMPARE(d.properties.size(), 4);
    }

    void unknownRoleAndState()
    {
        const auto r = fixie::parseConversation(
            R"({"id": "c", "turns": [
                {"id": "a", "role": "system", "state": "done", "messages": []},
                {"id": "b", "role": "assistant", "state": "queued", "messages": []}]})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().turns.at(0).role, Turn::Role::Unknown);
        QCOMPARE(r.value().turns.at(0).typeLabel, u"system"_s);
        QCOMPARE(r.value().turns.at(1).role, Turn::Role::Assistant);
        QCOMPARE(r.value().turns.at(1).state, Turn::State::Done);
        QCOMPARE(r.value().turns.at(1).typeLabel, u"queued"_s); // shown, not guessed
    }

    void titleIsNeverInvented()
    {
        // Only the agent spoke: no title.
        const auto r = fixie::parseConversation(
            R"({"id": "c", "turns": [{"id": "a", "role": "assistant", "state": "done",
                "messages": [{"kind": "text", "content": "Hello"}]}]})");
        QVERIFY(r.ok());
        QVERIFY(r.value().summary.title.isEmpty());
        // The user's first turn held only a function response: the next user text.
        QList<Turn> turns(2);
        turns[0].role = Turn::Role::User;
        turns[0].fragments = {Fragment{Fragment::Kind::ToolResult, u"x"_s, {}, {}, false, false}};
        turns[1].role = Turn::Role::User;
        turns[1].fragments = {
            Fragment{Fragment::Kind::Text, u"  Second  "_s, {}, {}, false, false}};
        QCOMPARE(fixie::titleFrom(turns), u"Second"_s);
    }

    void brokenList_data()
    {
        addBrokenBodies({
            {"empty", {}, u"empty"_s},
            {"not JSON", "Internal Server Error", u"JSON"_s},
            {"a list", "[]", u"object"_s},
            {"no envelope", R"({"id": "c", "turns": []})", u"'conversations'"_s},
            {"no pageInfo", R"({"conversations": []})", u"'pageInfo'"_s},
            {"conversations an object", R"({"conversations": {}, "pageInfo": {}})",
             u"'conversations'"_s},
        });
    }

    void brokenList()
    {
        verifyBodyRefused([](const QByteArray &body) { return fixie::parseListPage(body, 0, 20); });
    }

    // A conversation that cannot be read is an unreadable row among the others.
    void unreadableRow_data()
    {
        addUnreadableItems({
            {"conversation not an object", "1", u"conversations[1] is a number"_s},
            {"conversation without turns", R"({"id": "x"})", u"'turns'"_s},
            {"turns an object", R"({"id": "x", "turns": {}})", u"'turns'"_s},
            {"id a list", R"({"id": [], "turns": []})", u"'id'"_s},
        });
    }

    void unreadableRow()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r = fixie::parseListPage(
            amidGood(R"({"pageInfo": {"totalResultCount": 3}, "conversations": [)",
                     R"({"id": "a", "turns": []})", item, R"({"id": "b", "turns": []})", "]}"),
            0, 20);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        verifyOnlyUnreadable(r.value().items, 1, item, mentions, false);
        QCOMPARE(r.value().items.at(1).id, item.contains(R"("id": "x")") ? u"x"_s : QString());
        QCOMPARE(r.value().items.at(2).id, u"b"_s);
        QVERIFY(!r.value().error.isError());
    }

    // pageInfo of the wrong type: the rows are kept, the list ends there with the reason.
    void pagingProblem()
    {
        const auto r = fixie::parseListPage(
            R"({"conversations": [{"id": "a", "turns": []}], "pageInfo": {"totalResultCount": "9"}})",
            0, 1);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QCOMPARE(r.value().error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().error.detail.contains(u"'totalResultCount'"_s),
                 qPrintable(r.value().error.detail));
        QVERIFY(r.value().next.atEnd);
    }

    void brokenConversation_data()
    {
        addBrokenBodies({
            {"not JSON", "Conversation not found.", u"JSON"_s},
            {"no id", R"({"turns": []})", u"'id'"_s},
        });
    }

    void brokenConversation() { verifyBodyRefused(fixie::parseConversation); }

    // A conversation whose turns are missing or no list is there, with why.
    void unreadableOwnField()
    {
        mappingtest::verifyUnreadableOwnField(fixie::parseConversation(R"({"id": "c"})"),
                                              u"'turns'"_s, 0);
        mappingtest::verifyUnreadableOwnField(
            fixie::parseConversation(R"({"id": "c", "turns": "none"})"), u"'turns'"_s, 0);
    }

    // A turn that cannot be read is an unreadable turn (id, why, its JSON) and the turns
    // around it render; every turn keeps its JSON.
    void unreadableTurn_data()
    {
        addUnreadableItems({
            {"turn not an object", R"("hi")", u"turns[1] is text"_s},
            {"fragment not an object", oneTurn({}, R"(["hi"])"), u"messages[0]"_s},
            {"content a number", oneTurn({}, R"([{"kind": "text", "content": 4}])"),
             u"turns[1].messages[0], field 'content'"_s},
            {"args a list", oneTurn({}, R"([{"kind": "functionCall", "name": "f", "args": [1]}])"),
             u"'args'"_s},
            {"failed a string",
             oneTurn({}, R"([{"kind": "functionResponse", "name": "f", "failed": "no"}])"),
             u"'failed'"_s},
            {"kind a number", oneTurn({}, R"([{"kind": 1}])"), u"'kind'"_s},
            {"bad timestamp", oneTurn(R"("timestamp": "last tuesday",)"), u"'timestamp'"_s},
            {"errorDetail an object", oneTurn(R"("errorDetail": {"message": "x"},)"),
             u"'errorDetail'"_s},
            {"messages an object", oneTurn({}, "{}"), u"'messages'"_s},
        });
    }

    void unreadableTurn()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r = fixie::parseConversation(amidGood(
            R"({"id": "c", "turns": [)",
            R"({"id": "u", "role": "user", "messages": [{"kind": "text", "content": "Hi"}]})", item,
            R"({"id": "a", "role": "assistant", "messages": [{"kind": "text", "content": "Yo"}]})",
            "]}"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QList<Turn> &turns = r.value().turns;
        verifyOnlyUnreadable(turns, 1, item, mentions, true);
        QCOMPARE(turns.at(1).id, item.startsWith('{') ? u"x"_s : QString());
        QCOMPARE(turns.at(0).plainText(), u"Hi"_s);
        QCOMPARE(turns.at(2).plainText(), u"Yo"_s);
        QCOMPARE(r.value().summary.title, u"Hi"_s);
    }

    // In a list row, a turn that cannot be read does not hide the row: it is summed up from
    // the turns that can be.
    void rowWithAnUnreadableTurn()
    {
        const auto r = fixie::parseListPage(
            R"({"conversations": [{"id": "a", "turns": []}, {"id": "b", "turns": [
                 {"id": "t", "messages": [{"kind": "text", "content": false}]},
                 {"id": "u", "role": "user", "messages": [{"kind": "text", "content": "Hi"}]}]}],
                "pageInfo": {}})",
            0, 20);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 2);
        QVERIFY(!r.value().items.at(1).isUnreadable());
        QCOMPARE(r.value().items.at(1).title, u"Hi"_s);
        QCOMPARE(r.value().items.at(1).turnCount, 2);
        QVERIFY(r.value().items.at(1).rawJson().isEmpty()); // a row keeps no JSON it can show
    }

    // Fixie's errors are plain text: the HTTP layer keeps the text as the detail.
    void plainTextErrors()
    {
        ApiError e = ApiError::make(ApiError::Kind::Auth, {}, 401);
        ErrorBody::describe(e, "Unauthorized: the API key is not valid.",
                            "text/plain; charset=utf-8");
        QCOMPARE(e.detail, u"Unauthorized: the API key is not valid."_s);
        QVERIFY(e.code.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFixieMapping)
#include "tst_fixie_mapping.moc"
