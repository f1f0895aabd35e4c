#include "cli/ListCommand.h"

#include "cli/ConversationJson.h"
#include "cli/RowWriter.h"
#include "controllers/ListPager.h"
#include "core/Logging.h"
#include "providers/Provider.h"

#include <QCoreApplication>

namespace parley::cli {

ListCommand::ListCommand(Provider *provider, ListQuery query, int limit, RowWriter *writer,
                         QObject *parent)
    : QObject(parent)
    , m_platform(provider->platform())
    , m_pager(new ListPager(this))
    , m_limit(limit)
    , m_writer(writer)
    , m_newerFirst(!query.endBefore.isEmpty())
{
    m_pager->restart(provider, query);
}

QString ListCommand::summary() const
{
    using namespace Qt::StringLiterals;
    return m_total >= 0 ? u"%1 of %2 conversations"_s.arg(m_written).arg(m_total)
                        : u"%1 conversations"_s.arg(m_written);
}

int ListCommand::pagesFetched() const
{
    return m_pager->pagesFetched();
}

void ListCommand::setParallel(int pages)
{
    m_pager->setParallel(pages);
}

void ListCommand::start(Done done)
{
    m_done = std::move(done);
    qCDebug(lcCli) << "walking the list," << m_pager->parallel() << "pages in flight at most";
    m_pager->walkAll([this](Result<ConversationPage> r) { onPage(std::move(r)); });
}

void ListCommand::onPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        end(result.error());
        return;
    }
    const ConversationPage &page = result.value();
    if (page.total >= 0)
        m_total = page.total;
    if (m_newerFirst) {
        // The page is newest first and ends at the rows nearest to the anchor.
        for (auto it = page.items.crbegin(); it != page.items.crend() && !full(); ++it) {
            if (it->isUnreadable())
                emit unreadableRow(*it);
            else
                m_held.append(*it);
        }
    } else {
        for (const Conversation &c : page.items) {
            if (full())
                break;
            write(c);
        }
    }
    if (full()) {
        m_pager->cancel(); // the pages still in flight are not needed
        end(ApiError{});
        return;
    }
    if (page.next.atEnd)
        end(page.error);
}

void ListCommand::write(const Conversation &c)
{
    if (c.isUnreadable()) {
        emit unreadableRow(c);
        return;
    }
    m_writer->write(ConversationJson::row(c, m_platform),
                    ConversationJson::rowCells(c, m_platform));
    ++m_written;
}

void ListCommand::end(const ApiError &error)
{
    // Degrade, never discard: the rows that arrived are printed even when paging failed.
    for (auto it = m_held.crbegin(); it != m_held.crend(); ++it)
        write(*it);
    m_held.clear();
    m_done(error);
}

} // namespace parley::cli
