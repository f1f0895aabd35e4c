#pragma once

#include "core/ApiError.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "net/HttpClient.h"
#include "providers/Capabilities.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <functional>
#include <map>
#include <optional>

class QTimer;

namespace parley {

class Provider;

// Walks a provider's conversation list: the one pager of Parley, used by the conversation
// list model (a page per fetchNext()) and by `parley-cli list` (every page, walkAll()).
//
// It keeps the cursor, moves it before a page is delivered (so a view may ask for the next
// one while the rows go in), drops the answer of a page it no longer waits for, and ends a
// list whose paging goes nowhere: a page whose paging fields cannot be read
// (ConversationPage::error), the same position twice, or empty pages that never say the
// list has ended. That page keeps its rows and carries the reason as its `error`; the reason
// is also kept as stall(), for callers that report it. A page of exactly the rows of the one
// before (a platform that ignores the paging parameters) ends it too, without those rows
// again.
//
// Walking (walkAll()) asks for the next page as soon as the body of the one before has
// arrived, while that one is read on a worker thread. Where the paging allows random access
// (page numbers, plain offsets) and the first page gives the list's total, up to parallel()
// pages are in flight; the pages are still delivered in the platform's order, and a row
// given before (a row that moved to a later page while the list was walked) is left out by
// its id. Opaque cursors go one page at a time. Every request waits as long as the
// platform's documented limits (Capabilities::readLimits) ask, per key; a 429 halves the
// pages in flight for that key (PagingBudget).
class ListPager : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<ConversationPage> page)>;

    // Empty pages in a row after which a list that has not ended is taken as stalled.
    static constexpr int kMaxEmptyPagesInARow = 3;
    // Pages in flight while walking a list that allows it, unless setParallel() says otherwise.
    static constexpr int kDefaultParallel = 4;
    static constexpr int kMaxParallel = 16;

    explicit ListPager(QObject *parent = nullptr);
    ~ListPager() override;

    // Starts again at the first page of `query` on `provider` (null: nothing to fetch). A
    // page in flight is dropped: its answer is never delivered.
    void restart(Provider *provider, const ListQuery &query);
    // Asks for the next page (after an error: the same page again). `done` runs once, with
    // the page or the error, unless restart() or cancel() comes first. False, and `done`
    // never runs, when a page is in flight, the list has ended or there is no provider.
    bool fetchNext(Done done);
    // Asks for every page from the next one on: `page` runs for each, in the platform's
    // order, until the one at the end (its next.atEnd) or an error; either is the last it
    // gets. After an error the cursor is at the page that failed (walkAll() or fetchNext()
    // asks for it again). cancel() and restart() end the walk with nothing more delivered.
    // False as fetchNext().
    bool walkAll(Done page);
    // Drops the pages in flight.
    void cancel();

    // Pages walkAll() keeps in flight at most (1..kMaxParallel; 1: one after the other).
    void setParallel(int pages);
    int parallel() const { return m_parallel; }
    // The pages in flight now allowed for this key: parallel(), or fewer after a 429.
    int window() const;
    // The limits requests keep to: by default the provider's Capabilities::readLimits.
    void setReadLimits(std::optional<QList<RequestLimit>> limits);
    // The most pages that were on the wire at once since restart() (for tests and benches).
    int mostInFlight() const { return m_mostOnWire; }

    Provider *provider() const { return m_provider; }
    const ListQuery &query() const { return m_query; }
    bool isFetching() const { return m_running; }
    bool isAtEnd() const { return m_next.atEnd; }
    int pagesFetched() const { return m_pages; }
    // Why the list ended though the platform did not say so (a BadResponse in words), as the
    // page that ended it said; no error otherwise.
    const ApiError &stall() const { return m_stall; }

private:
    // One page asked for.
    struct Slot
    {
        PageCursor cursor;
        quint64 serial = 0;
        QObject *context = nullptr; // the request's own, to tell its answers apart
        RequestHandle handle;
        bool arrived = false; // the body came (or the request ended)
        std::optional<Result<ConversationPage>> result;
    };

    bool begin(Done done, bool walk);
    // Sends what may be sent now (pacing, window), then delivers what is ready.
    void pump();
    // The cursor of the page `index` of this walk, if it can be named now.
    std::optional<PageCursor> cursorOf(int index) const;
    int windowNow() const;
    int onWire() const;
    void send(int index, const PageCursor &cursor);
    void onAnswer(int index, quint64 serial, Result<ConversationPage> result);
    void onArrived(QObject *context);
    void onRetry(QObject *context, const ApiError &cause);
    // What the page at `index` says of the pages after it (plan kept or dropped).
    void learn(int index, const ConversationPage &page);
    // Delivers the finished pages in order; false once the run is over.
    void deliverReady();
    // The page's rows and paging checked (stall reasons, repeated pages, rows given before).
    void check(ConversationPage &page, const PageCursor &requested);
    void dropSlotsFrom(int index);
    void finishRun();
    QList<RequestLimit> limits() const;

    QPointer<Provider> m_provider;
    QByteArray m_key; // Provider::keyIdentity()
    ListQuery m_query;
    PageCursor m_next;
    ApiError m_stall;
    int m_pages = 0;
    int m_emptyPagesInARow = 0;
    QStringList m_lastIds; // the ids of the page before, in order
    QSet<QString> m_given; // walkAll(): the ids given since restart()

    int m_parallel = kDefaultParallel;
    std::optional<QList<RequestLimit>> m_limits;
    QTimer *m_paceTimer;
    QMetaObject::Connection m_arrivedConnection;
    QMetaObject::Connection m_retryConnection;

    // The run (a fetchNext() or a walkAll()) under way.
    Done m_done;
    bool m_running = false;
    bool m_walk = false;
    bool m_pumping = false;
    quint64 m_ticket = 0; // moves on cancel(): answers of an older run are dropped
    quint64 m_serials = 0;
    PageCursor m_start;                 // the run's first page
    std::optional<PageCursor> m_second; // the cursor after it, as its page said or guessed
    bool m_secondKnown = false;         // ...as its page said
    int m_chainIndex = -1;              // one after the other: the index m_second is the cursor of
    bool m_randomAccess = false;        // pages are named by index (see cursorOf())
    qint64 m_pagesPlanned = -1;         // pages the run may ask for, from the total; -1: unknown
    int m_rowsPerPage = 0;
    std::map<int, Slot> m_slots; // by index from m_start
    int m_sent = 0;              // indexes sent so far: the next one to send
    int m_delivered = 0;         // the next index to deliver
    int m_mostOnWire = 0;
};

} // namespace parley
