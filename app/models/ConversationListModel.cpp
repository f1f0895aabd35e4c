#include "models/ConversationListModel.h"

#include "controllers/ListPager.h"

#include "core/Logging.h"
#include "providers/Provider.h"

#include <QLocale>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

QString localTime(const QDateTime &utc, QLocale::FormatType format)
{
    if (!utc.isValid())
        return {};
    return QLocale().toString(utc.toLocalTime(), format);
}

constexpr qint64 kMaxReserve = 200000;

QVariant sortValue(const Conversation &c, int column)
{
    switch (column) {
    case ConversationListModel::TitleColumn:
        return c.title;
    case ConversationListModel::StatusColumn:
        return c.status;
    case ConversationListModel::CreatedColumn:
        return c.createdAt;
    case ConversationListModel::UpdatedColumn:
        return c.updatedAt;
    case ConversationListModel::KindColumn:
        return c.kind;
    case ConversationListModel::OwnerColumn:
        return c.owner;
    default:
        break;
    }
    return {};
}

QVariant toolTip(const Conversation &c, int column)
{
    if (c.isUnreadable()) {
        const QString why = ConversationListModel::tr("Parley could not read this conversation: %1")
                                .arg(c.unreadableWhy());
        return c.id.isEmpty() ? why : QString(why + u'\n' + c.id);
    }
    if (column == ConversationListModel::TitleColumn)
        return c.title.isEmpty() ? c.id : QString(c.title + u'\n' + c.id);
    if (column == ConversationListModel::CreatedColumn ||
        column == ConversationListModel::UpdatedColumn) {
        const QDateTime &t =
            column == ConversationListModel::CreatedColumn ? c.createdAt : c.updatedAt;
        if (!t.isValid())
            return {};
        return QString(localTime(t, QLocale::LongFormat) + u" ("_s +
                       t.toUTC().toString(Qt::ISODateWithMs) + u')');
    }
    const QString text = ConversationListModel::displayText(c, column);
    return text.isEmpty() ? QVariant() : QVariant(text);
}

} // namespace

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_pager(new ListPager(this))
    , m_refreshPager(new ListPager(this))
{}

ConversationListModel::~ConversationListModel()
{
    m_pager->cancel();
    m_refreshPager->cancel();
}

bool ConversationListModel::isLoading() const
{
    return m_pager->isFetching() || !m_rowsToInsert.isEmpty();
}

bool ConversationListModel::isAtEnd() const
{
    return m_pager->isAtEnd();
}

void ConversationListModel::setProvider(Provider *provider)
{
    if (m_provider)
        disconnect(m_provider, &QObject::destroyed, this, nullptr);
    m_provider = provider;
    if (provider)
        connect(provider, &QObject::destroyed, this, &ConversationListModel::onProviderDestroyed);
    resetAndLoad();
}

Provider *ConversationListModel::provider() const
{
    return m_provider;
}

void ConversationListModel::setQuery(const ListQuery &query)
{
    m_query = query;
    resetAndLoad();
}

void ConversationListModel::reload()
{
    resetAndLoad();
}

void ConversationListModel::retry()
{
    if (!m_error.isError() || m_pager->isFetching() || !m_provider)
        return;
    if (m_pager->isAtEnd()) {
        // The list could not go on past its last page: only its first page can start again.
        resetAndLoad();
        return;
    }
    m_error = {};
    requestPage();
    emit stateChanged();
}

void ConversationListModel::stop()
{
    if (!m_pager->isFetching())
        return;
    m_pager->cancel(); // the cursor stays: retry() asks for the same page
    m_error = ApiError::make(ApiError::Kind::Timeout, tr("you stopped waiting for it"));
    emit stateChanged();
}

std::optional<Conversation> ConversationListModel::conversationAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row);
}

int ConversationListModel::rowOfId(const QString &id) const
{
    if (m_applying) {
        // While a refresh moves rows the index is behind: look at the rows themselves.
        if (id.isEmpty())
            return -1;
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.id(row) == id)
                return row;
        }
        return -1;
    }
    return m_rowById.find(id, [this](int row) { return idOfRow(row); });
}

