// PostHog's message fields, approvals and scopes over real HTTP. A recording server (the
// sandbox's own HTTP server with one route) shows exactly what the provider sends: the
// create/send body with agent_mode, the JSON contexts as JSON and resume_payload, the session
// id as the X-POSTHOG-SESSION-ID header and never in the body; the queue's body with its four
// fields; an approval's answer as content null with resume_payload. The PostHog emulation
// then shows what the platform does with them: the agent mode kept, an unknown one refused,
// JSON that is not JSON refused before anything is sent, the seeded approval answered and
// its status changed, and a key without conversation:write refused with PostHog's 403 and
// the typed reason ScopeMissing.
#include "core/ConversationDetail.h"
#include "net/HttpClient.h"
#include "providers/Provider.h"
#include "sandbox/SandboxServer.h"
#include "support/Await.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace parley;
using namespace parley::test;
using parley::sandbox::SandboxReply;
using parley::sandbox::SandboxRequest;
using parley::sandbox::SandboxServer;
using namespace Qt::StringLiterals;

namespace {

// What the recording server was sent.
struct Recorded
{
    QByteArray method;
    QString path;
    QJsonObject body;
    QByteArray sessionHeader;
    bool seen = false;
};

// The fields the tests send: one of each kind.
QMap<QString, QString> someFields()
{
    return {
        {u"agent_mode"_s, u"sql"_s},
        {u"contextual_tools"_s, uR"({"navigate": {"current_page": "insights"}})"_s},
        {u"ui_context"_s, uR"({"dashboards": [{"id": 7}]})"_s},
        {u"billing_context"_s, u"[1, 2]"_s},
        {u"resume_payload"_s, u"null"_s},
        {u"session_id"_s, u"sess-123"_s},
    };
}

} // namespace

