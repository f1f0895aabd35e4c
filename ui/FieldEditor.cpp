#include "FieldEditor.h"

#include "core/TranslationContext.h"

#include "FieldLabels.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>

namespace parley {

namespace {
const TranslationContext tr{"parley::FieldEditor"};
} // namespace

FieldEditor makeFieldEditor(QWidget *parent, const WorkspaceField &field, const QString &value,
                            const std::function<void()> &edited)
{
    FieldEditor made;
    if (!field.choices.isEmpty() && field.choicesOpen) {
        // The known values to pick from, any other typed in.
        auto *combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->addItems(field.choices);
        combo->setCurrentIndex(combo->findText(value)); // -1 (nothing) when not among them
        combo->setEditText(value);
        if (combo->lineEdit())
            combo->lineEdit()->setPlaceholderText(
                field.required ? field.placeholder : tr("(none: the platform's default)"));
        QObject::connect(combo, &QComboBox::editTextChanged, parent, edited);
        made.editor = combo;
    } else if (!field.choices.isEmpty()) {
        auto *combo = new QComboBox(parent);
        if (field.automatic)
            combo->addItem(tr("Automatic (%1 until tested)").arg(field.fallback), QString());
        else if (!field.required)
            combo->addItem(tr("(none)"), QString());
        for (const QString &choice : field.choices)
            combo->addItem(choice, choice);
        const int at = combo->findData(value);
        combo->setCurrentIndex(at >= 0 ? at : 0);
        QObject::connect(combo, &QComboBox::currentIndexChanged, parent, edited);
        made.editor = combo;
    } else {
        auto *line = new QLineEdit(value, parent);
        line->setPlaceholderText(field.placeholder);
        QObject::connect(line, &QLineEdit::textEdited, parent, edited);
        made.editor = line;
    }
    made.editor->setObjectName(QStringLiteral("field_") + field.key);
    made.editor->setAccessibleName(field.label);
    if (!field.hint.isEmpty())
        made.editor->setToolTip(field.hint);
    made.error = makeErrorLabel(parent, QStringLiteral("fieldError_") + field.key);
    return made;
}

QString fieldEditorValue(const QWidget *editor)
{
    if (const auto *line = qobject_cast<const QLineEdit *>(editor))
        return line->text().trimmed();
    if (const auto *combo = qobject_cast<const QComboBox *>(editor))
        return combo->isEditable() ? combo->currentText().trimmed()
                                   : combo->currentData().toString();
    return {};
}

QLabel *makeFieldLabel(QWidget *parent, const WorkspaceField &field, QWidget *buddy)
{
    auto *label =
        new QLabel(field.required || field.automatic ? field.label + QLatin1Char(':')
                                                     : tr("%1 (optional):").arg(field.label),
                   parent);
    label->setBuddy(buddy);
    return label;
}

} // namespace parley
