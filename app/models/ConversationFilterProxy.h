#pragma once

#include <QSortFilterProxyModel>
#include <QStringMatcher>

namespace parley {

class ConversationListModel;

// Filters and sorts the rows a ConversationListModel has loaded, on the client:
// a case-insensitive text filter over title, id, owner and status, and sorting by the
// raw values of the sorted column (times by their instant, not their display text).
// Both read the source's Conversation values directly: no QVariant per row.
class ConversationFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)

public:
    explicit ConversationFilterProxy(QObject *parent = nullptr);

    // Must be a ConversationListModel (anything else shows every row, sorted by SortRole).
    void setSourceModel(QAbstractItemModel *sourceModel) override;

    // Trimmed; empty shows every row.
    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

signals:
    void filterTextChanged(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const ConversationListModel *m_source = nullptr;
    QString m_text;
    QStringMatcher m_matcher;
};

} // namespace parley
