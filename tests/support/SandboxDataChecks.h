#pragma once

#include <QSet>
#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>

namespace parley::test {

// An emulation's generated ids find their conversation without any storage: in a set of
// 1,000 every id (unique, of the platform's shape) gives its own index back, and in a set of
// 100,000 every `step`th, the first and the last do. `Data` is an emulation's data class:
// Data(seed, count), count(), idAt(index), indexOf(id). After a call, a failure is in
// QTest::currentTestFailed().
template<typename Data>
void verifyIdsFindTheirConversation(quint32 largeSeed, int step,
                                    const std::function<bool(const QString &)> &shapeOk = {})
{
    const Data small(42, 1000);
    QSet<QString> seen;
    for (int i = 0; i < small.count(); ++i) {
        const QString id = small.idAt(i);
        if (shapeOk)
            QVERIFY2(shapeOk(id), qPrintable(id));
        QCOMPARE(small.indexOf(id), i);
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 1000);

    const Data large(largeSeed, 100000);
    for (int i = 0; i < large.count(); i += step)
        QCOMPARE(large.indexOf(large.idAt(i)), i);
    QCOMPARE(large.indexOf(large.idAt(99999)), 99999);
    QCOMPARE(large.indexOf(large.idAt(0)), 0);
}

// `Data(42, 10)` finds no conversation for an empty id, for any of `strangers` (ids it never
// made, of the platform's shape or not), for an id past its count (index 50 of Data(42, 100))
// or for one of another seed (index 5 of Data(43, 10)). With `idsIgnoreCount` the ids do not
// depend on the set's size, so index 5 of Data(42, 100) is its own index 5. After a call, a
// failure is in QTest::currentTestFailed().
template<typename Data>
void verifyUnknownIdsAreRejected(const QStringList &strangers, bool idsIgnoreCount = true)
{
    const Data data(42, 10);
    QCOMPARE(data.indexOf(QString()), -1);
    for (const QString &id : strangers)
        QCOMPARE(data.indexOf(id), -1);
    const Data larger(42, 100);
    QCOMPARE(data.indexOf(larger.idAt(50)), -1);
    if (idsIgnoreCount)
        QCOMPARE(data.indexOf(larger.idAt(5)), 5);
    const Data otherSeed(43, 10);
    QCOMPARE(data.indexOf(otherSeed.idAt(5)), -1);
}

} // namespace parley::test
