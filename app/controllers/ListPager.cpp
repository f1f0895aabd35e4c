#include "controllers/ListPager.h"

#include "core/Logging.h"
#include "providers/Provider.h"

namespace parley {

namespace {

// A page whose next cursor is where it started would be requested for ever.
bool samePlace(const PageCursor &a, const PageCursor &b)
{
    return a.style == b.style && a.page == b.page && a.offset == b.offset && a.token == b.token &&
           a.backToken == b.backToken;
}

} // namespace

ListPager::ListPager(QObject *parent)
    : QObject(parent)
{
    m_next.atEnd = true; // nothing to fetch until there is a provider
}

ListPager::~ListPager()
{
    cancel();
}

void ListPager::restart(Provider *provider, const ListQuery &query)
{
    cancel();
    m_provider = provider;
    m_query = query;
    m_stall = {};
    m_pages = 0;
    m_emptyPagesInARow = 0;
    m_lastIds.clear();
    m_next = provider ? PageCursor::first(provider->capabilities().paging)
                      : PageCursor::end(m_next.style);
}

void ListPager::cancel()
{
    // The ticket moves first: an answer that cancel() delivers synchronously is stale.
    ++m_ticket;
    m_inFlight = false;
    m_done = {};
    std::exchange(m_handle, RequestHandle()).cancel();
}

bool ListPager::fetchNext(Done done)
{
    if (m_inFlight || m_next.atEnd || !m_provider)
        return false;
    const quint64 ticket = ++m_ticket;
    m_inFlight = true;
    m_done = std::move(done);
    RequestHandle handle = m_provider->listConversations(
        m_query, m_next, this,
        [this, ticket](Result<ConversationPage> result) { onPage(ticket, std::move(result)); });
    // A provider may answer at once (a request refused before sending).
    if (m_inFlight && ticket == m_ticket)
        m_handle = handle;
    return true;
}

void ListPager::onPage(quint64 ticket, Result<ConversationPage> result)
{
    if (ticket != m_ticket || !m_inFlight) {
        qCDebug(lcModels) << "dropping a stale conversation page";
        return;
    }
    m_inFlight = false;
    m_handle = {};
    Done done = std::exchange(m_done, {});
    if (!result.ok()) {
        done(std::move(result)); // the cursor stays: the same page is asked for again
        return;
    }
    ConversationPage page = std::move(result).value();
    ++m_pages;
    const PageCursor requested = m_next;
    m_next = page.next;
    m_emptyPagesInARow = page.items.isEmpty() ? m_emptyPagesInARow + 1 : 0;
    QStringList ids;
    ids.reserve(page.items.size());
    for (const Conversation &c : std::as_const(page.items))
        ids << c.id;
    const bool repeated = !ids.isEmpty() && ids == m_lastIds && !ids.contains(QString());
    m_lastIds = std::move(ids);
    if (repeated) {
        qCWarning(lcModels) << "the provider sent the same page again; stopping";
        page.items.clear(); // shown already
        m_stall = ApiError::make(ApiError::Kind::BadResponse,
                                 tr("the platform sent the same page again instead of the next "
                                    "one, so the list would never end"));
    } else if (page.error.isError()) {
        qCWarning(lcModels) << "the provider cannot page past this page; stopping";
        m_stall = page.error;
    } else if (!m_next.atEnd && samePlace(m_next, requested)) {
        qCWarning(lcModels) << "the provider returned the same page cursor again; stopping";
        m_stall = ApiError::make(ApiError::Kind::BadResponse,
                                 tr("the platform sent the same page position twice, so the "
                                    "list would never end"));
    } else if (!m_next.atEnd && m_emptyPagesInARow >= kMaxEmptyPagesInARow) {
        qCWarning(lcModels) << "the provider keeps sending empty pages; stopping";
        m_stall = ApiError::make(ApiError::Kind::BadResponse,
                                 tr("the platform keeps sending empty pages without saying the "
                                    "list has ended"));
    }
    if (m_stall.isError())
        m_next.atEnd = true;
    page.next = m_next;
    page.error = m_stall; // the rows stay; the caller shows them, then this
    done(std::move(page));
}

} // namespace parley
