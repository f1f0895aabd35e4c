#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"

#include <QObject>

#include <functional>

namespace parley {
class Provider;
}

namespace parley::cli {

// `show`: opens one conversation. Some APIs have no single-conversation endpoint and their
// provider answers from the list pages it has seen (PolyAI v1); a fresh process has seen
// none, so when the provider says "not found" without having asked the server, the list
// is paged through until the id turns up and the provider is asked again.
class ShowCommand : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<ConversationDetail>)>;

    ShowCommand(Provider *provider, QString id, QObject *parent = nullptr);
    // `done` runs once, from the event loop.
    void start(Done done);

private:
    void fetch();
    void onFetched(Result<ConversationDetail> result);
    void requestPage();
    void onPage(Result<ConversationPage> result);

    Provider *m_provider;
    QString m_id;
    Done m_done;
    bool m_scanned = false;
    ApiError m_notFound;
    ListQuery m_query;
    PageCursor m_cursor;
};

} // namespace parley::cli
