#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/Provider.h"

#include <QObject>

#include <functional>

namespace parley::cli {

// `show`: opens one conversation. Some APIs have no single-conversation endpoint and their
// provider answers from the list pages it has seen (PolyAI v1); a fresh process has seen
// none, so when the provider says "not found" without having asked the server, the list
// is paged through, scope by scope (Provider::lookupScopes: PolyAI's client environments),
// until the id turns up and the provider is asked again.
class ShowCommand : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<ConversationDetail>)>;

    ShowCommand(Provider *provider, QString id, QObject *parent = nullptr);
    // `done` runs once, from the event loop.
    void start(Done done);
    // After a search through named scopes, which ones were searched and where the id was
    // found, as a line for stderr; empty when there was no such search or it found nothing
    // (the error then names the scopes).
    QString searchNote() const { return m_note; }

private:
    void fetch();
    void onFetched(Result<ConversationDetail> result);
    void requestPage();
    void onPage(Result<ConversationPage> result);
    // Starts the scope after the current one; false when none is left.
    bool nextScope();
    QString searchedList() const;

    Provider *m_provider;
    QString m_id;
    Done m_done;
    bool m_scanned = false;
    ApiError m_notFound;
    ListScopes m_scopes;
    int m_scope = -1;
    int m_pageSize = 1;
    ListQuery m_query;
    PageCursor m_cursor;
    QString m_note;
};

} // namespace parley::cli
