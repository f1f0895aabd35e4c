#pragma once

#include "core/PageCursor.h"
#include "providers/Capabilities.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace parley {

// The server-side filters and sort of a conversation list, built only from the current
// provider's Capabilities: a text field, a choice, a date and time or a yes/no per
// FilterSpec, a sort field with its direction. The sort field offers each sort field and
// also takes a typed list ("-created_at,title", its own directions), checked as typed
// (InputRules::checkSort). Filters that exclude each other (FilterSpec::exclusiveWith)
// cannot both be set. Hidden when the platform offers neither.
class ServerFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit ServerFilterBar(QWidget *parent = nullptr);

    void setCapabilities(const Capabilities &capabilities);
    // Shows `query`'s values; keys the platform does not offer are dropped.
    void setQuery(const ListQuery &query);
    // The query the editors describe (page size kept from the last setQuery()).
    ListQuery query() const;
    // The filters and sort Apply would send pass InputRules::checkFilters and checkSort
    // (Apply is disabled otherwise).
    bool isValid() const;
    // `query` without the filter keys and sort fields the capabilities do not offer
    // (InputRules::sanitized).
    static ListQuery sanitized(const ListQuery &query, const Capabilities &capabilities);

signals:
    // Apply (or Enter in a field), or Clear.
    void applied(const ListQuery &query);

private:
    struct Editor
    {
        FilterSpec spec;
        QWidget *widget = nullptr;
        QWidget *field = nullptr;  // what the form holds: the widget, or a row around it
        QLabel *problem = nullptr; // Text: why the value is not accepted, beside the field
    };
    QString valueOf(const Editor &editor) const;
    void setValue(const Editor &editor, const QString &value);
    void updateExclusions();
    // Shows each text field's problem and enables Apply only when every value is valid.
    void revalidate();
    void clearAll();
    void updateToggle();
    // The sort the sort field and its direction describe.
    QString sortText() const;

    Capabilities m_capabilities;
    QList<Editor> m_editors;
    QWidget *m_fields = nullptr;
    QFormLayout *m_form = nullptr;
    QComboBox *m_sortField = nullptr;
    QToolButton *m_sortDescending = nullptr;
    QLabel *m_sortProblem = nullptr; // why the typed sort is not accepted
    QToolButton *m_toggle = nullptr; // shows or folds the filter fields
    QPushButton *m_apply = nullptr;
    QPushButton *m_clear = nullptr;
    int m_pageSize = ListQuery{}.pageSize;
};

} // namespace parley
