// PolyAI JSON mapping: the documented v1/v3 list shapes and the camelCase detail shape
// (fixtures in tests/data/polyai/, written from the OpenAPI schemas), and broken input.
#include "providers/polyai/PolyaiMapping.h"
#include "support/MappingTestSupport.h"

#include <QTest>

using namespace parley;
using namespace parley::polyai;
using namespace Qt::StringLiterals;

using namespace parley::mappingtest;

namespace {

const mappingtest::FixtureFolder fixture{"polyai"};

PageCursor offsetCursor(int offset)
{
    PageCursor c = PageCursor::first(PageCursor::Style::Offset);
    c.offset = offset;
    return c;
}

PageCursor tokenCursor(const QString &token)
{
    PageCursor c = PageCursor::first(PageCursor::Style::Cursor);
    c.token = token;
    return c;
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

} // namespace

class TestPolyaiMapping : public QObject
{
    Q_OBJECT

private slots:
    void v1ListPage()
    {
        const auto r = parseListPage(fixture("v1_list_page.json"), ApiVersion::V1, offsetCursor(0));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value().page;
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(r.value().rows.size(), 2);
        QCOMPARE(page.total, -1);

        const Conversation &a = page.items.at(0);
        QCOMPARE(a.id, u"CAabcd1234567abcdef1250065d4fc7389"_s);
        QCOMPARE(a.kind, u"VOICE-SIP"_s);
        QCOMPARE(a.owner, u"+447700900123"_s);
        QCOMPARE(a.status, u"handoff"_s);
        QCOMPARE(a.turnCount, 3);
        QCOMPARE(a.title, u"I'd like to change my booking"_s);
        QCOMPARE(a.createdAt, utc(2022, 2, 18, 12, 9, 0));
        QCOMPARE(a.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(a.updatedAt, utc(2022, 2, 18, 12, 9, 19)); // the last side's time

        const Conversation &b = page.items.at(1);
        QCOMPARE(b.status, u"in_progress"_s);
        QCOMPARE(b.kind, u"CHAT"_s);
        QCOMPARE(b.turnCount, 1); // no num_turns: the pairs
        QVERIFY(b.owner.isEmpty());

        QCOMPARE(page.next.style, PageCursor::Style::Offset);
        QVERIFY(!page.next.atEnd);
        QCOMPARE(page.next.offset, 2);
    }

    // The list reads of each item only what its row shows; opening the row reads it in full.
    // Both must say the same of the row, for every fixture page and for a pair whose other
    // fields are broken.
    void rowsReadForTheListMatchTheFullRead_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("version");
        QTest::newRow("v1 page") << u"v1_list_page.json"_s << int(ApiVersion::V1);
        QTest::newRow("v1 last") << u"v1_list_last.json"_s << int(ApiVersion::V1);
        QTest::newRow("v3 page") << u"v3_list_page.json"_s << int(ApiVersion::V3);
        QTest::newRow("v3 no transcript") << u"v3_list_no_transcript.json"_s << int(ApiVersion::V3);
    }
    void rowsReadForTheListMatchTheFullRead()
    {
        QFETCH(QString, file);
        QFETCH(int, version);
        const auto r =
            parseListPage(fixture(file.toUtf8().constData()), ApiVersion(version), offsetCursor(0));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().rows.size(), r.value().page.items.size());
        QVERIFY(!r.value().rows.isEmpty());
        for (qsizetype i = 0; i < r.value().rows.size(); ++i) {
            const Conversation &row = r.value().page.items.at(i);
            const Conversation full = detailFromRow(r.value().rows.at(i)).summary;
            QCOMPARE(row.id, full.id);
            QCOMPARE(row.title, full.title);
            QCOMPARE(row.status, full.status);
            QCOMPARE(row.kind, full.kind);
            QCOMPARE(row.owner, full.owner);
            QCOMPARE(row.createdAt, full.createdAt);
            QCOMPARE(row.updatedAt, full.updatedAt);
            QCOMPARE(row.turnCount, full.turnCount);
            QCOMPARE(row.isUnreadable(), full.isUnreadable());
        }
    }
    void aBrokenPairStillTitlesAndTimesItsRow()
    {
        const QByteArray body = R"({"conversations": [{"id": "CA1", "turns": [
            {"user_input": "  Where is my parcel? ", "entities": 7,
             "user_input_datetime": "2026-05-01T10:00:00Z"},
            {"agent_response": "Let me look.", "agent_response_datetime": "2026-05-01T10:00:05Z"}
        ]}]})";
        const auto r = parseListPage(body, ApiVersion::V1, offsetCursor(0));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const Conversation &row = r.value().page.items.at(0);
        const ConversationDetail full = detailFromRow(r.value().rows.at(0));
        for (const Conversation &c : {row, full.summary}) {
            QCOMPARE(c.title, u"Where is my parcel?"_s);
            QCOMPARE(c.updatedAt, utc(2026, 5, 1, 10, 0, 5));
            QVERIFY(!c.isUnreadable());
        }
        QCOMPARE(full.turns.size(), 2); // the broken pair, then the agent's answer
        QVERIFY(full.turns.at(0).isUnreadable());
        QVERIFY(!full.turns.at(1).isUnreadable());
    }

    void v1TurnsBecomeUserThenAgentSkippingEmptySides()
    {
        const auto r = parseListPage(fixture("v1_list_page.json"), ApiVersion::V1, offsetCursor(0));
        QVERIFY(r.ok());
        const ConversationDetail &d = detailFromRow(r.value().rows.at(0));
        QCOMPARE(d.summary.id, r.value().page.items.at(0).id);
        // pair 0: user null -> agent only; pair 1: both; pair 2: silence -> agent only.
        QCOMPARE(d.turns.size(), 4);
        QCOMPARE(d.turns.at(0).role, Turn::Role::Assistant);
        QCOMPARE(d.turns.at(0).id, u"turn0.agent"_s);
        QCOMPARE(d.turns.at(0).typeLabel, u"agent_response"_s);
        QCOMPARE(d.turns.at(0).plainText(), u"Hello, thanks for calling. How can I help?"_s);
        QVERIFY(d.turns.at(0).inReplyTo.isEmpty());

        const Turn &user = d.turns.at(1);
        QCOMPARE(user.role, Turn::Role::User);
        QCOMPARE(user.id, u"turn1.user"_s);
        QCOMPARE(user.typeLabel, u"user_input"_s);
        QCOMPARE(user.plainText(), u"I'd like to change my booking"_s);
        QCOMPARE(user.timestamp, utc(2022, 2, 18, 12, 9, 5, 126));

        const Turn &agent = d.turns.at(2);
        QCOMPARE(agent.role, Turn::Role::Assistant);
        QCOMPARE(agent.inReplyTo, u"turn1.user"_s);
        QCOMPARE(agent.timestamp, utc(2022, 2, 18, 12, 9, 6));
        QCOMPARE(d.turns.at(3).id, u"turn2.agent"_s);
        QCOMPARE(d.turns.at(3).state, Turn::State::Done);

        // Everything else of the conversation is a property.
        QCOMPARE(propertyValue(d, u"Intents"_s), u"change_reservation, speak_to_human"_s);
        QCOMPARE(propertyValue(d, u"Entities"_s),
                 u"booking_reference=4821; date=2022-03-01, 2022-03-02"_s);
        QCOMPARE(propertyValue(d, u"Handoff"_s), u"yes, to Front desk: caller asked for a human"_s);
        QCOMPARE(propertyValue(d, u"Duration"_s), u"1 min 35 s"_s);
        QCOMPARE(propertyValue(d, u"Handled by the agent"_s), u"1 min 20 s"_s);
        QCOMPARE(propertyValue(d, u"Variant"_s), u"Default (VARIANT-default)"_s);
        QCOMPARE(propertyValue(d, u"Caller"_s), u"+447700900123"_s);
        QCOMPARE(propertyValue(d, u"Called number"_s), u"+442079460456"_s);
        QCOMPARE(propertyValue(d, u"Environment"_s), u"live"_s);
        QCOMPARE(propertyValue(d, u"Silent turns"_s), u"1"_s);
        QCOMPARE(propertyValue(d, u"Out-of-domain turns"_s), u"0"_s);
        QCOMPARE(propertyValue(d, u"Metric CALL_DURATION"_s), u"30"_s);
        QCOMPARE(propertyValue(d, u"Metric CALL_TURN"_s),
                 u"2022-02-18 12:09:05.12677, 2022-02-18 12:09:17.90602"_s);
        QCOMPARE(propertyValue(d, u"Account"_s), u"acme"_s);
        QVERIFY(d.hasTranscript);
        QVERIFY(d.transcriptNote.isEmpty());

        // In progress: the missing agent side is skipped and the note says why.
        const ConversationDetail &running = detailFromRow(r.value().rows.at(1));
        QCOMPARE(running.turns.size(), 1);
        QCOMPARE(running.turns.at(0).role, Turn::Role::User);
        QVERIFY(!running.transcriptNote.isEmpty());
    }

    void v1LastPage()
    {
        const auto r = parseListPage(fixture("v1_list_last.json"), ApiVersion::V1, offsetCursor(2));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().page.items.size(), 1);
        QVERIFY(r.value().page.next.atEnd);
        QCOMPARE(r.value().page.items.at(0).turnCount, 0);
        QVERIFY(r.value().page.items.at(0).title.isEmpty());
    }

    void v1NextOffsetMustMoveForward()
    {
        // The rows are kept; the list cannot go on past them.
        const auto r = parseListPage(fixture("v1_list_page.json"), ApiVersion::V1, offsetCursor(5));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(!r.value().page.items.isEmpty());
        QVERIFY(r.value().page.next.atEnd);
        QCOMPARE(r.value().page.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().page.error.detail.contains(u"next_offset"_s),
                 qPrintable(r.value().page.error.detail));
    }

    void v3ListPage()
    {
        const auto r = parseListPage(fixture("v3_list_page.json"), ApiVersion::V3,
                                     PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value().page;
        QCOMPARE(page.next.style, PageCursor::Style::Cursor);
        QVERIFY(!page.next.atEnd);
        QCOMPARE(page.next.token, u"eyJzIjoxfQ"_s);

        const Conversation &c = page.items.at(0);
        QCOMPARE(c.kind, u"WEBCHAT"_s);
        QCOMPARE(c.status, u"finished"_s);
        QVERIFY(c.owner.isEmpty()); // "" in v3, not null
        QCOMPARE(c.createdAt, utc(2026, 5, 1, 9, 30, 0, 250));

        const ConversationDetail &d = detailFromRow(r.value().rows.at(0));
        QCOMPARE(propertyValue(d, u"Variant"_s), u"Spring promo (VARIANT-spring-promo)"_s);
        QCOMPARE(propertyValue(d, u"Environment"_s), u"sandbox"_s);
        QVERIFY(propertyValue(d, u"Handoff"_s).isEmpty());
        // Pair 0: both sides, each with its translation.
        QCOMPARE(d.turns.size(), 3);
        const Turn &user = d.turns.at(0);
        QCOMPARE(user.plainText(), u"Hola, ¿puedo cambiar mi reserva?"_s);
        QCOMPARE(user.fragments.size(), 2);
        QCOMPARE(user.fragments.at(1).kind, Fragment::Kind::Other);
        QCOMPARE(user.fragments.at(1).name, u"translation"_s);
        QVERIFY(user.fragments.at(1).text.contains(u"Hello, can I change my booking?"_s));
        QCOMPARE(d.turns.at(1).fragments.at(1).name, u"translation"_s);
        // Pair 1: keypad input only, the agent side empty and skipped.
        const Turn &keypad = d.turns.at(2);
        QCOMPARE(keypad.role, Turn::Role::User);
        QVERIFY(keypad.plainText().isEmpty());
        QCOMPARE(keypad.fragments.at(0).name, u"dtmf"_s);
        QVERIFY(keypad.fragments.at(0).text.contains(u"4821"_s));
        QCOMPARE(keypad.fragments.at(1).name, u"ood"_s);
    }

    void v3LastPageAndCursorRules()
    {
        auto r = parseListPage(fixture("v3_list_last.json"), ApiVersion::V3, tokenCursor(u"x"_s));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(r.value().page.items.isEmpty());
        QVERIFY(r.value().page.next.atEnd);

        // The same cursor back again would walk forever: the rows are kept, the list ends.
        r = parseListPage(fixture("v3_list_page.json"), ApiVersion::V3,
                          tokenCursor(u"eyJzIjoxfQ"_s));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(!r.value().page.items.isEmpty());
        QCOMPARE(r.value().page.error.kind, ApiError::Kind::BadResponse);
        QVERIFY(r.value().page.next.atEnd);

        // No cursor field at all: a deployment paging by offset only.
        r = parseListPage(R"({"conversations": [{"id": "CA1"}], "next_offset": 1})", ApiVersion::V3,
                          PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(!r.value().page.next.atEnd);
        QVERIFY(r.value().page.next.token.isEmpty());
        QCOMPARE(r.value().page.next.offset, 1);

        // Empty cursor text ends the walk too.
        r = parseListPage(R"({"conversations": [], "cursor": ""})", ApiVersion::V3,
                          PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r.ok());
        QVERIFY(r.value().page.next.atEnd);
    }

    void turnsMissingWhileCounted()
    {
        const auto r = parseListPage(fixture("v3_list_no_transcript.json"), ApiVersion::V3,
                                     PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r.ok());
        const ConversationDetail &d = detailFromRow(r.value().rows.at(0));
        QVERIFY(d.turns.isEmpty());
        QCOMPARE(d.summary.turnCount, 4);
        QVERIFY(d.transcriptNote.contains(u"4"_s));
        QCOMPARE(propertyValue(d, u"Duration"_s), u"1 h 2 min"_s);
        QCOMPARE(d.summary.updatedAt, utc(2026, 5, 2, 11, 2, 5)); // start + total_duration
        QCOMPARE(d.summary.title, QString());
    }

    void v3DetailCamelCase()
    {
        const auto r = parseConversation(fixture("v3_detail.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.summary.id, u"CAabcd1234567abcdef1250065d4fc7389"_s);
        QCOMPARE(d.summary.title, u"Caller disputed a charge and was transferred to billing."_s);
        QCOMPARE(d.summary.status, u"handoff"_s);
        QCOMPARE(d.summary.owner, u"+447700900123"_s);
        QCOMPARE(d.summary.createdAt, utc(2026, 5, 1, 9, 30, 0));
        QCOMPARE(d.summary.updatedAt, utc(2026, 5, 1, 9, 32, 10));
        QCOMPARE(d.summary.turnCount, 2);
        QCOMPARE(d.turns.size(), 3);
        QCOMPARE(d.turns.at(1).role, Turn::Role::User);
        QCOMPARE(d.turns.at(2).inReplyTo, d.turns.at(1).id);
        QCOMPARE(propertyValue(d, u"Tags"_s), u"vip, follow-up"_s);
        QCOMPARE(propertyValue(d, u"PolyScore"_s), u"0.87"_s);
        QCOMPARE(propertyValue(d, u"Language"_s), u"en-GB"_s);
        QCOMPARE(propertyValue(d, u"Direction"_s), u"inbound"_s);
        QCOMPARE(propertyValue(d, u"Environment"_s), u"live"_s);
        QCOMPARE(propertyValue(d, u"Note"_s), u"Call back on Monday"_s);
        QCOMPARE(propertyValue(d, u"Recording"_s), u"https://example.invalid/recording.wav"_s);
        QCOMPARE(propertyValue(d, u"Handoff"_s), u"yes, to Billing team: payment dispute"_s);
        QCOMPARE(propertyValue(d, u"Variant"_s), u"VARIANT-default"_s);
        QCOMPARE(propertyValue(d, u"Intents"_s), u"billing_question"_s);
    }

    void detailFromAListItem()
    {
        const auto r = parseConversation(
            R"({"id": "CA9", "started_at": "2026-01-01T00:00:00Z", "channel": "CHAT",
                "in_progress": false, "turns": [{"user_input": "hi", "agent_response": "hello"}]})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().summary.id, u"CA9"_s);
        QCOMPARE(r.value().turns.size(), 2);
        QCOMPARE(r.value().summary.title, u"hi"_s);
    }

    void brokenInput_data()
    {
        addBrokenBodies({
            {"empty", {}, u"empty"_s},
            {"not json", "<html>Bad gateway</html>", u"JSON"_s},
            {"truncated", R"({"conversations": [{"id": "CA1")", u"JSON"_s},
            {"array at top", "[]", u"object"_s},
            {"no conversations", R"({"next_offset": 5})", u"conversations"_s},
            {"conversations null", R"({"conversations": null})", u"conversations"_s},
            {"conversations object", R"({"conversations": {}})", u"conversations"_s},
        });
    }

    void brokenInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        for (const ApiVersion version : {ApiVersion::V1, ApiVersion::V3}) {
            verifyRefused(parseListPage(body, version, PageCursor{}), mentions,
                          Qt::CaseInsensitive);
            if (QTest::currentTestFailed())
                return;
        }
    }

    // A conversation that cannot be read is an unreadable row (and an unreadable detail,
    // which says why) among the others.
    void unreadableRow_data()
    {
        addUnreadableItems({
            {"item not object", R"("CA1")", u"conversations[1] is text"_s},
            {"id is a list", R"({"id": []})", u"'id'"_s},
            {"num_turns text", R"({"id": "x", "num_turns": "three"})", u"num_turns"_s},
            {"in_progress text", R"({"id": "x", "in_progress": "no"})", u"in_progress"_s},
            {"started_at not a time", R"({"id": "x", "started_at": "yesterday"})", u"started_at"_s},
            {"turns object", R"({"id": "x", "turns": {}})", u"turns"_s},
        });
    }

    void unreadableRow()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        for (const ApiVersion version : {ApiVersion::V1, ApiVersion::V3}) {
            const auto r =
                parseListPage(amidGood(R"({"conversations": [)", R"({"id": "CA0", "turns": []})",
                                       item, R"({"id": "CA2", "turns": []})", "]}"),
                              version, PageCursor{});
            QVERIFY2(r.ok(), qPrintable(r.error().message()));
            verifyOnlyUnreadable(r.value().page.items, 1, item, mentions, false);
            if (QTest::currentTestFailed())
                return;
            const QString id = item.contains(R"("id": "x")") ? u"x"_s : QString();
            QCOMPARE(r.value().page.items.at(1).id, id);
            QCOMPARE(r.value().rows.size(), 3);
            QCOMPARE(detailFromRow(r.value().rows.at(1)).summary.id, id);
            QVERIFY(detailFromRow(r.value().rows.at(1)).summary.isUnreadable());
            // Opened on its own, an item that is no object is named without its place.
            const QString note = detailFromRow(r.value().rows.at(1)).transcriptNote;
            QVERIFY2(note.contains(item.startsWith('{') ? mentions : u"is text"_s),
                     qPrintable(note));
            QCOMPARE(detailFromRow(r.value().rows.at(2)).summary.id, u"CA2"_s);
        }
    }

    // A turn pair that cannot be read is one unreadable turn in its place; the pairs around
    // it give their two sides, each with the pair's JSON.
    void unreadablePair_data()
    {
        addUnreadableItems({
            {"turn not object", "42", u"turns[1] is a number"_s},
            {"user_input number", R"({"user_input": 7, "agent_response": "x"})", u"user_input"_s},
            {"intents of numbers", R"({"user_input": "x", "intents": [1]})", u"intents"_s},
            {"latency text", R"({"user_input": "x", "latency": "fast"})", u"latency"_s},
            {"entity text", R"({"user_input": "x", "entities": ["a"]})", u"entities[0]"_s},
        });
    }

    void unreadablePair()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const QByteArray first = R"({"user_input": "hi", "agent_response": "hello"})";
        const auto r = parseConversation(
            amidGood(R"({"conversationId": "CA1", "turns": [)", first.constData(), item,
                     R"({"user_input": "bye", "intents": ["farewell"]})", "]}"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QList<Turn> &turns = r.value().turns;
        QCOMPARE(turns.size(), 4); // hi, hello, the unreadable pair, bye
        verifyOnlyUnreadable(turns, 2, item, mentions, true);
        QCOMPARE(turns.at(2).id, u"turn1"_s);
        QVERIFY(mappingtest::sameJson(turns.at(0).raw, first));
        QCOMPARE(turns.at(1).raw, turns.at(0).raw); // both sides of one pair: one copy
        QCOMPARE(turns.at(3).plainText(), u"bye"_s);
        QCOMPARE(propertyValue(r.value(), u"Intents"_s), u"farewell"_s);
    }

    // Paging that cannot go on keeps the rows: the page says why and is at its end.
    void pagingProblem_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("mentions");
        const QByteArray rows = R"("conversations": [{"id": "CA1"}])";
        QTest::newRow("next_offset text v1") << QByteArray("{" + rows + R"(, "next_offset": "10"})")
                                             << int(ApiVersion::V1) << u"next_offset"_s;
        QTest::newRow("next_offset behind v1") << QByteArray("{" + rows + R"(, "next_offset": 3})")
                                               << int(ApiVersion::V1) << u"does not move"_s;
        QTest::newRow("cursor number v3")
            << QByteArray("{" + rows + R"(, "cursor": 12})") << int(ApiVersion::V3) << u"cursor"_s;
        QTest::newRow("cursor repeated v3") << QByteArray("{" + rows + R"(, "cursor": "c5"})")
                                            << int(ApiVersion::V3) << u"cursor"_s;
    }

    void pagingProblem()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, version);
        QFETCH(QString, mentions);
        PageCursor asked = version == int(ApiVersion::V1) ? offsetCursor(5) : tokenCursor(u"c5"_s);
        const auto r = parseListPage(body, ApiVersion(version), asked);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().page.items.size(), 1);
        QCOMPARE(r.value().rows.size(), 1);
        QCOMPARE(r.value().page.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().page.error.detail.contains(mentions),
                 qPrintable(r.value().page.error.detail));
        QVERIFY(r.value().page.next.atEnd);
    }

    void brokenDetail()
    {
        auto d = parseConversation(R"({"channel": "CHAT"})");
        QVERIFY(!d.ok());
        QCOMPARE(d.error().kind, ApiError::Kind::BadResponse);
        // A field of the conversation's own: what was read stays, the turns above all.
        mappingtest::verifyUnreadableOwnField(
            parseConversation(R"({"conversationId": "CA1", "tags": "vip",
                                  "turns": [{"user_input": "hi", "agent_response": "yo"}]})"),
            u"tags"_s, 2);
        mappingtest::verifyUnreadableOwnField(
            parseConversation(R"({"conversationId": "CA1", "polyScore": "high"})"), u"polyScore"_s,
            0);
        d = parseConversation("null");
        QVERIFY(!d.ok());
    }

    void errors()
    {
        const ApiError base = ApiError::make(ApiError::Kind::Invalid, u"raw"_s, 400);
        ApiError e = refineError(base, fixture("error_v1.json"));
        QCOMPARE(e.kind, ApiError::Kind::Invalid);
        QCOMPARE(e.httpStatus, 400);
        QCOMPARE(e.detail, u"Invalid client_env"_s);

        const ApiError notFound = ApiError::make(ApiError::Kind::NotFound, {}, 404);
        e = refineError(notFound, fixture("error_v3.json"));
        QCOMPARE(e.kind, ApiError::Kind::NotFound);
        QCOMPARE(e.code, u"PROJECT_NOT_FOUND"_s);
        QVERIFY(e.detail.startsWith(u"Project ID does not exist."_s));
        QVERIFY(e.detail.contains(u"550e8400-e29b-41d4-a716-446655440000"_s));

        e = refineError(ApiError::make(ApiError::Kind::Forbidden, {}, 403),
                        R"({"message": "Forbidden"})");
        QCOMPARE(e.detail, u"Forbidden"_s);
        e = refineError(ApiError::make(ApiError::Kind::Invalid, {}, 422),
                        R"({"detail": "limit: must be at most 1000"})");
        QCOMPARE(e.detail, u"limit: must be at most 1000"_s);
        // Bodies that are not a PolyAI error leave the error as it was.
        QCOMPARE(refineError(base, "<html>502</html>").detail, u"raw"_s);
        QCOMPARE(refineError(base, "[1]").detail, u"raw"_s);
        QCOMPARE(refineError(base, QByteArray()).detail, u"raw"_s);
        QVERIFY(!refineError(ApiError{}, fixture("error_v1.json")).isError());
    }
};

QTEST_GUILESS_MAIN(TestPolyaiMapping)
#include "tst_polyai_mapping.moc"