class TestPosthogFields : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(12, 5, &error), qPrintable(error));
        m_provider = m_fx.provider(posthogWorkspace());
        QVERIFY(m_provider);

        m_recorder.route("POST", u".*"_s, [this](const SandboxRequest &r) {
            m_recorded.method = r.method();
            m_recorded.path = r.http.url().path();
            m_recorded.body = r.json();
            m_recorded.sessionHeader = r.header("x-posthog-session-id");
            m_recorded.seen = true;
            if (m_recorded.path.endsWith(u"/queue/"_s))
                return SandboxReply::json(
                    QJsonObject{{u"messages"_s, QJsonArray()}, {u"max_queue_messages"_s, 2}});
            return SandboxReply::stream(
                "text/event-stream",
                {QByteArray("event: message\ndata: {\"type\":\"ai\",\"content\":\"ok\","
                            "\"id\":\"a1\"}\n\n")},
                0);
        });
        const quint16 port = m_recorder.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
        Workspace recorded = posthogWorkspace();
        recorded.baseUrl = QUrl(u"http://127.0.0.1:%1/posthog"_s.arg(port));
        m_recording = m_fx.provider(recorded);
        QVERIFY(m_recording);
    }
    void cleanupTestCase()
    {
        m_recording.reset();
        m_provider.reset();
        m_fx.stop();
    }
    void init() { m_recorded = {}; }

    void capabilitiesNameTheFields()
    {
        const Capabilities caps = m_provider->capabilities();
        QVERIFY(caps.can(Capabilities::Approvals));
        QStringList create, send, queue;
        for (const WorkspaceField &f : caps.createFields)
            create << f.key;
        for (const WorkspaceField &f : caps.messageFields)
            send << f.key;
        for (const WorkspaceField &f : caps.queueFields)
            queue << f.key;
        const QStringList streamed{u"agent_mode"_s,      u"contextual_tools"_s, u"ui_context"_s,
                                   u"billing_context"_s, u"resume_payload"_s,   u"session_id"_s};
        QCOMPARE(create, streamed);
        QCOMPARE(send, streamed);
        QCOMPARE(queue, QStringList({u"agent_mode"_s, u"contextual_tools"_s, u"ui_context"_s,
                                     u"billing_context"_s}));
    }

    void createSendsTheFieldsAndTheSessionHeader()
    {
        NewConversation request;
        request.text = u"How many signups?"_s;
        request.params = someFields();
        QVERIFY(finishes(m_recording->startConversation(request, this)));
        checkStreamed(u"How many signups?"_s);
    }

    void sendSendsTheFieldsAndTheSessionHeader()
    {
        const QString id = u"0b7c1c5e-0000-4000-8000-000000000001"_s;
        QVERIFY(finishes(m_recording->sendMessage(id, u"And last month?"_s, this, someFields())));
        checkStreamed(u"And last month?"_s);
        QCOMPARE(m_recorded.body.value(u"conversation"_s).toString(), id);
    }

    void queueSendsItsFields()
    {
        FollowUpChange add;
        add.text = u"Then by country"_s;
        add.params = someFields();
        add.params.remove(u"resume_payload"_s);
        add.params.remove(u"session_id"_s);
        const auto answer = await<FollowUpQueue>([&](Provider::Done<FollowUpQueue> done) {
            m_recording->changeFollowUps(u"c1"_s, add, this, std::move(done));
        });
        QVERIFY(answer && answer->ok());
        QVERIFY(m_recorded.path.endsWith(u"/c1/queue/"_s));
        const QJsonObject &b = m_recorded.body;
        QCOMPARE(QStringList(b.keys()),
                 QStringList({u"agent_mode"_s, u"billing_context"_s, u"content"_s,
                              u"contextual_tools"_s, u"ui_context"_s}));
        QCOMPARE(b.value(u"content"_s).toString(), u"Then by country"_s);
        QVERIFY(b.value(u"contextual_tools"_s).isObject());
        QCOMPARE(b.value(u"billing_context"_s).toArray().size(), 2);
    }

    void queueRefusesAStreamOnlyField()
    {
        FollowUpChange add;
        add.text = u"Later"_s;
        add.params = {{u"resume_payload"_s, u"{}"_s}};
        const auto answer = await<FollowUpQueue>([&](Provider::Done<FollowUpQueue> done) {
            m_recording->changeFollowUps(u"c1"_s, add, this, std::move(done));
        });
        QVERIFY(answer && !answer->ok());
        QCOMPARE(answer->error().kind, ApiError::Kind::Invalid);
        QVERIFY(!m_recorded.seen);
    }

    void anApprovalIsAnsweredWithResumePayload()
    {
        ApprovalDecision decision;
        decision.approvalId = u"prop-1"_s;
        decision.approve = false;
        decision.note = u"  Not on a Friday  "_s;
        QVERIFY(finishes(m_recording->answerApproval(u"c1"_s, decision, this)));
        const QJsonObject &b = m_recorded.body;
        QVERIFY(b.value(u"content"_s).isNull());
        QCOMPARE(b.value(u"conversation"_s).toString(), u"c1"_s);
        QVERIFY(!b.value(u"trace_id"_s).toString().isEmpty());
        QCOMPARE(b.value(u"resume_payload"_s).toObject(),
                 QJsonObject({{u"action"_s, u"reject"_s},
                              {u"proposal_id"_s, u"prop-1"_s},
                              {u"feedback"_s, u"Not on a Friday"_s}}));
        decision.approve = true;
        QVERIFY(finishes(m_recording->answerApproval(u"c1"_s, decision, this)));
        QCOMPARE(m_recorded.body.value(u"resume_payload"_s).toObject(),
                 QJsonObject({{u"action"_s, u"approve"_s}, {u"proposal_id"_s, u"prop-1"_s}}));
    }

    void jsonThatIsNotJsonIsRefusedBeforeSending()
    {
        const int before = m_fx.requests();
        NewConversation request;
        request.text = u"Hi"_s;
        request.params = {{u"ui_context"_s, u"{dashboards: 1"_s}};
        ReplyStream *stream = m_provider->startConversation(request, this);
        QSignalSpy done(stream, &ReplyStream::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(stream->error().kind, ApiError::Kind::Invalid);
        QVERIFY2(stream->error().detail.contains(u"ui_context"_s),
                 qPrintable(stream->error().detail));
        request.params = {{u"contextual_tools"_s, u"[]"_s}}; // JSON, but not an object
        stream = m_provider->startConversation(request, this);
        QSignalSpy done2(stream, &ReplyStream::finished);
        QVERIFY(done2.wait(5000));
        QCOMPARE(stream->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(m_fx.requests(), before);
    }

    void thePlatformKeepsTheModeAndRefusesAnUnknownOne()
    {
        NewConversation request;
        request.text = u"Write me a query"_s;
        request.params = {{u"agent_mode"_s, u"sql"_s}, {u"ui_context"_s, u"{}"_s}};
        ReplyStream *stream = m_provider->startConversation(request, this);
        QString id;
        connect(stream, &ReplyStream::conversationChanged, this,
                [&id](const Conversation &c) { id = c.id; });
        QVERIFY(finishes(stream));
        const auto detail = openConversation(*m_provider, id, this);
        QVERIFY(detail && detail->ok());
        QCOMPARE(property(detail->value(), u"Agent mode"_s), u"sql"_s);

        // The enum grows: Parley sends any name, and the platform says when it does not know it.
        request.params = {{u"agent_mode"_s, u"no_such_mode"_s}};
        stream = m_provider->startConversation(request, this);
        QSignalSpy done(stream, &ReplyStream::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(stream->error().kind, ApiError::Kind::Invalid);
        QVERIFY2(stream->error().detail.contains(u"agent_mode"_s),
                 qPrintable(stream->error().detail));
    }

    void theSeededApprovalIsAnsweredAndItsStatusChanges()
    {
        QString id;
        Approval pending;
        QVERIFY(findPendingApproval(*m_provider, this, &id, &pending));
        QCOMPARE(pending.tool, u"create_feature_flag"_s);
        QVERIFY(!pending.preview.isEmpty());
        QVERIFY(pending.payloadJson.contains(u"rollout_percentage"_s));
        QCOMPARE(pending.statusName(), u"pending"_s);

        ReplyStream *stream = m_provider->answerApproval(id, {pending.id, true, {}}, this);
        QString reply;
        connect(stream, &ReplyStream::turnChanged, this,
                [&reply](const Turn &t) { reply = t.plainText(); });
        QVERIFY(finishes(stream));
        QVERIFY2(reply.contains(pending.preview), qPrintable(reply));
        const auto after = openConversation(*m_provider, id, this);
        QVERIFY(after && after->ok());
        QCOMPARE(after->value().approvals.size(), 1);
        QCOMPARE(after->value().approvals.at(0).status, Approval::Status::Approved);
        QCOMPARE(after->value().summary.status, u"idle"_s);
    }

    void aKeyWithoutTheWriteScopeIsRefusedWithTheScopeNamed()
    {
        PlatformSandbox scoped;
        sandbox::SandboxOptions options;
        options.conversations = 3;
        options.streamIntervalMs = 5;
        QVERIFY(options.setKey(u"read-only-key:conversation:read"_s));
        QString error;
        QVERIFY2(scoped.start(options, &error), qPrintable(error));
        Workspace ws = scoped.workspace(u"posthog"_s);
        auto provider = scoped.provider(ws);

        // Reading is allowed…
        const auto page =
            listPage(*provider, 3, PageCursor::first(PageCursor::Style::Offset), this);
        QVERIFY(page && page->ok());
        const QString id = page->value().items.constFirst().id;
        // …writing is not, and the error says which scope is missing.
        ReplyStream *stream = provider->sendMessage(id, u"Hello"_s, this);
        QSignalSpy done(stream, &ReplyStream::finished);
        QVERIFY(done.wait(5000));
        const ApiError e = stream->error();
        QCOMPARE(e.kind, ApiError::Kind::Forbidden);
        QCOMPARE(e.httpStatus, 403);
        QCOMPARE(e.reason, ApiError::Reason::ScopeMissing);
        QCOMPARE(e.code, u"permission_denied"_s);
        QVERIFY2(e.message().contains(u"conversation:write"_s), qPrintable(e.message()));

        // A key with only the write scope reads too (write includes read).
        PlatformSandbox writer;
        QVERIFY(options.setKey(u"writer:conversation:write"_s));
        QVERIFY2(writer.start(options, &error), qPrintable(error));
        auto writing = writer.provider(writer.workspace(u"posthog"_s));
        const auto read = listPage(*writing, 3, PageCursor::first(PageCursor::Style::Offset), this);
        QVERIFY(read && read->ok());
    }

private:
    Workspace posthogWorkspace() const
    {
        Workspace ws = m_fx.workspace(u"posthog"_s);
        ws.params.insert(u"project_id"_s, u"1"_s);
        return ws;
    }
    // True once `stream` ended without an error.
    static bool finishes(ReplyStream *stream)
    {
        QSignalSpy done(stream, &ReplyStream::finished);
        if (!stream->isFinished() && !done.wait(15000))
            return false;
        if (stream->error())
            qWarning().noquote() << "stream failed:" << stream->error().message();
        return !stream->error();
    }
    static QString property(const ConversationDetail &detail, const QString &label)
    {
        for (const Property &p : detail.properties) {
            if (p.label == label)
                return p.value;
        }
        return {};
    }
    void checkStreamed(const QString &text)
    {
        QVERIFY(m_recorded.seen);
        QVERIFY(m_recorded.path.endsWith(u"/api/projects/1/conversations/"_s));
        const QJsonObject &b = m_recorded.body;
        QCOMPARE(b.value(u"content"_s).toString(), text);
        QCOMPARE(b.value(u"agent_mode"_s).toString(), u"sql"_s);
        QCOMPARE(b.value(u"contextual_tools"_s)
                     .toObject()
                     .value(u"navigate"_s)
                     .toObject()
                     .value(u"current_page"_s)
                     .toString(),
                 u"insights"_s);
        QCOMPARE(b.value(u"ui_context"_s).toObject().value(u"dashboards"_s).toArray().size(), 1);
        QCOMPARE(b.value(u"billing_context"_s).toArray(), QJsonArray({1, 2}));
        QVERIFY(b.contains(u"resume_payload"_s));
        QVERIFY(b.value(u"resume_payload"_s).isNull());
        QVERIFY(!b.contains(u"session_id"_s)); // a header, not a body field
        QCOMPARE(m_recorded.sessionHeader, QByteArray("sess-123"));
        QVERIFY(!b.value(u"trace_id"_s).toString().isEmpty());
    }

    PlatformSandbox m_fx;
    std::unique_ptr<Provider> m_provider;
    SandboxServer m_recorder;
    std::unique_ptr<Provider> m_recording;
    Recorded m_recorded;
};

QTEST_GUILESS_MAIN(TestPosthogFields)
#include "tst_posthog_fields.moc"