bool ConversationListModel::refreshState(const Conversation &fresh)
{
    const int row = fresh.id.isEmpty() ? -1 : rowOfId(fresh.id);
    if (row < 0)
        return false;
    Conversation c = m_rows.at(row);
    bool changed = false;
    if (!fresh.status.isEmpty() && fresh.status != c.status) {
        c.status = fresh.status;
        changed = true;
    }
    // Never back in time: an older answer does not undo a newer row.
    if (fresh.updatedAt.isValid() && (!c.updatedAt.isValid() || fresh.updatedAt > c.updatedAt)) {
        c.updatedAt = fresh.updatedAt;
        changed = true;
    }
    if (fresh.turnCount >= 0 && fresh.turnCount != c.turnCount) {
        c.turnCount = fresh.turnCount;
        changed = true;
    }
    if (changed) {
        m_rows.set(row, c);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    return changed;
}

RowText ConversationListModel::idOfRow(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.id(row) : RowText();
}

QModelIndex ConversationListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= int(m_rows.size()) ||
        column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConversationListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConversationListModel::displayText(const Conversation &c, int column)
{
    if (c.isUnreadable()) // the tooltip says why
        return column == TitleColumn ? tr("Unreadable conversation") : QString();
    switch (column) {
    case TitleColumn:
        return c.title.isEmpty() ? tr("Untitled") : c.title;
    case StatusColumn:
        return c.status;
    case CreatedColumn:
        return localTime(c.createdAt, QLocale::ShortFormat);
    case UpdatedColumn:
        return localTime(c.updatedAt, QLocale::ShortFormat);
    case KindColumn:
        return c.kind;
    case OwnerColumn:
        return c.owner;
    default:
        break;
    }
    return {};
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()) ||
        index.column() >= ColumnCount)
        return {};
    const Conversation c = m_rows.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayText(c, column);
    case Qt::ToolTipRole:
        return toolTip(c, column);
    case SortRole:
        return sortValue(c, column);
    case IdRole:
        return c.id;
    case ConversationRole:
        return QVariant::fromValue(c);
    default:
        break;
    }
    return {};
}

QVariant ConversationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TitleColumn:
        return tr("Title");
    case StatusColumn:
        return tr("Status");
    case CreatedColumn:
        return tr("Created");
    case UpdatedColumn:
        return tr("Updated");
    case KindColumn:
        return tr("Type");
    case OwnerColumn:
        return tr("Owner");
    default:
        break;
    }
    return {};
}

Qt::ItemFlags ConversationListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(IdRole, "conversationId");
    names.insert(ConversationRole, "conversation");
    return names;
}

bool ConversationListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_provider && !isLoading() && !m_refreshing && !m_error.isError() &&
           !m_pager->isAtEnd();
}

void ConversationListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    requestPage();
    emit stateChanged();
}

void ConversationListModel::resetAndLoad()
{
    // Nothing to fetch while the reset signals run: a view calling fetchMore() from
    // modelReset must not request a page of the previous query.
    m_pager->restart(nullptr, m_query);
    m_refreshPager->restart(nullptr, m_query);
    m_refreshing = false;
    m_refreshRows = {};
    m_refreshIds = {};
    m_rowsToInsert = {};
    m_total = -1;
    m_error = {};
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    endResetModel();

    if (m_provider) {
        m_pager->restart(m_provider, m_query);
        requestPage();
    }
    emit stateChanged();
}

void ConversationListModel::requestPage()
{
    Q_ASSERT(m_provider && !m_pager->isFetching());
    m_pager->fetchNext([this](Result<ConversationPage> result) { onPage(std::move(result)); });
}

void ConversationListModel::onPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        // A cancellation we did not ask for is not an error: the same page can be fetched again.
        if (result.error().kind != ApiError::Kind::Canceled) {
            m_error = result.error();
            qCInfo(lcModels).noquote()
                << "conversation page failed:" << ApiError::kindName(m_error.kind);
        }
        emit stateChanged();
        return;
    }

    // The pager moved its cursor before handing the page over: a view may call fetchMore()
    // from rowsInserted.
    ConversationPage page = std::move(result).value();
    if (page.total >= 0) {
        m_total = page.total;
        // Room for what the platform announced (bounded: the number comes from the wire).
        const size_t wanted = size_t(std::min<qint64>(page.total, kMaxReserve));
        if (wanted > m_rows.capacity())
            m_rows.reserve(wanted);
    }
    appendInTurns(std::move(page.items));
    // Rows the list cannot go on past: they stay, and the reason shows as the list's error.
    if (page.error.isError())
        m_error = page.error;
    if (m_pager->isAtEnd()) {
        if (page.total < 0)
            m_total = qint64(m_rows.size()) + qint64(m_rowsToInsert.size());
        if (m_rowsToInsert.isEmpty() && m_rows.capacity() > size_t(m_rows.size()) * 5 / 4)
            m_rows.shrinkToFit();
    }
    emit stateChanged();
}

