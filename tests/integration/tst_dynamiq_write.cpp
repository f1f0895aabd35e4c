// The Dynamiq write side over real HTTP on 127.0.0.1: DynamiqProvider against the
// in-process sandbox (both hosts, /dynamiq and /dynamiq-app) creating conversations,
// streaming replies into one growing turn, canceling a run on the app host, and the
// end-user requirement flow (status → connect token → authorize → the browser's visit →
// complete). A bare SandboxServer stands in for a misbehaving Dynamiq where the emulation
// cannot (a cut-off stream, a non-https link).
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/ReplyStream.h"
#include "providers/dynamiq/DynamiqProvider.h"
#include "providers/dynamiq/DynamiqRunReader.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"
#include "support/RawHttp.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

constexpr quint32 kSeed = 23;
constexpr int kCount = 40;
constexpr int kWaitMs = 15000;
const QByteArray kKey = "parley-demo-key";
const QString kRunId = u"0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"_s;
using Params = QMap<QString, QString>;

// Everything one ReplyStream said, in order.
struct Recording
{
    QStringList events; // "conversation", "turn", "run", "status", "finished"
    QList<Conversation> conversations;
    QList<Turn> turns;
    QStringList replaces;
    QStringList runs;
    QStringList statuses;
    int finishedCount = 0;
    ApiError error;

    QList<Turn> turnsOf(Turn::Role role) const
    {
        QList<Turn> out;
        for (const Turn &t : turns) {
            if (t.role == role)
                out << t;
        }
        return out;
    }
};

void record(ReplyStream *stream, Recording *r)
{
    QObject::connect(stream, &ReplyStream::conversationChanged, stream, [r](const Conversation &c) {
        r->events << u"conversation"_s;
        r->conversations << c;
    });
    QObject::connect(stream, &ReplyStream::turnChanged, stream,
                     [r](const Turn &t, const QString &replaces) {
                         r->events << u"turn"_s;
                         r->turns << t;
                         r->replaces << replaces;
                     });
    QObject::connect(stream, &ReplyStream::runChanged, stream, [r](const QString &id) {
        r->events << u"run"_s;
        r->runs << id;
    });
    QObject::connect(stream, &ReplyStream::statusChanged, stream, [r](const QString &text) {
        r->events << u"status"_s;
        r->statuses << text;
    });
    QObject::connect(stream, &ReplyStream::finished, stream, [r](const ApiError &e) {
        r->events << u"finished"_s;
        ++r->finishedCount;
        r->error = e;
    });
}

// A provider call's single answer.
template<typename T>
struct Answer
{
    std::optional<Result<T>> result;
    int count = 0;
    Provider::Done<T> done()
    {
        return [this](Result<T> r) {
            ++count;
            result.emplace(std::move(r));
        };
    }
};

struct ErrorAnswer
{
    std::optional<ApiError> error;
    int count = 0;
    std::function<void(ApiError)> done()
    {
        return [this](ApiError e) {
            ++count;
            error = e;
        };
    }
};

// The three calls that go to the app host, made at once: cancelling an unknown run of
// `conversationId`, a user's requirements and a connect token for that user.
struct AppHostCalls
{
    ErrorAnswer cancel;
    Answer<RequirementStatus> status;
    Answer<ConnectToken> token;

    void start(Provider &p, const QString &conversationId, QObject *context)
    {
        p.cancelRun(conversationId, u"00000000-0000-4000-8000-0000000000ff"_s, context,
                    cancel.done());
        p.fetchRequirements(u"customer-1"_s, context, status.done());
        p.createConnectToken(u"customer-1"_s, context, token.done());
    }
    int count() const { return cancel.count + status.count + token.count; }
    bool answered() const { return cancel.error && status.result && token.result; }
};

} // namespace

