#pragma once

// What the platforms' mapping tests share: their fixture files and the properties a mapped
// conversation shows.
#include "core/ConversationDetail.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace parley::mappingtest {

// The fixtures of one platform, tests/data/<folder>/: `fixture("list.json")` is that file's
// bytes; a missing file stops the test binary.
struct FixtureFolder
{
    const char *folder;

    QByteArray operator()(const char *name) const
    {
        QFile f(QStringLiteral(PARLEY_TEST_DATA_DIR "/") + QString::fromLatin1(folder) + u'/' +
                QString::fromLatin1(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing fixture %s/%s", folder, name);
        return f.readAll();
    }
};

// The value of the property labelled `label`, empty when there is none.
inline QString propertyValue(const ConversationDetail &d, const QString &label)
{
    for (const Property &p : d.properties) {
        if (p.label == label)
            return p.value;
    }
    return {};
}

} // namespace parley::mappingtest
