#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "net/HttpClient.h"
#include "providers/Provider.h"

#include <QStringList>

#include <optional>

namespace parley::test {

// One provider call, waited for (tests only); nullopt when no answer came in time.
// `answers` counts the answers (exactly one is right).
std::optional<Result<ConversationPage>> listPage(Provider &provider, const ListQuery &query,
                                                 const PageCursor &cursor, QObject *context,
                                                 int *answers = nullptr);
// The first or a later page of the unfiltered list, `pageSize` rows.
std::optional<Result<ConversationPage>> listPage(Provider &provider, int pageSize,
                                                 const PageCursor &cursor, QObject *context,
                                                 int *answers = nullptr);
std::optional<Result<ConversationDetail>>
openConversation(Provider &provider, const QString &id, QObject *context, int *answers = nullptr);

// One request through the real HttpClient (the emulation's own rules, for requests a provider
// would never make); an empty HttpResponse when no answer came in time.
HttpResponse sendAndWait(HttpClient &http, const Endpoint &endpoint, const HttpRequest &request,
                         QObject *context);

// Every page of a list, from the first to the end (or to the first failure).
struct Walk
{
    QList<Conversation> rows;
    int pages = 0;           // pages answered
    int largestPage = 0;     // rows on the largest page
    qint64 total = -1;       // the total the last page reported (-1: none)
    bool totalsAgree = true; // every page reported the same total
    ApiError error;          // what ended the walk early; None when it reached the end

    QStringList ids() const;
    bool ok() const { return !error.isError(); }
};

// Walks `query` from the first page; stops after `maxPages` pages with an error.
Walk walkAll(Provider &provider, const ListQuery &query, QObject *context, int maxPages = 5000);

// The first conversation of the whole list with an approval waiting for an answer: its id in
// `id` and that approval in `approval`; false when no conversation has one.
bool findPendingApproval(Provider &provider, QObject *context, QString *id, Approval *approval);

} // namespace parley::test