class TestDynamiqWrite : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<Sandbox> m_slow; // a longer stream interval, for canceling mid-way
    std::unique_ptr<SandboxServer> m_bare;
    quint16 m_barePort = 0;
    std::unique_ptr<HttpClient> m_http;
    RawHttp m_raw;
    DynamiqSandboxData m_data{kSeed, kCount};

    Workspace workspace(const Sandbox &sandbox, bool withAppHost) const
    {
        Workspace ws;
        ws.id = QUuid::createUuid();
        ws.name = u"Dynamiq sandbox"_s;
        ws.platform = u"dynamiq"_s;
        ws.baseUrl = sandbox.baseUrl(u"dynamiq"_s);
        if (withAppHost)
            ws.params.insert(u"app_host"_s, sandbox.baseUrl(u"dynamiq-app"_s).toString());
        return ws;
    }

    std::unique_ptr<Provider> provider(bool withAppHost = true, const QByteArray &key = kKey,
                                       const Sandbox *sandbox = nullptr) const
    {
        return ProviderRegistry::create(workspace(sandbox ? *sandbox : *m_sandbox, withAppHost),
                                        key, m_http.get());
    }

    std::unique_ptr<Provider> bareProvider() const
    {
        Workspace ws;
        ws.id = QUuid::createUuid();
        ws.name = u"Misbehaving Dynamiq"_s;
        ws.platform = u"dynamiq"_s;
        ws.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(m_barePort));
        ws.params.insert(u"app_host"_s, u"http://127.0.0.1:%1"_s.arg(m_barePort));
        return ProviderRegistry::create(ws, kKey, m_http.get());
    }

    int requests() const { return m_sandbox->server()->requestCount(); }

    // Runs a reply to its end.
    static bool waitFinished(const Recording &r)
    {
        return QTest::qWaitFor([&r] { return r.finishedCount > 0; }, kWaitMs);
    }

    // Records `stream` until it ends; false when it did not end in time.
    static bool recordToEnd(ReplyStream *stream, Recording *r)
    {
        record(stream, r);
        return waitFinished(*r);
    }

    // Sends `text` to the misbehaving Dynamiq and records the reply to its end (false when
    // it did not end in time); `runId` gets the run the stream reported.
    bool sendToBare(const QString &text, Recording *r, QString *runId = nullptr)
    {
        const auto p = bareProvider();
        ReplyStream *stream = p->sendMessage(m_data.idAt(0), text, this);
        const bool ended = recordToEnd(stream, r);
        if (runId)
            *runId = stream->runId();
        return ended;
    }

    static void verifyGrowingTurn(const Recording &r)
    {
        const QList<Turn> replies = r.turnsOf(Turn::Role::Assistant);
        QVERIFY(!replies.isEmpty());
        QString previous;
        for (qsizetype i = 0; i < replies.size(); ++i) {
            const Turn &t = replies.at(i);
            QCOMPARE(t.id, replies.constFirst().id); // one turn, updated in place
            if (i + 1 < replies.size())
                QCOMPARE(t.state, Turn::State::InProgress);
            QVERIFY2(t.plainText().startsWith(previous) || i + 1 == replies.size(),
                     qPrintable(t.plainText()));
            previous = t.plainText();
        }
        for (const QString &replaces : r.replaces)
            QVERIFY(replaces.isEmpty());
    }

    // What the user's browser would get at `url`.
    QByteArray visit(const QUrl &url, int *status)
    {
        const RawAnswer a = m_raw.get(url);
        *status = a.status;
        return a.body;
    }

    int postJson(const QUrl &url, const QByteArray &bearer, const QJsonObject &body)
    {
        return m_raw
            .send("POST", url, QJsonDocument(body).toJson(),
                  {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}})
            .status;
    }

    static QByteArray frame(const QString &type, qint64 sequence, const QJsonObject &data)
    {
        const QJsonObject envelope{{u"id"_s, u"evt-%1"_s.arg(sequence)},
                                   {u"type"_s, type},
                                   {u"sequence"_s, sequence},
                                   {u"data"_s, data}};
        return "event: " + type.toUtf8() +
               "\ndata: " + QJsonDocument(envelope).toJson(QJsonDocument::Compact) + "\n\n";
    }

