#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace parley {

// QJsonDocument::fromJson, except that a byte sequence that is no UTF-8 inside the text does
// not fail it: Qt 6.4 refuses the whole document for one such sequence (IllegalUTF8String),
// so only then is the text read again with each bad sequence as U+FFFD. Valid text takes the
// one parse it always took.
QJsonDocument parseJsonText(const QByteArray &text, QJsonParseError *error = nullptr);

// `text` with every byte sequence that is no UTF-8 replaced by U+FFFD.
QByteArray repairedUtf8(const QByteArray &text);

} // namespace parley
