#pragma once

// What the platforms' mapping tests share: their fixture files, the properties a mapped
// conversation shows and their tables of bodies a parser must refuse.
#include "core/ConversationDetail.h"
#include "core/Result.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
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

// One row of a data table of JSON a parser must refuse or mark: the row's name, the JSON, and
// what the error's detail or the unreadable item's reason must name (`mentions`).
struct JsonRow
{
    const char *row;
    QByteArray json;
    QString mentions;
};

// A data function's table: the columns `jsonColumn` (a QByteArray) and `mentions`, one row each.
inline void addJsonRows(const char *jsonColumn, std::initializer_list<JsonRow> rows)
{
    QTest::addColumn<QByteArray>(jsonColumn);
    QTest::addColumn<QString>("mentions");
    for (const JsonRow &j : rows)
        QTest::newRow(j.row) << j.json << j.mentions;
}

// A table of bodies a parser must refuse: the columns `body` and `mentions`.
inline void addBrokenBodies(std::initializer_list<JsonRow> rows)
{
    addJsonRows("body", rows);
}

// A table of list items (rows, messages) a parser must keep as unreadable among readable ones:
// the columns `item` and `mentions`.
inline void addUnreadableItems(std::initializer_list<JsonRow> rows)
{
    addJsonRows("item", rows);
}

// `r` is refused as a bad response whose detail names `mentions`.
template<typename T>
void verifyRefused(const Result<T> &r, const QString &mentions,
                   Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ApiError::Kind::BadResponse);
    QVERIFY2(r.error().detail.contains(mentions, cs), qPrintable(r.error().detail));
}

// The test function of an addBrokenBodies table: `parse` refuses the row's `body`
// (verifyRefused).
template<typename Parse>
void verifyBodyRefused(Parse parse)
{
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    verifyRefused(parse(body), mentions);
}

// `item` between two readable items in a body: before + good1 + item + good2 + after.
inline QByteArray amidGood(const char *before, const char *good1, const QByteArray &item,
                           const char *good2, const char *after)
{
    return QByteArray(before) + good1 + ',' + item + ',' + good2 + after;
}

// The same JSON value, whatever its spacing.
inline bool sameJson(const QByteArray &a, const QByteArray &b)
{
    const QJsonDocument da = QJsonDocument::fromJson('[' + a + ']');
    const QJsonDocument db = QJsonDocument::fromJson('[' + b + ']');
    return !da.isNull() && da == db;
}

// Of `items` (Turns or Conversations), only the one at `index` is unreadable: its reason names
// `mentions` and its `raw` is `item`. The readable ones keep their JSON where `rawKept`
// (messages) and none otherwise (list rows).
template<typename T>
void verifyOnlyUnreadable(const QList<T> &items, qsizetype index, const QByteArray &item,
                          const QString &mentions, bool rawKept)
{
    QVERIFY2(index < items.size(), "the unreadable item is missing");
    for (qsizetype i = 0; i < items.size(); ++i) {
        const T &t = items.at(i);
        if (i == index) {
            QVERIFY2(t.isUnreadable(), "the broken item reads as if nothing were wrong");
            QVERIFY2(t.unreadableWhy().contains(mentions), qPrintable(t.unreadableWhy()));
            QVERIFY2(sameJson(t.rawJson(), item), t.rawJson().constData());
        } else {
            QVERIFY2(!t.isUnreadable(), qPrintable(t.unreadableWhy()));
            QCOMPARE(t.rawJson().isEmpty(), !rawKept);
        }
    }
}

// `r` is a conversation one of whose own fields could not be read: it is there all the same,
// its summary marked unreadable naming `mentions`, a note saying so, and its `turns` turns.
inline void verifyUnreadableOwnField(const Result<ConversationDetail> &r, const QString &mentions,
                                     qsizetype turns)
{
    QVERIFY2(r.ok(), qPrintable(r.error().message()));
    const ConversationDetail &d = r.value();
    QVERIFY2(d.summary.unreadableWhy().contains(mentions), qPrintable(d.summary.unreadableWhy()));
    QVERIFY(!d.summary.id.isEmpty());
    QVERIFY2(d.transcriptNote.contains(mentions), qPrintable(d.transcriptNote));
    QCOMPARE(d.turns.size(), turns);
}

} // namespace parley::mappingtest
