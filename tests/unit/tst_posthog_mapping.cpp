// PostHog AI JSON mapping: the documented shapes (fixtures in tests/data/posthog/) and
// what happens with broken input.
#include "core/FragmentContent.h"
#include "providers/posthog/PosthogMapping.h"
#include "providers/posthog/ProseMirrorText.h"
#include "support/MappingTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

using namespace parley::mappingtest;

namespace {

const mappingtest::FixtureFolder fixture{"posthog"};

const Turn *turnWithId(const QList<Turn> &turns, const QString &id)
{
    for (const Turn &t : turns) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

// A turn's fragments, one line each: "text question: Weekly signups", "other step: Find
// the events [completed]" (kind, name, text, status), to compare field by field at once.
QStringList partsOf(const Turn *t)
{
    QStringList parts;
    if (!t)
        return {u"<no such turn>"_s};
    for (const Fragment &f : t->fragments) {
        const QString kind = f.kind == Fragment::Kind::Text    ? u"text"_s
                             : f.kind == Fragment::Kind::Other ? u"other"_s
                                                               : u"kind %1"_s.arg(int(f.kind));
        QString line = kind + u' ' + f.name + u": "_s + f.text;
        if (!f.status.isEmpty())
            line += u" ["_s + f.status + u']';
        parts << line;
    }
    return parts;
}

} // namespace

class TestPosthogMapping : public QObject
{
    Q_OBJECT

private slots:
    void listFirstPage()
    {
        const auto r = posthog::parseListPage(fixture("list_first_page.json"), 0, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value();
        QCOMPARE(page.total, 3);
        QCOMPARE(page.items.size(), 2);

        const Conversation &a = page.items.at(0);
        QCOMPARE(a.id, u"0b7d2c1e-5f7a-4c2b-9e0d-3a1f6b8c9d01"_s);
        QCOMPARE(a.title, u"Weekly signups"_s);
        QCOMPARE(a.status, u"idle"_s);
        QCOMPARE(a.kind, u"assistant"_s);
        QCOMPARE(a.owner, u"ada@example.com"_s);
        QCOMPARE(a.createdAt, QDateTime(QDate(2025, 5, 1), QTime(10, 0, 0, 123), Qt::UTC));
        QCOMPARE(a.updatedAt, QDateTime(QDate(2025, 5, 1), QTime(10, 1, 12), Qt::UTC));
        QCOMPARE(a.turnCount, -1); // list items carry no messages

        const Conversation &b = page.items.at(1);
        QCOMPARE(b.kind, u"deep_research"_s);
        QCOMPARE(b.status, u"in_progress"_s);
        QCOMPARE(b.owner, u"Ada Okafor"_s); // email null: the name
        QCOMPARE(b.updatedAt, QDateTime(QDate(2025, 4, 30), QTime(7, 30), Qt::UTC));
        QCOMPARE(b.updatedAt.timeSpec(), Qt::UTC);

        QCOMPARE(page.next.style, PageCursor::Style::Offset);
        QVERIFY(!page.next.atEnd);
        QCOMPARE(page.next.offset, 2);
        QCOMPARE(page.next.token,
                 u"https://us.posthog.com/api/projects/12345/conversations/?limit=2&offset=2"_s);
    }

    void listLastPage()
    {
        const auto r = posthog::parseListPage(fixture("list_last_page.json"), 2, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QCOMPARE(r.value().items.at(0).owner, u"u-123"_s); // only a distinct_id
        QCOMPARE(r.value().items.at(0).kind, u"slack"_s);
        QVERIFY(r.value().next.atEnd);
        QCOMPARE(r.value().next.offset, 3);
        QVERIFY(r.value().next.token.isEmpty());
    }

    void listLegacyItems()
    {
        const auto r = posthog::parseListPage(fixture("list_legacy_items.json"), 0, 100);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 2);
        QVERIFY(r.value().items.at(0).owner.isEmpty());
        QCOMPARE(r.value().items.at(0).turnCount, -1);
        QVERIFY(r.value().items.at(1).kind.isEmpty());
        QCOMPARE(r.value().items.at(1).turnCount, 2);
        QVERIFY(r.value().next.atEnd);
    }

    void listEndDetection_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("limit");
        QTest::addColumn<bool>("atEnd");
        QTest::addColumn<int>("nextOffset");
        QTest::addColumn<qint64>("total");

        const QByteArray one = R"({"id":"x"})";
        QTest::newRow("next null")
            << QByteArray(R"({"count":9,"next":null,"results":[)" + one + "]}") << 4 << 1 << true
            << 5 << qint64(9);
        QTest::newRow("next url")
            << QByteArray("{\"count\":9,\"next\":\"http://h/?offset=5\",\"results\":[" + one + "]}")
            << 4 << 1 << false << 5 << qint64(9);
        QTest::newRow("next url but empty page")
            << QByteArray("{\"count\":9,\"next\":\"http://h/?offset=5\",\"results\":[]}") << 4 << 1
            << true << 4 << qint64(9);
        QTest::newRow("no next key, count not reached")
            << QByteArray(R"({"count":9,"results":[)" + one + "]}") << 4 << 1 << false << 5
            << qint64(9);
        QTest::newRow("no next key, count reached")
            << QByteArray(R"({"count":5,"results":[)" + one + "]}") << 4 << 1 << true << 5
            << qint64(5);
        QTest::newRow("no next key, no count, full page")
            << QByteArray(R"({"results":[)" + one + "]}") << 0 << 1 << false << 1 << qint64(-1);
        QTest::newRow("no next key, no count, short page")
            << QByteArray(R"({"results":[)" + one + "]}") << 0 << 2 << true << 1 << qint64(-1);
        QTest::newRow("count null, empty")
            << QByteArray(R"({"count":null,"results":[]})") << 0 << 2 << true << 0 << qint64(-1);
    }