void ConversationListModel::appendPage(QList<Conversation> &&items)
{
    // Keep the new ids only (a page may repeat rows of the previous one, or itself).
    std::vector<Conversation> fresh;
    fresh.reserve(size_t(items.size()));
    const int first = int(m_rows.size());
    for (Conversation &c : items) {
        if (!c.id.isEmpty()) {
            const int row = first + int(fresh.size());
            const int existing = m_rowById.insert(row, c.id, [&](int r) {
                return r < first ? m_rows.id(r) : RowText(fresh[size_t(r - first)].id);
            });
            if (existing >= 0)
                continue;
        }
        fresh.push_back(std::move(c));
    }
    if (fresh.empty())
        return;
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_rows.insert(first, fresh.data(), fresh.data() + fresh.size());
    endInsertRows();
}

void ConversationListModel::appendInTurns(QList<Conversation> &&items)
{
    m_rowsToInsert.append(std::move(items));
    appendNextTurn();
}

void ConversationListModel::appendNextTurn()
{
    const qsizetype n = qMin<qsizetype>(kRowsPerTurn, m_rowsToInsert.size());
    QList<Conversation> turn(std::make_move_iterator(m_rowsToInsert.begin()),
                             std::make_move_iterator(m_rowsToInsert.begin() + n));
    m_rowsToInsert.remove(0, n);
    appendPage(std::move(turn));
    if (m_rowsToInsert.isEmpty())
        return;
    QTimer::singleShot(0, this, [this] {
        if (m_rowsToInsert.isEmpty())
            return; // a reset came first
        appendNextTurn();
        if (m_rowsToInsert.isEmpty())
            emit stateChanged(); // loading no more
    });
}

void ConversationListModel::prependRows(QList<Conversation> &&items)
{
    // Ids already loaded stay where they are (a row may have moved up meanwhile).
    std::vector<Conversation> fresh;
    QSet<QString> seen;
    for (Conversation &c : items) {
        if (!c.id.isEmpty() && (rowOfId(c.id) >= 0 || seen.contains(c.id)))
            continue;
        seen.insert(c.id);
        fresh.push_back(std::move(c));
    }
    if (fresh.empty())
        return;
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    m_rows.insert(0, fresh.data(), fresh.data() + fresh.size());
    rebuildIndex(); // every row moved down
    endInsertRows();
}

// ---- Refresh: the loaded pages again, applied in place ----------------------------------

int ConversationListModel::loadedPages() const
{
    return m_pager->pagesFetched();
}

bool ConversationListModel::refresh()
{
    if (!m_provider || isLoading() || m_refreshing)
        return false;
    m_refreshRows = {};
    m_refreshIds = {};
    m_refreshTotal = -1;
    m_refreshing = true;
    if (!refreshNewer())
        refreshLoadedPages();
    emit stateChanged();
    return true;
}

void ConversationListModel::refreshLoadedPages()
{
    m_refreshPager->restart(m_provider, m_query);
    m_refreshWanted = int(m_rows.size());
    m_refreshPager->fetchNext(
        [this](Result<ConversationPage> result) { onRefreshPage(std::move(result)); });
}

bool ConversationListModel::refreshNewer()
{
    const bool ownOrder =
        m_query.sort.isEmpty() && m_query.startAfter.isEmpty() && m_query.endBefore.isEmpty();
    if (!ownOrder || m_rows.empty() || m_rows.id(0).isEmpty() ||
        !m_provider->capabilities().listFromId)
        return false;
    ListQuery newer = m_query;
    newer.endBefore = m_rows.id(0).toString();
    m_newerPages = {};
    m_refreshPager->restart(m_provider, newer);
    m_refreshPager->fetchNext(
        [this](Result<ConversationPage> result) { onNewerPage(std::move(result)); });
    return true;
}

