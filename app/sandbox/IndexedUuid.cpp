#include "sandbox/IndexedUuid.h"

#include "sandbox/IdScramble.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

IndexedUuid::IndexedUuid(quint64 factor, quint64 mask)
    : m_factor(factor)
    , m_inverse(scramble::inverse48(factor))
    , m_mask(mask & kLow48)
{
    Q_ASSERT(((m_factor * m_inverse) & kLow48) == 1);
}

QString IndexedUuid::id(int index, quint64 a, quint64 b) const
{
    const quint64 code = ((quint64(quint32(index)) ^ m_mask) * m_factor) & kLow48;
    return hex(a >> 32, 8) + u'-' + hex(a >> 16, 4) + u"-4"_s + hex(a, 3) + u'-' +
           hex(8 + (b >> 62), 1) + hex(b >> 48, 3) + u'-' + hex(code, 12);
}

qint64 IndexedUuid::row(const QString &id) const
{
    static const QRegularExpression shape(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})$"_s);
    const QRegularExpressionMatch m = shape.match(id);
    if (!m.hasMatch())
        return -1;
    const quint64 code = m.captured(1).toULongLong(nullptr, 16);
    return qint64(((code * m_inverse) & kLow48) ^ m_mask);
}

QString IndexedUuid::hex(quint64 value, int digits)
{
    const quint64 mask = digits >= 16 ? ~quint64(0) : (quint64(1) << (4 * digits)) - 1;
    return u"%1"_s.arg(value & mask, digits, 16, QLatin1Char('0'));
}

} // namespace parley::sandbox
