#pragma once

#include "providers/Capabilities.h"

#include <QMap>
#include <QString>

namespace parley::test {

// Settings that complete a workspace of `info`'s platform: for each field the value `known`
// gives, else its default, else its first choice, else (when required) its placeholder.
QMap<QString, QString> defaultParams(const PlatformInfo &info,
                                     const QMap<QString, QString> &known = {});

} // namespace parley::test
