#include "providers/Provider.h"

namespace parley {

Provider::Provider(Workspace workspace, HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_http(http)
{}

RequestHandle Provider::testConnection(QObject *context, std::function<void(ApiError)> done)
{
    ListQuery q;
    q.pageSize = 1;
    return listConversations(q, PageCursor::first(capabilities().paging), context,
                             [done = std::move(done)](Result<ConversationPage> r) {
                                 done(r.ok() ? ApiError{} : r.error());
                             });
}

} // namespace parley
