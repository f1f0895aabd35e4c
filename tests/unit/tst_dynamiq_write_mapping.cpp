// The Dynamiq write side's pure parts: request bodies checked before sending, answers
// mapped to core/ types (fixtures in tests/data/dynamiq/, written from the API reference),
// links checked before a browser opens them, and the run reader that turns the SSE events
// of a reply into one turn, for every way the stream is split.
#include "providers/dynamiq/DynamiqRunReader.h"
#include "providers/dynamiq/DynamiqWriteMapping.h"
#include "sandbox/dynamiq/DynamiqRunScript.h"
#include "support/MappingTestSupport.h"

#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace parley::dynamiq;
using namespace Qt::StringLiterals;

namespace {

const QString kApp = u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s;
const QString kModel = u"f8ff2fb8-4acc-4e48-bd83-cbdac23e1224"_s;
const QString kOrg = u"a40f5d1f-d889-42e9-94ea-b9b33585fc6b"_s;
using Params = QMap<QString, QString>;

const mappingtest::FixtureFolder fixture{"dynamiq"};

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// One SSE event as SseReader gives it.
SseEvent sseEvent(const QString &type, qint64 sequence, const QJsonObject &data,
                  const QString &id = {})
{
    QJsonObject envelope{{u"type"_s, type}, {u"data"_s, data}};
    if (sequence >= 0)
        envelope.insert(u"sequence"_s, sequence);
    envelope.insert(u"id"_s, id.isEmpty() ? u"evt-%1"_s.arg(sequence) : id);
    SseEvent e;
    e.type = type;
    e.data = json(envelope);
    return e;
}

SseEvent delta(qint64 sequence, const QString &text, const QString &id = {})
{
    return sseEvent(u"agent.response.delta"_s, sequence, QJsonObject{{u"delta"_s, text}}, id);
}

SseEvent started(const QString &runId = u"run-1"_s)
{
    return sseEvent(u"run.started"_s, 1, QJsonObject{{u"id"_s, runId}, {u"object"_s, u"run"_s}},
                    u"evt-start-"_s + runId);
}

SseEvent terminal(const QString &type, qint64 sequence, const QJsonObject &extra = {})
{
    QJsonObject data = extra;
    data.insert(u"id"_s, u"run-1"_s);
    data.insert(u"object"_s, u"run"_s);
    return sseEvent(type, sequence, data);
}

RunReader reader()
{
    return RunReader(u"local-1"_s, u"reply-1"_s,
                     QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC));
}

// Feeds the events and returns the last step.
RunReader::Step feedAll(RunReader &r, const QList<SseEvent> &events)
{
    RunReader::Step last;
    for (const SseEvent &e : events)
        last = r.feed(e);
    return last;
}

} // namespace

class TestDynamiqWriteMapping : public QObject
{
    Q_OBJECT

private slots:
    void createFieldsSayExactlyOne()
    {
        const QList<WorkspaceField> fields = createFields();
        QCOMPARE(fields.size(), 3);
        QCOMPARE(fields.at(0).key, u"app_id"_s);
        QCOMPARE(fields.at(0).exclusiveWith, u"model_id"_s);
        QCOMPARE(fields.at(1).key, u"model_id"_s);
        QCOMPARE(fields.at(1).exclusiveWith, u"app_id"_s);
        QVERIFY(fields.at(0).required && fields.at(1).required);
        QCOMPARE(fields.at(2).key, u"org_id"_s);
        QVERIFY(!fields.at(2).required);
        const QRegularExpression uuid(QRegularExpression::anchoredPattern(fields.at(0).pattern));
        QVERIFY(uuid.match(kApp).hasMatch());
        QVERIFY(!uuid.match(u"support-copilot"_s).hasMatch());
    }

    void createBodies()
    {
        NewConversation app;
        app.title = u"  Refund question "_s;
        app.params = {{u"app_id"_s, kApp.toUpper()}, {u"model_id"_s, u" "_s}};
        auto r = createBody(app);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value(), (QJsonObject{{u"title"_s, u"Refund question"_s}, {u"app_id"_s, kApp}}));

