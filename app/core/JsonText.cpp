#include "core/JsonText.h"

#include <QString>

namespace parley {

QByteArray repairedUtf8(const QByteArray &text)
{
    // QString::fromUtf8 reads each invalid sequence (stray bytes, overlong forms, encoded
    // surrogates) as U+FFFD; writing it back gives valid UTF-8 with the rest unchanged.
    return QString::fromUtf8(text).toUtf8();
}

QJsonDocument parseJsonText(const QByteArray &text, QJsonParseError *error)
{
    QJsonParseError pe{};
    QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error == QJsonParseError::IllegalUTF8String)
        doc = QJsonDocument::fromJson(repairedUtf8(text), &pe);
    if (error)
        *error = pe;
    return doc;
}

} // namespace parley
