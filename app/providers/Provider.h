#pragma once

#include "core/ConversationDetail.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "core/Workspace.h"
#include "net/HttpClient.h"
#include "providers/Capabilities.h"

#include <QObject>

#include <functional>

namespace parley {

// One platform's API, for one workspace. The only place that knows the platform's
// paths, fields and quirks; everything above speaks core/ types.
//
// Every call is asynchronous: `done` runs exactly once on the GUI thread, never before the
// call has returned, and not at all once `context` is destroyed. Canceling through the
// returned handle makes it run with an ApiError of kind Canceled (callers ignore those).
class Provider : public QObject
{
    Q_OBJECT
public:
    template<typename T>
    using Done = std::function<void(Result<T>)>;

    Provider(Workspace workspace, HttpClient *http, QObject *parent = nullptr);

    const Workspace &workspace() const { return m_workspace; }
    virtual QString platform() const = 0;
    virtual Capabilities capabilities() const = 0;

    // One page of the list. `cursor` is PageCursor::first(capabilities().paging) for the
    // first page, then the `next` of the previous page.
    virtual RequestHandle listConversations(const ListQuery &query, const PageCursor &cursor,
                                            QObject *context, Done<ConversationPage> done) = 0;
    virtual RequestHandle fetchConversation(const QString &id, QObject *context,
                                            Done<ConversationDetail> done) = 0;
    // One cheap authenticated request; by default the first page with one row.
    virtual RequestHandle testConnection(QObject *context, std::function<void(ApiError)> done);

protected:
    HttpClient *http() const { return m_http; }

private:
    Workspace m_workspace;
    HttpClient *m_http;
};

} // namespace parley
