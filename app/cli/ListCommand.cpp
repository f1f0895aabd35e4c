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
{
    m_pager->restart(provider, query);
}

int ListCommand::pagesFetched() const
{
    return m_pager->pagesFetched();
}

void ListCommand::start(Done done)
{
    m_done = std::move(done);
    requestPage();
}

void ListCommand::requestPage()
{
    qCDebug(lcCli) << "requesting page" << m_pager->pagesFetched() + 1;
    m_pager->fetchNext([this](Result<ConversationPage> r) { onPage(std::move(r)); });
}

void ListCommand::onPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        m_done(result.error());
        return;
    }
    const ConversationPage &page = result.value();
    for (const Conversation &c : page.items) {
        if (m_limit >= 0 && m_written >= m_limit)
            break;
        m_writer->write(ConversationJson::row(c, m_platform),
                        ConversationJson::rowCells(c, m_platform));
        ++m_written;
    }
    if (m_limit >= 0 && m_written >= m_limit) {
        m_done(ApiError{});
        return;
    }
    if (page.next.atEnd) {
        m_done(m_pager->stall());
        return;
    }
    requestPage();
}

} // namespace parley::cli
