#pragma once

#include "models/RowText.h"

#include <QHashFunctions>
#include <QString>

#include <vector>

namespace parley {

// Which row holds which id, for rows that keep their ids themselves: an open-addressing
// table of row numbers (4 bytes a slot, at most half full), where a QHash<QString, int>
// would cost ~43 bytes a row. Lookups ask `idOf(row)` for the id of a candidate row (a
// RowText, or anything that converts to one), so the ids are never stored twice. Rows are only ever
// added (clear() to start over).
class RowIdIndex
{
public:
    void clear()
    {
        m_slots.clear();
        m_slots.shrink_to_fit();
        m_count = 0;
    }
    qsizetype size() const { return m_count; }

    // The row with `id`, or -1.
    template<typename IdOf>
    int find(const RowText &id, const IdOf &idOf) const
    {
        if (m_slots.empty() || id.isEmpty())
            return -1;
        const size_t mask = m_slots.size() - 1;
        for (size_t i = slotFor(id, mask);; i = (i + 1) & mask) {
            const int row = m_slots[i];
            if (row < 0)
                return -1;
            if (RowText(idOf(row)) == id)
                return row;
        }
    }

    // Records `row` under `id` and returns -1, or returns the row that has `id` already.
    // `idOf` must answer for every row recorded before (not for `row` itself).
    template<typename IdOf>
    int insert(int row, const RowText &id, const IdOf &idOf)
    {
        if (size_t(m_count + 1) * 2 > m_slots.size())
            grow(idOf);
        const size_t mask = m_slots.size() - 1;
        for (size_t i = slotFor(id, mask);; i = (i + 1) & mask) {
            const int existing = m_slots[i];
            if (existing < 0) {
                m_slots[i] = row;
                ++m_count;
                return -1;
            }
            if (RowText(idOf(existing)) == id)
                return existing;
        }
    }

private:
    size_t slotFor(const RowText &id, size_t mask) const
    {
        // Seeded: ids come from the wire, and a chosen set must not collide on purpose.
        return qHash(id, QHashSeed::globalSeed()) & mask;
    }

    template<typename IdOf>
    void grow(const IdOf &idOf)
    {
        std::vector<int> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 64 : old.size() * 2, -1);
        const size_t mask = m_slots.size() - 1;
        for (const int row : old) {
            if (row < 0)
                continue;
            size_t i = slotFor(idOf(row), mask);
            while (m_slots[i] >= 0)
                i = (i + 1) & mask;
            m_slots[i] = row;
        }
    }

    std::vector<int> m_slots; // row numbers, -1 = empty; size is a power of two
    qsizetype m_count = 0;
};

} // namespace parley
