// ListPager, the one pager of the list model and parley-cli list: cursor moves before a page
// is delivered, a restart drops the page in flight, errors keep the cursor, and a list whose
// paging goes nowhere ends with stall() said in words.
#include "controllers/ListPager.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

using namespace parley;
using namespace parley::test;
using namespace Qt::StringLiterals;

namespace {

ListQuery pageOf(int size)
{
    ListQuery q;
    q.pageSize = size;
    return q;
}

// A ScriptedProvider whose answered pages `reshape` changes (given the cursor asked for).
class ReshapingProvider : public ScriptedProvider
{
public:
    using Reshape = std::function<void(ConversationPage &, const PageCursor &)>;

    ReshapingProvider(const QList<Conversation> &rows, Reshape reshape)
        : ScriptedProvider(rows)
        , m_reshape(std::move(reshape))
    {}

    RequestHandle listConversations(const ListQuery &q, const PageCursor &cursor, QObject *context,
                                    Done<ConversationPage> done) override
    {
        return ScriptedProvider::listConversations(
            q, cursor, context, [reshape = m_reshape, done, cursor](Result<ConversationPage> r) {
                if (r.ok())
                    reshape(r.value(), cursor);
                done(std::move(r));
            });
    }

private:
    Reshape m_reshape;
};

} // namespace

