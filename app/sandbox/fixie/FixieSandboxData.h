#pragma once

#include "sandbox/GeneratedConversations.h"
#include "sandbox/IndexedUuid.h"

#include <QJsonObject>
#include <QString>

namespace parley::sandbox {

// The conversations of the Fixie emulation, generated on demand: conversation `index`
// (0 = oldest) comes from (seed, "fixie", index) alone, so 100,000 conversations cost no
// memory. Every agent id sees the same conversations. Ids are UUIDs whose last group
// encodes the index (a seed-keyed bijection of 48 bits), so an id finds its conversation
// in O(1).
//
// The latest assistant turn of each conversation is in one of Fixie's four states: the
// newest conversations are still generating (`in-progress`), and a share of the others
// were `stopped` (a text fragment left `in-progress`) or ended in `error` (with
// `errorDetail`); the rest are `done`. Assistant turns may call a function and carry its
// response (some failed).
class FixieSandboxData : public GeneratedConversations
{
public:
    enum class Ending
    {
        Done,
        InProgress,
        Stopped,
        Error,
    };

    FixieSandboxData(quint32 seed, int count);

    QString idAt(int index) const;
    // -1 when `id` names no conversation of this data set.
    int indexOf(const QString &id) const;

    // How the conversation's latest assistant turn ended, without generating it.
    Ending ending(int index) const;
    // The Conversation object {id, turns} of the list and the detail.
    QJsonObject conversation(int index) const;

private:
    quint64 hash(int index, quint64 salt) const;

    IndexedUuid m_ids;
};

} // namespace parley::sandbox