private slots:
    void initTestCase()
    {
        SandboxOptions options;
        options.seed = kSeed;
        options.conversations = kCount;
        options.streamIntervalMs = 4;
        m_sandbox = std::make_unique<Sandbox>(options);
        QString error;
        QVERIFY2(m_sandbox->start(&error), qPrintable(error));

        options.streamIntervalMs = 60; // a reply takes seconds: time to cancel it
        m_slow = std::make_unique<Sandbox>(options);
        QVERIFY2(m_slow->start(&error), qPrintable(error));

        // A Dynamiq that misbehaves in ways the emulation never does.
        m_bare = std::make_unique<SandboxServer>();
        const QString messages = u"/v3/conversations/[0-9a-f-]{36}/messages"_s;
        m_bare->route("POST", messages, [](const SandboxRequest &r) {
            const QString text =
                r.json().value(u"content"_s).toArray().at(0).toObject().value(u"text"_s).toString();
            if (text == "json"_L1) // a JSON answer where an event stream belongs
                return SandboxReply::json(QJsonObject{{u"ok"_s, true}});
            QList<QByteArray> frames{
                frame(u"run.started"_s, 1, QJsonObject{{u"id"_s, kRunId}}),
                frame(u"agent.response.delta"_s, 2, QJsonObject{{u"delta"_s, u"Half "_s}}),
                frame(u"agent.response.delta"_s, 3, QJsonObject{{u"delta"_s, u"an answer"_s}}),
            };
            if (text == "failed"_L1)
                frames << frame(
                    u"run.failed"_s, 4,
                    QJsonObject{{u"id"_s, kRunId},
                                {u"object"_s, u"run"_s},
                                {u"status"_s, u"failed"_s},
                                {u"error"_s, QJsonObject{{u"code"_s, u"tool_error"_s},
                                                         {u"message"_s, u"the CRM timed out"_s}}}});
            return SandboxReply::stream("text/event-stream", frames, 2);
        });
        m_bare->route(
            "POST", u"/v1/connect/requirements/([^/]+)/pipedream/authorize"_s,
            [](const SandboxRequest &r) {
                const QString url = r.args.value(0) == "plain"_L1
                                        ? u"http://pipedream.example.com/connect"_s
                                        : u"https://pipedream.example.com/connect"_s;
                return SandboxReply::json(QJsonObject{{u"data"_s, QJsonObject{{u"url"_s, url}}}});
            });
        m_barePort = m_bare->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_barePort != 0);

        m_http = std::make_unique<HttpClient>();
    }

    void capabilities()
    {
        const auto p = provider();
        const Capabilities caps = p->capabilities();
        for (auto action : {Capabilities::Create, Capabilities::Send, Capabilities::Cancel,
                            Capabilities::Connectors})
            QVERIFY(caps.can(action));
        QVERIFY(!caps.can(Capabilities::Append));
        QVERIFY(!caps.can(Capabilities::FollowUps));
        QVERIFY(caps.createHasTitle);
        QVERIFY(!caps.createNeedsText);
        QCOMPARE(caps.createFields.size(), 3);
        const WorkspaceField &app = caps.createFields.at(0);
        const WorkspaceField &model = caps.createFields.at(1);
        const WorkspaceField &org = caps.createFields.at(2);
        QCOMPARE(app.key, u"app_id"_s);
        QCOMPARE(model.key, u"model_id"_s);
        QCOMPARE(org.key, u"org_id"_s);
        QVERIFY(app.required && model.required && !org.required);
        QCOMPARE(app.exclusiveWith, u"model_id"_s);
        QCOMPARE(model.exclusiveWith, u"app_id"_s);
        QVERIFY(org.exclusiveWith.isEmpty());
    }

    void createWithApp()
    {
        const auto p = provider();
        const DynamiqSandboxData::App app = m_data.apps().at(1);
        NewConversation request;
        request.title = u"Refund question"_s;
        request.params.insert(u"app_id"_s, app.id.toUpper()); // any case
        request.params.insert(u"model_id"_s, QString());      // empty = absent
        ReplyStream *stream = p->startConversation(request, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QCOMPARE(r.finishedCount, 1);
        QVERIFY2(!r.error, qPrintable(r.error.message()));
        QCOMPARE(r.events, (QStringList{u"conversation"_s, u"finished"_s}));
        const Conversation c = r.conversations.constFirst();
        QVERIFY(!c.id.isEmpty());
        QCOMPARE(stream->conversationId(), c.id);
        QCOMPARE(c.title, u"Refund question"_s);
        QCOMPARE(c.kind, app.name);
        QVERIFY(c.createdAt.isValid());
        QVERIFY(stream->runId().isEmpty()); // no message, no run

        // It is a conversation like the others: it opens, and the list shows it first.
        Answer<ConversationDetail> detail;
        p->fetchConversation(c.id, this, detail.done());
        QTRY_VERIFY_WITH_TIMEOUT(detail.result.has_value(), kWaitMs);
        QVERIFY2(detail.result->ok(), qPrintable(detail.result->error().message()));
        QCOMPARE(detail.result->value().summary.title, u"Refund question"_s);

        ListQuery q;
        q.pageSize = 5;
        Answer<ConversationPage> page;
        p->listConversations(q, PageCursor::first(PageCursor::Style::PageNumber), this,
                             page.done());
        QTRY_VERIFY_WITH_TIMEOUT(page.result.has_value(), kWaitMs);
        QVERIFY(page.result->ok());
        QCOMPARE(page.result->value().items.constFirst().id, c.id);
        QCOMPARE(page.result->value().total, qint64(kCount) + 1);

        // Filtered by another app it is not there; by its own app it is, once.
        for (const auto &[filterApp, expected] :
             {std::pair{m_data.apps().at(0).id, 0}, std::pair{app.id, 1}}) {
            ListQuery fq;
            fq.pageSize = 100;
            fq.filters.insert(u"app_id"_s, filterApp);
            Answer<ConversationPage> filtered;
            p->listConversations(fq, PageCursor::first(PageCursor::Style::PageNumber), this,
                                 filtered.done());
            QTRY_VERIFY_WITH_TIMEOUT(filtered.result.has_value(), kWaitMs);
            QVERIFY(filtered.result->ok());
            int found = 0;
            for (const Conversation &row : filtered.result->value().items)
                found += row.id == c.id ? 1 : 0;
            QCOMPARE(found, expected);
        }
    }

    void createWithModel()
    {
        const auto p = provider(false); // creating needs no app host
        const DynamiqSandboxData::Model model = m_data.models().at(2);
        NewConversation request;
        request.params.insert(u"model_id"_s, model.id);
        request.params.insert(u"org_id"_s, m_data.orgIds().at(1));
        ReplyStream *stream = p->startConversation(request, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QVERIFY2(!r.error, qPrintable(r.error.message()));
        QCOMPARE(r.conversations.size(), 1);
        QCOMPARE(r.conversations.constFirst().kind, model.name);
        QVERIFY(r.conversations.constFirst().title.isEmpty());
        QVERIFY(r.turns.isEmpty());
    }

    void createRefusedBeforeSending_data()
    {
        QTest::addColumn<Params>("params");
        QTest::addColumn<QString>("says");
        const QString app = DynamiqSandboxData(kSeed, kCount).apps().at(0).id;
        const QString model = DynamiqSandboxData(kSeed, kCount).models().at(0).id;
        QTest::newRow("neither") << Params{} << u"app ID or a model ID"_s;
        QTest::newRow("blank both")
            << Params{{u"app_id"_s, u"  "_s}, {u"model_id"_s, {}}} << u"app ID or a model ID"_s;
        QTest::newRow("both") << Params{{u"app_id"_s, app}, {u"model_id"_s, model}}
                              << u"not both"_s;
        QTest::newRow("app not a UUID")
            << Params{{u"app_id"_s, u"support-copilot"_s}} << u"not a UUID"_s;
        QTest::newRow("org not a UUID")
            << Params{{u"model_id"_s, model}, {u"org_id"_s, u"acme"_s}} << u"organization ID"_s;
        QTest::newRow("unknown field")
            << Params{{u"app_id"_s, app}, {u"agent_id"_s, u"x"_s}} << u"agent_id"_s;
    }

    void createRefusedBeforeSending()
    {
        QFETCH(Params, params);
        QFETCH(QString, says);
        const auto p = provider();
        const int before = requests();
        NewConversation request;
        request.title = u"Never sent"_s;
        request.text = u"Hello"_s;
        request.params = params;
        ReplyStream *stream = p->startConversation(request, this);
        QVERIFY(!stream->isFinished()); // reported from the event loop, not from the call
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QCOMPARE(r.finishedCount, 1);
        QCOMPARE(r.error.kind, ApiError::Kind::Invalid);
        QVERIFY2(r.error.detail.contains(says), qPrintable(r.error.detail));
        QCOMPARE(r.events, QStringList{u"finished"_s});
        QCOMPARE(requests(), before); // nothing sent
    }

    void createUnknownApp()
    {
        const auto p = provider();
        NewConversation request;
        request.params.insert(u"app_id"_s, u"00000000-0000-4000-8000-000000000001"_s);
        ReplyStream *stream = p->startConversation(request, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QCOMPARE(r.error.kind, ApiError::Kind::NotFound);
        QCOMPARE(r.error.code, u"not_found"_s);
        // Says which ids, not just "Not Found".
        QVERIFY2(r.error.message().contains(u"no app, model or organization"_s),
                 qPrintable(r.error.message()));
        QVERIFY(r.conversations.isEmpty());
    }

    void createWithFirstMessageStreamsTheReply()
    {
        const auto p = provider();
        NewConversation request;
        request.title = u"Card declined"_s;
        request.text = u"Why was my card declined?"_s;
        request.params.insert(u"app_id"_s, m_data.apps().at(0).id);
        ReplyStream *stream = p->startConversation(request, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QVERIFY2(!r.error, qPrintable(r.error.message()));
        QCOMPARE(r.finishedCount, 1);

        // The conversation first, then the user's message, then the reply.
        QCOMPARE(r.events.constFirst(), u"conversation"_s);
        QCOMPARE(r.events.at(1), u"turn"_s);
        const Turn user = r.turns.constFirst();
        QCOMPARE(user.role, Turn::Role::User);
        QCOMPARE(user.plainText(), request.text);
        QCOMPARE(user.state, Turn::State::Done);
        QCOMPARE(r.turnsOf(Turn::Role::User).size(), 1);

        verifyGrowingTurn(r);
        const Turn last = r.turnsOf(Turn::Role::Assistant).constLast();
        QCOMPARE(last.state, Turn::State::Done);
        QCOMPARE(last.inReplyTo, user.id);
        QVERIFY(!last.plainText().isEmpty());
        QCOMPARE(r.runs.size(), 1);
        QCOMPARE(stream->runId(), r.runs.constFirst());
        QCOMPARE(stream->conversationId(), r.conversations.constFirst().id);

        // The new conversation takes further messages.
        ReplyStream *again = p->sendMessage(stream->conversationId(), u"Thanks!"_s, this);
        Recording r2;
        QVERIFY(recordToEnd(again, &r2));
        QVERIFY2(!r2.error, qPrintable(r2.error.message()));
        QVERIFY(r2.runs.constFirst() != r.runs.constFirst());
    }

    void sendStreamsIntoOneGrowingTurn()
    {
        const auto p = provider(false);
        const QString id = m_data.idAt(3);
        ReplyStream *stream = p->sendMessage(id, u"How many users signed up last week?"_s, this);
        QVERIFY(!stream->isFinished());
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QVERIFY2(!r.error, qPrintable(r.error.message()));
        QCOMPARE(r.finishedCount, 1);
        QCOMPARE(r.events.constLast(), u"finished"_s);

        QCOMPARE(r.turns.constFirst().role, Turn::Role::User);
        QCOMPARE(r.turns.constFirst().plainText(), u"How many users signed up last week?"_s);
        const QList<Turn> replies = r.turnsOf(Turn::Role::Assistant);
        QVERIFY2(replies.size() > 5, "one update per word");
        verifyGrowingTurn(r);
        QCOMPARE(replies.constLast().state, Turn::State::Done);
        QVERIFY(replies.constLast().errorDetail.isEmpty());

        // The run was known before the reply's first words, and names the turn.
        QCOMPARE(r.runs.size(), 1);
        QVERIFY(r.events.indexOf(u"run"_s) < r.events.indexOf(u"turn"_s, 1));
        QCOMPARE(replies.constFirst().id, r.runs.constFirst());
        QCOMPARE(stream->runId(), r.runs.constFirst());
        // "Thinking…" while the agent reasons, cleared once it writes.
        QVERIFY(r.statuses.contains(dynamiq::RunReader::thinkingStatus()));
        QCOMPARE(r.statuses.constLast(), QString());
        // No tool was asked for.
        for (const Fragment &f : replies.constLast().fragments)
            QCOMPARE(f.kind, Fragment::Kind::Text);
    }

    void sendWithToolCall()
    {
        const auto p = provider(false);
        ReplyStream *stream =
            p->sendMessage(m_data.idAt(7), u"Please search for order 4821"_s, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QVERIFY2(!r.error, qPrintable(r.error.message()));
        const Turn last = r.turnsOf(Turn::Role::Assistant).constLast();
        QCOMPARE(last.state, Turn::State::Done);
        QVERIFY(last.fragments.size() >= 3);
        const Fragment &call = last.fragments.at(0);
        const Fragment &result = last.fragments.at(1);
        QCOMPARE(call.kind, Fragment::Kind::ToolCall);
        QCOMPARE(result.kind, Fragment::Kind::ToolResult);
        QVERIFY(!call.name.isEmpty());
        QCOMPARE(result.name, call.name);
        QVERIFY(!call.callId.isEmpty());
        QCOMPARE(result.callId, call.callId);
        QVERIFY(call.text.contains(u"order 4821"_s));
        QVERIFY(!result.text.isEmpty());
        QVERIFY(!result.failed);
        QCOMPARE(last.fragments.at(2).kind, Fragment::Kind::Text);
        QVERIFY(!last.plainText().isEmpty());
    }

    void sendRefusedBeforeSending()
    {
        const auto p = provider();
        const int before = requests();
        for (const auto &[id, text] :
             {std::pair{u"not-a-uuid"_s, u"Hello"_s}, std::pair{m_data.idAt(1), u"  \n"_s}}) {
            ReplyStream *stream = p->sendMessage(id, text, this);
            Recording r;
            QVERIFY(recordToEnd(stream, &r));
            QCOMPARE(r.error.kind, ApiError::Kind::Invalid);
            QCOMPARE(r.events, QStringList{u"finished"_s});
        }
        QCOMPARE(requests(), before);
    }

    void sendToUnknownConversation()
    {
        const auto p = provider();
        ReplyStream *stream =
            p->sendMessage(u"00000000-0000-4000-8000-00000000abcd"_s, u"Hello"_s, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        QCOMPARE(r.error.kind, ApiError::Kind::NotFound);
        QCOMPARE(r.error.httpStatus, 404);
        QCOMPARE(r.error.code, u"not_found"_s);
        QVERIFY(r.turnsOf(Turn::Role::Assistant).isEmpty());
    }

    void cancelMidStreamStopsTheTurn()
    {
        const auto p = provider(true, kKey, m_slow.get());
        ReplyStream *stream = p->sendMessage(m_data.idAt(5), u"Where is my order?"_s, this);
        Recording r;
        record(stream, &r);
        // Wait for the reply's first words, then stop the run on the platform.
        QTRY_VERIFY_WITH_TIMEOUT(!r.turnsOf(Turn::Role::Assistant).isEmpty(), kWaitMs);
        QVERIFY(!stream->runId().isEmpty());
        QCOMPARE(r.finishedCount, 0);
        const QString partial = r.turnsOf(Turn::Role::Assistant).constLast().plainText();

        ErrorAnswer cancel;
        p->cancelRun(stream->conversationId(), stream->runId(), this, cancel.done());
        QTRY_VERIFY_WITH_TIMEOUT(cancel.error.has_value(), kWaitMs);
        QVERIFY2(!*cancel.error, qPrintable(cancel.error->message()));

        QVERIFY(waitFinished(r));
        QCOMPARE(r.finishedCount, 1);
        QCOMPARE(r.error.kind, ApiError::Kind::None); // stopped as asked: not a failure
        const Turn last = r.turnsOf(Turn::Role::Assistant).constLast();
        QCOMPARE(last.state, Turn::State::Stopped);
        QVERIFY(last.plainText().startsWith(partial));
        QCOMPARE(r.statuses.constLast(), QString());

        // Canceling again (the run is over) is no error: Dynamiq documents it as idempotent.
        ErrorAnswer again;
        p->cancelRun(stream->conversationId(), stream->runId(), this, again.done());
        QTRY_VERIFY_WITH_TIMEOUT(again.error.has_value(), kWaitMs);
        QVERIFY2(!*again.error, qPrintable(again.error->message()));
        QCOMPARE(again.count, 1);
    }

    void cancelUnknownRun()
    {
        const auto p = provider();
        ErrorAnswer cancel;
        p->cancelRun(m_data.idAt(0), u"00000000-0000-4000-8000-0000000000ff"_s, this,
                     cancel.done());
        QTRY_VERIFY_WITH_TIMEOUT(cancel.error.has_value(), kWaitMs);
        QCOMPARE(cancel.error->kind, ApiError::Kind::NotFound);
        QCOMPARE(cancel.error->code, u"not_found"_s);
    }

    void abortStopsListening()
    {
        const auto p = provider(true, kKey, m_slow.get());
        ReplyStream *stream = p->sendMessage(m_data.idAt(6), u"Summarise the survey"_s, this);
        Recording r;
        record(stream, &r);
        QTRY_VERIFY_WITH_TIMEOUT(!r.runs.isEmpty(), kWaitMs);
        QSignalSpy later(stream, &ReplyStream::turnChanged);
        stream->abort();
        QCOMPARE(r.finishedCount, 1);
        QCOMPARE(r.error.kind, ApiError::Kind::Canceled);
        QVERIFY(stream->isFinished());
        // The slow stream would send a word within a few intervals; nothing arrives.
        QVERIFY(!later.wait(400));
        QCOMPARE(r.finishedCount, 1);
    }

    void appHostMissingIsAConfigError()
    {
        const auto p = provider(false);
        const int before = requests();
        AppHostCalls calls;
        calls.start(*p, m_data.idAt(0), this);
        QCOMPARE(calls.count(), 0); // never from inside the call
        QTRY_VERIFY_WITH_TIMEOUT(calls.answered(), kWaitMs);
        for (const ApiError &e :
             {*calls.cancel.error, calls.status.result->error(), calls.token.result->error()}) {
            QCOMPARE(e.kind, ApiError::Kind::Config);
            QVERIFY2(e.detail.contains(u"app host"_s), qPrintable(e.detail));
        }
        QCOMPARE(requests(), before);
    }

    void requirementsLinkedThroughTheBrowser()
    {
        const auto p = provider();
        const QString user = u"customer-7421"_s;

        Answer<RequirementStatus> status;
        p->fetchRequirements(user, this, status.done());
        QTRY_VERIFY_WITH_TIMEOUT(status.result.has_value(), kWaitMs);
        QVERIFY2(status.result->ok(), qPrintable(status.result->error().message()));
        const RequirementStatus before = status.result->value();
        QCOMPARE(before.userId, user);
        QCOMPARE(before.status, u"incomplete"_s);
        QVERIFY(!before.complete());
        QCOMPARE(before.unsatisfied.size(), 2);
        const Requirement gmail = before.unsatisfied.at(0);
        const Requirement crm = before.unsatisfied.at(1);
        QVERIFY(gmail.canLink());
        QCOMPARE(gmail.appSlug, u"gmail"_s);
        QCOMPARE(gmail.title, u"Connect Gmail"_s);
        QCOMPARE(gmail.name, u"gmail_account"_s);
        QVERIFY(!crm.canLink());
        QCOMPARE(crm.type, u"connection"_s);

        Answer<ConnectToken> minted;
        p->createConnectToken(user, this, minted.done());
        QTRY_VERIFY_WITH_TIMEOUT(minted.result.has_value(), kWaitMs);
        QVERIFY2(minted.result->ok(), qPrintable(minted.result->error().message()));
        const ConnectToken token = minted.result->value();
        QVERIFY(!token.token.isEmpty());
        QVERIFY(token.token != kKey);
        QVERIFY(token.expiresAt > QDateTime::currentDateTimeUtc().addSecs(23 * 3600));
        QVERIFY(token.url.isValid());

        // The hosted page the token opens lists what is left to link.
        int pageStatus = 0;
        const QByteArray hosted = visit(token.url, &pageStatus);
        QCOMPARE(pageStatus, 200);
        QVERIFY(hosted.contains("Connect Gmail"));

        // The connection requirement cannot be linked from the desktop.
        Answer<QUrl> refused;
        p->authorizeRequirement(crm.id, token, this, refused.done());
        QTRY_VERIFY_WITH_TIMEOUT(refused.result.has_value(), kWaitMs);
        QCOMPARE(refused.result->error().kind, ApiError::Kind::Invalid);
        QVERIFY(refused.result->error().detail.contains(u"pipedream_account"_s));

        Answer<QUrl> link;
        p->authorizeRequirement(gmail.id, token, this, link.done());
        QTRY_VERIFY_WITH_TIMEOUT(link.result.has_value(), kWaitMs);
        QVERIFY2(link.result->ok(), qPrintable(link.result->error().message()));
        const QUrl url = link.result->value();
        // Plain http is accepted only because the sandbox is on this computer.
        QVERIFY(url.scheme() == u"https"_s || HttpClient::isLoopback(url));
        QCOMPARE(url.port(), int(m_sandbox->port()));

        // The browser visits the page and the account gets linked.
        int visitStatus = 0;
        const QByteArray page = visit(url, &visitStatus);
        QCOMPARE(visitStatus, 200);
        QVERIFY(page.contains("Account linked. You can close this tab."));

        Answer<RequirementStatus> after;
        p->fetchRequirements(user, this, after.done());
        QTRY_VERIFY_WITH_TIMEOUT(after.result.has_value(), kWaitMs);
        QVERIFY(after.result->ok());
        QCOMPARE(after.result->value().unsatisfied.size(), 1);
        QCOMPARE(after.result->value().unsatisfied.constFirst().id, crm.id);

        // Another end user is not affected.
        Answer<RequirementStatus> other;
        p->fetchRequirements(u"customer-9"_s, this, other.done());
        QTRY_VERIFY_WITH_TIMEOUT(other.result.has_value(), kWaitMs);
        QCOMPARE(other.result->value().unsatisfied.size(), 2);

        // The CRM key is entered where Parley does not go (the hosted page's form);
        // the same API call stands in for it here.
        QUrl credentials = m_sandbox->baseUrl(u"dynamiq"_s);
        credentials.setPath(credentials.path() + u"/v1/connect/requirements/"_s + crm.id +
                            u"/credentials"_s);
        QCOMPARE(postJson(credentials, token.token,
                          QJsonObject{{u"type"_s, u"dynamiq.connections.HttpApiKey"_s},
                                      {u"config"_s, QJsonObject{{u"api_key"_s, u"crm-123"_s}}}}),
                 201);

        Answer<RequirementStatus> done;
        p->fetchRequirements(user, this, done.done());
        QTRY_VERIFY_WITH_TIMEOUT(done.result.has_value(), kWaitMs);
        QVERIFY(done.result->ok());
        QVERIFY(done.result->value().complete());
        QCOMPARE(done.result->value().status, u"complete"_s);
    }

    void authorizeNeedsTheConnectToken()
    {
        const auto p = provider();
        Answer<RequirementStatus> status;
        p->fetchRequirements(u"customer-5"_s, this, status.done());
        QTRY_VERIFY_WITH_TIMEOUT(status.result.has_value(), kWaitMs);
        const QString gmail = status.result->value().unsatisfied.constFirst().id;

        // The workspace key is not a connect token: Dynamiq refuses it on /v1/connect.
        ConnectToken wrong;
        wrong.token = kKey;
        Answer<QUrl> refused;
        p->authorizeRequirement(gmail, wrong, this, refused.done());
        QTRY_VERIFY_WITH_TIMEOUT(refused.result.has_value(), kWaitMs);
        QCOMPARE(refused.result->error().kind, ApiError::Kind::Auth);
        QCOMPARE(refused.result->error().httpStatus, 401);
        QVERIFY(refused.result->error().detail.contains(u"connect token"_s));

        // Refused before sending: no token, an expired token, an id that is no path segment.
        const int before = requests();
        ConnectToken expired;
        expired.token = "eyJ.expired.token";
        expired.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-60);
        const struct
        {
            QString id;
            ConnectToken token;
            ApiError::Kind kind;
        } cases[] = {{gmail, ConnectToken{}, ApiError::Kind::Config},
                     {gmail, expired, ApiError::Kind::Auth},
                     {u"../../v1/conversations"_s, wrong, ApiError::Kind::Invalid}};
        for (const auto &c : cases) {
            Answer<QUrl> a;
            p->authorizeRequirement(c.id, c.token, this, a.done());
            QTRY_VERIFY_WITH_TIMEOUT(a.result.has_value(), kWaitMs);
            QCOMPARE(a.result->error().kind, c.kind);
            QVERIFY(!a.result->error().detail.contains(u"eyJ"_s)); // the token stays secret
        }
        QCOMPARE(requests(), before);
    }

    void authorizeRefusesAPlainHttpPage()
    {
        const auto p = bareProvider();
        ConnectToken token;
        token.token = "a-connect-token";
        Answer<QUrl> plain;
        p->authorizeRequirement(u"plain"_s, token, this, plain.done());
        QTRY_VERIFY_WITH_TIMEOUT(plain.result.has_value(), kWaitMs);
        QCOMPARE(plain.result->error().kind, ApiError::Kind::Config);
        QVERIFY2(plain.result->error().detail.contains(u"https"_s),
                 qPrintable(plain.result->error().detail));

        Answer<QUrl> secure;
        p->authorizeRequirement(u"secure"_s, token, this, secure.done());
        QTRY_VERIFY_WITH_TIMEOUT(secure.result.has_value(), kWaitMs);
        QVERIFY(secure.result->ok());
        QCOMPARE(secure.result->value(), QUrl(u"https://pipedream.example.com/connect"_s));
    }

    void replyCutOffIsABadResponse()
    {
        Recording r;
        QString runId;
        QVERIFY(sendToBare(u"cut"_s, &r, &runId));
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.error.detail.contains(u"cut off"_s), qPrintable(r.error.detail));
        QCOMPARE(runId, kRunId);
        const Turn last = r.turnsOf(Turn::Role::Assistant).constLast();
        QCOMPARE(last.state, Turn::State::Error);
        QCOMPARE(last.plainText(), u"Half an answer"_s);
    }

    void runFailedEndsWithItsReason()
    {
        Recording r;
        QVERIFY(sendToBare(u"failed"_s, &r));
        QCOMPARE(r.error.kind, ApiError::Kind::Server);
        QCOMPARE(r.error.detail, u"the CRM timed out"_s);
        QCOMPARE(r.error.code, u"tool_error"_s);
        const Turn last = r.turnsOf(Turn::Role::Assistant).constLast();
        QCOMPARE(last.state, Turn::State::Error);
        QCOMPARE(last.errorDetail, u"the CRM timed out"_s);
    }

    void jsonInsteadOfAStream()
    {
        Recording r;
        QVERIFY(sendToBare(u"json"_s, &r));
        QCOMPARE(r.error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.error.detail.contains(u"event stream"_s), qPrintable(r.error.detail));
    }

    void streamCutByTheNetwork()
    {
        m_sandbox->server()->setFaults(u"cut-stream,path=/dynamiq/v3/.*"_s);
        const auto p = provider();
        ReplyStream *stream = p->sendMessage(m_data.idAt(2), u"Hello"_s, this);
        Recording r;
        QVERIFY(recordToEnd(stream, &r));
        m_sandbox->server()->setFaults(QString());
        QVERIFY(r.error.isError());
        QVERIFY(r.error.kind != ApiError::Kind::Canceled);
        QCOMPARE(r.finishedCount, 1);
        const QList<Turn> replies = r.turnsOf(Turn::Role::Assistant);
        if (!replies.isEmpty())
            QCOMPARE(replies.constLast().state, Turn::State::Error);
    }

    void wrongKeyIsDynamiqs401()
    {
        const auto p = provider(true, "wrong-key");
        NewConversation request;
        request.params.insert(u"app_id"_s, m_data.apps().at(0).id);
        ReplyStream *create = p->startConversation(request, this);
        Recording rc;
        record(create, &rc);
        ReplyStream *send = p->sendMessage(m_data.idAt(0), u"Hello"_s, this);
        Recording rs;
        record(send, &rs);
        AppHostCalls calls;
        calls.start(*p, m_data.idAt(0), this);
        QVERIFY(waitFinished(rc));
        QVERIFY(waitFinished(rs));
        QTRY_VERIFY_WITH_TIMEOUT(calls.answered(), kWaitMs);
        for (const ApiError &e : {rc.error, rs.error, *calls.cancel.error,
                                  calls.status.result->error(), calls.token.result->error()}) {
            QCOMPARE(e.kind, ApiError::Kind::Auth);
            QCOMPARE(e.httpStatus, 401);
            QCOMPARE(e.code, u"unauthorized"_s);
            QVERIFY2(e.detail.startsWith(u"Unauthorized"_s), qPrintable(e.detail));
        }
        QVERIFY(rc.conversations.isEmpty());
        QVERIFY(rs.turnsOf(Turn::Role::Assistant).isEmpty());
        // The message shown at once is marked as not taken.
        const QList<Turn> mine = rs.turnsOf(Turn::Role::User);
        QVERIFY(!mine.isEmpty());
        QCOMPARE(mine.constLast().state, Turn::State::Error);
        QVERIFY(mine.constLast().errorDetail.contains(u"rejected the API key"_s));
        // The app host's advice names the Access Key.
        QVERIFY2(calls.cancel.error->detail.contains(u"Access Key"_s),
                 qPrintable(calls.cancel.error->detail));
    }
};

QTEST_GUILESS_MAIN(TestDynamiqWrite)
#include "tst_dynamiq_write.moc"
