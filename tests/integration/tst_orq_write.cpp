// orq.ai's create over real HTTP against the sandbox: a conversation is created with its
// name and metadata, is listed first (both API revisions, across a page boundary) and opens;
// text and over-long names are refused before anything is sent; platform errors arrive.
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/orq/OrqProvider.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestOrqWrite : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(25, 0, &error), qPrintable(error));
    }
    void cleanupTestCase() { m_fx.stop(); }

    void createdConversationIsListedFirstAndOpens_data()
    {
        QTest::addColumn<QString>("revision");
        QTest::newRow("2025-12") << OrqProvider::kRevisionSnake;
        QTest::newRow("2026-02") << OrqProvider::kRevisionCamel;
    }
    void createdConversationIsListedFirstAndOpens()
    {
        QFETCH(QString, revision);
        auto p = provider(revision);
        QVERIFY(p->capabilities().can(Capabilities::Create));
        NewConversation request;
        request.title = u"Refund follow-up (%1)"_s.arg(revision.left(7));
        request.params.insert(u"model"_s, u"openai/gpt-4o"_s);
        const Result<Conversation> created = start(*p, request);
        QVERIFY2(created.ok(), qPrintable(created.error().message()));
        const QString id = created.value().id;
        QVERIFY(id.startsWith(u"conv_"_s));
        QCOMPARE(created.value().title, request.title);

        // First in the list, and the page after it continues with the rest, no repeats.
        ListQuery q;
        q.pageSize = 2;
        const Walk w = walkAll(*p, q, this, 40);
        QVERIFY2(w.ok(), qPrintable(w.error.message()));
        QCOMPARE(w.rows.constFirst().id, id);
        const QStringList ids = w.ids();
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());

        const auto detail = openConversation(*p, id, this);
        QVERIFY(detail);
        QVERIFY2(detail->ok(), qPrintable(detail->error().message()));
        QCOMPARE(detail->value().summary.title, request.title);
        QVERIFY(detail->value().turns.isEmpty());
    }

    void textIsRefusedBeforeSending()
    {
        auto p = provider(OrqProvider::kRevisionSnake);
        NewConversation request;
        request.text = u"Hello"_s;
        const Result<Conversation> r = start(*p, request);
        QCOMPARE(r.error().kind, ApiError::Kind::Invalid);
        QCOMPARE(r.error().httpStatus, 0); // nothing was sent
        QVERIFY(r.error().message().contains(u"cannot start with a message"_s));
    }

    void longNameIsRefusedBeforeSending()
    {
        auto p = provider(OrqProvider::kRevisionSnake);
        NewConversation request;
        request.title = QString(101, u'x');
        const Result<Conversation> r = start(*p, request);
        QCOMPARE(r.error().kind, ApiError::Kind::Invalid);
        QCOMPARE(r.error().httpStatus, 0);
    }

    void wrongKeyIsAnAuthError()
    {
        auto p = m_fx.provider(workspace(OrqProvider::kRevisionSnake), "wrong");
        const Result<Conversation> r = start(*p, NewConversation{});
        QCOMPARE(r.error().kind, ApiError::Kind::Auth);
        QVERIFY(r.error().message().contains(u"invalid"_s, Qt::CaseInsensitive));
    }

private:
    Workspace workspace(const QString &revision) const
    {
        Workspace ws = m_fx.workspace(u"orq"_s);
        ws.params.insert(u"api_revision"_s, revision);
        return ws;
    }
    std::unique_ptr<Provider> provider(const QString &revision)
    {
        return m_fx.provider(workspace(revision));
    }
    // Runs startConversation to its end: the created conversation, or the error.
    Result<Conversation> start(Provider &p, const NewConversation &request)
    {
        ReplyStream *stream = p.startConversation(request, this);
        QSignalSpy finished(stream, &ReplyStream::finished);
        if (!finished.wait(10000))
            return ApiError::make(ApiError::Kind::Timeout, u"no answer"_s);
        const ApiError error = stream->error();
        const Conversation c = stream->conversation();
        stream->deleteLater();
        if (error)
            return error;
        return c;
    }

    PlatformSandbox m_fx;
};

QTEST_GUILESS_MAIN(TestOrqWrite)
#include "tst_orq_write.moc"
