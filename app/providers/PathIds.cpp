#include "providers/PathIds.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::pathids {

const QString kSlugPattern = u"[A-Za-z0-9][A-Za-z0-9_.~-]{0,199}"_s;

bool isPlain(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,100}$"_s);
    return re.match(id).hasMatch();
}

bool isSlug(const QString &id)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(kSlugPattern));
    return re.match(id).hasMatch();
}

} // namespace parley::pathids
