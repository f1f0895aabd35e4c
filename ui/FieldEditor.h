#pragma once

#include "providers/Capabilities.h"

#include <QString>

#include <functional>

class QLabel;
class QWidget;

namespace parley {

// One platform field's editor, alike in the workspace dialog and the New Conversation
// dialog: a combo box of its choices ("(none)" first where the field is optional; editable,
// starting empty, where the choices are open) or a line edit with its placeholder, holding `value`,
// named `field_<key>` with the field's label as its accessible name and its hint as tooltip, and
// its error label `fieldError_<key>`. `edited` runs on every change the user makes.
struct FieldEditor
{
    QWidget *editor = nullptr; // QLineEdit or QComboBox
    QLabel *error = nullptr;
};
FieldEditor makeFieldEditor(QWidget *parent, const WorkspaceField &field, const QString &value,
                            const std::function<void()> &edited);

// What an editor holds: a line edit's text, trimmed, or the value chosen (or typed, in an
// editable one) in a combo box.
QString fieldEditorValue(const QWidget *editor);

// The form label of a field ("Label:", or "Label (optional):"), with `buddy` as its buddy.
QLabel *makeFieldLabel(QWidget *parent, const WorkspaceField &field, QWidget *buddy);

} // namespace parley
