#pragma once

// What the platforms' mapping tests share: their fixture files, the properties a mapped
// conversation shows and their tables of bodies a parser must refuse.
#include "core/ConversationDetail.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

#include <initializer_list>

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

// One body a parser must refuse, and what the error's detail must name (`mentions`).
struct BrokenBody
{
    const char *row;
    QByteArray body;
    QString mentions;
};

// A data function's table of refused bodies: the columns `body` and `mentions`, one row each.
inline void addBrokenBodies(std::initializer_list<BrokenBody> rows)
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    for (const BrokenBody &b : rows)
        QTest::newRow(b.row) << b.body << b.mentions;
}

} // namespace parley::mappingtest
