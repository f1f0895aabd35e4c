#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/PageCursor.h"
#include "core/Result.h"
#include "models/ConversationRows.h"
#include "models/RowIdIndex.h"
#include "net/HttpClient.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <optional>
#include <vector>

namespace parley {

class ListPager;
class Provider;

// The conversations of one provider and one server-side query, loaded page by page.
//
// setProvider()/setQuery()/reload() reset the model and request the first page; every
// fetchMore() requests exactly one more page with the cursor the previous page returned.
// canFetchMore() is false while a page is in flight, after an error (until retry()) and
// once the cursor is at its end. A failed page leaves the loaded rows in place. A page the
// list cannot go on past (ConversationPage::error) adds its rows and sets error(); retry()
// then loads the list from its first page. A row Parley could not read shows as
// "Unreadable conversation", why in its tooltip.
//
// Rows are kept compactly (ConversationRows: strings once, times as numbers); a Conversation
// is made when asked for, display text in data(). An id that is already loaded (platforms shift
// their pages while we page) is skipped, never duplicated. Replies to requests made before the last
// reset are dropped.
//
// refresh() fetches the loaded pages again and applies the difference in place (rows
// updated, inserted, removed and moved; never a reset), so selections and persistent
// indexes survive; a failed refresh leaves the rows as they were. Where the platform lists
// from a conversation (Capabilities::listFromId: orq.ai) it fetches only the rows before
// the first one instead (ListQuery::endBefore) and puts them on top.
class ConversationListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY stateChanged)
    Q_PROPERTY(int loadedCount READ loadedCount NOTIFY stateChanged)
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY stateChanged)
    Q_PROPERTY(bool atEnd READ isAtEnd NOTIFY stateChanged)
    Q_PROPERTY(parley::ApiError error READ error NOTIFY stateChanged)

public:
    enum Column
    {
        TitleColumn,
        StatusColumn,
        CreatedColumn,
        UpdatedColumn,
        KindColumn,
        OwnerColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        // The raw value of the cell, for sorting: QString, or QDateTime in UTC.
        SortRole = Qt::UserRole + 1,
        IdRole,           // the conversation id (any column)
        ConversationRole, // the whole Conversation (any column)
    };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject *parent = nullptr);
    ~ConversationListModel() override;

    // Not owned. nullptr empties the model. Resets and loads the first page.
    void setProvider(Provider *provider);
    Provider *provider() const;
    // Resets and loads the first page with the new server-side filters and sort.
    void setQuery(const ListQuery &query);
    const ListQuery &query() const { return m_query; }

    // Forgets every row and loads the first page again.
    void reload();
    // After an error: requests the page that failed again. Does nothing otherwise.
    void retry();
    // Aborts the page in flight (the user stopped waiting): error() then says so, and retry()
    // asks for that page again. Does nothing while no page is in flight.
    void stop();

    // Fetches the list again from its first page until as many rows as are loaded now are
    // covered (or the list ends), then applies the difference: rows whose id stays are
    // updated where something changed, new rows inserted where the platform puts them, rows
    // no longer there removed, rows in another place moved. Paging then goes on from where
    // the refresh stopped, and an earlier page error is forgotten. False, and nothing is
    // requested, while a page or another refresh is in flight or there is no provider.
    // refreshed() tells how it ended; a reset (reload, another query) drops it silently.
    // Where the platform lists from a conversation, and the list is in its own order from its
    // start (no sort, no range of its own), only the rows before the first loaded one (the
    // newer ones) are fetched, to its end, and inserted on top; the rows below and the
    // paging stay as they are. Should the first row be gone (NotFound), the loaded pages are
    // fetched again as above.
    bool refresh();
    bool isRefreshing() const { return m_refreshing; }
    // Pages fetched since the last reset (a refresh counts the pages it fetched again).
    int loadedPages() const;

    bool isLoading() const;
    int loadedCount() const { return int(m_rows.size()); }
    // What the platform reported, the loaded count once the end is reached, else -1.
    qint64 totalCount() const { return m_total; }
    bool isAtEnd() const;
    // Kind::None unless the last request failed.
    const ApiError &error() const { return m_error; }
    bool hasError() const { return m_error.isError(); }

    // The conversation in `row`, made from the stored row; none when `row` is out of range.
    std::optional<Conversation> conversationAt(int row) const;
    // The stored rows, for proxies that read fields without making Conversations.
    const ConversationRows &rows() const { return m_rows; }
    // -1 when no loaded row has this id.
    int rowOfId(const QString &id) const;
    // A newer look at a loaded conversation (its transcript was fetched again after a reply,
    // a cancel or a note): its status, last update and turn count change in place where
    // `fresh` states them; title, kind and owner stay as the list gave them. False when no
    // loaded row has its id or nothing changed.
    bool refreshState(const Conversation &fresh);

    // Cheaper than the base class's (no rowCount()/columnCount() calls): sorting 100,000
    // rows in a proxy asks for millions of indexes.
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Display text of one cell, as data(DisplayRole) gives it, without a QVariant.
    static QString displayText(const Conversation &conversation, int column);

