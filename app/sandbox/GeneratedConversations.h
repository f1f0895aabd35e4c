#pragma once

#include <QtGlobal>

namespace parley::sandbox {

// What every generated data set of an emulation has: the seed its conversations come from
// and how many there are. Conversation `index` (0 = the oldest) is made on demand from
// (seed, platform, index); times grow with the index.
class GeneratedConversations
{
public:
    GeneratedConversations(quint32 seed, int count)
        : m_seed(seed)
        , m_count(qMax(0, count))
    {}

    quint32 seed() const { return m_seed; }
    int count() const { return m_count; }
    // The index of the conversation at `position` of a newest-first list.
    int indexAtPosition(int position) const { return m_count - 1 - position; }

private:
    quint32 m_seed;
    int m_count;
};

} // namespace parley::sandbox
