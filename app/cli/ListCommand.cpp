#include "cli/ListCommand.h"

#include "cli/ConversationJson.h"
#include "cli/RowWriter.h"
#include "core/Logging.h"
#include "providers/Provider.h"

#include <QCoreApplication>

namespace parley::cli {

namespace {

// A platform that keeps answering empty pages without saying it is done is not
// paging; stop after this many in a row.
constexpr int kMaxEmptyPagesInARow = 3;

bool sameCursor(const PageCursor &a, const PageCursor &b)
{
    return a.style == b.style && a.page == b.page && a.offset == b.offset && a.token == b.token &&
           a.atEnd == b.atEnd;
}

} // namespace

ListCommand::ListCommand(Provider *provider, ListQuery query, int limit, RowWriter *writer,
                         QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_query(std::move(query))
    , m_limit(limit)
    , m_writer(writer)
{}

void ListCommand::start(Done done)
{
    m_done = std::move(done);
    m_cursor = PageCursor::first(m_provider->capabilities().paging);
    requestPage();
}

void ListCommand::requestPage()
{
    qCDebug(lcCli) << "requesting page" << m_pages + 1;
    m_provider->listConversations(m_query, m_cursor, this,
                                  [this](Result<ConversationPage> r) { onPage(std::move(r)); });
}

void ListCommand::onPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        m_done(result.error());
        return;
    }
    ++m_pages;
    const ConversationPage &page = result.value();
    const QString platform = m_provider->platform();
    for (const Conversation &c : page.items) {
        if (m_limit >= 0 && m_written >= m_limit)
            break;
        m_writer->write(ConversationJson::row(c, platform),
                        ConversationJson::rowCells(c, platform));
        ++m_written;
    }

    if (page.next.atEnd || (m_limit >= 0 && m_written >= m_limit)) {
        m_done(ApiError{});
        return;
    }
    if (sameCursor(page.next, m_cursor)) {
        m_done(ApiError::make(ApiError::Kind::BadResponse,
                              tr("the platform sent the same page position twice, so the list "
                                 "would never end")));
        return;
    }
    m_emptyPagesInARow = page.items.isEmpty() ? m_emptyPagesInARow + 1 : 0;
    if (m_emptyPagesInARow >= kMaxEmptyPagesInARow) {
        m_done(ApiError::make(ApiError::Kind::BadResponse,
                              tr("the platform keeps sending empty pages without saying the "
                                 "list has ended")));
        return;
    }
    m_cursor = page.next;
    requestPage();
}

} // namespace parley::cli
