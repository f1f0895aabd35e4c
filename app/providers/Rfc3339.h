#pragma once

#include <QDateTime>
#include <QStringView>

namespace parley {

// The date-times platforms send, read by hand: "YYYY-MM-DDTHH:MM:SS", then a fraction of 1,
// 2, 3 or 6 digits, then "Z", "+HH:MM", "-HH:MM" or nothing (UTC). The result is in UTC and
// equals what Qt's ISO 8601 reader makes of the same text (the fraction rounded to the
// millisecond as Qt rounds it); any other text, or a value Qt would carry into the next
// second, gives an invalid QDateTime, for the caller to read with Qt (JsonFields::parseIsoTime).
// Many times cheaper than QDateTime::fromString, which list pages call once or twice a row.
QDateTime readRfc3339(QStringView text);

} // namespace parley
