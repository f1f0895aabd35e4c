#pragma once

#include <QByteArray>

// Faults that rewrite a JSON body written whole (see FaultSpec).
namespace parley::sandbox::bodyfaults {

// invalid-utf8: the bytes C3 28 (no UTF-8) at the start of the first string value of `body`
// (a value, not a key: the field stays where a client looks for it); at the start of the
// first string when no value is one, or appended as a string when there is none.
QByteArray withInvalidUtf8(const QByteArray &body);

// broken-item: in the first list of objects in `body` (breadth first: a page's rows before
// the messages inside them; a conversation's messages), its second object (the first when it
// is alone) with every field of the wrong type, but its `id`, `_id`, `conversationId`, `type`
// and `role`: text becomes a number, anything else text. `body` unchanged when it is no JSON
// or holds no such list.
QByteArray withBrokenItem(const QByteArray &body);

} // namespace parley::sandbox::bodyfaults
