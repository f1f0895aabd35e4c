#include "controllers/ListPager.h"

#include "controllers/PagingBudget.h"
#include "core/Logging.h"
#include "providers/Provider.h"

#include <QTimer>

#include <limits>

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
    , m_paceTimer(new QTimer(this))
{
    m_next.atEnd = true; // nothing to fetch until there is a provider
    m_paceTimer->setSingleShot(true);
    connect(m_paceTimer, &QTimer::timeout, this, &ListPager::pump);
}

ListPager::~ListPager()
{
    cancel();
}

void ListPager::restart(Provider *provider, const ListQuery &query)
{
    cancel();
    disconnect(m_arrivedConnection);
    disconnect(m_retryConnection);
    m_provider = provider;
    m_query = query;
    m_stall = {};
    m_pages = 0;
    m_emptyPagesInARow = 0;
    m_mostOnWire = 0;
    m_lastIds.clear();
    m_given.clear();
    m_key = provider ? provider->keyIdentity() : QByteArray();
    m_next = provider ? PageCursor::first(provider->capabilities().paging)
                      : PageCursor::end(m_next.style);
    if (!provider)
        return;
    m_arrivedConnection =
        connect(provider, &Provider::listPageArrived, this, &ListPager::onArrived);
    if (HttpClient *http = provider->httpClient())
        m_retryConnection = connect(
            http, &HttpClient::retryScheduled, this,
            [this](QObject *context, int, const ApiError &cause) { onRetry(context, cause); });
}

void ListPager::setParallel(int pages)
{
    m_parallel = qBound(1, pages, kMaxParallel);
}

void ListPager::setReadLimits(std::optional<QList<RequestLimit>> limits)
{
    m_limits = std::move(limits);
}

QList<RequestLimit> ListPager::limits() const
{
    if (m_limits)
        return *m_limits;
    return m_provider ? m_provider->capabilities().readLimits : QList<RequestLimit>();
}

int ListPager::window() const
{
    return PagingBudget::shared().window(m_key, m_parallel);
}

void ListPager::cancel()
{
    // The ticket moves first: an answer that canceling delivers synchronously is stale.
    ++m_ticket;
    finishRun();
}

void ListPager::finishRun()
{
    m_running = false;
    m_done = {};
    m_paceTimer->stop();
    dropSlotsFrom(std::numeric_limits<int>::min());
}

void ListPager::dropSlotsFrom(int index)
{
    // Out of the map first: the Canceled answers that canceling sends find no slot.
    std::map<int, Slot> dropped;
    for (auto it = m_slots.lower_bound(index); it != m_slots.end();)
        dropped.insert(m_slots.extract(it++));
    for (auto &[i, slot] : dropped) {
        slot.handle.cancel();
        slot.context->deleteLater(); // then drops what is still on its way
    }
}

bool ListPager::fetchNext(Done done)
{
    return begin(std::move(done), false);
}

bool ListPager::walkAll(Done page)
{
    return begin(std::move(page), true);
}

bool ListPager::begin(Done done, bool walk)
{
    if (m_running || m_next.atEnd || !m_provider)
        return false;
    ++m_ticket;
    m_running = true;
    m_walk = walk;
    m_done = std::move(done);
    m_start = m_next;
    m_sent = 0;
    m_delivered = 0;
    m_second.reset();
    m_secondKnown = false;
    m_chainIndex = -1;
    m_pagesPlanned = -1;
    // Pages named by index: guessed one page apart until the first page says how far.
    const Capabilities caps = m_provider->capabilities();
    m_randomAccess = walk && caps.pagesByPosition && m_start.style != PageCursor::Style::Cursor &&
                     m_query.startAfter.isEmpty() && m_query.endBefore.isEmpty();
    if (m_randomAccess) {
        m_rowsPerPage = qBound(1, m_query.pageSize, caps.maxPageSize);
        PageCursor guess = PageCursor::first(m_start.style);
        if (m_start.style == PageCursor::Style::PageNumber)
            guess.page = m_start.page + 1;
        else
            guess.offset = m_start.offset + m_rowsPerPage;
        m_second = guess;
    }
    pump();
    return true;
}

std::optional<PageCursor> ListPager::cursorOf(int index) const
{
    if (index == 0)
        return m_start;
    if (!m_walk)
        return std::nullopt;
    if (m_randomAccess && m_second) {
        if (m_pagesPlanned >= 0 && index >= m_pagesPlanned)
            return std::nullopt;
        return PageCursor::nth(m_start, *m_second, index);
    }
    // One after the other: the page before must have said where this one starts.
    if (m_second && index == m_chainIndex && !m_second->atEnd)
        return m_second;
    return std::nullopt;
}

int ListPager::windowNow() const
{
    // Up to parallel() only once the total bounds the pages; else one ahead, on arrival.
    return m_walk && m_randomAccess && m_pagesPlanned >= 0 ? window() : 1;
}

int ListPager::onWire() const
{
    int n = 0;
    for (const auto &[index, slot] : m_slots)
        n += slot.arrived ? 0 : 1;
    return n;
}

void ListPager::pump()
{
    if (!m_running || m_pumping)
        return;
    const quint64 ticket = m_ticket;
    m_pumping = true;
    for (;;) {
        const std::optional<PageCursor> cursor = cursorOf(m_sent);
        if (!cursor || onWire() >= windowNow())
            break;
        // Read pages wait for the slowest one before them: hold only a few.
        const int maxAhead = m_pagesPlanned >= 0 ? 4 * windowNow() : 2;
        if (m_sent - m_delivered >= maxAhead)
            break;
        const qint64 wait = PagingBudget::shared().waitMs(m_key, limits());
        if (wait > 0) {
            if (!m_paceTimer->isActive())
                m_paceTimer->start(int(qMin<qint64>(wait, std::numeric_limits<int>::max())));
            break;
        }
        send(m_sent, *cursor);
    }
    m_pumping = false;
    // Answers that came while sending (a provider that answers at once).
    if (ticket == m_ticket && m_running)
        deliverReady();
}

