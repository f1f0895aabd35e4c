// Fixie's write side over real HTTP against the sandbox: starting a conversation and
// sending a message stream NDJSON snapshots that grow one assistant turn (never duplicate
// rows); a reply can be stopped; a second message while one is answered is a Conflict.
#include "models/TranscriptModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

// Applies a stream to a transcript the way the window does, and remembers what it saw.
struct Watch
{
    TranscriptModel model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    int updates = 0;
    QString runId;
    QString conversationId;

    void attach(ReplyStream *stream)
    {
        QObject::connect(stream, &ReplyStream::turnChanged, &model,
                         [this](const Turn &turn, const QString &replaces) {
                             ++updates;
                             if (!replaces.isEmpty() && model.updateTurn(replaces, turn))
                                 return;
                             model.upsertTurn(turn);
                         });
        QObject::connect(stream, &ReplyStream::runChanged, &model,
                         [this](const QString &id) { runId = id; });
        QObject::connect(stream, &ReplyStream::conversationChanged, &model,
                         [this](const Conversation &c) { conversationId = c.id; });
    }
    const Turn *last() const { return model.turnAt(model.rowCount() - 1); }
};

} // namespace

class TestFixieWrite : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(12, 15, &error), qPrintable(error));
        Workspace ws = m_fx.workspace(u"fixie"_s);
        ws.params.insert(u"agent_id"_s, u"support-agent"_s);
        m_provider = m_fx.provider(ws);
        const Capabilities caps = m_provider->capabilities();
        QVERIFY(caps.can(Capabilities::Create) && caps.can(Capabilities::Send) &&
                caps.can(Capabilities::Cancel));
    }
    void cleanupTestCase()
    {
        m_provider.reset();
        m_fx.stop();
    }

    void startStreamsOneGrowingTurn()
    {
        Watch w;
        NewConversation request;
        request.text = u"My parcel never arrived"_s;
        ReplyStream *stream = m_provider->startConversation(request, this);
        w.attach(stream);
        QSignalSpy finished(stream, &ReplyStream::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY2(!stream->error(), qPrintable(stream->error().message()));
        QVERIFY(!w.conversationId.isEmpty());
        QVERIFY2(w.updates > 3, "the reply arrived in pieces");
        QCOMPARE(w.model.rowCount(), 2); // the user's turn and one assistant turn
        QCOMPARE(w.model.turnAt(0)->plainText(), request.text);
        QCOMPARE(w.last()->role, Turn::Role::Assistant);
        QCOMPARE(w.last()->state, Turn::State::Done);
        QCOMPARE(w.last()->inReplyTo, w.model.turnAt(0)->id);

        // Stored: it opens with the same turns, and is listed first.
        const ConversationDetail detail = open(w.conversationId);
        QCOMPARE(detail.turns.size(), 2);
        QCOMPARE(detail.turns.last().plainText(), w.last()->plainText());
        ListQuery q;
        q.pageSize = 5;
        const auto page =
            listPage(*m_provider, q, PageCursor::first(PageCursor::Style::Offset), this);
        QVERIFY(page && page->ok());
        QCOMPARE(page->value().items.constFirst().id, w.conversationId);
    }

    void startWithoutTextGreets()
    {
        Watch w;
        ReplyStream *stream = m_provider->startConversation(NewConversation{}, this);
        w.attach(stream);
        QSignalSpy finished(stream, &ReplyStream::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY2(!stream->error(), qPrintable(stream->error().message()));
        QCOMPARE(w.model.rowCount(), 1);
        QCOMPARE(w.last()->role, Turn::Role::Assistant);
    }

    void sendStreamsTheReplyAndIsStored()
    {
        const QString id = anExistingConversation();
        const int before = int(open(id).turns.size());
        Watch w;
        ReplyStream *stream = m_provider->sendMessage(id, u"Any update?"_s, this);
        w.attach(stream);
        QSignalSpy finished(stream, &ReplyStream::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY2(!stream->error(), qPrintable(stream->error().message()));
        QCOMPARE(w.model.rowCount(), 2);
        QCOMPARE(w.model.turnAt(0)->plainText(), u"Any update?"_s);
        QCOMPARE(w.last()->state, Turn::State::Done);
        QVERIFY(stream->runId().isEmpty()); // nothing left to stop
        QCOMPARE(open(id).turns.size(), before + 2);
    }

    void busyConversationIsAConflictAndStopEndsTheReply()
    {
        const QString id = anExistingConversation();
        Watch w;
        ReplyStream *stream = m_provider->sendMessage(id, u"Tell me more"_s, this);
        w.attach(stream);
        QSignalSpy finished(stream, &ReplyStream::finished);
        QTRY_VERIFY_WITH_TIMEOUT(!w.runId.isEmpty() || !finished.isEmpty(), 20000);
        QVERIFY2(finished.isEmpty(), "the reply ended before it could be stopped");

        // A second message while the first is answered.
        ReplyStream *second = m_provider->sendMessage(id, u"Hello?"_s, this);
        QSignalSpy secondDone(second, &ReplyStream::finished);
        QVERIFY(secondDone.wait(10000));
        QCOMPARE(second->error().kind, ApiError::Kind::Conflict);

        std::optional<ApiError> stopped;
        m_provider->cancelRun(id, w.runId, this, [&](ApiError e) { stopped = e; });
        QTRY_VERIFY_WITH_TIMEOUT(stopped.has_value(), 10000);
        QVERIFY2(!*stopped, qPrintable(stopped->message()));
        QVERIFY(finished.count() > 0 || finished.wait(10000));
        QVERIFY2(!stream->error(), qPrintable(stream->error().message()));
        QCOMPARE(w.last()->state, Turn::State::Stopped);
        QCOMPARE(open(id).turns.last().state, Turn::State::Stopped);
    }

    void stopWithoutRunIsRefusedBeforeSending()
    {
        std::optional<ApiError> result;
        m_provider->cancelRun(anExistingConversation(), QString(), this,
                              [&](ApiError e) { result = e; });
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->kind, ApiError::Kind::Invalid);
    }

private:
    ConversationDetail open(const QString &id)
    {
        const auto detail = openConversation(*m_provider, id, this);
        return detail && detail->ok() ? detail->value() : ConversationDetail{};
    }
    // A generated conversation no test has written to yet.
    QString anExistingConversation()
    {
        PageCursor cursor = PageCursor::first(PageCursor::Style::Offset);
        cursor.offset = 5 + m_used++;
        const auto page = listPage(*m_provider, 1, cursor, this);
        if (!page || !page->ok() || page->value().items.isEmpty())
            return {};
        return page->value().items.constFirst().id;
    }

    PlatformSandbox m_fx;
    std::unique_ptr<Provider> m_provider;
    int m_used = 0;
};

QTEST_GUILESS_MAIN(TestFixieWrite)
#include "tst_fixie_write.moc"