signals:
    // loading, loadedCount, totalCount, atEnd or error changed.
    void stateChanged();
    // A refresh ended: applied (no error), or failed with `error` and left every row as it was.
    void refreshed(const parley::ApiError &error);

private:
    void resetAndLoad();
    void requestPage();
    void onPage(Result<ConversationPage> result);
    void appendPage(QList<Conversation> &&items);
    // appendPage() at most kRowsPerTurn rows at a time, the rest on later event-loop turns, so
    // that no insertion holds the GUI thread longer than a frame; meanwhile the model is
    // loading.
    void appendInTurns(QList<Conversation> &&items);
    void appendNextTurn();
    // `items` (unique ids not loaded yet, in order) above every row.
    void prependRows(QList<Conversation> &&items);
    void onRefreshPage(Result<ConversationPage> result);
    // The loaded pages again, from the first (see refresh()).
    void refreshLoadedPages();
    // Only the rows before the first loaded one; false where the list cannot say which.
    bool refreshNewer();
    void onNewerPage(Result<ConversationPage> result);
    void endRefresh(const ApiError &error);
    // The refresh's rows (unique ids, the platform's order) into the model, in place.
    void applyRows(std::vector<Conversation> &&fresh);
    void removeRowsNotIn(const QHash<QString, int> &target);
    void moveRowsIntoOrder(const QHash<QString, int> &target);
    void insertAndUpdate(std::vector<Conversation> &&fresh);
    void rebuildIndex();
    void onProviderDestroyed();
    RowText idOfRow(int row) const;

public:
    // Rows inserted in one event-loop turn at most (see appendInTurns()).
    static constexpr int kRowsPerTurn = 500;

private:
    QPointer<Provider> m_provider;
    ListQuery m_query;
    QList<Conversation> m_rowsToInsert; // a page's rows for the next turns
    // The budget is 250 bytes per loaded row (docs/PERFORMANCE.md).
    ConversationRows m_rows;
    RowIdIndex m_rowById; // rows with an id; rows without one cannot be matched

    ListPager *m_pager; // the page fetchMore()/retry() requests next, and the one in flight
    // The pages a refresh fetches again; it becomes m_pager once the refresh is applied.
    ListPager *m_refreshPager;
    std::vector<Conversation> m_refreshRows;
    // refreshNewer()'s pages, nearest to the first row first (each newest first).
    QList<QList<Conversation>> m_newerPages;
    QSet<QString> m_refreshIds;
    int m_refreshWanted = 0; // rows to cover
    qint64 m_refreshTotal = -1;
    bool m_refreshing = false;
    bool m_applying = false; // rows move: rowOfId() cannot use the index
    qint64 m_total = -1;
    ApiError m_error;
};

} // namespace parley
