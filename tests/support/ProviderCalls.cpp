#include "support/ProviderCalls.h"

#include "support/Await.h"

namespace parley::test {

std::optional<Result<ConversationPage>> listPage(Provider &provider, const ListQuery &query,
                                                 const PageCursor &cursor, QObject *context,
                                                 int *answers)
{
    return await<ConversationPage>(
        [&](Provider::Done<ConversationPage> done) {
            provider.listConversations(query, cursor, context, std::move(done));
        },
        answers);
}

std::optional<Result<ConversationPage>>
listPage(Provider &provider, int pageSize, const PageCursor &cursor, QObject *context, int *answers)
{
    ListQuery query;
    query.pageSize = pageSize;
    return listPage(provider, query, cursor, context, answers);
}

std::optional<Result<ConversationDetail>> openConversation(Provider &provider, const QString &id,
                                                           QObject *context, int *answers)
{
    return await<ConversationDetail>(
        [&](Provider::Done<ConversationDetail> done) {
            provider.fetchConversation(id, context, std::move(done));
        },
        answers);
}

HttpResponse sendAndWait(HttpClient &http, const Endpoint &endpoint, const HttpRequest &request,
                         QObject *context)
{
    const auto r = awaitAnswer<HttpResponse>([&](std::function<void(HttpResponse)> done) {
        http.send(endpoint, request, context,
                  [done = std::move(done)](const HttpResponse &response) { done(response); });
    });
    return r.value_or(HttpResponse{});
}

QStringList Walk::ids() const
{
    QStringList out;
    out.reserve(rows.size());
    for (const Conversation &c : rows)
        out << c.id;
    return out;
}

Walk walkAll(Provider &provider, const ListQuery &query, QObject *context, int maxPages)
{
    Walk w;
    PageCursor cursor = PageCursor::first(provider.capabilities().paging);
    while (!cursor.atEnd) {
        if (w.pages >= maxPages) {
            w.error = ApiError::make(ApiError::Kind::BadResponse,
                                     QStringLiteral("more than %1 pages").arg(maxPages));
            break;
        }
        const auto r = listPage(provider, query, cursor, context);
        if (!r) {
            w.error = ApiError::make(ApiError::Kind::Timeout, QStringLiteral("no answer"));
            break;
        }
        if (!r->ok()) {
            w.error = r->error();
            break;
        }
        const ConversationPage &page = r->value();
        if (w.pages > 0 && page.total != w.total)
            w.totalsAgree = false;
        w.total = page.total;
        ++w.pages;
        w.largestPage = qMax(w.largestPage, int(page.items.size()));
        w.rows << page.items;
        cursor = page.next;
    }
    return w;
}

bool findPendingApproval(Provider &provider, QObject *context, QString *id, Approval *approval)
{
    const Walk all = walkAll(provider, ListQuery{}, context);
    for (const Conversation &c : all.rows) {
        const auto detail = openConversation(provider, c.id, context);
        if (!detail || !detail->ok())
            continue;
        for (const Approval &a : detail->value().approvals) {
            if (a.isPending()) {
                *id = c.id;
                *approval = a;
                return true;
            }
        }
    }
    return false;
}

} // namespace parley::test
