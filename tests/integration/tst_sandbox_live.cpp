// The emulations as a second client sees them while a reply is being written (--reply-seconds)
// and on a busy platform (--live), over real HTTP on 127.0.0.1: a retrieve in the middle of a
// reply shows it running with the text so far and, once its time is up, done with the whole
// text the stream ended with; PostHog re-attaches to a running reply (content: null) and
// refuses an idle one; Dynamiq re-attaches to a run after a sequence; canceling stops a reply
// at what is written; live conversations change by themselves.
#include "support/SandboxHttpTestCase.h"

#include "sandbox/SandboxOptions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPointer>
#include <QTest>

#include <memory>
#include <vector>

using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15000;

// One streamed answer read as it arrives: its body so far and whether it ended.
class Tap
{
public:
    Tap(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
        const QByteArray &auth, const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", auth);
        request.setRawHeader("Content-Type", "application/json");
        m_reply = body.isNull() ? nam.sendCustomRequest(request, method)
                                : nam.sendCustomRequest(request, method, body);
        QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply,
                         [this] { m_body += m_reply->readAll(); });
        QObject::connect(m_reply, &QNetworkReply::finished, m_reply, [this] {
            m_body += m_reply->readAll();
            m_finished = true;
        });
    }
    ~Tap()
    {
        if (m_reply)
            m_reply->deleteLater();
    }
    Tap(const Tap &) = delete;
    Tap &operator=(const Tap &) = delete;

    bool finished() const { return m_finished; }
    int status() const
    {
        return m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
    }
    const QByteArray &body() const { return m_body; }

    // The SSE events so far: {"event": name, "data": the data's JSON object}.
    QList<QJsonObject> events() const
    {
        QList<QJsonObject> out;
        for (const QByteArray &block : m_body.split('\n')) {
            if (block.startsWith("event: "))
                out.append(QJsonObject{{u"event"_s, QString::fromUtf8(block.mid(7).trimmed())}});
            else if (block.startsWith("data: ") && !out.isEmpty())
                out.last().insert(u"data"_s, QJsonDocument::fromJson(block.mid(6)).object());
        }
        return out;
    }
    // The NDJSON lines so far, complete ones only.
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> out;
        const QList<QByteArray> parts = m_body.split('\n');
        for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
            if (!parts.at(i).trimmed().isEmpty())
                out.append(QJsonDocument::fromJson(parts.at(i)).object());
        }
        return out;
    }

private:
    QPointer<QNetworkReply> m_reply;
    QByteArray m_body;
    bool m_finished = false;
};

QJsonObject dataOf(const QJsonObject &event)
{
    return event.value(u"data"_s).toObject();
}

// The `type: ai` messages of a PostHog event list or message array.
QList<QJsonObject> aiOf(const QList<QJsonObject> &messages)
{
    QList<QJsonObject> out;
    for (const QJsonObject &m : messages) {
        if (m.value(u"type"_s).toString() == "ai"_L1)
            out.append(m);
    }
    return out;
}

QList<QJsonObject> objects(const QJsonArray &array)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : array)
        out.append(v.toObject());
    return out;
}

QList<QJsonObject> messageData(const QList<QJsonObject> &events)
{
    QList<QJsonObject> out;
    for (const QJsonObject &e : events) {
        if (e.value(u"event"_s).toString() == "message"_L1)
            out.append(dataOf(e));
    }
    return out;
}

} // namespace

