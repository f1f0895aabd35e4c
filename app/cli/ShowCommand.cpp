#include "cli/ShowCommand.h"

#include "core/Logging.h"
#include "providers/Provider.h"

namespace parley::cli {

ShowCommand::ShowCommand(Provider *provider, QString id, QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_id(std::move(id))
{}

void ShowCommand::start(Done done)
{
    m_done = std::move(done);
    fetch();
}

void ShowCommand::fetch()
{
    m_provider->fetchConversation(
        m_id, this, [this](Result<ConversationDetail> r) { onFetched(std::move(r)); });
}

void ShowCommand::onFetched(Result<ConversationDetail> result)
{
    const ApiError &error = result.error();
    // The provider answered by itself: the conversation is not among the rows it loaded.
    const bool answeredLocally = error.reason == ApiError::Reason::NotLoaded;
    if (result.ok() || !answeredLocally || m_scanned ||
        !m_provider->capabilities().can(Capabilities::List)) {
        m_done(std::move(result));
        return;
    }
    qCDebug(lcCli) << "no single-conversation answer; looking through the list";
    m_scanned = true;
    m_notFound = error;
    m_scopes = m_provider->lookupScopes();
    m_pageSize = qMax(1, m_provider->capabilities().maxPageSize);
    if (!nextScope())
        m_done(std::move(result));
}

bool ShowCommand::nextScope()
{
    if (++m_scope >= m_scopes.scopes.size())
        return false;
    m_query = m_scopes.scopes.at(m_scope).second;
    m_query.pageSize = m_pageSize;
    m_cursor = PageCursor::first(m_provider->capabilities().paging);
    qCDebug(lcCli) << "looking through" << m_scopes.scopes.at(m_scope).first;
    requestPage();
    return true;
}

QString ShowCommand::searchedList() const
{
    QStringList names;
    for (int i = 0; i <= m_scope && i < m_scopes.scopes.size(); ++i)
        names << m_scopes.scopes.at(i).first;
    return names.join(u", ");
}

void ShowCommand::requestPage()
{
    m_provider->listConversations(m_query, m_cursor, this,
                                  [this](Result<ConversationPage> r) { onPage(std::move(r)); });
}

void ShowCommand::onPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        m_done(result.error());
        return;
    }
    const ConversationPage &page = result.value();
    const bool found = std::any_of(page.items.cbegin(), page.items.cend(),
                                   [this](const Conversation &c) { return c.id == m_id; });
    if (found) {
        if (!m_scopes.what.isEmpty())
            m_note =
                tr("Searched the %1 %2; found “%3” in %4.")
                    .arg(m_scopes.what, searchedList(), m_id, m_scopes.scopes.at(m_scope).first);
        fetch();
        return;
    }
    const PageCursor &next = page.next;
    const bool stuck = next.page == m_cursor.page && next.offset == m_cursor.offset &&
                       next.token == m_cursor.token;
    if (next.atEnd || stuck) {
        if (nextScope())
            return;
        ApiError notFound = m_notFound;
        notFound.detail = m_scopes.what.isEmpty()
                              ? tr("no conversation in the list has the id “%1”").arg(m_id)
                              : tr("no conversation in the %1 %2 has the id “%3”")
                                    .arg(m_scopes.what, searchedList(), m_id);
        m_done(notFound);
        return;
    }
    m_cursor = next;
    requestPage();
}

} // namespace parley::cli
