#include "providers/Rfc3339.h"

#include <QDate>

#include <cmath>

namespace parley {

namespace {

constexpr qint64 kJulianDayOf1970 = 2440588;

// The decimal number of `count` digits at `at` of `text`, or -1 when one is no digit.
int digitsAt(QStringView text, qsizetype at, int count)
{
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[at + i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + int(c - u'0');
    }
    return value;
}

bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

// Milliseconds of a fraction of `count` digits worth `value`, as Qt's ISO reader rounds them
// (to nearest, through a double); -1 for a length this reader leaves to Qt.
int fractionMs(qint64 value, qsizetype count)
{
    switch (count) {
    case 1:
        return int(value * 100);
    case 2:
        return int(value * 10);
    case 3:
        return int(value);
    case 6:
        return qRound(1000 * (double(value) * std::pow(0.1, 6)));
    default:
        return -1;
    }
}

} // namespace

QDateTime readRfc3339(QStringView text)
{
    const qsizetype n = text.size();
    if (n < 19 || text[4] != u'-' || text[7] != u'-' || text[10] != u'T' || text[13] != u':' ||
        text[16] != u':')
        return {};
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (year < 1 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 59)
        return {};

    qsizetype i = 19;
    int ms = 0;
    if (i < n && text[i] == u'.') {
        const qsizetype start = ++i;
        qint64 value = 0;
        while (i < n && isDigit(text[i]) && i - start < 9)
            value = value * 10 + (text[i++].unicode() - u'0');
        ms = fractionMs(value, i - start);
        if (ms < 0 || ms > 999) // 999.5 ms and more: Qt carries it into the second
            return {};
    }

    int offsetSeconds = 0;
    if (i + 1 == n && text[i] == u'Z') {
        // UTC
    } else if (i + 6 == n && (text[i] == u'+' || text[i] == u'-') && text[i + 3] == u':') {
        const int hours = digitsAt(text, i + 1, 2);
        const int minutes = digitsAt(text, i + 4, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
            return {};
        offsetSeconds = (hours * 60 + minutes) * 60 * (text[i] == u'-' ? -1 : 1);
    } else if (i != n) { // nothing at all: the platforms mean UTC
        return {};
    }

    const QDate date(year, month, day);
    if (!date.isValid())
        return {};
    const qint64 seconds = (date.toJulianDay() - kJulianDayOf1970) * 86400 + hour * 3600 +
                           minute * 60 + second - offsetSeconds;
    return QDateTime::fromMSecsSinceEpoch(seconds * 1000 + ms, Qt::UTC);
}

} // namespace parley