    void listEndDetection()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, offset);
        QFETCH(int, limit);
        const auto r = posthog::parseListPage(body, offset, limit);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QTEST(r.value().next.atEnd, "atEnd");
        QTEST(r.value().next.offset, "nextOffset");
        QTEST(r.value().total, "total");
    }

    void listBroken_data()
    {
        addBrokenBodies({
            {"not json", "<html>502 Bad Gateway</html>", u"JSON"_s},
            {"empty", "", u"empty"_s},
            {"truncated", R"({"count":1,"results":[{"id":"a")", u"JSON"_s},
            {"top-level list", "[]", u"object"_s},
            {"no results", R"({"count":0})", u"results"_s},
            {"results null", R"({"results":null})", u"results"_s},
            {"results object", R"({"results":{}})", u"results"_s},
            {"results text", R"({"results":"none"})", u"results"_s},
        });
    }

    void listBroken()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto r = posthog::parseListPage(body, 0, 50);
        verifyRefused(r, mentions);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!r.error().message().isEmpty());
    }

    // A row that cannot be read is kept as unreadable (its id, why, its JSON) and the rows
    // around it are read: degrade, never discard.
    void listUnreadableRow_data()
    {
        addUnreadableItems({
            {"item not object", "42", u"results[1] is a number"_s},
            {"title number", R"({"id":"x","title":7})", u"'title'"_s},
            {"id object", R"({"id":{}})", u"'id'"_s},
            {"created_at garbage", R"({"id":"x","created_at":"yesterday"})", u"'created_at'"_s},
            {"updated_at number", R"({"id":"x","updated_at":1714557600})", u"'updated_at'"_s},
            {"user text", R"({"id":"x","user":"ada"})", u"'user'"_s},
            {"user email number", R"({"id":"x","user":{"email":5}})", u"'email'"_s},
            {"first_name false", R"({"id":"x","user":{"first_name":false}})", u"'first_name'"_s},
        });
    }

    void listUnreadableRow()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r = posthog::parseListPage(amidGood(R"({"count":3,"next":null,"results":[)",
                                                       R"({"id":"a","title":"A"})", item,
                                                       R"({"id":"b","title":"B"})", "]}"),
                                              0, 50);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        verifyOnlyUnreadable(r.value().items, 1, item, mentions, false);
        QCOMPARE(r.value().items.at(1).id, item.contains(R"("id":"x")") ? u"x"_s : QString());
        QCOMPARE(r.value().items.at(2).title, u"B"_s);
        QVERIFY(!r.value().error.isError());
        QVERIFY(r.value().next.atEnd);
    }

    // Paging fields of the wrong type: the rows are kept, the page says why the list cannot
    // go on, and it is at its end (one row of a page of one would else ask for more).
    void listPagingProblem_data()
    {
        addBrokenBodies({
            {"count text", R"({"count":"3","results":[{"id":"a"}]})", u"'count'"_s},
            {"next number", R"({"next":2,"results":[{"id":"a"}]})", u"'next'"_s},
            {"previous list", R"({"previous":[],"results":[{"id":"a"}]})", u"'previous'"_s},
        });
    }

    void listPagingProblem()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto r = posthog::parseListPage(body, 0, 1);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QCOMPARE(r.value().items.at(0).id, u"a"_s);
        QCOMPARE(r.value().error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().error.detail.contains(mentions), qPrintable(r.value().error.detail));
        QVERIFY(r.value().next.atEnd);
    }

    // One byte that is no UTF-8 in one title: that title shows U+FFFD, the page is read.
    void invalidUtf8ShowsReplacementCharacter()
    {
        const auto r = posthog::parseListPage(
            "{\"results\":[{\"id\":\"a\",\"title\":\"caf\xe9 \xff\"},{\"id\":\"b\"}]}", 0, 50);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 2);
        QCOMPARE(r.value().items.at(0).title, u"caf\ufffd \ufffd"_s);
        QVERIFY(!r.value().items.at(0).isUnreadable());
        QCOMPARE(r.value().items.at(1).id, u"b"_s);
    }

    void deeplyNested()
    {
        QByteArray body = R"({"results":[{"id":"a","task":)";
        for (int i = 0; i < 200; ++i)
            body += R"({"a":)";
        body += "1";
        for (int i = 0; i < 200; ++i)
            body += '}';
        body += "}]}";
        const auto list = posthog::parseListPage(body, 0, 50);
        QVERIFY(!list.ok());
        QCOMPARE(list.error().kind, ApiError::Kind::BadResponse);
        QVERIFY2(list.error().detail.contains(u"nested"_s), qPrintable(list.error().detail));

        QByteArray messages = R"({"messages":[{"type":"ai/notebook","content":)";
        for (int i = 0; i < 500; ++i)
            messages += '[';
        for (int i = 0; i < 500; ++i)
            messages += ']';
        messages += "}]}";
        const auto detail = posthog::parseConversation(messages);
        QVERIFY(!detail.ok());
        QCOMPARE(detail.error().kind, ApiError::Kind::BadResponse);
    }

    // The reply being written has no id yet: it gets one by its place, so that a stream
    // taking it up (re-attach) can replace that row; the conversation counts as running.
    void unsavedMessageGetsAnIdByItsPlace()
    {
        const auto r = posthog::parseConversation(
            R"({"id": "c", "status": "in_progress", "messages": [
                 {"type": "human", "id": "h1", "content": "Hi"},
                 {"type": "ai", "content": "Hel"}]})");
        QVERIFY(r.ok());
        QCOMPARE(r.value().turns.size(), 2);
        QCOMPARE(r.value().turns.at(0).id, u"h1"_s);
        QCOMPARE(r.value().turns.at(1).id, u"unsaved-1"_s);
        QVERIFY(r.value().running);
        QVERIFY(r.value().runId.isEmpty()); // PostHog stops a conversation, not a run
    }

    void docExample()
    {
        const auto r = posthog::parseConversation(fixture("conversation_doc_example.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.summary.title, u"Weekly signups"_s);
        QCOMPARE(d.summary.turnCount, 4);
        QVERIFY(d.hasTranscript);
        QVERIFY(d.transcriptNote.isEmpty());
        QCOMPARE(d.turns.size(), 4);
        QCOMPARE(d.turns.at(0).role, Turn::Role::User);
        QCOMPARE(d.turns.at(0).plainText(), u"How many signups last week?"_s);
        QCOMPARE(d.turns.at(1).role, Turn::Role::Assistant);
        QCOMPARE(d.turns.at(1).fragments.size(), 2);
        QCOMPARE(d.turns.at(1).fragments.at(1).kind, Fragment::Kind::ToolCall);
        QCOMPARE(d.turns.at(1).fragments.at(1).text, u"{}"_s);
        QCOMPARE(d.turns.at(2).role, Turn::Role::Tool);
        QCOMPARE(d.turns.at(2).fragments.at(0).kind, Fragment::Kind::ToolResult);
        QCOMPARE(d.turns.at(2).fragments.at(0).callId, u"tc1"_s);
        QCOMPARE(d.turns.at(2).fragments.at(0).name, u"create_insight"_s);
        QCOMPARE(d.turns.at(2).inReplyTo, u"a1"_s);
        QCOMPARE(d.turns.at(3).plainText(), u"There were 1,234 signups."_s);
        QCOMPARE(propertyValue(d, u"Agent mode"_s), u"product_analytics"_s);
        QCOMPARE(propertyValue(d, u"Agent runtime"_s), u"langgraph"_s);
        QVERIFY(propertyValue(d, u"Sandbox runtime"_s).isEmpty());
    }

    void everyMessageType()
    {
        const auto r = posthog::parseConversation(fixture("conversation.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.turns.size(), 18); // nothing dropped
        QCOMPARE(d.summary.turnCount, 18);
        QCOMPARE(d.summary.owner, u"ada@example.com"_s);
        QCOMPARE(propertyValue(d, u"Owner"_s), u"Ada Okafor <ada@example.com>"_s);
        QCOMPARE(propertyValue(d, u"Topic"_s), u"product_analytics"_s);
        QCOMPARE(propertyValue(d, u"Type"_s), u"assistant"_s);

        const Turn *context = turnWithId(d.turns, u"c1"_s);
        QVERIFY(context);
        QCOMPARE(context->role, Turn::Role::System);
        QCOMPARE(context->typeLabel, u"context"_s);
        QCOMPARE(context->fragments.size(), 1);
        QCOMPARE(context->fragments.at(0).kind, Fragment::Kind::Text);
        QCOMPARE(context->fragments.at(0).name, content::kContext);
        QCOMPARE(context->fragments.at(0).text,
                 u"The user is looking at the dashboard \"Growth\".\nFilters: last 7 days"_s);

        const Turn *ask = turnWithId(d.turns, u"a1"_s);
        QVERIFY(ask);
        QCOMPARE(ask->role, Turn::Role::Assistant);
        QCOMPARE(ask->typeLabel, u"ai"_s);
        QCOMPARE(ask->fragments.size(), 4); // thinking, text, two tool calls
        QCOMPARE(ask->fragments.at(0).kind, Fragment::Kind::Other);
        QCOMPARE(ask->fragments.at(0).name, u"thinking"_s);
        QCOMPARE(ask->fragments.at(0).text, u"The user wants a weekly count of signups."_s);
        QCOMPARE(ask->plainText(), u"Let me check."_s);
        const Fragment &call = ask->fragments.at(2);
        QCOMPARE(call.kind, Fragment::Kind::ToolCall);
        QCOMPARE(call.name, u"create_insight"_s);
        QCOMPARE(call.callId, u"tc1"_s);
        QCOMPARE(call.text, u"{\"limit\":10,\"query\":\"signups per week\"}"_s);
        QCOMPARE(ask->fragments.at(3).callId, u"tc2"_s);

        const Turn *result = turnWithId(d.turns, u"t2"_s);
        QVERIFY(result);
        QCOMPARE(result->role, Turn::Role::Tool);
        QCOMPARE(result->fragments.at(0).kind, Fragment::Kind::ToolResult);
        QCOMPARE(result->fragments.at(0).callId, u"tc2"_s);
        QCOMPARE(result->fragments.at(0).name, u"search_docs"_s);
        QCOMPARE(result->fragments.at(0).text, u"No matching docs."_s);
        QCOMPARE(result->inReplyTo, u"a1"_s);

        // Each structured type reads as its parts (more of them: everyContentType).
        auto parts = [&](const char *id) {
            return partsOf(turnWithId(d.turns, QString::fromLatin1(id))).join(u" | "_s);
        };
        QCOMPARE(parts("v1"), u"text question: Signups per week | text plan: Series: user "
                              u"signed up\nInterval: week | other query_kind: TrendsQuery"_s);
        QCOMPARE(parts("mv1"), u"text commentary: Two views of the same data. | text question: "
                               u"Signups by country | other query_kind: TrendsQuery | text "
                               u"question: Signup funnel | other query_kind: FunnelsQuery"_s);
        QCOMPARE(parts("ar1"), u"other title: Signups overview | other content_kind: "
                               u"visualization | other source: artifact"_s);
        QCOMPARE(parts("nb1"), u"other notebook_id: nb_42"_s); // an empty document
        QCOMPARE(parts("p1"), u"other step: Collect events [completed] | other step: Compare "
                              u"weeks [in_progress] | other step: Write up [pending]"_s);
        QCOMPARE(parts("te1"), u"other task: Query signups [completed] | other prompt: … | "
                               u"other task: Query churn [failed] | other prompt: …"_s);
        QCOMPARE(parts("r1"), u"text reasoning: Picking the right events | other substep: a | "
                              u"other substep: b"_s);
        QCOMPARE(turnWithId(d.turns, u"v1"_s)->role, Turn::Role::Assistant);
        QCOMPARE(turnWithId(d.turns, u"v1"_s)->typeLabel, u"ai/viz"_s);

        const Turn *answer = turnWithId(d.turns, u"a2"_s);
        QVERIFY(answer);
        QCOMPARE(answer->plainText(), u"There were **1,234** signups."_s);
        QCOMPARE(answer->fragments.size(), 2);
        QCOMPARE(answer->fragments.at(1).name, u"form"_s);
        QVERIFY(answer->fragments.at(1).text.contains(u"Break down by country"_s));

        const Turn *failed = turnWithId(d.turns, u"f1"_s);
        QVERIFY(failed);
        QCOMPARE(failed->role, Turn::Role::Assistant);
        QCOMPARE(failed->state, Turn::State::Error);
        QCOMPARE(failed->errorDetail, u"Oops! Something went wrong. Please try again."_s);
        const Turn *failedQuietly = turnWithId(d.turns, u"f2"_s);
        QVERIFY(failedQuietly);
        QCOMPARE(failedQuietly->state, Turn::State::Error);
        QVERIFY(!failedQuietly->errorDetail.isEmpty());

        const Turn *future = turnWithId(d.turns, u"u1"_s);
        QVERIFY(future);
        QCOMPARE(future->role, Turn::Role::Unknown);
        QCOMPARE(future->typeLabel, u"ai/dashboard"_s);
        QCOMPARE(future->fragments.at(0).kind, Fragment::Kind::Other);
        QCOMPARE(future->fragments.at(0).text, u"Created a dashboard."_s);
        const Turn *noContent = turnWithId(d.turns, u"u2"_s);
        QVERIFY(noContent);
        QCOMPARE(noContent->role, Turn::Role::Unknown);
        QVERIFY(noContent->fragments.at(0).text.contains(u"ai/hologram"_s));
        const Turn *untyped = turnWithId(d.turns, u"u3"_s);
        QVERIFY(untyped);
        QCOMPARE(untyped->role, Turn::Role::Unknown);
        QVERIFY(untyped->typeLabel.isEmpty());
        QCOMPARE(untyped->fragments.size(), 1);
    }

    // Every structured message type of PostHog's schema (schema-assistant-messages.ts),
    // read field by field from a fixture written from that schema.
    void everyContentType()
    {
        const auto r = posthog::parseConversation(fixture("conversation_content.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.turns.size(), 13);

        auto turn = [&](const char *id) { return turnWithId(d.turns, QString::fromLatin1(id)); };
        auto parts = [&](const char *id) { return partsOf(turn(id)); };

        QCOMPARE(turn("ctx1")->role, Turn::Role::System);
        QCOMPARE(parts("ctx1"), QStringList{u"text context: The user is looking at the dashboard "
                                            u"\"Growth\".\nFilters: last 90 days"_s});

        QCOMPARE(turn("p1")->role, Turn::Role::Assistant);
        QCOMPARE(turn("p1")->typeLabel, u"ai/planning"_s);
        QCOMPARE(parts("p1"), (QStringList{u"other step: Find the signup events [completed]"_s,
                                           u"other step: Build the funnel [in_progress]"_s,
                                           u"other step: Write the notebook [pending]"_s}));
        QVERIFY(turn("p1")->fragments.at(1).inProgress);

        QCOMPARE(parts("r1"), (QStringList{u"text reasoning: Picking the events that mark a "
                                           u"signup"_s,
                                           u"other substep: Found 'user signed up'"_s,
                                           u"other substep: It is sent once per account"_s}));

        QCOMPARE(parts("te1"),
                 (QStringList{u"other task: Weekly signups [completed]"_s,
                              u"other prompt: Chart weekly 'user signed up' over 90 days"_s,
                              u"other progress: Created the trend."_s,
                              u"other task: Signups by referrer [failed]"_s,
                              u"other prompt: Break signups down by $referring_domain"_s,
                              u"other progress: The property has no values in this period."_s,
                              // No description: the prompt says what the task is.
                              u"other task: Summarise the findings [pending]"_s}));
        QVERIFY(turn("te1")->fragments.at(3).failed);

        QCOMPARE(turn("v1")->role, Turn::Role::Assistant);
        QCOMPARE(parts("v1"),
                 (QStringList{u"text question: Weekly signups over the last 90 days"_s,
                              u"text plan: Series: 'user signed up', total count\nInterval: week"_s,
                              u"other query_kind: TrendsQuery"_s}));
        QCOMPARE(turn("v1")->plainText(), u"Weekly signups over the last 90 days\nSeries: 'user "
                                          u"signed up', total count\nInterval: week"_s);

        QCOMPARE(
            parts("mv1"),
            (QStringList{u"text commentary: The funnel shows where people leave."_s,
                         u"text question: Signup to purchase conversion"_s,
                         u"text plan: Funnel: signed up → purchased"_s,
                         u"other query_kind: FunnelsQuery"_s,
                         u"text question: Signups by country"_s, u"other query_kind: HogQLQuery"_s,
                         u"other sql: SELECT country, count() FROM events GROUP BY country"_s}));

        QCOMPARE(
            parts("ar1"),
            (QStringList{u"other title: Weekly signups"_s, u"other content_kind: visualization"_s,
                         u"other source: artifact"_s, u"text description: Signups per week."_s,
                         u"other query_kind: TrendsQuery"_s}));
        QCOMPARE(parts("ar2"),
                 (QStringList{u"other title: nb-77"_s, // no name: its id
                              u"other content_kind: notebook"_s, u"other source: state"_s}));

        QCOMPARE(parts("nb1"), (QStringList{u"other notebook_id: nb-signups"_s,
                                            u"text notebook: # Signups, last quarter\n\n"
                                            u"Signups grew 18% over the quarter.\n\n"
                                            u"- Weekly signups rose.\n"
                                            u"- Conversion is flat\n"
                                            u"  - at 6.2%\n\n"
                                            u"```sql\nSELECT count()\nFROM events\n```\n\n"
                                            u"[ph-query: Weekly signups]\n\n"
                                            u"Kept from an unknown node.\n\n"
                                            u"1. Re-run the funnel."_s}));

        const Turn *failed = turnWithId(d.turns, u"f1"_s);
        QVERIFY(failed);
        QCOMPARE(failed->state, Turn::State::Error);
        QCOMPARE(failed->errorDetail, u"Oops! Something went wrong."_s);

        QCOMPARE(turn("u1")->role, Turn::Role::Unknown);
        QCOMPARE(turn("u1")->typeLabel, u"ai/hologram"_s);
        QVERIFY(turn("u1")->fragments.at(0).text.contains(u"ai/hologram"_s));
    }

    // Each turn keeps its message as received, for "Show Raw JSON".
    void rawIsTheMessage()
    {
        const QByteArray body = fixture("conversation_content.json");
        const auto r = posthog::parseConversation(body);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QJsonArray messages =
            QJsonDocument::fromJson(body).object().value(u"messages"_s).toArray();
        QCOMPARE(r.value().turns.size(), messages.size());
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QJsonDocument raw = QJsonDocument::fromJson(r.value().turns.at(i).raw);
            QCOMPARE(raw.object(), messages.at(i).toObject());
            QVERIFY(!r.value().turns.at(i).raw.contains('\n')); // compact
        }
    }

    void proseMirror_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("markdown");
        QTest::newRow("empty doc") << QByteArray(R"({"type":"doc"})") << QString();
        QTest::newRow("not a document") << QByteArray(R"({"rows":[1,2]})") << QString();
        QTest::newRow("heading levels clamp") << QByteArray(R"({"type":"doc","content":[
                 {"type":"heading","attrs":{"level":9},"content":[{"type":"text","text":"Deep"}]},
                 {"type":"heading","content":[{"type":"text","text":"None"}]}]})")
                                              << u"###### Deep\n\n# None"_s;
        QTest::newRow("ordered list from its start")
            << QByteArray(R"({"type":"doc","content":[{"type":"orderedList","attrs":{"start":3},
                 "content":[{"type":"listItem","content":[{"type":"paragraph","content":[
                   {"type":"text","text":"three"}]}]},
                 {"type":"listItem","content":[{"type":"paragraph","content":[
                   {"type":"text","text":"four"}]}]}]}]})")
            << u"3. three\n4. four"_s;
        QTest::newRow("quote, rule and hard break") << QByteArray(R"({"type":"doc","content":[
                 {"type":"blockquote","content":[{"type":"paragraph","content":[
                   {"type":"text","text":"a"},{"type":"hardBreak"},{"type":"text","text":"b"}]},
                   {"type":"paragraph","content":[{"type":"text","text":"c"}]}]},
                 {"type":"horizontalRule"}]})") << u"> a  \n> b\n> \n> c\n\n---"_s;
        QTest::newRow("code with backticks gets a longer fence")
            << QByteArray(R"({"type":"doc","content":[{"type":"codeBlock","content":[
                 {"type":"text","text":"a ``` b"}]}]})")
            << u"````\na ``` b\n````"_s;
        QTest::newRow("odd values are skipped")
            << QByteArray(R"({"type":"doc","content":[5,"x",{"type":"paragraph","content":[
                 {"type":"text","text":7},{"type":"text","text":"ok"}]}]})")
            << u"ok"_s;
    }

    void proseMirror()
    {
        QFETCH(QByteArray, doc);
        QFETCH(QString, markdown);
        QCOMPARE(posthog::proseMirrorMarkdown(QJsonDocument::fromJson(doc).object()), markdown);
    }

    void proseMirrorDeepNestingIsCutOff()
    {
        QJsonObject node{{u"type"_s, u"text"_s}, {u"text"_s, u"bottom"_s}};
        for (int i = 0; i < 500; ++i)
            node = QJsonObject{{u"type"_s, u"blockquote"_s}, {u"content"_s, QJsonArray{node}}};
        const QString text = posthog::proseMirrorMarkdown(node);
        QVERIFY(!text.contains(u"bottom"_s));
    }

    void sandboxRuntimeHasNoTranscript()
    {
        const auto r = posthog::parseConversation(fixture("conversation_sandbox_runtime.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(!r.value().hasTranscript);
        QVERIFY(!r.value().transcriptNote.isEmpty());
        QCOMPARE(r.value().summary.turnCount, 0);
        QCOMPARE(propertyValue(r.value(), u"Pending approvals"_s), u"1"_s);
        QCOMPARE(propertyValue(r.value(), u"Sandbox runtime"_s), u"yes"_s);
    }

    void unsupportedContentIsSaid()
    {
        const auto r = posthog::parseConversation(
            R"({"id":"x","messages":[{"type":"human","content":"hi"}],"has_unsupported_content":true})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(r.value().hasTranscript);
        QVERIFY(!r.value().transcriptNote.isEmpty());
        QCOMPARE(propertyValue(r.value(), u"Unsupported content"_s), u"yes"_s);
    }

    void everyFieldOptional()
    {
        const auto empty = posthog::parseConversation("{}");
        QVERIFY2(empty.ok(), qPrintable(empty.error().message()));
        QVERIFY(empty.value().turns.isEmpty());
        QCOMPARE(empty.value().summary.turnCount, -1);
        QVERIFY(empty.value().properties.isEmpty());

        const auto nulls = posthog::parseConversation(
            R"({"id":null,"title":null,"user":null,"messages":null,"created_at":null,
                "agent_mode":null,"is_sandbox":null,"pending_approvals":null})");
        QVERIFY2(nulls.ok(), qPrintable(nulls.error().message()));

        const auto bare = posthog::parseConversation(
            R"({"messages":[{},{"type":"ai"},{"type":"tool"},{"type":"human"},{"type":"ai/viz"}]})");
        QVERIFY2(bare.ok(), qPrintable(bare.error().message()));
        QCOMPARE(bare.value().turns.size(), 5);
        QCOMPARE(bare.value().turns.at(0).role, Turn::Role::Unknown);
        QCOMPARE(bare.value().turns.at(1).role, Turn::Role::Assistant);
        QCOMPARE(bare.value().turns.at(2).role, Turn::Role::Tool);
        QCOMPARE(bare.value().turns.at(4).role, Turn::Role::Assistant);
        QVERIFY(bare.value().turns.at(4).fragments.isEmpty()); // nothing to show but its type
    }

    void toolResultBeforeItsCall()
    {
        // Out of order or orphaned results keep their call id and stay readable.
        const auto r = posthog::parseConversation(
            R"({"messages":[{"type":"tool","tool_call_id":"zz","content":{"rows":3}}]})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const Fragment &f = r.value().turns.at(0).fragments.at(0);
        QCOMPARE(f.callId, u"zz"_s);
        QVERIFY(f.name.isEmpty());
        QCOMPARE(f.text, u"{\"rows\":3}"_s);
    }

    void conversationBroken_data()
    {
        addBrokenBodies({
            {"not json", "Internal Server Error", u"JSON"_s},
            {"list", R"([{"id":"x"}])", u"object"_s},
            {"messages object", R"({"messages":{}})", u"'messages'"_s},
            {"has_unsupported_content text", R"({"has_unsupported_content":"no"})",
             u"'has_unsupported_content'"_s},
            {"agent_mode number", R"({"agent_mode":1})", u"'agent_mode'"_s},
            {"title list", R"({"title":[]})", u"'title'"_s},
        });
    }

    void conversationBroken() { verifyBodyRefused(posthog::parseConversation); }

    // A field of the conversation's own that cannot be read does not hide its messages; one
    // without an id is no conversation (conversationBroken).
    void unreadableOwnField()
    {
        mappingtest::verifyUnreadableOwnField(
            posthog::parseConversation(R"({"id": "c", "title": [], "agent_mode": 1, "messages": [
                {"id": "h1", "type": "human", "content": "Hi"}]})"),
            u"'title'"_s, 1);
    }

    // A message that cannot be read is an unreadable turn (id, platform type, why, its JSON)
    // and the messages around it render; every message keeps its JSON.
    void unreadableMessage_data()
    {
        addUnreadableItems({
            {"message text", R"("hi")", u"messages[1] is text"_s},
            {"type number", R"({"id":"x","type":3})", u"'type'"_s},
            {"content number", R"({"id":"x","type":"human","content":1})", u"'content'"_s},
            {"ai content list", R"({"id":"x","type":"ai","content":[]})", u"'content'"_s},
            {"tool_calls object", R"({"id":"x","type":"ai","tool_calls":{}})", u"'tool_calls'"_s},
            {"tool call text", R"({"id":"x","type":"ai","tool_calls":["x"]})", u"tool_calls[0]"_s},
            {"tool call name number", R"({"id":"x","type":"ai","tool_calls":[{"name":1}]})",
             u"'name'"_s},
            {"meta list", R"({"id":"x","type":"ai","meta":[]})", u"'meta'"_s},
            {"failure content object", R"({"id":"x","type":"ai/failure","content":{}})",
             u"'content'"_s},
            {"viz answer text", R"({"id":"x","type":"ai/viz","answer":"TrendsQuery"})",
             u"'answer'"_s},
            {"planning steps object", R"({"id":"x","type":"ai/planning","steps":{}})",
             u"'steps'"_s},
            {"planning step status number",
             R"({"id":"x","type":"ai/planning","steps":[{"status":2}]})", u"'status'"_s},
            {"reasoning substep object", R"({"id":"x","type":"ai/reasoning","substeps":[{}]})",
             u"substeps[0]"_s},
            {"notebook content list", R"({"id":"x","type":"ai/notebook","content":[]})",
             u"'content'"_s},
        });
    }

    void unreadableMessage()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r = posthog::parseConversation(
            amidGood(R"({"id":"c","messages":[)", R"({"id":"h1","type":"human","content":"Hi"})",
                     item, R"({"id":"a1","type":"ai","content":"Hello"})", "]}"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QList<Turn> &turns = r.value().turns;
        verifyOnlyUnreadable(turns, 1, item, mentions, true);
        if (item.startsWith('{')) {
            QCOMPARE(turns.at(1).id, u"x"_s);
            const QJsonValue type = QJsonDocument::fromJson(item).object().value(u"type"_s);
            QCOMPARE(turns.at(1).typeLabel, type.toString()); // the platform's type, if text
        }
        QVERIFY(turns.at(1).fragments.isEmpty()); // nothing half-read is shown
        QCOMPARE(turns.at(0).plainText(), u"Hi"_s);
        QCOMPARE(turns.at(2).plainText(), u"Hello"_s);
        QCOMPARE(r.value().summary.turnCount, 3);
    }

    void unknownTypesWithOddContentAreKept()
    {
        // Unknown types have no schema: odd fields must not fail the conversation.
        const auto r = posthog::parseConversation(
            R"({"messages":[{"type":"ai/new_thing","content":{"blocks":[]}},{"type":"x","content":5}]})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().turns.size(), 2);
        QCOMPARE(r.value().turns.at(0).role, Turn::Role::Unknown);
        QCOMPARE(r.value().turns.at(0).typeLabel, u"ai/new_thing"_s);
        QCOMPARE(r.value().turns.at(1).typeLabel, u"x"_s);
    }

    void longContextIsKeptWhole()
    {
        const QString longText = QString(u"word "_s).repeated(200).trimmed();
        const QByteArray body = "{\"messages\":[{\"type\":\"context\",\"content\":\"" +
                                longText.toUtf8() + "\\nsecond line\"}]}";
        const auto r = posthog::parseConversation(body);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().turns.at(0).fragments.at(0).text, longText + u"\nsecond line"_s);
    }

    void refineError_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("code");

        QTest::newRow("drf auth") << fixture("error_auth.json")
                                  << u"Personal API key found in request Authorization header is "
                                     u"invalid."_s
                                  << u"authentication_failed"_s;
        QTest::newRow("drf with attr")
            << QByteArray(
                   R"({"type":"validation_error","code":"invalid","detail":"Bad value.","attr":"limit"})")
            << u"Bad value. (field “limit”)"_s << u"invalid"_s;
        QTest::newRow("ad-hoc error") << QByteArray(R"({"error":"Conversation not found"})")
                                      << u"Conversation not found"_s << u"base-code"_s;
        QTest::newRow("queue full")
            << QByteArray(
                   R"({"error":"queue_full","detail":"Only two messages can be queued at a time."})")
            << u"Only two messages can be queued at a time."_s << u"queue_full"_s;
        QTest::newRow("html") << QByteArray("<html>oops</html>") << u"base detail"_s
                              << u"base-code"_s;
        QTest::newRow("empty") << QByteArray() << u"base detail"_s << u"base-code"_s;
        QTest::newRow("json list") << QByteArray("[1]") << u"base detail"_s << u"base-code"_s;
    }

    void refineError()
    {
        QFETCH(QByteArray, body);
        const ApiError base =
            ApiError::make(ApiError::Kind::Auth, u"base detail"_s, 401, u"base-code"_s);
        const ApiError e = posthog::refineError(base, body);
        QCOMPARE(e.kind, ApiError::Kind::Auth);
        QCOMPARE(e.httpStatus, 401);
        QTEST(e.detail, "detail");
        QTEST(e.code, "code");
    }

    void refineErrorGivesTheReason_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ApiError::Reason>("reason");

        QTest::newRow("queue full")
            << 409
            << QByteArray(
                   R"({"error":"queue_full","detail":"Only two messages can be queued at a time."})")
            << ApiError::Reason::QueueFull;
        QTest::newRow("busy, not full")
            << 409 << QByteArray(R"({"detail":"Cannot resume streaming with a new message"})")
            << ApiError::Reason::None;
        QTest::newRow("queue_full text on another status")
            << 400 << QByteArray(R"({"error":"queue_full","detail":"x"})")
            << ApiError::Reason::None;
        QTest::newRow("scope missing")
            << 403
            << QByteArray(R"({"type":"authentication_error","code":"permission_denied",)"
                          R"("detail":"API key missing required scope 'conversation:write'"})")
            << ApiError::Reason::ScopeMissing;
        QTest::newRow("forbidden otherwise")
            << 403
            << QByteArray(R"({"type":"authentication_error","code":"permission_denied",)"
                          R"("detail":"You do not have access to this project."})")
            << ApiError::Reason::None;
    }

    void refineErrorGivesTheReason()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        const ApiError base = ApiError::make(ApiError::kindForStatus(status), {}, status);
        const ApiError e = posthog::refineError(base, body);
        QCOMPARE(e.kind, base.kind);
        QTEST(e.reason, "reason");
    }

    void refineErrorLeavesSuccessAlone()
    {
        const ApiError e = posthog::refineError(ApiError{}, R"({"detail":"x"})");
        QVERIFY(!e.isError());
        QVERIFY(e.detail.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPosthogMapping)
#include "tst_posthog_mapping.moc"
