#include "models/ConversationListModel.h"

#include "controllers/ListPager.h"

#include "core/Logging.h"
#include "providers/Provider.h"

#include <QLocale>

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
constexpr qsizetype kMaxPooled = 4096;

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
{}

ConversationListModel::~ConversationListModel()
{
    m_pager->cancel();
}

bool ConversationListModel::isLoading() const
{
    return m_pager->isFetching();
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
    m_error = {};
    requestPage();
    emit stateChanged();
}

const Conversation *ConversationListModel::conversationAt(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return nullptr;
    return &m_rows[size_t(row)];
}

int ConversationListModel::rowOfId(const QString &id) const
{
    return m_rowById.find(id, [this](int row) -> const QString & { return idOfRow(row); });
}

bool ConversationListModel::refreshState(const Conversation &fresh)
{
    const int row = fresh.id.isEmpty() ? -1 : rowOfId(fresh.id);
    if (row < 0)
        return false;
    Conversation &c = m_rows[size_t(row)];
    bool changed = false;
    if (!fresh.status.isEmpty() && fresh.status != c.status) {
        c.status = fresh.status;
        intern(c.status);
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
    if (changed)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return changed;
}

const QString &ConversationListModel::idOfRow(int row) const
{
    static const QString none;
    return size_t(row) < m_rows.size() ? m_rows[size_t(row)].id : none;
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
    const Conversation &c = m_rows[size_t(index.row())];
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
    return !parent.isValid() && m_provider && !m_pager->isFetching() && !m_error.isError() &&
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
    m_total = -1;
    m_error = {};
    beginResetModel();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_rowById.clear();
    m_pool.clear();
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
    appendPage(std::move(page.items));
    if (m_pager->isAtEnd()) {
        if (page.total < 0)
            m_total = qint64(m_rows.size());
        if (m_rows.capacity() > m_rows.size() + m_rows.size() / 4)
            m_rows.shrink_to_fit();
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
            const int existing = m_rowById.insert(row, c.id, [&](int r) -> const QString & {
                return r < first ? m_rows[size_t(r)].id : fresh[size_t(r - first)].id;
            });
            if (existing >= 0)
                continue;
        }
        intern(c.status);
        intern(c.kind);
        intern(c.owner);
        fresh.push_back(std::move(c));
    }
    if (fresh.empty())
        return;
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(fresh.begin()),
                  std::make_move_iterator(fresh.end()));
    endInsertRows();
}

void ConversationListModel::intern(QString &value)
{
    if (value.isEmpty())
        return;
    const auto it = m_pool.constFind(value);
    if (it != m_pool.constEnd())
        value = *it;
    else if (m_pool.size() < kMaxPooled)
        m_pool.insert(value);
}

void ConversationListModel::onProviderDestroyed()
{
    // The QPointer is already null: the model empties without calling into the provider.
    resetAndLoad();
}

} // namespace parley
