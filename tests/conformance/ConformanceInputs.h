#pragma once

#include "core/Conversation.h"
#include "core/NewConversation.h"
#include "providers/Capabilities.h"
#include "providers/Provider.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace parley::conformance {

// A value to try for a filter, and whether the suite knows it names rows that exist.
struct FilterValue
{
    QString value;
    bool namesListedRows = false; // seen in the list (a suggestion): the filter must keep some
};

// The values the suite tries for `filter`, taken only from what the provider declares and
// what it has listed: a Choice's choices, yes and no for a Bool, the creation time of a
// listed row for a DateTime, and for Text the values the provider suggests for a create
// field of the same key, else a value its pattern accepts.
QList<FilterValue> valuesFor(const FilterSpec &filter, const Provider &provider,
                             const QList<Conversation> &rows);

// A request to start a conversation built from the capabilities alone: a first message when
// the platform needs one, a title where it stores one, and for each create field a value the
// provider offers (a suggestion, the default, a placeholder its pattern accepts), one of each
// pair of mutually exclusive fields. `missing` lists required fields nothing offered.
NewConversation createRequest(const Capabilities &caps, const Provider &provider,
                              QStringList *missing);

// An id shaped like `id` (digits and hex letters replaced) that names nothing listed.
QString unknownIdLike(const QString &id);

} // namespace parley::conformance