void ConversationListModel::onNewerPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        if (result.error().kind == ApiError::Kind::NotFound) {
            // The first row is gone: nothing to count from but the list's start.
            qCDebug(lcModels) << "the first row is gone; refreshing the loaded pages";
            m_newerPages = {};
            refreshLoadedPages();
            return;
        }
        qCInfo(lcModels).noquote()
            << "conversation list refresh failed:" << ApiError::kindName(result.error().kind);
        m_newerPages = {};
        endRefresh(result.error());
        return;
    }
    m_newerPages.append(std::move(result).value().items);
    if (!m_refreshPager->isAtEnd()) {
        m_refreshPager->fetchNext(
            [this](Result<ConversationPage> next) { onNewerPage(std::move(next)); });
        return;
    }
    // Pages walk towards the newest: the last one goes on top.
    QList<Conversation> rows;
    for (auto page = m_newerPages.crbegin(); page != m_newerPages.crend(); ++page)
        rows.append(*page);
    m_newerPages = {};
    m_refreshPager->restart(nullptr, m_query);
    const int before = int(m_rows.size());
    prependRows(std::move(rows));
    if (m_total >= 0)
        m_total += int(m_rows.size()) - before;
    m_error = {};
    endRefresh({});
}

void ConversationListModel::onRefreshPage(Result<ConversationPage> result)
{
    if (!result.ok()) {
        qCInfo(lcModels).noquote()
            << "conversation list refresh failed:" << ApiError::kindName(result.error().kind);
        endRefresh(result.error());
        return;
    }
    ConversationPage page = std::move(result).value();
    if (page.total >= 0)
        m_refreshTotal = page.total;
    const ApiError stall = page.error; // the rows are applied, then the list says it
    for (Conversation &c : page.items) {
        // Ids seen on an earlier page of this refresh are skipped, as paging does.
        if (!c.id.isEmpty() && Q_UNLIKELY(m_refreshIds.contains(c.id)))
            continue;
        if (!c.id.isEmpty())
            m_refreshIds.insert(c.id);
        m_refreshRows.push_back(std::move(c));
    }
    if (!m_refreshPager->isAtEnd() && int(m_refreshRows.size()) < m_refreshWanted) {
        m_refreshPager->fetchNext(
            [this](Result<ConversationPage> next) { onRefreshPage(std::move(next)); });
        return;
    }

    // Paging goes on from where the refresh stopped.
    std::swap(m_pager, m_refreshPager);
    m_refreshPager->restart(nullptr, m_query);
    m_refreshIds = {};
    applyRows(std::exchange(m_refreshRows, {}));
    m_total =
        m_refreshTotal >= 0 ? m_refreshTotal : (m_pager->isAtEnd() ? qint64(m_rows.size()) : -1);
    m_error = stall;
    endRefresh({});
}

void ConversationListModel::endRefresh(const ApiError &error)
{
    if (error.isError()) {
        m_refreshPager->restart(nullptr, m_query);
        m_refreshRows = {};
        m_refreshIds = {};
    }
    m_refreshing = false;
    emit refreshed(error);
    emit stateChanged();
}

void ConversationListModel::applyRows(std::vector<Conversation> &&fresh)
{
    // Where each id goes (the refresh kept one row per id).
    QHash<QString, int> target;
    target.reserve(qsizetype(fresh.size()));
    for (size_t i = 0; i < fresh.size(); ++i) {
        if (!fresh[i].id.isEmpty())
            target.insert(fresh[i].id, int(i));
    }
    m_applying = true;
    removeRowsNotIn(target);
    moveRowsIntoOrder(target);
    insertAndUpdate(std::move(fresh));
    m_applying = false;
    rebuildIndex();
}

void ConversationListModel::removeRowsNotIn(const QHash<QString, int> &target)
{
    // A row without an id cannot be matched: the refresh's own copy replaces it.
    const auto stays = [&](int row) {
        const RowText id = m_rows.id(row);
        return !id.isEmpty() && target.contains(id.toString());
    };
    // Runs of rows, from the bottom up so that the rows above keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (stays(row))
            continue;
        const int last = row;
        while (row > 0 && !stays(row - 1))
            --row;
        beginRemoveRows({}, row, last);
        m_rows.erase(row, last + 1);
        endRemoveRows();
    }
}

