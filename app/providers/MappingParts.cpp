#include "providers/MappingParts.h"

#include <QJsonDocument>

namespace parley::mapping {

Fragment textFragment(const QString &text)
{
    Fragment fr;
    fr.kind = Fragment::Kind::Text;
    fr.text = text;
    return fr;
}

Fragment otherFragment(const QString &name, const QString &summary)
{
    Fragment fr;
    fr.kind = Fragment::Kind::Other;
    fr.name = name;
    fr.text = summary;
    return fr;
}

QJsonObject errorBodyObject(const ApiError &error, const QByteArray &body)
{
    if (!error.isError() || body.isEmpty())
        return {};
    return QJsonDocument::fromJson(body).object(); // empty unless the body is an object
}

} // namespace parley::mapping
