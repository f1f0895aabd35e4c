#pragma once

#include "core/ApiError.h"
#include "core/Turn.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Small pieces every platform's mapping builds the same way.
namespace parley::mapping {

// A fragment of plain text.
Fragment textFragment(const QString &text);
// A fragment Parley shows by name and summary only (a type it does not render).
Fragment otherFragment(const QString &name, const QString &summary);

// The JSON object of a failed answer's body, for a platform's error refinement; empty when
// `error` is no error or the body is not a JSON object (the error then stays as it is).
QJsonObject errorBodyObject(const ApiError &error, const QByteArray &body);

} // namespace parley::mapping
