#pragma once

#include "core/ApiError.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "net/HttpClient.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace parley {

class Provider;

// Walks a provider's conversation list one page at a time: the one pager of Parley, used by
// the conversation list model (a page per fetchMore) and by `parley-cli list` (every page).
//
// It keeps the cursor, moves it before a page is delivered (so a view may ask for the next
// one while the rows go in), drops the answer of a page it no longer waits for, and ends a
// list whose paging goes nowhere: a page whose paging fields cannot be read
// (ConversationPage::error), the same position twice, or empty pages that never say the
// list has ended. That page keeps its rows and carries the reason as its `error`; the reason
// is also kept as stall(), for callers that report it. A page of exactly the rows of the one
// before (a platform that ignores the paging parameters) ends it too, without those rows
// again.
class ListPager : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<ConversationPage> page)>;

    // Empty pages in a row after which a list that has not ended is taken as stalled.
    static constexpr int kMaxEmptyPagesInARow = 3;

    explicit ListPager(QObject *parent = nullptr);
    ~ListPager() override;

    // Starts again at the first page of `query` on `provider` (null: nothing to fetch). A
    // page in flight is dropped: its answer is never delivered.
    void restart(Provider *provider, const ListQuery &query);
    // Asks for the next page (after an error: the same page again). `done` runs once, with
    // the page or the error, unless restart() or cancel() comes first. False, and `done`
    // never runs, when a page is in flight, the list has ended or there is no provider.
    bool fetchNext(Done done);
    // Drops the page in flight.
    void cancel();

    Provider *provider() const { return m_provider; }
    const ListQuery &query() const { return m_query; }
    bool isFetching() const { return m_inFlight; }
    bool isAtEnd() const { return m_next.atEnd; }
    int pagesFetched() const { return m_pages; }
    // Why the list ended though the platform did not say so (a BadResponse in words), as the
    // page that ended it said; no error otherwise.
    const ApiError &stall() const { return m_stall; }

private:
    void onPage(quint64 ticket, Result<ConversationPage> result);

    QPointer<Provider> m_provider;
    ListQuery m_query;
    PageCursor m_next;
    ApiError m_stall;
    Done m_done;
    RequestHandle m_handle;
    quint64 m_ticket = 0;
    bool m_inFlight = false;
    int m_pages = 0;
    int m_emptyPagesInARow = 0;
    QStringList m_lastIds; // the ids of the page before, in order
};

} // namespace parley
