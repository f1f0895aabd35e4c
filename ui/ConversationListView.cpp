#include "ConversationListView.h"

#include "providers/ProviderRegistry.h"

#include "BusyIndicator.h"
#include "ErrorBanner.h"
#include "FirstPaintReport.h"
#include "Icons.h"
#include "ServerFilterBar.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace parley {

ConversationListView::ConversationListView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_filter(new QLineEdit(this))
    , m_banner(new ErrorBanner(this))
    , m_serverFilters(new ServerFilterBar(this))
    , m_table(new QTableView(this))
    , m_note(new QLabel(this))
    , m_status(new QLabel(this))
    , m_busy(new BusyIndicator(this))
    , m_emptyPage(new QWidget(this))
    , m_emptyTitle(new QLabel(m_emptyPage))
    , m_emptyText(new QLabel(m_emptyPage))
    , m_emptyAdd(new QPushButton(tr("Add a Workspace…"), m_emptyPage))
{
    setObjectName(QStringLiteral("conversationListView"));
    reportFirstRowsPainted(m_table); // PARLEY_REPORT_FIRST_PAINT=1 only

    m_filter->setObjectName(QStringLiteral("conversationFilter"));
    m_filter->setPlaceholderText(tr("Filter loaded conversations (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter conversations"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(Icons::get(Icons::Search), QLineEdit::LeadingPosition);

    m_banner->setObjectName(QStringLiteral("conversationListBanner"));

    m_table->setObjectName(QStringLiteral("conversationTable"));
    m_table->setAccessibleName(tr("Conversations"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform rows: a fixed height, never measured per row.
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->hide();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *horizontal = m_table->horizontalHeader();
    horizontal->setHighlightSections(false);
    horizontal->setSortIndicatorClearable(true);
    horizontal->setSortIndicator(-1, Qt::AscendingOrder); // the platform's own order first
    horizontal->setSectionsMovable(true);
    horizontal->setStretchLastSection(false);
    horizontal->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    horizontal->setContextMenuPolicy(Qt::CustomContextMenu);
    horizontal->setToolTip(tr("Click to sort; right-click to choose the columns"));
    connect(horizontal, &QHeaderView::customContextMenuRequested, this,
            &ConversationListView::showHeaderMenu);

    m_note->setObjectName(QStringLiteral("conversationListNote"));
    m_note->setWordWrap(true);
    m_note->setEnabled(false);
    m_note->hide();
    m_status->setObjectName(QStringLiteral("conversationStatus"));
    m_status->setAccessibleName(tr("Loaded conversations"));
    m_busy->setObjectName(QStringLiteral("conversationBusy"));

    // Empty state.
    m_emptyPage->setObjectName(QStringLiteral("conversationEmptyState"));
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_emptyTitle->setFont(titleFont);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyTitle->setWordWrap(true);
    m_emptyText->setObjectName(QStringLiteral("conversationEmptyText"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyText->setTextFormat(Qt::RichText);
    m_emptyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyAdd->setObjectName(QStringLiteral("emptyAddWorkspace"));
    m_emptyAdd->setIcon(Icons::get(Icons::Add));
    auto *emptyLayout = new QVBoxLayout(m_emptyPage);
    emptyLayout->setContentsMargins(32, 32, 32, 32);
    emptyLayout->addStretch(2);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addSpacing(8);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addSpacing(16);
    emptyLayout->addWidget(m_emptyAdd, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);

    auto *tablePage = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(6);
    tableLayout->addWidget(m_serverFilters);
    tableLayout->addWidget(m_filter);
    tableLayout->addWidget(m_banner);
    tableLayout->addWidget(m_note);
    tableLayout->addWidget(m_table, 1);
    auto *footer = new QHBoxLayout;
    footer->setContentsMargins(2, 0, 2, 0);
    footer->addWidget(m_busy);
    footer->addWidget(m_status, 1);
    tableLayout->addLayout(footer);

    m_stack->addWidget(tablePage);
    m_stack->addWidget(m_emptyPage);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_banner, &ErrorBanner::retryRequested, this, &ConversationListView::retryRequested);
    connect(m_emptyAdd, &QPushButton::clicked, this, &ConversationListView::addWorkspaceRequested);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_proxy)
            m_proxy->setFilterText(text);
        updateStatus();
    });

    setEmptyState(EmptyState::NoSelection);
    updateStatus();
}

void ConversationListView::setModel(ConversationFilterProxy *proxy)
{
    m_proxy = proxy;
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    QHeaderView *h = m_table->horizontalHeader();
    h->setMinimumSectionSize(48);
    if (proxy && proxy->columnCount() == ConversationListModel::ColumnCount) {
        const QFontMetrics fm = fontMetrics();
        const int pad = 22; // cell margins and the sort indicator
        Conversation sample;
        sample.createdAt = QDateTime(QDate(2026, 12, 28), QTime(23, 58, 58), Qt::UTC);
        const int dateWidth = fm.horizontalAdvance(ConversationListModel::displayText(
                                  sample, ConversationListModel::CreatedColumn)) +
                              pad;
        h->setSectionResizeMode(ConversationListModel::TitleColumn, QHeaderView::Stretch);
        h->resizeSection(ConversationListModel::StatusColumn,
                         fm.horizontalAdvance(QStringLiteral("in_progress")) + pad);
        h->resizeSection(ConversationListModel::CreatedColumn, dateWidth);
        h->resizeSection(ConversationListModel::UpdatedColumn, dateWidth);
        h->resizeSection(ConversationListModel::KindColumn,
                         fm.horizontalAdvance(QStringLiteral("deep_research")) + pad);
        h->resizeSection(ConversationListModel::OwnerColumn,
                         fm.horizontalAdvance(QStringLiteral("someone@example")) + pad);
        setVisibleColumnIds({});
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    if (proxy) {
        connect(proxy, &QAbstractItemModel::rowsInserted, this, [this] { updateStatus(); });
        connect(proxy, &QAbstractItemModel::rowsRemoved, this, [this] { updateStatus(); });
        connect(proxy, &QAbstractItemModel::modelReset, this, [this] { updateStatus(); });
        connect(proxy, &QAbstractItemModel::layoutChanged, this, [this] { updateStatus(); });
    }
    updateStatus();
}

QList<int> ConversationListView::columnWidths() const
{
    QList<int> widths;
    const QHeaderView *h = m_table->horizontalHeader();
    for (int c = 0; c < h->count(); ++c)
        widths << h->sectionSize(c);
    return widths;
}

void ConversationListView::setColumnWidths(const QList<int> &widths)
{
    QHeaderView *h = m_table->horizontalHeader();
    if (widths.size() != h->count())
        return;
    for (int c = 0; c < h->count(); ++c) {
        if (h->sectionResizeMode(c) != QHeaderView::Stretch && widths.at(c) > 0)
            h->resizeSection(c, widths.at(c));
    }
}

QStringList ConversationListView::columnIds()
{
    // Indexed by ConversationListModel::Column.
    return {QStringLiteral("title"),   QStringLiteral("status"), QStringLiteral("created"),
            QStringLiteral("updated"), QStringLiteral("type"),   QStringLiteral("owner")};
}

QStringList ConversationListView::visibleColumnIds() const
{
    const QStringList ids = columnIds();
    const QHeaderView *h = m_table->horizontalHeader();
    QStringList out;
    for (int visual = 0; visual < h->count(); ++visual) {
        const int logical = h->logicalIndex(visual);
        if (!h->isSectionHidden(logical) && logical < ids.size())
            out << ids.at(logical);
    }
    return out;
}

void ConversationListView::setVisibleColumnIds(const QStringList &wanted)
{
    const QStringList ids = columnIds();
    QHeaderView *h = m_table->horizontalHeader();
    if (h->count() != ids.size())
        return;
    QStringList shown;
    for (const QString &id : wanted) {
        if (ids.contains(id) && !shown.contains(id))
            shown << id;
    }
    if (!shown.contains(ids.at(ConversationListModel::TitleColumn)))
        shown.prepend(ids.at(ConversationListModel::TitleColumn)); // the title always shows
    if (wanted.isEmpty()) // the default: what fits beside a transcript
        shown = {QStringLiteral("title"), QStringLiteral("status"), QStringLiteral("updated"),
                 QStringLiteral("owner")};
    // Shown columns first, in the order given; hidden ones after them.
    int visual = 0;
    for (const QString &id : shown)
        h->moveSection(h->visualIndex(int(ids.indexOf(id))), visual++);
    for (int logical = 0; logical < ids.size(); ++logical)
        h->setSectionHidden(logical, !shown.contains(ids.at(logical)));
}

void ConversationListView::showHeaderMenu(const QPoint &pos)
{
    QHeaderView *h = m_table->horizontalHeader();
    QAbstractItemModel *model = m_table->model();
    if (!model)
        return;
    // popup(), not exec(): no nested event loop.
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("columnMenu"));
    for (int logical = 0; logical < h->count(); ++logical) {
        QAction *action = menu->addAction(model->headerData(logical, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!h->isSectionHidden(logical));
        action->setEnabled(logical != ConversationListModel::TitleColumn);
        connect(action, &QAction::toggled, this,
                [h, logical](bool on) { h->setSectionHidden(logical, !on); });
    }
    menu->addSeparator();
    menu->addAction(tr("Default Columns"), this, [this] { setVisibleColumnIds({}); });
    menu->popup(h->viewport()->mapToGlobal(pos));
}

void ConversationListView::setCounts(qint64 loaded, qint64 total)
{
    m_loaded = loaded;
    m_total = total;
    updateStatus();
}

void ConversationListView::setBusy(bool busy)
{
    m_busy->setRunning(busy);
    updateStatus();
}

void ConversationListView::showError(const ApiError &error)
{
    m_banner->showError(error);
}

void ConversationListView::clearError()
{
    m_banner->clear();
}

void ConversationListView::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void ConversationListView::setEmptyState(EmptyState state, const QString &message)
{
    m_emptyState = state;
    switch (state) {
    case EmptyState::None:
        m_stack->setCurrentIndex(0);
        return;
    case EmptyState::NoWorkspaces:
        m_emptyTitle->setText(tr("No workspaces yet"));
        m_emptyText->setText(
            tr("A workspace connects Parley to one account on one platform (%1). Its API key "
               "stays in your system keychain.")
                .arg(ProviderRegistry::displayNames().toHtmlEscaped()) +
            QStringLiteral("<br><br>") +
            tr("To look around first, start Parley with <code>parley --demo</code>."));
        m_emptyAdd->show();
        break;
    case EmptyState::NoSelection:
        m_emptyTitle->setText(tr("No workspace selected"));
        m_emptyText->setText(tr("Choose a workspace on the left to list its conversations."));
        m_emptyAdd->hide();
        break;
    case EmptyState::Message:
        m_emptyTitle->setText(QString());
        m_emptyText->setText(message.toHtmlEscaped());
        m_emptyAdd->hide();
        break;
    }
    m_emptyTitle->setVisible(!m_emptyTitle->text().isEmpty());
    m_stack->setCurrentIndex(1);
}

void ConversationListView::focusFilter()
{
    if (m_stack->currentIndex() != 0)
        return;
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

QString ConversationListView::currentConversationId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid()
               ? current.siblingAtColumn(0).data(ConversationListModel::IdRole).toString()
               : QString();
}

bool ConversationListView::selectConversation(const QString &id)
{
    const QModelIndexList found =
        m_proxy && m_proxy->rowCount() > 0
            ? m_proxy->match(m_proxy->index(0, 0), ConversationListModel::IdRole, id, 1,
                             Qt::MatchExactly)
            : QModelIndexList();
    if (found.isEmpty()) {
        m_table->selectionModel()->clear();
        return false;
    }
    m_table->setCurrentIndex(found.constFirst());
    m_table->scrollTo(found.constFirst());
    return true;
}

void ConversationListView::onCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QString id = current.siblingAtColumn(0).data(ConversationListModel::IdRole).toString();
    if (!id.isEmpty())
        Q_EMIT conversationSelected(id);
}

void ConversationListView::updateStatus()
{
    const QLocale locale;
    QString text;
    if (m_total >= 0)
        text = tr("%1 of %2 loaded").arg(locale.toString(m_loaded), locale.toString(m_total));
    else
        text = tr("%1 loaded").arg(locale.toString(m_loaded));
    if (m_proxy && !m_filter->text().trimmed().isEmpty())
        text = tr("%1 shown · %2").arg(locale.toString(m_proxy->rowCount()), text);
    if (m_busy->isRunning())
        text += QStringLiteral(" · ") + tr("loading…");
    if (!m_refreshProblem.isEmpty())
        text += QStringLiteral(" · ") + tr("not refreshed");
    m_status->setText(text);
    m_status->setToolTip(m_refreshProblem);
}

void ConversationListView::setRefreshProblem(const QString &problem)
{
    m_refreshProblem = problem;
    updateStatus();
}

} // namespace parley
