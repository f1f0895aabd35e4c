#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace parley {

// The small labels forms put beside their fields, styled alike in every dialog.

// Why a field's value is not accepted: red, plain text, hidden until it has something to say.
QLabel *makeErrorLabel(QWidget *parent, const QString &objectName);
// One sentence of help under a field, in the placeholder colour.
QLabel *makeHintLabel(QWidget *parent, const QString &text);
// An editor with its hint and error lines below it, for one form row.
QWidget *withError(QWidget *editor, QLabel *error, QLabel *hint = nullptr);
// Shows `text` in an error label, or hides it when empty.
void setFieldError(QLabel *label, const QString &text);

} // namespace parley
