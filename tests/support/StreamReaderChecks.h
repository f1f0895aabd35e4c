#pragma once

// Feeding a stream reader (SseReader, NdjsonReader) whole, in parts and byte by byte, and the
// recorded streams under tests/data those tests read.

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QList>
#include <QString>
#include <QTest>

namespace parley::test {

// The bytes of tests/data/<path>; stops the test binary when the file cannot be read.
inline QByteArray testData(const QString &path)
{
    QFile f(QStringLiteral(PARLEY_TEST_DATA_DIR "/") + path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(path));
    return f.readAll();
}

// What `reader` makes of `parts` fed in turn, then finished.
template<typename Reader>
auto readParts(Reader reader, const QList<QByteArrayView> &parts)
{
    decltype(reader.finish()) out;
    for (const QByteArrayView part : parts)
        out += reader.feed(part);
    out += reader.finish();
    return out;
}

// What `reader` makes of `bytes` fed one byte at a time, then finished.
template<typename Reader>
auto readBytewise(Reader reader, QByteArrayView bytes)
{
    decltype(reader.finish()) out;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        out += reader.feed(bytes.sliced(i, 1));
    out += reader.finish();
    return out;
}

// Every split of `bytes` in two, and the byte-by-byte feed, give `expected` from a reader like
// `fresh`; a failure names the split and shows both lists through `describe`.
template<typename Reader, typename Item, typename Describe>
void verifyAllSplits(const Reader &fresh, const QByteArray &bytes, const QList<Item> &expected,
                     Describe describe)
{
    const QByteArrayView all(bytes);
    for (qsizetype k = 0; k <= bytes.size(); ++k) {
        const QList<Item> got = readParts(fresh, {all.first(k), all.sliced(k)});
        if (got != expected) {
            QFAIL(qPrintable(QStringLiteral("split at %1 of %2 gave:\n%3\nexpected:\n%4")
                                 .arg(k)
                                 .arg(bytes.size())
                                 .arg(describe(got), describe(expected))));
        }
    }
    const QList<Item> bytewise = readBytewise(fresh, all);
    if (bytewise != expected) {
        QFAIL(qPrintable(QStringLiteral("byte by byte gave:\n%1\nexpected:\n%2")
                             .arg(describe(bytewise), describe(expected))));
    }
}

} // namespace parley::test
