#pragma once

#include "core/ApiError.h"
#include "core/PageCursor.h"
#include "core/Result.h"

#include <QObject>

#include <functional>

namespace parley {
class ListPager;
class Provider;
} // namespace parley

namespace parley::cli {

class RowWriter;

// `list`: pages through a provider with the ListPager, writing each page's rows as soon as
// it arrives, until the platform says there is no more or `limit` rows were written. A list
// whose paging goes nowhere (ListPager::stall()) is reported as a BadResponse.
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
    int pagesFetched() const;

private:
    void requestPage();
    void onPage(Result<ConversationPage> result);

    QString m_platform;
    ListPager *m_pager;
    int m_limit;
    RowWriter *m_writer;
    Done m_done;
    int m_written = 0;
};

} // namespace parley::cli
