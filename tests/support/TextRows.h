#pragma once

// Data functions' tables of one or two text columns, one row a line:
//   addTextColumn("kind", {{"another port", "other-port"}, ...});
//   addTextRows("text", "mentions", {{"empty", "", "no fault"}, ...});
#include <QString>
#include <QTest>

#include <initializer_list>

namespace parley::test {

// A row's name and its text in UTF-8.
struct TextCell
{
    const char *row;
    const char *text;
};

// Declares the column `column` (QString) and adds `rows`, one test row each.
inline void addTextColumn(const char *column, std::initializer_list<TextCell> rows)
{
    QTest::addColumn<QString>(column);
    for (const TextCell &r : rows)
        QTest::newRow(r.row) << QString::fromUtf8(r.text);
}

// A row's name and its two texts in UTF-8; nullptr stands for a null QString.
struct TextRow
{
    const char *row;
    const char *first;
    const char *second;
};

// Declares the columns `first` and `second` (both QString) and adds `rows`, one test row each.
inline void addTextRows(const char *first, const char *second, std::initializer_list<TextRow> rows)
{
    QTest::addColumn<QString>(first);
    QTest::addColumn<QString>(second);
    const auto text = [](const char *utf8) { return utf8 ? QString::fromUtf8(utf8) : QString(); };
    for (const TextRow &r : rows)
        QTest::newRow(r.row) << text(r.first) << text(r.second);
}

} // namespace parley::test
