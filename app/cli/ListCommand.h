#pragma once

#include "core/ApiError.h"
#include "core/PageCursor.h"
#include "core/Result.h"

#include <QObject>

#include <functional>

namespace parley {
class Provider;
}

namespace parley::cli {

class RowWriter;

// `list`: pages through a provider one request at a time, writing each page's rows as soon
// as it arrives, until the platform says there is no more or `limit` rows were written.
// A provider that hands back the cursor it was given would loop for ever: that is
// reported as a BadResponse instead.
class ListCommand : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const ApiError &error)>;

    // `limit` < 0 = every row. `writer` and `provider` must outlive the command.
    ListCommand(Provider *provider, ListQuery query, int limit, RowWriter *writer,
                QObject *parent = nullptr);

    // `done` runs once, from the event loop, with an empty error on success.
    void start(Done done);
    int pagesFetched() const { return m_pages; }

private:
    void requestPage();
    void onPage(Result<ConversationPage> result);

    Provider *m_provider;
    ListQuery m_query;
    int m_limit;
    RowWriter *m_writer;
    Done m_done;
    PageCursor m_cursor;
    int m_written = 0;
    int m_pages = 0;
    int m_emptyPagesInARow = 0;
};

} // namespace parley::cli