void ListPager::send(int index, const PageCursor &cursor)
{
    Slot &slot = m_slots[index];
    slot = Slot{};
    slot.cursor = cursor;
    slot.serial = ++m_serials;
    slot.context = new QObject(this);
    const quint64 serial = slot.serial;
    QObject *context = slot.context;
    m_sent = index + 1;
    PagingBudget::shared().spend(m_key, limits());
    RequestHandle handle = m_provider->listConversations(
        m_query, cursor, context, [this, index, serial](Result<ConversationPage> result) {
            onAnswer(index, serial, std::move(result));
        });
    const auto it = m_slots.find(index);
    if (it != m_slots.end() && it->second.serial == serial && !it->second.result)
        it->second.handle = handle;
    m_mostOnWire = qMax(m_mostOnWire, onWire());
}

void ListPager::onArrived(QObject *context)
{
    for (auto &[index, slot] : m_slots) {
        if (slot.context == context) {
            slot.arrived = true;
            pump();
            return;
        }
    }
}

void ListPager::onRetry(QObject *context, const ApiError &cause)
{
    if (cause.kind != ApiError::Kind::RateLimited && cause.retryAfterSeconds < 0)
        return;
    for (const auto &[index, slot] : m_slots) {
        if (slot.context == context) {
            PagingBudget::shared().rateLimited(m_key, window());
            return;
        }
    }
}

void ListPager::onAnswer(int index, quint64 serial, Result<ConversationPage> result)
{
    const auto it = m_slots.find(index);
    if (it == m_slots.end() || it->second.serial != serial || it->second.result) {
        qCDebug(lcModels) << "dropping a stale conversation page";
        return;
    }
    it->second.arrived = true;
    it->second.handle = {};
    if (!result.ok() && result.error().kind == ApiError::Kind::RateLimited)
        PagingBudget::shared().rateLimited(m_key, window());
    if (result.ok())
        learn(index, result.value());
    it->second.result = std::move(result);
    if (m_pumping)
        return; // pump() delivers it once it is done sending
    const quint64 ticket = m_ticket;
    deliverReady();
    if (ticket == m_ticket)
        pump();
}

void ListPager::learn(int index, const ConversationPage &page)
{
    if (!m_walk)
        return;
    if (!m_randomAccess) {
        m_second = page.next; // where the next page starts
        m_chainIndex = index + 1;
        return;
    }
    bool planHolds = true;
    if (!page.next.atEnd) {
        if (index == 0 && !m_secondKnown) {
            planHolds = PageCursor::randomAccess(m_start, page.next) &&
                        PageCursor::samePosition(page.next, *m_second);
            // A page shorter than asked for yet not the last: the platform's own page size.
            if (m_start.style == PageCursor::Style::PageNumber && !page.items.isEmpty())
                m_rowsPerPage = int(page.items.size());
        } else {
            planHolds =
                PageCursor::samePosition(page.next, PageCursor::nth(m_start, *m_second, index + 1));
        }
    }
    if (index == 0)
        m_secondKnown = true;
    if (!planHolds) {
        qCDebug(lcModels) << "the pages do not follow each other by index; one at a time";
        m_randomAccess = false;
        dropSlotsFrom(index + 1);
        m_sent = index + 1;
        m_second = page.next;
        m_chainIndex = index + 1;
        return;
    }
    if (page.total >= 0) {
        const qint64 rows = m_start.style == PageCursor::Style::Offset
                                ? m_second->offset - m_start.offset
                                : qint64(m_rowsPerPage);
        m_pagesPlanned = qMax(m_pagesPlanned, PageCursor::pagesLeft(m_start, page.total, rows));
    }
    // The list grew past what its total said: one more page, and so on.
    if (!page.next.atEnd && m_pagesPlanned >= 0 && index + 1 >= m_pagesPlanned)
        m_pagesPlanned = index + 2;
}

void ListPager::deliverReady()
{
    const quint64 ticket = m_ticket;
    while (m_running) {
        const auto it = m_slots.find(m_delivered);
        if (it == m_slots.end() || !it->second.result)
            return;
        Slot slot = std::move(it->second);
        m_slots.erase(it);
        slot.context->deleteLater();
        ++m_delivered;
        Result<ConversationPage> result = std::move(*slot.result);
        Done done = m_done;
        if (!result.ok()) {
            m_next = slot.cursor; // the same page is asked for again
            finishRun();
            done(std::move(result));
            return;
        }
        ConversationPage page = std::move(result).value();
        ++m_pages;
        check(page, slot.cursor);
        const bool last = m_next.atEnd || !m_walk;
        if (last)
            finishRun();
        done(std::move(page));
        if (last || ticket != m_ticket)
            return;
    }
}

void ListPager::check(ConversationPage &page, const PageCursor &requested)
{
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
    if (!m_walk)
        return;
    // A row that moved to a later page while the list was walked is given once.
    qsizetype kept = 0;
    for (qsizetype i = 0; i < page.items.size(); ++i) {
        const QString &id = page.items.at(i).id;
        if (!id.isEmpty() && m_given.contains(id))
            continue;
        if (!id.isEmpty())
            m_given.insert(id);
        if (kept != i)
            page.items[kept] = std::move(page.items[i]);
        ++kept;
    }
    page.items.resize(kept);
}

} // namespace parley
