// orq.ai's create over real HTTP against the sandbox: a conversation is created with its
// name and metadata, is listed first (both API revisions, across a page boundary) and opens;
// text and over-long names are refused before anything is sent; platform errors arrive.
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/orq/OrqProvider.h"
#include "sandbox/Sandbox.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

namespace {
const QByteArray kKey = "parley-demo-key";
}

class TestOrqWrite : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        SandboxOptions options;
        options.key = kKey;
        options.conversations = 25;
        m_sandbox = std::make_unique<Sandbox>(options);
        QString error;
        QVERIFY2(m_sandbox->start(&error), qPrintable(error));
        m_http = std::make_unique<HttpClient>();
    }
    void cleanupTestCase()
    {
        m_http.reset();
        m_sandbox.reset();
    }

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
        QSet<QString> seen;
        PageCursor cursor = PageCursor::first(p->capabilities().paging);
        int pages = 0;
        while (!cursor.atEnd && pages < 40) {
            QSignalSpy spy(this, &TestOrqWrite::pageArrived);
            std::optional<Result<ConversationPage>> page;
            p->listConversations(q, cursor, this, [&](Result<ConversationPage> r) {
                page = std::move(r);
                emit pageArrived();
            });
            QVERIFY(spy.wait(10000));
            QVERIFY2(page->ok(), qPrintable(page->error().message()));
            if (pages == 0)
                QCOMPARE(page->value().items.constFirst().id, id);
            for (const Conversation &c : page->value().items) {
                QVERIFY2(!seen.contains(c.id), qPrintable(c.id));
                seen.insert(c.id);
            }
            cursor = page->value().next;
            ++pages;
        }
        QVERIFY(cursor.atEnd);
        QVERIFY(seen.contains(id));

        std::optional<Result<ConversationDetail>> detail;
        QSignalSpy opened(this, &TestOrqWrite::pageArrived);
        p->fetchConversation(id, this, [&](Result<ConversationDetail> r) {
            detail = std::move(r);
            emit pageArrived();
        });
        QVERIFY(opened.wait(10000));
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
        auto p =
            ProviderRegistry::create(workspace(OrqProvider::kRevisionSnake), "wrong", m_http.get());
        const Result<Conversation> r = start(*p, NewConversation{});
        QCOMPARE(r.error().kind, ApiError::Kind::Auth);
        QVERIFY(r.error().message().contains(u"invalid"_s, Qt::CaseInsensitive));
    }

signals:
    void pageArrived();

private:
    Workspace workspace(const QString &revision) const
    {
        Workspace ws;
        ws.id = QUuid::createUuid();
        ws.name = u"orq sandbox"_s;
        ws.platform = u"orq"_s;
        ws.baseUrl = m_sandbox->baseUrl(u"orq"_s);
        ws.params.insert(u"api_revision"_s, revision);
        return ws;
    }
    std::unique_ptr<Provider> provider(const QString &revision)
    {
        return ProviderRegistry::create(workspace(revision), kKey, m_http.get());
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

    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<HttpClient> m_http;
};

QTEST_GUILESS_MAIN(TestOrqWrite)
#include "tst_orq_write.moc"
