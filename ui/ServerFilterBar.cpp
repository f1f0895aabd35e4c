#include "ServerFilterBar.h"

#include "FieldLabels.h"
#include "rules/InputRules.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimeZone>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

// A date and time that is either set or not: the check box says which.
class OptionalDateTime : public QWidget
{
public:
    explicit OptionalDateTime(QWidget *parent)
        : QWidget(parent)
        , m_set(new QCheckBox(this))
        , m_edit(new QDateTimeEdit(this))
    {
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_set);
        layout->addWidget(m_edit, 1);
        m_edit->setCalendarPopup(true);
        m_edit->setTimeSpec(Qt::UTC);
        m_edit->setDisplayFormat(u"yyyy-MM-dd HH:mm 'UTC'"_s);
        m_edit->setDateTime(QDateTime::currentDateTimeUtc());
        m_edit->setEnabled(false);
        connect(m_set, &QCheckBox::toggled, m_edit, &QWidget::setEnabled);
        setFocusProxy(m_set);
    }
    QString value() const
    {
        return m_set->isChecked() ? m_edit->dateTime().toUTC().toString(Qt::ISODate) : QString();
    }
    void setValue(const QString &iso)
    {
        const QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
        m_set->setChecked(t.isValid());
        if (t.isValid())
            m_edit->setDateTime(t.toUTC());
    }
    QCheckBox *checkBox() const { return m_set; }

private:
    QCheckBox *m_set;
    QDateTimeEdit *m_edit;
};

} // namespace

ServerFilterBar::ServerFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_fields(new QWidget(this))
    , m_form(new QFormLayout(m_fields))
    , m_sortField(new QComboBox(this))
    , m_sortDescending(new QToolButton(this))
    , m_toggle(new QToolButton(this))
    , m_apply(new QPushButton(tr("Apply"), this))
    , m_clear(new QPushButton(tr("Clear"), this))
{
    setObjectName(u"filterBar"_s);
    setAccessibleName(tr("Server filters"));
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_sortField->setObjectName(u"sortField"_s);
    m_sortField->setAccessibleName(tr("Sort by"));
    // A field from the list, or several typed: "-created_at,title".
    m_sortField->setEditable(true);
    m_sortField->setInsertPolicy(QComboBox::NoInsert);
    m_sortField->lineEdit()->setPlaceholderText(tr("Platform's order"));
    m_sortField->setToolTip(tr("Sort by a field, or type several separated by commas with "
                               "“-” before one for descending order (Enter applies)"));
    connect(m_sortField, &QComboBox::editTextChanged, this, [this] { revalidate(); });
    connect(m_sortField->lineEdit(), &QLineEdit::returnPressed, m_apply, &QPushButton::click);
    m_sortProblem = makeErrorLabel(this, u"sortProblem"_s);
    m_sortDescending->setObjectName(u"sortDescending"_s);
    m_sortDescending->setCheckable(true);
    m_sortDescending->setAccessibleName(tr("Descending order"));
    m_sortDescending->setToolTip(tr("Newest / largest first"));
    m_sortDescending->setText(u"↓"_s);
    m_apply->setObjectName(u"filterApply"_s);
    m_apply->setToolTip(tr("Ask the platform for the conversations that match (Enter)"));
    m_clear->setObjectName(u"filterClear"_s);

    m_toggle->setObjectName(u"filterToggle"_s);
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAccessibleName(tr("Show filters"));
    connect(m_toggle, &QToolButton::toggled, this, [this](bool open) {
        m_fields->setVisible(open && !m_editors.isEmpty());
        m_toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_toggle);
    buttons->addWidget(m_sortField, 1);
    buttons->addWidget(m_sortDescending);
    buttons->addWidget(m_sortProblem);
    buttons->addStretch();
    buttons->addWidget(m_clear);
    buttons->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(m_fields);
    layout->addLayout(buttons);

    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (!isValid())
            return;
        updateToggle();
        emit applied(query());
    });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        clearAll();
        emit applied(query());
    });
    hide();
}