void ConversationListModel::moveRowsIntoOrder(const QHash<QString, int> &target)
{
    // Every row left is in `target`. The longest run of rows already in the new order (not
    // necessarily adjacent) stays; each other row moves next to the rows placed already.
    const int n = int(m_rows.size());
    std::vector<int> order(static_cast<size_t>(n));
    for (int row = 0; row < n; ++row)
        order[size_t(row)] = target.value(m_rows.id(row).toString());

    // Longest increasing subsequence of `order` (patience sorting, with back links).
    std::vector<int> tails; // rows ending the best run of each length
    std::vector<int> previous(static_cast<size_t>(n), -1);
    for (int row = 0; row < n; ++row) {
        const auto at =
            std::lower_bound(tails.begin(), tails.end(), order[size_t(row)],
                             [&order](int r, int value) { return order[size_t(r)] < value; });
        if (at != tails.begin())
            previous[size_t(row)] = *(at - 1);
        if (at == tails.end())
            tails.push_back(row);
        else
            *at = row;
    }
    std::vector<char> placed(static_cast<size_t>(n), 0);
    for (int row = tails.empty() ? -1 : tails.back(); row >= 0; row = previous[size_t(row)])
        placed[size_t(row)] = 1;

    for (int from = 0; from < n; ++from) {
        if (placed[size_t(from)])
            continue;
        // Before the first placed row that comes after it in the new order (else at the end).
        int to = n;
        for (int row = 0; row < n; ++row) {
            if (row != from && placed[size_t(row)] && order[size_t(row)] > order[size_t(from)]) {
                to = row;
                break;
            }
        }
        if (to != from && to != from + 1) {
            beginMoveRows({}, from, from, {}, to);
            const auto rotate = [from, to](auto &v) {
                if (to > from)
                    std::rotate(v.begin() + from, v.begin() + from + 1, v.begin() + to);
                else
                    std::rotate(v.begin() + to, v.begin() + from, v.begin() + from + 1);
            };
            if (to > from)
                m_rows.rotate(from, from + 1, to);
            else
                m_rows.rotate(to, from, from + 1);
            rotate(order);
            rotate(placed);
            endMoveRows();
            placed[size_t(to > from ? to - 1 : to)] = 1;
            // The row now at `from` has not been looked at yet.
            --from;
        } else {
            placed[size_t(from)] = 1;
        }
    }
}

void ConversationListModel::insertAndUpdate(std::vector<Conversation> &&fresh)
{
    // The rows left are the refresh's rows with a known id, in its order: what is not at its
    // place yet is new.
    const int n = int(fresh.size());
    int changedFrom = -1;
    const auto flushChanged = [&](int end) {
        if (changedFrom >= 0)
            emit dataChanged(index(changedFrom, 0), index(end - 1, ColumnCount - 1));
        changedFrom = -1;
    };
    for (int i = 0; i < n;) {
        const QString here = i < m_rows.size() ? m_rows.id(i).toString() : QString();
        if (here.isEmpty() || fresh[size_t(i)].id != here) {
            flushChanged(i);
            int end = i + 1;
            while (end < n && (here.isEmpty() || fresh[size_t(end)].id != here))
                ++end;
            beginInsertRows({}, i, end - 1);
            m_rows.insert(i, fresh.data() + i, fresh.data() + end);
            endInsertRows();
            i = end;
            continue;
        }
        const Conversation row = m_rows.at(i);
        Conversation &now = fresh[size_t(i)];
        if (now.turnCount < 0)
            now.turnCount = row.turnCount; // the list does not say; a transcript did
        const bool same = row.title == now.title && row.status == now.status &&
                          row.kind == now.kind && row.owner == now.owner &&
                          row.createdAt == now.createdAt && row.updatedAt == now.updatedAt &&
                          row.turnCount == now.turnCount;
        if (same) {
            flushChanged(i);
        } else {
            m_rows.set(i, now);
            if (changedFrom < 0)
                changedFrom = i;
        }
        ++i;
    }
    flushChanged(n);
}

void ConversationListModel::rebuildIndex()
{
    m_rowById.clear();
    for (int row = 0; row < m_rows.size(); ++row) {
        const RowText id = m_rows.id(row);
        if (!id.isEmpty())
            m_rowById.insert(row, id, [this](int r) { return idOfRow(r); });
    }
}

void ConversationListModel::onProviderDestroyed()
{
    // The QPointer is already null: the model empties without calling into the provider.
    resetAndLoad();
}

} // namespace parley