        NewConversation model;
        model.text = u"the first message is not part of the body"_s;
        model.params = {{u"model_id"_s, kModel}, {u"org_id"_s, kOrg}};
        r = createBody(model);
        QVERIFY(r.ok());
        QCOMPARE(r.value(), (QJsonObject{{u"model_id"_s, kModel}, {u"org_id"_s, kOrg}}));
    }

    void createBodyRefusals_data()
    {
        QTest::addColumn<Params>("params");
        QTest::addColumn<QString>("says");
        QTest::newRow("neither") << Params{} << u"app ID or a model ID"_s;
        QTest::newRow("only org") << Params{{u"org_id"_s, kOrg}} << u"app ID or a model ID"_s;
        QTest::newRow("both") << Params{{u"app_id"_s, kApp}, {u"model_id"_s, kModel}}
                              << u"not both"_s;
        QTest::newRow("bad app") << Params{{u"app_id"_s, u"1234"_s}} << u"app ID “1234”"_s;
        QTest::newRow("bad model") << Params{{u"model_id"_s, kModel + u'0'}} << u"model ID"_s;
        QTest::newRow("bad org") << Params{{u"app_id"_s, kApp}, {u"org_id"_s, u"x"_s}}
                                 << u"organization ID"_s;
        QTest::newRow("unknown") << Params{{u"app_id"_s, kApp}, {u"user_id"_s, u"u"_s}}
                                 << u"“user_id”"_s;
    }

    void createBodyRefusals()
    {
        QFETCH(Params, params);
        QFETCH(QString, says);
        NewConversation request;
        request.params = params;
        const auto r = createBody(request);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ApiError::Kind::Invalid);
        QVERIFY2(r.error().detail.contains(says), qPrintable(r.error().detail));
    }

    void createdConversation()
    {
        const QJsonObject c{{u"id"_s, u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s},
                            {u"title"_s, u"New"_s},
                            {u"app_id"_s, kApp},
                            {u"model_id"_s, QJsonValue::Null},
                            {u"created_at"_s, u"2026-06-01T12:00:01Z"_s},
                            {u"app"_s, QJsonObject{{u"id"_s, kApp}, {u"name"_s, u"Copilot"_s}}}};
        auto r = parseCreated(json({{u"data"_s, c}}));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().id, c.value(u"id"_s).toString());
        QCOMPARE(r.value().kind, u"Copilot"_s);
        QCOMPARE(r.value().createdAt, QDateTime(QDate(2026, 6, 1), QTime(12, 0, 1), Qt::UTC));

        for (const QByteArray &bad :
             {QByteArray("{}"), QByteArray("{\"data\": {\"title\": \"no id\"}}"),
              QByteArray("{\"data\": []}"), QByteArray("{\"data\": {\"id\": 5}}"),
              QByteArray("not json")}) {
            r = parseCreated(bad);
            QVERIFY2(!r.ok(), bad.constData());
            QCOMPARE(r.error().kind, ApiError::Kind::BadResponse);
        }
    }

    void messageAndUserTurn()
    {
        QCOMPARE(json(messageBody(u"Hi \"there\""_s)),
                 QByteArray("{\"content\":[{\"text\":\"Hi \\\"there\\\"\",\"type\":\"text\"}]}"));
        const QDateTime at(QDate(2026, 6, 1), QTime(9, 30), Qt::UTC);
        const Turn t = userTurn(u"local-7"_s, u"Hello"_s, at);
        QCOMPARE(t.id, u"local-7"_s);
        QCOMPARE(t.role, Turn::Role::User);
        QCOMPARE(t.state, Turn::State::Done);
        QCOMPARE(t.timestamp, at);
        QCOMPARE(t.plainText(), u"Hello"_s);
    }

    void requirementStatus()
    {
        auto r = parseRequirementStatus(fixture("requirements_status.json"), u"customer-7421"_s);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const RequirementStatus &s = r.value();
        QCOMPARE(s.userId, u"customer-7421"_s);
        QCOMPARE(s.status, u"incomplete"_s);
        QVERIFY(!s.complete());
        QCOMPARE(s.unsatisfied.size(), 2);
        const Requirement &gmail = s.unsatisfied.at(0);
        QCOMPARE(gmail.id, u"3f1d7c2e-0b6a-4e8f-9c51-7a2d4b8e6f10"_s);
        QCOMPARE(gmail.type, u"pipedream_account"_s);
        QCOMPARE(gmail.name, u"gmail_account"_s);
        QCOMPARE(gmail.title, u"Connect Gmail"_s);
        QCOMPARE(gmail.description, u"Lets the agent read your mail."_s);
        QCOMPARE(gmail.appSlug, u"gmail"_s);
        QVERIFY(gmail.canLink());
        QVERIFY(!gmail.satisfied);
        QVERIFY(!s.unsatisfied.at(1).canLink());
        QVERIFY(s.unsatisfied.at(1).appSlug.isEmpty());

        r = parseRequirementStatus("{\"status\": \"complete\", \"unsatisfied\": []}", u"u"_s);
        QVERIFY(r.ok());
        QVERIFY(r.value().complete());
        r = parseRequirementStatus("{\"status\": \"complete\"}", u"u"_s);
        QVERIFY(r.ok() && r.value().complete());

        // The connect API's list shape: title and description at the top, type from spec.
        JsonFields f;
        const Requirement listed = requirementFromJson(
            QJsonDocument::fromJson(
                "{\"id\": \"r1\", \"title\": \"Connect Slack\", \"spec\": {\"type\": "
                "\"pipedream_account\", \"data\": {\"app_slug\": \"slack\"}}}")
                .object(),
            f);
        QVERIFY(!f.failed());
        QCOMPARE(listed.title, u"Connect Slack"_s);
        QCOMPARE(listed.type, u"pipedream_account"_s);
        QCOMPARE(listed.appSlug, u"slack"_s);
    }

    void requirementStatusBroken_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty object") << QByteArray("{}") << u"neither"_s;
        QTest::newRow("unsatisfied object")
            << QByteArray("{\"status\": \"incomplete\", \"unsatisfied\": {}}") << u"unsatisfied"_s;
        QTest::newRow("item not object")
            << QByteArray("{\"status\": \"incomplete\", \"unsatisfied\": [3]}")
            << u"unsatisfied[0]"_s;
        QTest::newRow("item without id")
            << QByteArray(
                   "{\"status\": \"incomplete\", \"unsatisfied\": [{\"type\": \"connection\"}]}")
            << u"'id'"_s;
        QTest::newRow("form wrong type")
            << QByteArray("{\"unsatisfied\": [{\"id\": \"a\", \"form\": {\"title\": 1}}]}")
            << u"title"_s;
        QTest::newRow("not json") << QByteArray("<html>") << QString();
    }

    void requirementStatusBroken()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, says);
        const auto r = parseRequirementStatus(body, u"u"_s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.error().detail.contains(says), qPrintable(r.error().detail));
    }

    void connectToken()
    {
        auto r = parseConnectToken(fixture("connect_token.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(r.value().token.startsWith("eyJ"));
        QCOMPARE(r.value().url.host(), u"app.getdynamiq.ai"_s);
        QCOMPARE(r.value().expiresAt, QDateTime(QDate(2026, 6, 11), QTime(9, 11, 2), Qt::UTC));

        // A hosted page Parley would not open is left out; the token still serves.
        r = parseConnectToken(
            "{\"token\": \"t\", \"url\": \"http://connect.example.com/?token=t\"}");
        QVERIFY(r.ok());
        QCOMPARE(r.value().token, QByteArray("t"));
        QVERIFY(r.value().url.isEmpty());
        QVERIFY(!r.value().expiresAt.isValid());

        for (const QByteArray &bad :
             {QByteArray("{\"url\": \"https://x.example\"}"), QByteArray("{\"token\": \"  \"}"),
              QByteArray("{\"token\": 12}"), QByteArray("{\"token\": \"t\", \"expires_at\": 5}")}) {
            r = parseConnectToken(bad);
            QVERIFY2(!r.ok(), bad.constData());
            QCOMPARE(r.error().kind, ApiError::Kind::BadResponse);
        }
    }

    void authorizeUrl()
    {
        auto r = parseAuthorizeUrl(fixture("authorize.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().host(), u"pipedream.com"_s);
        QCOMPARE(r.value().scheme(), u"https"_s);

        for (const QByteArray &bad :
             {QByteArray("{}"), QByteArray("{\"data\": {}}"),
              QByteArray("{\"data\": {\"url\": 1}}"), QByteArray("{\"data\": \"https://x\"}")}) {
            r = parseAuthorizeUrl(bad);
            QVERIFY2(!r.ok(), bad.constData());
            QCOMPARE(r.error().kind, ApiError::Kind::BadResponse);
        }
    }

    void linkUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https") << u"https://pipedream.com/connect?token=ctok_1"_s << true;
        QTest::newRow("HTTPS upper") << u"HTTPS://pipedream.com/c"_s << true;
        QTest::newRow("http loopback")
            << u"http://127.0.0.1:8080/dynamiq-app/connect/visit"_s << true;
        QTest::newRow("http localhost") << u"http://localhost:9/x"_s << true;
        QTest::newRow("http ipv6 loopback") << u"http://[::1]:9/x"_s << true;
        QTest::newRow("http remote")
            << u"http://pipedream.com/connect?token=ctok_secret"_s << false;
        QTest::newRow("http lookalike") << u"http://127.0.0.1.example.com/x"_s << false;
        QTest::newRow("javascript") << u"javascript:alert(1)"_s << false;
        QTest::newRow("file") << u"file:///etc/passwd"_s << false;
        QTest::newRow("ftp") << u"ftp://example.com/x"_s << false;
        QTest::newRow("relative") << u"/connect?token=x"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void linkUrls()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        const Result<QUrl> r = linkUrl(url);
        QCOMPARE(r.ok(), accepted);
        if (accepted)
            return;
        QVERIFY(r.error().kind == ApiError::Kind::Config ||
                r.error().kind == ApiError::Kind::BadResponse);
        // The refusal never repeats the link's path or query: they may carry a token.
        QVERIFY2(!r.error().detail.contains(u"ctok_"_s), qPrintable(r.error().detail));
        QVERIFY(!r.error().detail.contains(u"passwd"_s));
        if (url.startsWith(u"http://pipedream"_s))
            QVERIFY2(r.error().detail.contains(u"https"_s), qPrintable(r.error().detail));
    }

    void pathSegments()
    {
        for (const QString &ok : {u"run-1"_s, kApp, u"a.b_c~d"_s})
            QVERIFY2(isPathSegment(ok), qPrintable(ok));
        for (const QString &bad : {QString(), u"."_s, u".."_s, u"a/b"_s, u"a b"_s, u"a?b"_s,
                                   u"%2e%2e"_s, QString(201, u'a')})
            QVERIFY2(!isPathSegment(bad), qPrintable(bad));
    }

    // --- RunReader ---

    void documentedStream()
    {
        // The fixture as the wire carries it, through the SSE parser.
        SseReader sse;
        QList<SseEvent> events = sse.feed(fixture("run_events.sse"));
        events << sse.finish();
        RunReader r = reader();
        const RunReader::Step first = r.feed(events.at(0));
        QVERIFY(first.runChanged);
        QCOMPARE(r.runId(), u"run-7f3a"_s);
        QCOMPARE(first.status, std::optional<QString>(RunReader::thinkingStatus()));
        QVERIFY(!first.turnChanged);
        const RunReader::Step reasoning = r.feed(events.at(1));
        QVERIFY(!reasoning.status); // still thinking: nothing new to say
        const RunReader::Step words = r.feed(events.at(2));
        QVERIFY(words.turnChanged);
        QCOMPARE(words.status, std::optional<QString>(QString())); // writing now
        QCOMPARE(r.turn().id, u"run-7f3a"_s);
        QCOMPARE(r.turn().role, Turn::Role::Assistant);
        QCOMPARE(r.turn().state, Turn::State::InProgress);
        QCOMPARE(r.turn().inReplyTo, u"local-1"_s);
        QCOMPARE(r.turn().timestamp, QDateTime(QDate(2026, 6, 10), QTime(9, 11, 2), Qt::UTC));
        r.feed(events.at(3));
        r.feed(events.at(4));
        const RunReader::Step end = r.feed(events.at(5));
        QVERIFY(end.ended);
        QVERIFY(!end.error);
        QVERIFY(r.isOver());
        QCOMPARE(r.turn().state, Turn::State::Done);
        QCOMPARE(r.turn().fragments.size(), 4);
        QCOMPARE(r.turn().fragments.at(0).text, u"Ticket 42 "_s);
        QCOMPARE(r.turn().fragments.at(1).kind, Fragment::Kind::ToolCall);
        QCOMPARE(r.turn().fragments.at(1).name, u"search_tickets"_s);
        QCOMPARE(r.turn().fragments.at(1).text, u"{\"id\":42}"_s);
        QCOMPARE(r.turn().fragments.at(2).kind, Fragment::Kind::ToolResult);
        QCOMPARE(r.turn().fragments.at(2).text, u"{\"status\":\"open\"}"_s);
        QCOMPARE(r.turn().fragments.at(2).callId, r.turn().fragments.at(1).callId);
        QCOMPARE(r.turn().fragments.at(3).text, u"is still open."_s);
        QCOMPARE(r.turn().plainText(), u"Ticket 42 \nis still open."_s); // text fragments, joined
        QCOMPARE(events.size(), 6); // the heartbeat comment is no event
        QVERIFY(!r.end().ended);    // the stream's end after the terminal event says nothing
    }

    void deltasFollowTheirSequence()
    {
        RunReader r = reader();
        r.feed(started());
        feedAll(r, {delta(2, u"one "_s), delta(5, u"three"_s), delta(4, u"two "_s)});
        QCOMPARE(r.turn().plainText(), u"one two three"_s);
        QCOMPARE(r.turn().fragments.size(), 1);
        // An event seen twice (same id) counts once; one without a sequence goes last.
        r.feed(delta(4, u"two "_s));
        r.feed(delta(-1, u"!"_s, u"evt-x"_s));
        QCOMPARE(r.turn().plainText(), u"one two three!"_s);
        // A tool call that arrives late is placed by its sequence too.
        r.feed(sseEvent(
            u"agent.tool_call.completed"_s, 3,
            QJsonObject{{u"tool"_s, QJsonObject{{u"name"_s, u"t"_s}}}, {u"error"_s, u"boom"_s}},
            u"evt-tool"_s));
        QCOMPARE(r.turn().fragments.size(), 4);
        QCOMPARE(r.turn().fragments.at(0).text, u"one "_s);
        QCOMPARE(r.turn().fragments.at(1).kind, Fragment::Kind::ToolCall);
        QCOMPARE(r.turn().fragments.at(1).name, u"t"_s);
        QCOMPARE(r.turn().fragments.at(1).callId, u"evt-tool"_s);
        QCOMPARE(r.turn().fragments.at(2).kind, Fragment::Kind::ToolResult);
        QVERIFY(r.turn().fragments.at(2).failed);
        QVERIFY(r.turn().fragments.at(2).text.contains(u"boom"_s));
        QCOMPARE(r.turn().fragments.at(3).text, u"two three!"_s);
    }

    void outputIsTheFinalWord()
    {
        RunReader r = reader();
        r.feed(started());
        r.feed(delta(2, u"Draft"_s));
        r.feed(terminal(u"run.completed"_s, 3, QJsonObject{{u"output"_s, u"Final answer"_s}}));
        QCOMPARE(r.turn().plainText(), u"Final answer"_s);

        RunReader same = reader();
        same.feed(delta(1, u"Same"_s));
        same.feed(terminal(u"run.completed"_s, 2,
                           QJsonObject{{u"output"_s, QJsonObject{{u"content"_s, u"Same"_s}}}}));
        QCOMPARE(same.turn().fragments.size(), 1);
        QCOMPARE(same.turn().plainText(), u"Same"_s);

        // Without output, what streamed stays; a completed run with nothing still has a turn.
        RunReader empty = reader();
        const RunReader::Step s = empty.feed(terminal(u"run.completed"_s, 1));
        QVERIFY(s.ended && s.turnChanged);
        QCOMPARE(empty.turn().state, Turn::State::Done);
        QCOMPARE(empty.turn().id, u"run-1"_s);
        QVERIFY(empty.turn().fragments.isEmpty());
    }

    void failedAndCanceledRuns()
    {
        RunReader failed = reader();
        failed.feed(started());
        failed.feed(delta(2, u"Partial"_s));
        RunReader::Step s = failed.feed(
            terminal(u"run.failed"_s, 3,
                     QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, u"Tool timed out"_s},
                                                          {u"code"_s, u"timeout"_s}}}}));
        QVERIFY(s.ended && s.turnChanged);
        QCOMPARE(s.error.kind, ApiError::Kind::Server);
        QCOMPARE(s.error.detail, u"Tool timed out"_s);
        QCOMPARE(s.error.code, u"timeout"_s);
        QCOMPARE(failed.turn().state, Turn::State::Error);
        QCOMPARE(failed.turn().errorDetail, u"Tool timed out"_s);
        QCOMPARE(failed.turn().plainText(), u"Partial"_s);

        RunReader bare = reader();
        s = bare.feed(terminal(u"run.failed"_s, 1, QJsonObject{{u"error"_s, u"out of credits"_s}}));
        QCOMPARE(s.error.detail, u"out of credits"_s);
        QCOMPARE(s.error.code, u"run_failed"_s);
        RunReader silent = reader();
        s = silent.feed(terminal(u"run.failed"_s, 1));
        QVERIFY(!s.error.detail.isEmpty());

        RunReader canceled = reader();
        canceled.feed(started());
        canceled.feed(delta(2, u"Stopped here"_s));
        s = canceled.feed(terminal(u"run.canceled"_s, 3));
        QVERIFY(s.ended);
        QVERIFY(!s.error); // asked for: not a failure
        QCOMPARE(canceled.turn().state, Turn::State::Stopped);
        QCOMPARE(canceled.turn().plainText(), u"Stopped here"_s);

        // After the terminal event, nothing counts.
        s = canceled.feed(delta(4, u" more"_s));
        QVERIFY(!s.turnChanged && !s.ended);
        QCOMPARE(canceled.turn().plainText(), u"Stopped here"_s);
    }

    void cutOffAndBrokenStreams()
    {
        RunReader cut = reader();
        cut.feed(started());
        cut.feed(delta(2, u"Half"_s));
        RunReader::Step s = cut.end();
        QVERIFY(s.ended && s.turnChanged);
        QCOMPARE(s.error.kind, ApiError::Kind::BadResponse);
        QVERIFY(s.error.detail.contains(u"cut off"_s));
        QCOMPARE(cut.turn().state, Turn::State::Error);

        RunReader early = reader(); // nothing shown yet: no turn to mark
        early.feed(started());
        s = early.end();
        QVERIFY(s.ended && !s.turnChanged);

        RunReader network = reader();
        network.feed(delta(1, u"x"_s));
        s = network.interrupt(ApiError::make(ApiError::Kind::Network, u"reset"_s));
        QCOMPARE(s.error.kind, ApiError::Kind::Network);
        QCOMPARE(network.turn().errorDetail, u"reset"_s);

        SseEvent skipped;
        skipped.error = u"event larger than 8 MB"_s;
        SseEvent notJson;
        notJson.type = u"agent.response.delta"_s;
        notJson.data = "{broken";
        const SseEvent wrongType =
            sseEvent(u"agent.response.delta"_s, 2, QJsonObject{{u"delta"_s, 42}});
        SseEvent wrongEnvelope;
        wrongEnvelope.data = "{\"type\": \"run.started\", \"sequence\": \"one\"}";
        for (const SseEvent &bad : {skipped, notJson, wrongType, wrongEnvelope}) {
            RunReader r = reader();
            s = r.feed(bad);
            QVERIFY(s.ended);
            QCOMPARE(s.error.kind, ApiError::Kind::BadResponse);
        }
        RunReader typed = reader();
        QVERIFY(typed.feed(wrongType).error.detail.contains(u"delta"_s));
    }

    void otherEvents()
    {
        RunReader r = reader();
        // Words before the run's id: the turn keeps the fallback id for good.
        r.feed(delta(1, u"Early"_s));
        QCOMPARE(r.turn().id, u"reply-1"_s);
        const RunReader::Step late = r.feed(started(u"run-9"_s));
        QVERIFY(late.runChanged);
        QCOMPARE(r.runId(), u"run-9"_s);
        QCOMPARE(r.turn().id, u"reply-1"_s);

        RunReader::Step s = r.feed(sseEvent(u"some.future.event"_s, 3, QJsonObject{}));
        QVERIFY(!s.ended && !s.turnChanged && !s.status);
        s = r.feed(sseEvent(u"agent.human_feedback.requested"_s, 4, QJsonObject{}));
        QVERIFY(s.status && s.status->contains(u"Dynamiq"_s));
        // The envelope's type wins over the SSE event name.
        SseEvent renamed = delta(5, u"!"_s);
        renamed.type = u"message"_s;
        r.feed(renamed);
        QCOMPARE(r.turn().plainText(), u"Early!"_s);
    }

    // The sandbox's runs through SseReader and RunReader, split at every byte boundary
    // and in one piece: the same turn each time, and the same as the script's answer.
    void sandboxStreamAnySplit()
    {
        const QDateTime at(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
        const auto script =
            sandbox::DynamiqRunScript::make(7, u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s, 3,
                                            u"run-x"_s, u"Please look up order 7"_s, at, 40);
        const QByteArray wire = script.frames.join();
        QString reference;
        for (qsizetype step : {qsizetype(1), qsizetype(7), qsizetype(64), wire.size()}) {
            SseReader sse;
            RunReader r = reader();
            for (qsizetype i = 0; i < wire.size(); i += step) {
                for (const SseEvent &e : sse.feed(wire.mid(i, step)))
                    r.feed(e);
            }
            for (const SseEvent &e : sse.finish())
                r.feed(e);
            QVERIFY(r.isOver());
            QCOMPARE(r.runId(), u"run-x"_s);
            QCOMPARE(r.turn().state, Turn::State::Done);
            QCOMPARE(r.turn().plainText(), script.answer);
            QCOMPARE(r.turn().fragments.at(0).kind, Fragment::Kind::ToolCall);
            if (reference.isEmpty())
                reference = r.turn().plainText();
            QCOMPARE(r.turn().plainText(), reference);
        }

        // Stopped after a few frames: run.canceled ends it, what streamed stays.
        SseReader sse;
        RunReader r = reader();
        const qsizetype sent = script.frames.size() - 3;
        QByteArray cut;
        for (qsizetype i = 0; i < sent; ++i)
            cut += script.frames.at(i);
        cut += script.canceledFrame(sent);
        for (const SseEvent &e : sse.feed(cut))
            r.feed(e);
        QVERIFY(r.isOver());
        QCOMPARE(r.turn().state, Turn::State::Stopped);
        QVERIFY(script.answer.startsWith(r.turn().plainText()));
        QVERIFY(r.turn().plainText().size() < script.answer.size());
    }
};

QTEST_GUILESS_MAIN(TestDynamiqWriteMapping)
#include "tst_dynamiq_write_mapping.moc"