void ServerFilterBar::setCapabilities(const Capabilities &capabilities)
{
    m_capabilities = capabilities;
    for (const Editor &e : std::as_const(m_editors))
        m_form->removeRow(e.field); // deletes the row's label and field
    m_editors.clear();

    for (const FilterSpec &spec : capabilities.filters) {
        Editor e;
        e.spec = spec;
        switch (spec.kind) {
        case FilterSpec::Kind::Text: {
            auto *edit = new QLineEdit(m_fields);
            edit->setPlaceholderText(spec.hint);
            edit->setClearButtonEnabled(true);
            connect(edit, &QLineEdit::returnPressed, m_apply, &QPushButton::click);
            connect(edit, &QLineEdit::textChanged, this, &ServerFilterBar::updateExclusions);
            connect(edit, &QLineEdit::textChanged, this, &ServerFilterBar::revalidate);
            e.widget = edit;
            break;
        }
        case FilterSpec::Kind::Choice:
        case FilterSpec::Kind::Bool: {
            auto *combo = new QComboBox(m_fields);
            combo->addItem(tr("Any"), QString());
            if (spec.kind == FilterSpec::Kind::Bool) {
                combo->addItem(tr("Yes"), u"true"_s);
                combo->addItem(tr("No"), u"false"_s);
            } else {
                for (const QString &choice : spec.choices)
                    combo->addItem(choice, choice);
            }
            connect(combo, &QComboBox::currentIndexChanged, this,
                    &ServerFilterBar::updateExclusions);
            e.widget = combo;
            break;
        }
        case FilterSpec::Kind::DateTime: {
            auto *edit = new OptionalDateTime(m_fields);
            connect(edit->checkBox(), &QCheckBox::toggled, this,
                    &ServerFilterBar::updateExclusions);
            e.widget = edit;
            break;
        }
        }
        e.widget->setObjectName(u"filter_"_s + spec.key);
        e.widget->setAccessibleName(spec.label);
        if (!spec.hint.isEmpty())
            e.widget->setToolTip(spec.hint);
        if (spec.kind == FilterSpec::Kind::Text) {
            // The reason a value is refused sits right beside its field.
            auto *row = new QWidget(m_fields);
            auto *rowLayout = new QHBoxLayout(row);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            e.widget->setParent(row);
            rowLayout->addWidget(e.widget, 1);
            e.problem = makeErrorLabel(row, u"filterProblem_"_s + spec.key);
            e.problem->setWordWrap(false);
            rowLayout->addWidget(e.problem);
            row->setFocusProxy(e.widget);
            e.field = row;
        } else {
            e.field = e.widget;
        }
        m_form->addRow(spec.label, e.field);
        m_editors.append(e);
    }

    m_sortField->clear();
    m_sortField->addItem(QString(), QString()); // the platform's order (the placeholder)
    for (const QString &field : capabilities.sortFields)
        m_sortField->addItem(field, field);
    const bool sortable = !capabilities.sortFields.isEmpty();
    m_sortField->setVisible(sortable);
    m_sortDescending->setVisible(sortable);
    m_toggle->setVisible(!m_editors.isEmpty());
    setVisible(sortable || !m_editors.isEmpty());
    updateExclusions();
    updateToggle();
    revalidate();
}

bool ServerFilterBar::isValid() const
{
    // What Apply would send; a field blocked by the one it excludes is not part of it.
    const ListQuery q = query();
    return InputRules::checkFilters(m_capabilities.filters, q.filters).isEmpty() &&
           InputRules::checkSort(m_capabilities.sortFields, q.sort).isEmpty();
}

QString ServerFilterBar::sortText() const
{
    const QString typed = m_sortField->currentText().trimmed();
    // A list, or a field with its own "-", carries its directions; one field takes the
    // direction button's.
    if (typed.isEmpty() || typed.contains(u',') || typed.startsWith(u'-'))
        return typed;
    return (m_sortDescending->isChecked() ? u"-"_s : QString()) + typed;
}

void ServerFilterBar::revalidate()
{
    for (const Editor &e : std::as_const(m_editors)) {
        if (!e.problem)
            continue;
        const QString problem = InputRules::checkFilter(e.spec, valueOf(e));
        setFieldError(e.problem, problem);
        e.widget->setAccessibleDescription(problem);
    }
    const QString typed = m_sortField->currentText().trimmed();
    m_sortDescending->setEnabled(!typed.contains(u',') && !typed.startsWith(u'-'));
    const QString sortProblem = InputRules::checkSort(m_capabilities.sortFields, sortText());
    setFieldError(m_sortProblem, sortProblem);
    m_sortField->setAccessibleDescription(sortProblem);
    const bool ok = isValid();
    m_apply->setEnabled(ok);
    m_apply->setToolTip(ok ? tr("Ask the platform for the conversations that match (Enter)")
                           : tr("Correct the marked filters first"));
}

