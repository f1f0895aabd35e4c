#pragma once

#include "core/ApiError.h"

#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace parley {

class BusyIndicator;
class ConversationFilterProxy;
class ErrorBanner;
class ServerFilterBar;

// The centre pane: a filter box over the rows already loaded, the sortable table of
// conversations (lazy paging happens through the model's fetchMore as the user scrolls),
// a status line ("120 of 480 loaded") with a busy indicator, and an error banner.
// When there is no workspace to show, an empty state takes the table's place.
class ConversationListView : public QWidget
{
    Q_OBJECT
public:
    explicit ConversationListView(QWidget *parent = nullptr);

    // The proxy shown by the table (the caller keeps ownership; its source is the list
    // model). The filter box drives its filter text.
    void setModel(ConversationFilterProxy *proxy);
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    ErrorBanner *banner() const { return m_banner; }
    ServerFilterBar *serverFilterBar() const { return m_serverFilters; }

    // Counters for the status line: `loaded` rows, `total` reported by the platform
    // (-1 unknown).
    void setCounts(qint64 loaded, qint64 total);
    void setBusy(bool busy);
    void showError(const ApiError &error);
    void clearError();
    // Why the last refresh failed (the rows are as they were), in the status line and its
    // tooltip; empty clears it.
    void setRefreshProblem(const QString &problem);
    // A note from the provider about what the list holds (Capabilities::listNote).
    void setNote(const QString &note);

    enum class EmptyState
    {
        None,         // show the table
        NoWorkspaces, // invite to add one
        NoSelection,  // workspaces exist, none selected
        Message       // a sentence (e.g. no key stored)
    };
    void setEmptyState(EmptyState state, const QString &message = {});
    EmptyState emptyState() const { return m_emptyState; }

    // Focuses the filter box and selects its text (Ctrl+F).
    void focusFilter();

    // The id of the conversation in the current row, empty when none.
    QString currentConversationId() const;
    // Makes the row of conversation `id` current where the list shows it (true), else leaves
    // no row current (a conversation opened from elsewhere is not a row's).
    bool selectConversation(const QString &id);
    // The widths of the table's columns, for the settings.
    QList<int> columnWidths() const;
    void setColumnWidths(const QList<int> &widths);
    // The shown columns in their visual order, by stable id ("title", "status", "created",
    // "updated", "type", "owner"); the rest are hidden. Empty restores the default set.
    QStringList visibleColumnIds() const;
    void setVisibleColumnIds(const QStringList &ids);
    static QStringList columnIds();

Q_SIGNALS:
    void conversationSelected(const QString &id);
    void retryRequested();
    void addWorkspaceRequested();

private:
    void updateStatus();
    void showHeaderMenu(const QPoint &pos);
    void onCurrentChanged(const QModelIndex &current);

    QStackedWidget *m_stack;
    QLineEdit *m_filter;
    ErrorBanner *m_banner;
    ServerFilterBar *m_serverFilters;
    QTableView *m_table;
    QLabel *m_note;
    QLabel *m_status;
    BusyIndicator *m_busy;
    QWidget *m_emptyPage;
    QLabel *m_emptyTitle;
    QLabel *m_emptyText;
    QPushButton *m_emptyAdd;
    ConversationFilterProxy *m_proxy = nullptr;
    qint64 m_loaded = 0;
    qint64 m_total = -1;
    QString m_refreshProblem;
    EmptyState m_emptyState = EmptyState::None;
};

} // namespace parley
