// ListPager::walkAll() over real HTTP: a list served by a route of the test's own on the
// sandbox's server (PostHog's list shape, paged by offset), so that the test decides what each
// request sees and counts when it came. Several pages in flight still give every row once in
// the list's order, also when a row moves to a later page meanwhile; requests keep to the
// read limits; a 429 halves the pages in flight.

#include "controllers/ListPager.h"
#include "controllers/PagingBudget.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <memory>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kKey = "pager-test-key";
const QString kPrefix = u"paged"_s;

struct Walked
{
    QStringList ids;
    ApiError error;
    bool ended = false;
};

} // namespace

class TestListPagerHttp : public QObject
{
    Q_OBJECT

private:
    // Before each answer, with the request's offset: may change m_rows.
    std::function<void(int offset)> m_beforeAnswer;
    // Instead of the answer, where it gives one (a 429).
    std::function<std::optional<sandbox::SandboxReply>(int offset)> m_instead;
    QStringList m_rows;
    QList<qint64> m_requestTimes; // ms on m_clock
    QElapsedTimer m_clock;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<Provider> m_provider;

    sandbox::SandboxReply answer(const sandbox::SandboxRequest &r);
    // Walks the whole list with `pager` (restarted on the provider, `pageSize` rows a page).
    Walked walk(ListPager &pager, int pageSize);
    static QStringList numbered(int n);

private slots:
    void initTestCase();
    void init();
    void severalInFlightGiveEveryRowOnceInOrder();
    void aRowMovedToALaterPageIsGivenOnce();
    void requestsKeepToTheReadLimit();
    void aTooManyRequestsHalvesThePagesInFlight();
};

QStringList TestListPagerHttp::numbered(int n)
{
    QStringList ids;
    for (int i = 0; i < n; ++i)
        ids << u"row-%1"_s.arg(i, 3, 10, QLatin1Char('0'));
    return ids;
}

sandbox::SandboxReply TestListPagerHttp::answer(const sandbox::SandboxRequest &r)
{
    const int offset = r.query(u"offset"_s).toInt();
    const int limit = r.query(u"limit"_s).toInt();
    m_requestTimes << m_clock.elapsed();
    if (m_instead) {
        if (std::optional<sandbox::SandboxReply> reply = m_instead(offset))
            return *reply;
    }
    if (m_beforeAnswer)
        m_beforeAnswer(offset);
    QJsonArray results;
    for (int i = offset; i < qMin(offset + limit, int(m_rows.size())); ++i)
        results.append(QJsonObject{{u"id"_s, m_rows.at(i)}, {u"title"_s, m_rows.at(i)}});
    QJsonObject body{{u"count"_s, m_rows.size()}, {u"previous"_s, QJsonValue()}};
    body.insert(u"next"_s, offset + limit < m_rows.size()
                               ? QJsonValue(u"http://elsewhere/?offset=%1"_s.arg(offset + limit))
                               : QJsonValue());
    body.insert(u"results"_s, results);
    return sandbox::SandboxReply::json(body);
}

void TestListPagerHttp::initTestCase()
{
    m_clock.start();
    sandbox::SandboxOptions options;
    options.key = kKey;
    options.conversations = 1;
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    m_sandbox->server()->route("GET", u"/%1/api/projects/1/conversations/"_s.arg(kPrefix), this,
                               &TestListPagerHttp::answer);
    Workspace ws;
    ws.platform = u"posthog"_s;
    ws.baseUrl = m_sandbox->baseUrl(kPrefix);
    ws.params.insert(u"project_id"_s, u"1"_s);
    ws.params.insert(u"api_path"_s, u"projects"_s);
    m_http = std::make_unique<HttpClient>();
    m_provider = ProviderRegistry::create(ws, kKey, m_http.get());
    QVERIFY(m_provider);
    QVERIFY(m_provider->capabilities().pagesByPosition);
}

void TestListPagerHttp::init()
{
    m_beforeAnswer = {};
    m_instead = {};
    m_requestTimes.clear();
    PagingBudget::shared().forget(m_provider->keyIdentity());
}