class TestListPager : public QObject
{
    Q_OBJECT

private slots:
    void walksEveryRowOnce()
    {
        ScriptedProvider provider(makeConversations(23));
        ListPager pager;
        pager.restart(&provider, pageOf(5));
        QSet<QString> seen;
        int pages = 0;
        while (!pager.isAtEnd()) {
            bool answered = false;
            QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
                QVERIFY(r.ok());
                // The cursor has moved before the page is handed over.
                QCOMPARE(pager.isAtEnd(), r.value().next.atEnd);
                for (const Conversation &c : r.value().items)
                    QVERIFY2(!seen.contains(c.id), qPrintable(c.id));
                for (const Conversation &c : r.value().items)
                    seen.insert(c.id);
                answered = true;
            }));
            QVERIFY(pager.isFetching());
            QVERIFY(!pager.fetchNext([](Result<ConversationPage>) { QFAIL("second request"); }));
            QTRY_VERIFY(answered);
            ++pages;
        }
        QCOMPARE(seen.size(), 23);
        QCOMPARE(pages, 5);
        QCOMPARE(pager.pagesFetched(), 5);
        QVERIFY(!pager.stall().isError());
        QVERIFY(!pager.fetchNext([](Result<ConversationPage>) { QFAIL("past the end"); }));
    }

    void restartDropsThePageInFlight()
    {
        ScriptedProvider provider(makeConversations(12));
        provider.holdReplies = true;
        provider.ignoreCancel = true; // its answer still arrives: the pager must drop it
        ListPager pager;
        pager.restart(&provider, pageOf(5));
        int stale = 0;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage>) { ++stale; }));
        ListQuery other = pageOf(4);
        pager.restart(&provider, other);
        QVERIFY(!pager.isFetching());
        int fresh = 0;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
            QVERIFY(r.ok());
            QCOMPARE(r.value().items.size(), 4);
            ++fresh;
        }));
        provider.releaseAll();
        QTRY_COMPARE(fresh, 1);
        QCoreApplication::processEvents();
        QCOMPARE(stale, 0);
        QCOMPARE(provider.listCalls.size(), 2);
        QCOMPARE(provider.listCalls.at(1).query.pageSize, 4);
    }

    void errorKeepsTheCursor()
    {
        ScriptedProvider provider(makeConversations(12));
        ListPager pager;
        pager.restart(&provider, pageOf(5));
        bool done = false;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage>) { done = true; }));
        QTRY_VERIFY(done);
        provider.failNext(ApiError::make(ApiError::Kind::Server, u"down"_s, 503));
        ApiError seen;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) { seen = r.error(); }));
        QTRY_VERIFY(seen.isError());
        QCOMPARE(seen.kind, ApiError::Kind::Server);
        QVERIFY(!pager.isAtEnd());
        done = false;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
            QVERIFY(r.ok());
            QCOMPARE(r.value().items.constFirst().id, u"conv-00005"_s); // the same page again
            done = true;
        }));
        QTRY_VERIFY(done);
        QCOMPARE(provider.listCalls.at(1).cursor.offset, provider.listCalls.at(2).cursor.offset);
    }

    void sameCursorTwiceStalls()
    {
        // Hands back the cursor it was given: the same page for ever.
        ReshapingProvider provider(
            makeConversations(30),
            [](ConversationPage &page, const PageCursor &asked) { page.next = asked; });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"same page cursor"_s));
        ListPager pager;
        pager.restart(&provider, pageOf(10));
        bool done = false;
        QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
            QVERIFY(r.ok());
            QCOMPARE(r.value().items.size(), 10); // the rows are kept
            QVERIFY(r.value().next.atEnd);
            done = true;
        }));
        QTRY_VERIFY(done);
        QVERIFY(pager.isAtEnd());
        QCOMPARE(pager.stall().kind, ApiError::Kind::BadResponse);
        QVERIFY(pager.stall().message().contains(u"same page position"_s));
    }

    void emptyPagesWithoutAnEndStall()
    {
        // Every page with no rows and a next cursor that moves on but never ends.
        ReshapingProvider provider(makeConversations(30),
                                   [](ConversationPage &page, const PageCursor &asked) {
                                       page.items.clear();
                                       page.next = asked;
                                       page.next.offset += 10;
                                       page.next.atEnd = false;
                                   });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"empty pages"_s));
        ListPager pager;
        pager.restart(&provider, pageOf(10));
        int pages = 0;
        while (!pager.isAtEnd() && pages < 10) {
            bool done = false;
            QVERIFY(pager.fetchNext([&](Result<ConversationPage>) { done = true; }));
            QTRY_VERIFY(done);
            ++pages;
        }
        QCOMPARE(pages, ListPager::kMaxEmptyPagesInARow);
        QVERIFY(pager.stall().message().contains(u"empty pages"_s));
    }

    // A page the provider cannot page past (ConversationPage::error): its rows are
    // delivered, the list ends there, and the reason is the page's error and stall().
    void pageErrorEndsTheListAfterItsRows()
    {
        ReshapingProvider provider(
            makeConversations(30), [](ConversationPage &page, const PageCursor &asked) {
                if (asked.offset == 10)
                    page.error = ApiError::make(ApiError::Kind::BadResponse, u"field 'next'"_s);
            });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot page past"_s));
        ListPager pager;
        pager.restart(&provider, pageOf(10));
        QStringList ids;
        ApiError last;
        while (!pager.isAtEnd()) {
            bool done = false;
            QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
                QVERIFY(r.ok());
                for (const Conversation &c : r.value().items)
                    ids << c.id;
                last = r.value().error;
                done = true;
            }));
            QTRY_VERIFY(done);
        }
        QCOMPARE(ids.size(), 20); // the second page's rows are kept
        QCOMPARE(pager.pagesFetched(), 2);
        QCOMPARE(last.detail, u"field 'next'"_s);
        QCOMPARE(pager.stall().detail, u"field 'next'"_s);
    }

    // A platform that ignores the paging parameters sends the first page again: the list
    // ends, without those rows a second time.
    void repeatedPageEndsTheListWithoutItsRows()
    {
        ReshapingProvider provider(
            makeConversations(30),
            [](ConversationPage &page, const PageCursor &) { page.items = makeConversations(10); });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"same page again"_s));
        ListPager pager;
        pager.restart(&provider, pageOf(10));
        int rows = 0;
        ApiError last;
        while (!pager.isAtEnd()) {
            bool done = false;
            QVERIFY(pager.fetchNext([&](Result<ConversationPage> r) {
                QVERIFY(r.ok());
                rows += int(r.value().items.size());
                last = r.value().error;
                done = true;
            }));
            QTRY_VERIFY(done);
        }
        QCOMPARE(rows, 10);
        QCOMPARE(pager.pagesFetched(), 2);
        QCOMPARE(last.kind, ApiError::Kind::BadResponse);
        QVERIFY(last.message().contains(u"same page again"_s));
    }

    void nothingWithoutAProvider()
    {
        ListPager pager;
        QVERIFY(pager.isAtEnd());
        QVERIFY(!pager.fetchNext([](Result<ConversationPage>) { QFAIL("no provider"); }));
        pager.restart(nullptr, pageOf(5));
        QVERIFY(!pager.fetchNext([](Result<ConversationPage>) { QFAIL("no provider"); }));
    }
};

QTEST_GUILESS_MAIN(TestListPager)
#include "tst_listpager.moc"