class TestSandboxLive : public SandboxHttpTestCase
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    std::vector<std::unique_ptr<Sandbox>> m_earlier; // still listening: no port is reused

    // A sandbox whose streamed replies take `replySeconds`, with `live` live conversations
    // (the one running already when it has these options).
    bool restart(int replySeconds, int live, QString *error)
    {
        if (m_sandbox && m_sandbox->options().replySeconds == replySeconds &&
            m_sandbox->options().live == live)
            return true;
        if (m_sandbox)
            m_earlier.push_back(std::move(m_sandbox));
        m_sandbox = std::make_unique<Sandbox>(SandboxOptions{.seed = kSeed,
                                                             .conversations = kCount,
                                                             .key = kKey,
                                                             .replySeconds = replySeconds,
                                                             .live = live});
        return m_sandbox->start(error);
    }

    QString posthogPath() const { return u"/api/projects/1/conversations/"_s; }
    QUrl posthog(const QString &tail = {}) const
    {
        return urlAt(u"posthog"_s, posthogPath() + tail);
    }
    QJsonObject posthogConversation(const QString &id)
    {
        return get(posthog(id + u'/'), m_auth).json;
    }
    std::unique_ptr<Tap> posthogPost(const QString &id, const QJsonValue &content)
    {
        const QJsonObject body{{u"conversation"_s, id},
                               {u"content"_s, content},
                               {u"trace_id"_s, u"4b3c8f7e-0000-4000-8000-000000000001"_s}};
        return std::make_unique<Tap>(m_nam, "POST", posthog(), m_auth,
                                     QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    // The text of the last message of a PostHog conversation when it is an ai one.
    static QString lastAi(const QJsonObject &conversation)
    {
        const QJsonArray messages = conversation.value(u"messages"_s).toArray();
        const QJsonObject last = messages.isEmpty() ? QJsonObject() : messages.last().toObject();
        return last.value(u"type"_s).toString() == "ai"_L1 ? last.value(u"content"_s).toString()
                                                           : QString();
    }

    QString fixieBase() const { return u"/api/v1/agents/agent-1/conversations"_s; }
    QJsonObject fixieConversation(const QString &id)
    {
        return get(urlAt(u"fixie"_s, fixieBase() + u'/' + id), m_auth).json;
    }
    static QJsonObject lastTurn(const QJsonObject &conversation)
    {
        const QJsonArray turns = conversation.value(u"turns"_s).toArray();
        return turns.isEmpty() ? QJsonObject() : turns.last().toObject();
    }
    static QString turnText(const QJsonObject &turn)
    {
        const QJsonArray parts = turn.value(u"messages"_s).toArray();
        return parts.isEmpty() ? QString() : parts.last().toObject().value(u"content"_s).toString();
    }
    QString firstFixieId()
    {
        const RawAnswer list = get(urlAt(u"fixie"_s, fixieBase(), {{u"offset"_s, u"5"_s}}), m_auth);
        return list.json.value(u"conversations"_s)
            .toArray()
            .at(0)
            .toObject()
            .value(u"id"_s)
            .toString();
    }

    std::unique_ptr<Tap> dynamiqSend(const QString &text)
    {
        const RawAnswer list = get(urlAt(u"dynamiq"_s, u"/v1/conversations"_s), m_auth);
        const QString id =
            list.json.value(u"data"_s).toArray().at(0).toObject().value(u"id"_s).toString();
        const QJsonObject body{
            {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}}};
        return std::make_unique<Tap>(
            m_nam, "POST", urlAt(u"dynamiq"_s, u"/v3/conversations/"_s + id + u"/messages"_s),
            m_auth, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    // The run id of a Dynamiq stream, once its run.started event arrived.
    static QString runIdOf(const Tap &tap)
    {
        for (const QJsonObject &e : tap.events()) {
            if (e.value(u"event"_s).toString() == "run.started"_L1)
                return dataOf(e).value(u"data"_s).toObject().value(u"id"_s).toString();
        }
        return {};
    }
    QJsonObject dynamiqRun(const QString &runId)
    {
        return get(urlAt(u"dynamiq-app"_s, u"/v1/runs/"_s + runId), m_auth).json;
    }
    static QString runText(const QJsonObject &run)
    {
        return run.value(u"output"_s).toObject().value(u"content"_s).toString();
    }

private slots:
    void posthogReplyIsSeenWhileItIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const QString id = u"6f1f7a52-1d59-4c1e-9a55-000000000001"_s;
        const auto tap = posthogPost(id, u"How many signups last week?"_s);

        // In the middle: running, with part of the reply.
        QTRY_VERIFY_WITH_TIMEOUT(!lastAi(posthogConversation(id)).isEmpty(), kWaitMs);
        const QJsonObject middle = posthogConversation(id);
        QVERIFY(!tap->finished());
        QCOMPARE(middle.value(u"status"_s).toString(), u"in_progress"_s);
        QVERIFY(!middle.value(u"messages"_s).toArray().last().toObject().contains(u"id"_s));
        bool listed = false;
        for (const QJsonValue &row : get(posthog(), m_auth).json.value(u"results"_s).toArray()) {
            if (row.toObject().value(u"id"_s).toString() == id)
                listed = row.toObject().value(u"status"_s).toString() == "in_progress"_L1;
        }
        QVERIFY(listed);

        // At the end: idle, with exactly the text the stream ended with.
        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        const QList<QJsonObject> ai = aiOf(messageData(tap->events()));
        QVERIFY(!ai.isEmpty());
        const QString full = ai.last().value(u"content"_s).toString();
        QVERIFY(full.startsWith(lastAi(middle)));
        QVERIFY(full.size() > lastAi(middle).size());
        QTRY_COMPARE_WITH_TIMEOUT(posthogConversation(id).value(u"status"_s).toString(), u"idle"_s,
                                  kWaitMs);
        QCOMPARE(lastAi(posthogConversation(id)), full);
    }

    void posthogReattachStreamsTheRest()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const QString id = u"6f1f7a52-1d59-4c1e-9a55-000000000002"_s;
        const auto first = posthogPost(id, u"Which plan earns most?"_s);
        QTRY_VERIFY_WITH_TIMEOUT(lastAi(posthogConversation(id)).contains(u' '), kWaitMs);
        const QString sofar = lastAi(posthogConversation(id));

        // A new message while it runs is still a conflict.
        const auto busy = posthogPost(id, u"And now?"_s);
        QTRY_VERIFY_WITH_TIMEOUT(busy->finished(), kWaitMs);
        QCOMPARE(busy->status(), 409);

        const auto again = posthogPost(id, QJsonValue(QJsonValue::Null));
        QTRY_VERIFY_WITH_TIMEOUT(again->finished(), kWaitMs);
        QCOMPARE(again->status(), 200);
        const QList<QJsonObject> messages = messageData(again->events());
        QVERIFY(messages.size() >= 3);
        // The message so far first (the question, then the reply as far as it had got)...
        QCOMPARE(messages.first().value(u"type"_s).toString(), u"human"_s);
        QCOMPARE(messages.first().value(u"content"_s).toString(), u"Which plan earns most?"_s);
        const QList<QJsonObject> ai = aiOf(messages);
        QVERIFY(ai.first().value(u"content"_s).toString().startsWith(sofar));
        QVERIFY(!ai.first().contains(u"id"_s));
        // ...then the rest as it was written, ending as the first client's stream ended.
        QVERIFY(ai.size() >= 2);
        QVERIFY(ai.last().contains(u"id"_s));
        QTRY_VERIFY_WITH_TIMEOUT(first->finished(), kWaitMs);
        const QList<QJsonObject> firstAi = aiOf(messageData(first->events()));
        QCOMPARE(ai.last(), firstAi.last());
        QVERIFY(ai.size() < firstAi.size()); // not from the start

        // Idle now: nothing to re-attach to, as PostHog answers.
        QTRY_COMPARE_WITH_TIMEOUT(posthogConversation(id).value(u"status"_s).toString(), u"idle"_s,
                                  kWaitMs);
        const auto idle = posthogPost(id, QJsonValue(QJsonValue::Null));
        QTRY_VERIFY_WITH_TIMEOUT(idle->finished(), kWaitMs);
        QCOMPARE(idle->status(), 400);
        const QJsonObject body = QJsonDocument::fromJson(idle->body()).object();
        QCOMPARE(body.value(u"type"_s).toString(), u"validation_error"_s);
        QCOMPARE(body.value(u"detail"_s).toString(),
                 u"Cannot continue streaming from an idle conversation"_s);
    }

    void posthogCancelStopsAtWhatIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const QString id = u"6f1f7a52-1d59-4c1e-9a55-000000000003"_s;
        const auto tap = posthogPost(id, u"A long analysis please"_s);
        QTRY_VERIFY_WITH_TIMEOUT(lastAi(posthogConversation(id)).contains(u' '), kWaitMs);
        const QString before = lastAi(posthogConversation(id));
        const RawAnswer canceled =
            m_raw.send("PATCH", posthog(id + u"/cancel/"_s), {}, {{"Authorization", m_auth}});
        QCOMPARE(canceled.status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(posthogConversation(id).value(u"status"_s).toString(), u"idle"_s,
                                  kWaitMs);
        // The stream never sent the final message; the transcript keeps what was written.
        for (const QJsonObject &m : aiOf(messageData(tap->events())))
            QVERIFY(!m.contains(u"id"_s));
        const QString kept = lastAi(posthogConversation(id));
        QVERIFY(kept.startsWith(before));
        const QList<QJsonObject> streamed = aiOf(messageData(tap->events()));
        QVERIFY(!streamed.isEmpty());
        QVERIFY(kept.startsWith(streamed.last().value(u"content"_s).toString()));
        // Kept as a message of its own, with an id.
        QVERIFY(aiOf(objects(posthogConversation(id).value(u"messages"_s).toArray()))
                    .last()
                    .contains(u"id"_s));
    }

    void fixieReplyIsSeenWhileItIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const QString id = firstFixieId();
        QVERIFY(!id.isEmpty());
        const auto tap = std::make_unique<Tap>(
            m_nam, "POST", urlAt(u"fixie"_s, fixieBase() + u'/' + id + u"/messages"_s), m_auth,
            R"({"message":"Where is my parcel?"})");
        QTRY_VERIFY_WITH_TIMEOUT(!tap->lines().isEmpty(), kWaitMs); // the reply has begun
        QTRY_VERIFY_WITH_TIMEOUT(!turnText(lastTurn(fixieConversation(id))).isEmpty(), kWaitMs);
        const QJsonObject middle = lastTurn(fixieConversation(id));
        QVERIFY(!tap->finished());
        QCOMPARE(middle.value(u"state"_s).toString(), u"in-progress"_s);
        QCOMPARE(middle.value(u"role"_s).toString(), u"assistant"_s);

        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        const QList<QJsonObject> lines = tap->lines();
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.last().value(u"state"_s).toString(), u"done"_s);
        const QString full = turnText(lines.last());
        QVERIFY(full.startsWith(turnText(middle)));
        QVERIFY(full.size() > turnText(middle).size());
        QTRY_COMPARE_WITH_TIMEOUT(lastTurn(fixieConversation(id)).value(u"state"_s).toString(),
                                  u"done"_s, kWaitMs);
        QCOMPARE(lastTurn(fixieConversation(id)), lines.last());
    }

    void fixieStopStopsAtWhatIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const QString id = firstFixieId();
        const auto tap = std::make_unique<Tap>(
            m_nam, "POST", urlAt(u"fixie"_s, fixieBase() + u'/' + id + u"/messages"_s), m_auth,
            R"({"message":"Tell me everything"})");
        QTRY_VERIFY_WITH_TIMEOUT(!tap->lines().isEmpty(), kWaitMs); // the reply has begun
        QTRY_VERIFY_WITH_TIMEOUT(turnText(lastTurn(fixieConversation(id))).contains(u' '), kWaitMs);
        const QJsonObject running = lastTurn(fixieConversation(id));
        const RawAnswer stopped =
            m_raw.send("POST",
                       urlAt(u"fixie"_s, fixieBase() + u'/' + id + u"/messages/"_s +
                                             running.value(u"id"_s).toString() + u"/stop"_s),
                       "{}", {{"Authorization", m_auth}, {"Content-Type", "application/json"}});
        QCOMPARE(stopped.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        QCOMPARE(tap->lines().last().value(u"state"_s).toString(), u"stopped"_s);
        QTRY_COMPARE_WITH_TIMEOUT(lastTurn(fixieConversation(id)).value(u"state"_s).toString(),
                                  u"stopped"_s, kWaitMs);
        const QString kept = turnText(lastTurn(fixieConversation(id)));
        QVERIFY(kept.startsWith(turnText(running)));
        QCOMPARE(kept, turnText(tap->lines().last()));
    }

    void dynamiqRunIsSeenWhileItIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const auto tap = dynamiqSend(u"What changed?"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!runIdOf(*tap).isEmpty(), kWaitMs);
        const QString runId = runIdOf(*tap);
        QTRY_VERIFY_WITH_TIMEOUT(!runText(dynamiqRun(runId)).isEmpty(), kWaitMs);
        const QJsonObject middle = dynamiqRun(runId);
        QVERIFY(!tap->finished());
        QCOMPARE(middle.value(u"status"_s).toString(), u"started"_s);
        QCOMPARE(middle.value(u"object"_s).toString(), u"run"_s);

        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        const QList<QJsonObject> events = tap->events();
        QCOMPARE(events.last().value(u"event"_s).toString(), u"run.completed"_s);
        const QString full = dataOf(events.last())
                                 .value(u"data"_s)
                                 .toObject()
                                 .value(u"output"_s)
                                 .toObject()
                                 .value(u"content"_s)
                                 .toString();
        QVERIFY(full.startsWith(runText(middle)));
        QVERIFY(full.size() > runText(middle).size());
        QTRY_COMPARE_WITH_TIMEOUT(dynamiqRun(runId).value(u"status"_s).toString(), u"completed"_s,
                                  kWaitMs);
        QCOMPARE(runText(dynamiqRun(runId)), full);
    }

    void dynamiqStreamAfterSequence()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const auto tap = dynamiqSend(u"Summarise the week"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!runIdOf(*tap).isEmpty(), kWaitMs);
        const QString runId = runIdOf(*tap);
        const qint64 after = 3;
        const auto again =
            std::make_unique<Tap>(m_nam, "GET",
                                  urlAt(u"dynamiq-app"_s, u"/v1/runs/"_s + runId + u"/stream"_s,
                                        {{u"after_sequence"_s, QString::number(after)}}),
                                  m_auth);
        // Live: the re-attached stream is still going while the run is.
        QTRY_VERIFY_WITH_TIMEOUT(!again->events().isEmpty(), kWaitMs);
        QVERIFY(!again->finished());
        QTRY_VERIFY_WITH_TIMEOUT(again->finished(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        QCOMPARE(again->status(), 200);
        const QList<QJsonObject> events = again->events();
        qint64 expected = after + 1;
        for (const QJsonObject &e : events)
            QCOMPARE(dataOf(e).value(u"sequence"_s).toInteger(), expected++);
        // Exactly the first stream's events after that sequence.
        QList<QJsonObject> later;
        for (const QJsonObject &e : tap->events()) {
            if (dataOf(e).value(u"sequence"_s).toInteger() > after)
                later.append(e);
        }
        QCOMPARE(events, later);
        QCOMPARE(events.last().value(u"event"_s).toString(), u"run.completed"_s);

        // Unknown run: Dynamiq's 404.
        const RawAnswer unknown =
            get(urlAt(u"dynamiq-app"_s, u"/v1/runs/00000000-0000-4000-8000-0000000000ff/stream"_s),
                m_auth);
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json.value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"not_found"_s);
        const RawAnswer bad = get(urlAt(u"dynamiq-app"_s, u"/v1/runs/"_s + runId + u"/stream"_s,
                                        {{u"after_sequence"_s, u"x"_s}}),
                                  m_auth);
        QCOMPARE(bad.status, 400);
    }

    void dynamiqCancelStopsAtWhatIsWritten()
    {
        QString error;
        QVERIFY2(restart(2, 0, &error), qPrintable(error));
        const auto tap = dynamiqSend(u"Write a long report"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!runIdOf(*tap).isEmpty(), kWaitMs);
        const QString runId = runIdOf(*tap);
        QTRY_VERIFY_WITH_TIMEOUT(runText(dynamiqRun(runId)).contains(u' '), kWaitMs);
        const RawAnswer canceled =
            m_raw.send("POST", urlAt(u"dynamiq-app"_s, u"/v1/runs/"_s + runId + u"/cancel"_s), {},
                       {{"Authorization", m_auth}});
        QCOMPARE(canceled.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(tap->finished(), kWaitMs);
        QCOMPARE(tap->events().last().value(u"event"_s).toString(), u"run.canceled"_s);
        const QJsonObject run = dynamiqRun(runId);
        QCOMPARE(run.value(u"status"_s).toString(), u"canceled"_s);
        // What the stream had delivered is what the run holds.
        QString deltas;
        for (const QJsonObject &e : tap->events()) {
            if (e.value(u"event"_s).toString() == "agent.response.delta"_L1)
                deltas += dataOf(e).value(u"data"_s).toObject().value(u"delta"_s).toString();
        }
        QVERIFY(!deltas.isEmpty());
        QCOMPARE(runText(run), deltas);
        // A re-attach after the end replays what was written, then the cancellation.
        const auto again = std::make_unique<Tap>(
            m_nam, "GET", urlAt(u"dynamiq-app"_s, u"/v1/runs/"_s + runId + u"/stream"_s), m_auth);
        QTRY_VERIFY_WITH_TIMEOUT(again->finished(), kWaitMs);
        QCOMPARE(again->events(), tap->events());
    }

    void liveConversationsChangeByThemselves()
    {
        QString error;
        QVERIFY2(restart(1, 2, &error), qPrintable(error));
        // PostHog: the newest conversation gains messages and goes in and out of in_progress.
        const QString posthogId = get(posthog(), m_auth)
                                      .json.value(u"results"_s)
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(u"id"_s)
                                      .toString();
        const qsizetype posthogAt =
            posthogConversation(posthogId).value(u"messages"_s).toArray().size();
        QTRY_VERIFY_WITH_TIMEOUT(
            posthogConversation(posthogId).value(u"messages"_s).toArray().size() >= posthogAt + 3,
            kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(posthogConversation(posthogId).value(u"status"_s).toString(),
                                  u"in_progress"_s, kWaitMs);
        const QString updated = posthogConversation(posthogId).value(u"updated_at"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            posthogConversation(posthogId).value(u"updated_at"_s).toString() != updated, kWaitMs);

        // Fixie: the newest conversation gains turns.
        const RawAnswer fixieList = get(urlAt(u"fixie"_s, fixieBase()), m_auth);
        const QString fixieId = fixieList.json.value(u"conversations"_s)
                                    .toArray()
                                    .at(1)
                                    .toObject()
                                    .value(u"id"_s)
                                    .toString();
        const qsizetype fixieAt = fixieConversation(fixieId).value(u"turns"_s).toArray().size();
        QTRY_VERIFY_WITH_TIMEOUT(
            fixieConversation(fixieId).value(u"turns"_s).toArray().size() >= fixieAt + 2, kWaitMs);

        // PolyAI: a live call in progress gains turns.
        const QUrl polyai = urlAt(u"polyai"_s, u"/v1/acc/proj/conversations"_s,
                                  {{u"in_progress"_s, u"true"_s}, {u"limit"_s, u"50"_s}});
        const RawAnswer calls = m_raw.get(polyai, kKey, "x-api-key");
        QCOMPARE(calls.status, 200);
        const QJsonArray rows = calls.json.value(u"conversations"_s).toArray();
        QVERIFY(!rows.isEmpty());
        const QString callId = rows.last().toObject().value(u"id"_s).toString();
        const int turnsAt = rows.last().toObject().value(u"num_turns"_s).toInt();
        auto turnsNow = [&] {
            for (const QJsonValue &row :
                 m_raw.get(polyai, kKey, "x-api-key").json.value(u"conversations"_s).toArray()) {
                if (row.toObject().value(u"id"_s).toString() == callId)
                    return row.toObject().value(u"num_turns"_s).toInt();
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(turnsNow() > turnsAt, kWaitMs);

        // Dynamiq: the newest conversation's updated_at follows its runs.
        auto dynamiqUpdated = [&] {
            return get(urlAt(u"dynamiq"_s, u"/v1/conversations"_s), m_auth)
                .json.value(u"data"_s)
                .toArray()
                .at(0)
                .toObject()
                .value(u"updated_at"_s)
                .toString();
        };
        const QString dynamiqAt = dynamiqUpdated();
        QTRY_VERIFY_WITH_TIMEOUT(dynamiqUpdated() != dynamiqAt, kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestSandboxLive)
#include "tst_sandbox_live.moc"