Walked TestListPagerHttp::walk(ListPager &pager, int pageSize)
{
    ListQuery query;
    query.pageSize = pageSize;
    pager.restart(m_provider.get(), query);
    Walked out;
    const bool started = pager.walkAll([&out](Result<ConversationPage> r) {
        if (!r.ok()) {
            out.error = r.error();
            out.ended = true;
            return;
        }
        for (const Conversation &c : r.value().items)
            out.ids << c.id;
        out.ended = r.value().next.atEnd;
        out.error = r.value().error;
    });
    if (!started)
        QTest::qFail("walkAll() refused to start", __FILE__, __LINE__);
    else if (!QTest::qWaitFor([&out] { return out.ended; }, 30000))
        QTest::qFail("the walk did not end", __FILE__, __LINE__);
    return out;
}

void TestListPagerHttp::severalInFlightGiveEveryRowOnceInOrder()
{
    m_rows = numbered(230);
    // Answers in reverse order of asking would show up as rows out of order.
    m_sandbox->server()->setFaults(u"delay=20"_s);
    ListPager pager;
    pager.setParallel(4);
    const Walked w = walk(pager, 10);
    m_sandbox->server()->setFaults(QString());
    QVERIFY2(!w.error.isError(), qPrintable(w.error.message()));
    QCOMPARE(w.ids, m_rows);
    QCOMPARE(m_requestTimes.size(), 23);
    QCOMPARE(pager.mostInFlight(), 4);

    ListPager one;
    one.setParallel(1);
    QCOMPARE(walk(one, 10).ids, m_rows);
    QCOMPARE(one.mostInFlight(), 1);
}

void TestListPagerHttp::aRowMovedToALaterPageIsGivenOnce()
{
    m_rows = numbered(40);
    // A new conversation on top once the first page was answered: every row moves one down,
    // so the second page starts with the first page's last row again.
    bool inserted = false;
    m_beforeAnswer = [this, &inserted](int offset) {
        if (offset > 0 && !inserted) {
            m_rows.prepend(u"row-new"_s);
            inserted = true;
        }
    };
    ListPager pager;
    pager.setParallel(4);
    const Walked w = walk(pager, 10);
    QVERIFY(inserted);
    QVERIFY2(!w.error.isError(), qPrintable(w.error.message()));
    QCOMPARE(w.ids, numbered(40)); // row-009 once, and row-039 from the page the list grew by
}

void TestListPagerHttp::requestsKeepToTheReadLimit()
{
    m_rows = numbered(60);
    ListPager pager;
    pager.setParallel(4);
    pager.setReadLimits(QList<RequestLimit>{{3, 1}}); // 3 a second
    const Walked w = walk(pager, 5);
    QVERIFY2(!w.error.isError(), qPrintable(w.error.message()));
    QCOMPARE(w.ids, m_rows);
    QCOMPARE(m_requestTimes.size(), 12);
    // Any 4 requests in a row span at least a second (less a little for the way there).
    for (qsizetype i = 0; i + 3 < m_requestTimes.size(); ++i)
        QVERIFY2(m_requestTimes.at(i + 3) - m_requestTimes.at(i) >= 900,
                 qPrintable(u"requests %1 to %2 within %3 ms"_s.arg(i).arg(i + 3).arg(
                     m_requestTimes.at(i + 3) - m_requestTimes.at(i))));
}

void TestListPagerHttp::aTooManyRequestsHalvesThePagesInFlight()
{
    m_rows = numbered(120);
    int refused = 0;
    m_instead = [&refused](int offset) -> std::optional<sandbox::SandboxReply> {
        if (offset != 30 || refused > 0)
            return std::nullopt;
        ++refused;
        sandbox::SandboxReply reply = sandbox::SandboxReply::json(
            QJsonObject{{u"type"_s, u"throttled_error"_s}, {u"detail"_s, u"slow down"_s}}, 429);
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
        return reply;
    };
    ListPager pager;
    pager.setParallel(4);
    QCOMPARE(pager.window(), 4);
    const Walked w = walk(pager, 10);
    QCOMPARE(refused, 1);
    QVERIFY2(!w.error.isError(), qPrintable(w.error.message()));
    QCOMPARE(w.ids, m_rows); // the page waited for comes in its place
    QCOMPARE(pager.window(), 2);
    // The key keeps the lower window: another pager of it starts there.
    ListPager again;
    again.setParallel(4);
    again.restart(m_provider.get(), {});
    QCOMPARE(again.window(), 2);
}

QTEST_GUILESS_MAIN(TestListPagerHttp)
#include "tst_listpager_http.moc"
