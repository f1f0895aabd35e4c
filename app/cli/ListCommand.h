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

// `list`: walks a provider's list with the ListPager (ListPager::walkAll(): the next pages
// asked for while this one is read, several at once where the paging allows it), writing
// each page's rows as soon as it is its turn, until the platform says there is no more or `limit`
// rows were written. A list whose paging goes nowhere (ConversationPage::error) ends with that
// BadResponse after its rows. A row Parley cannot read is not written: unreadableRow() says which,
// and it does not count towards `limit` or written().
//
// A list that ends before a conversation (ListQuery::endBefore) arrives nearest first, a
// page of newer rows at a time: its rows are kept and written at the end, newest first as
// every list, and `limit` keeps the ones nearest to that conversation.
class ListCommand : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const ApiError &error)>;

    // `limit` < 0 = every row. `writer` and `provider` must outlive the command.
    ListCommand(Provider *provider, ListQuery query, int limit, RowWriter *writer,
                QObject *parent = nullptr);

    // Pages in flight where the paging allows it (ListPager::setParallel()); call before start().
    void setParallel(int pages);
    // `done` runs once, from the event loop, with an empty error on success.
    void start(Done done);
    int pagesFetched() const;
    // Rows written so far.
    int written() const { return m_written; }
    // The platform's count of the whole list (the last page that gave one), -1 when it gives
    // none.
    qint64 total() const { return m_total; }
    // "10 of 40 conversations", or "10 conversations" where the platform counts none: the
    // line that ends a list on stderr (untranslated, for scripts).
    QString summary() const;

signals:
    // A row that could not be read (Conversation::unreadable says why) was left out.
    void unreadableRow(const parley::Conversation &row);

private:
    void onPage(Result<ConversationPage> result);
    bool full() const { return m_limit >= 0 && m_written + m_held.size() >= m_limit; }
    void write(const Conversation &c);
    // Writes the rows held back (newest first) and ends with `error`.
    void end(const ApiError &error);

    QString m_platform;
    ListPager *m_pager;
    int m_limit;
    RowWriter *m_writer;
    Done m_done;
    int m_written = 0;
    qint64 m_total = -1;
    bool m_newerFirst = false;  // ListQuery::endBefore: pages come nearest first
    QList<Conversation> m_held; // those rows, nearest first
};

} // namespace parley::cli