void ServerFilterBar::updateToggle()
{
    int set = 0;
    for (const Editor &e : std::as_const(m_editors))
        set += valueOf(e).isEmpty() ? 0 : 1;
    m_toggle->setText(set ? tr("Filters (%1 set)").arg(set) : tr("Filters"));
    // Folded by default; open when something is set so that it is never hidden.
    const bool open = set > 0 || m_toggle->isChecked();
    m_toggle->setChecked(open);
    m_fields->setVisible(open && !m_editors.isEmpty());
    m_toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
}

ListQuery ServerFilterBar::sanitized(const ListQuery &query, const Capabilities &capabilities)
{
    return InputRules::sanitized(query, capabilities);
}

void ServerFilterBar::setQuery(const ListQuery &query)
{
    const ListQuery q = sanitized(query, m_capabilities);
    m_pageSize = q.pageSize;
    for (const Editor &e : std::as_const(m_editors))
        setValue(e, q.filters.value(e.spec.key));
    const bool descending = q.sort.startsWith(u'-');
    const QString field = descending ? q.sort.mid(1) : q.sort;
    const int index = m_sortField->findData(field);
    if (index >= 0 || q.sort.isEmpty()) {
        m_sortField->setCurrentIndex(qMax(0, index));
        m_sortDescending->setChecked(descending);
    } else {
        // Several fields: shown as typed, each with its direction.
        m_sortField->setCurrentIndex(0);
        m_sortField->setEditText(q.sort);
        m_sortDescending->setChecked(false);
    }
    m_toggle->setChecked(false);
    updateExclusions();
    updateToggle();
    revalidate();
}

ListQuery ServerFilterBar::query() const
{
    ListQuery q;
    q.pageSize = m_pageSize;
    for (const Editor &e : m_editors) {
        const QString value = valueOf(e);
        if (!value.isEmpty() && e.widget->isEnabled())
            q.filters.insert(e.spec.key, value);
    }
    q.sort = sortText();
    return q;
}

QString ServerFilterBar::valueOf(const Editor &e) const
{
    if (auto *edit = qobject_cast<QLineEdit *>(e.widget))
        return edit->text().trimmed();
    if (auto *combo = qobject_cast<QComboBox *>(e.widget))
        return combo->currentData().toString();
    return static_cast<const OptionalDateTime *>(e.widget)->value();
}

void ServerFilterBar::setValue(const Editor &e, const QString &value)
{
    if (auto *edit = qobject_cast<QLineEdit *>(e.widget)) {
        edit->setText(value);
    } else if (auto *combo = qobject_cast<QComboBox *>(e.widget)) {
        combo->setCurrentIndex(qMax(0, combo->findData(value)));
    } else {
        static_cast<OptionalDateTime *>(e.widget)->setValue(value);
    }
}

void ServerFilterBar::updateExclusions()
{
    for (qsizetype i = 0; i < m_editors.size(); ++i) {
        const Editor &e = m_editors.at(i);
        if (e.spec.exclusiveWith.isEmpty())
            continue;
        qsizetype j = 0;
        while (j < m_editors.size() && m_editors.at(j).spec.key != e.spec.exclusiveWith)
            ++j;
        if (j == m_editors.size())
            continue;
        const Editor &other = m_editors.at(j);
        // Where both hold a value (an old saved state), the one listed first wins.
        const bool blocked = !valueOf(other).isEmpty() && (valueOf(e).isEmpty() || j < i);
        e.widget->setEnabled(!blocked);
        e.widget->setToolTip(
            blocked ? tr("Cannot be combined with %1: clear that first.").arg(other.spec.label)
                    : e.spec.hint);
    }
}

void ServerFilterBar::clearAll()
{
    for (const Editor &e : std::as_const(m_editors))
        setValue(e, QString());
    m_sortField->setCurrentIndex(0);
    m_sortField->setEditText(QString());
    m_sortDescending->setChecked(false);
    updateExclusions();
}

} // namespace parley
