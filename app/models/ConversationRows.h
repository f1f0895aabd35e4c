#pragma once

#include "core/Conversation.h"
#include "models/RowText.h"

#include <QHash>

#include <limits>
#include <memory>
#include <vector>

namespace parley {

// The rows of ConversationListModel, kept compactly: a 48-byte record a row plus one
// allocation holding its id and title (and any status, kind or owner not pooled), each
// Latin-1 where every character fits, else UTF-16. Status, kind and owner, which most rows
// share with others, are indexes into a pool of one copy each (bounded; values past the
// bound are kept in the row). Times are milliseconds since the epoch. A Conversation is
// made on demand (at()); the proxy reads fields without one (text(), timeMs()).
class ConversationRows
{
public:
    enum Field
    {
        Id,
        Title,
        Status,
        Kind,
        Owner,
        FieldCount
    };
    static constexpr qint64 kNoTime = std::numeric_limits<qint64>::min();

    ConversationRows();
    ~ConversationRows();
    ConversationRows(const ConversationRows &) = delete;
    ConversationRows &operator=(const ConversationRows &) = delete;

    int size() const { return int(m_records.size()); }
    bool empty() const { return m_records.empty(); }
    size_t capacity() const { return m_records.capacity(); }
    void reserve(size_t rows) { m_records.reserve(rows); }
    void shrinkToFit() { m_records.shrink_to_fit(); }
    // Every row and the pool.
    void clear();

    // The row as a Conversation (0 <= row < size()).
    Conversation at(int row) const;
    RowText text(int row, Field field) const;
    // Every field of the row at once (cheaper than text() for several).
    void texts(int row, RowText out[FieldCount]) const;
    RowText id(int row) const { return text(row, Id); }
    // Where status, kind or owner is one of the pool's values: its index there, the same for
    // every row with that value until clear(); 0 where the row keeps it itself (or for
    // another field).
    quint32 poolIndex(int row, Field field) const
    {
        return field >= Status && field < FieldCount ? m_records[size_t(row)].pooled[field - Status]
                                                     : 0;
    }
    // createdAt (false) or updatedAt (true); kNoTime when the platform did not say.
    qint64 timeMs(int row, bool updated) const;

    void append(const Conversation &c);
    void insert(int at, const Conversation *first, const Conversation *last);
    void erase(int first, int last); // [first, last)
    void set(int row, const Conversation &c);
    // std::rotate of the rows [first, last) so that `middle` comes first.
    void rotate(int first, int middle, int last);

private:
    struct Record
    {
        std::unique_ptr<char[]> texts; // see ConversationRows.cpp; null when all are empty
        QSharedDataPointer<RowSide> side;
        qint64 created = kNoTime;
        qint64 updated = kNoTime;
        quint32 pooled[3] = {}; // status, kind, owner: index in m_pool, 0 = in `texts`
        qint32 turnCount = -1;
    };

    Record make(const Conversation &c);
    quint32 pooled(const QString &value);

    std::vector<Record> m_records;
    std::vector<QString> m_pool; // [0] is unused
    QHash<QString, quint32> m_poolIndex;
};

} // namespace parley
