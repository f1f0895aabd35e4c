// PostHog's write-side mapping: the stream reader over a recorded stream split at every
// byte, drafts and echoes, failures; the queue and append answers; text limits.
#include "models/TranscriptModel.h"
#include "providers/posthog/PosthogStreamReader.h"
#include "providers/posthog/PosthogWriteMapping.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTest>

using namespace parley;
using namespace parley::posthog;
using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    QList<Turn> turns;
    QStringList statuses;
    QString conversationId;
    ApiError error;
};

// Feeds `bytes` in two pieces cut at `cut` into a reader and a transcript model.
Outcome read(const QByteArray &bytes, qsizetype cut)
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Turn local;
    local.id = u"local-1"_s;
    local.role = Turn::Role::User;
    model.appendTurn(local);
    Outcome out;
    SseReader sse;
    StreamReader reader(u"local-1"_s);
    auto apply = [&](const StreamReader::Step &step) {
        if (step.conversation)
            out.conversationId = step.conversation->id;
        for (const auto &u : step.turns) {
            if (u.replaces.isEmpty() || !model.updateTurn(u.replaces, u.turn))
                model.upsertTurn(u.turn);
        }
        if (step.status)
            out.statuses << *step.status;
        if (step.error)
            out.error = step.error;
    };
    for (const SseEvent &e : sse.feed(bytes.left(cut)))
        apply(reader.feed(e));
    for (const SseEvent &e : sse.feed(bytes.mid(cut)))
        apply(reader.feed(e));
    for (const SseEvent &e : sse.finish())
        apply(reader.feed(e));
    apply(reader.end());
    out.turns = model.turns();
    return out;
}

QByteArray recorded()
{
    QFile f(QStringLiteral(PARLEY_TEST_DATA_DIR "/net/posthog_stream.sse"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstPosthogWriteMapping : public QObject
{
    Q_OBJECT

private slots:
    void recordedStreamAtEverySplit()
    {
        const QByteArray bytes = recorded();
        QVERIFY(!bytes.isEmpty());
        for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
            const Outcome o = read(bytes, cut);
            QVERIFY2(!o.error, qPrintable(o.error.message()));
            QCOMPARE(o.conversationId, u"5d0e2a9c-8b7e-4c1e-9a51-2f7d1c3b4a10"_s);
            // The echo replaced the optimistic turn; the final answer replaced its draft.
            QCOMPARE(o.turns.size(), 2);
            QCOMPARE(o.turns.at(0).id, u"h1"_s);
            QCOMPARE(o.turns.at(1).id, u"a2"_s);
            QCOMPARE(o.turns.at(1).state, Turn::State::Done);
            QVERIFY(o.statuses.contains(u"Running the trends query…"_s));
        }
    }

    // PostHog's `approval` event: the run waits for a decision, and the status line says so.
    void approvalEventSaysTheRunWaits()
    {
        const QByteArray bytes = "event: message\ndata: {\"type\":\"ai\",\"content\":\"Part\"}\n\n"
                                 "event: approval\ndata: {\"proposal_id\":\"p1\",\"tool_name\":"
                                 "\"create_feature_flag\"}\n\n"
                                 "event: approval\ndata: {}\n\n";
        const Outcome o = read(bytes, 7);
        QVERIFY2(!o.error, qPrintable(o.error.message()));
        QCOMPARE(o.statuses, (QStringList{u"Waiting for your approval of create_feature_flag…"_s,
                                          u"Waiting for your approval…"_s}));
    }

    void draftLeftOpenIsStopped()
    {
        const QByteArray bytes = "event: message\ndata: {\"type\":\"ai\",\"content\":\"Part\"}\n\n";
        const Outcome o = read(bytes, 3);
        QCOMPARE(o.turns.size(), 2);
        QCOMPARE(o.turns.at(1).state, Turn::State::Stopped);
        QCOMPARE(o.turns.at(1).plainText(), u"Part"_s);
    }

    void generationErrorEndsTheReply()
    {
        const Outcome o = read("event: status\ndata: {\"type\":\"generation_error\"}\n\n", 0);
        QCOMPARE(o.error.kind, ApiError::Kind::Server);
        QCOMPARE(o.error.code, u"generation_error"_s);
    }

    void brokenEventIsABadResponse()
    {
        const Outcome o = read("event: message\ndata: [1,2\n\n", 0);
        QCOMPARE(o.error.kind, ApiError::Kind::BadResponse);
    }

    void queueAnswer()
    {
        const auto q = parseQueue(R"({"messages":[{"id":"q1","content":"A","created_at":)"
                                  R"("2025-05-01T10:00:00Z"}],"max_queue_messages":2})");
        QVERIFY(q.ok());
        QCOMPARE(q.value().items.size(), 1);
        QCOMPARE(q.value().items.at(0).content, u"A"_s);
        QCOMPARE(q.value().maxItems, 2);
        QVERIFY(!q.value().isFull());
        QCOMPARE(parseQueue(R"({"max_queue_messages":2})").error().kind,
                 ApiError::Kind::BadResponse);
        QCOMPARE(parseQueue(R"({"messages":[{"content":"no id"}]})").error().kind,
                 ApiError::Kind::BadResponse);
    }

    void appendAnswer()
    {
        QCOMPARE(parseAppended(R"({"id":"m1"})").value(), u"m1"_s);
        QCOMPARE(parseAppended(R"({})").error().kind, ApiError::Kind::BadResponse);
        QCOMPARE(parseAppended("not json").error().kind, ApiError::Kind::BadResponse);
    }

    void textLimits()
    {
        QVERIFY(textProblem(u"  "_s, kMaxAppendLength).contains(u"empty"_s));
        QVERIFY(textProblem(QString(kMaxAppendLength + 1, u'x'), kMaxAppendLength)
                    .contains(QString::number(kMaxAppendLength)));
        QVERIFY(textProblem(QString(kMaxAppendLength, u'x'), kMaxAppendLength).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstPosthogWriteMapping)
#include "tst_posthog_write_mapping.moc"
