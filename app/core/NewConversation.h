#pragma once

#include <QMap>
#include <QString>

namespace parley {

// What "start a conversation" sends. `params` carries the platform's own create fields
// (Capabilities::createFields keys, e.g. Dynamiq's app_id / model_id); empty values are
// treated as absent.
struct NewConversation
{
    QString title; // optional display name
    QString text;  // the first message; empty = create without one
    QMap<QString, QString> params;
};

// A value a create field can take that the platform has shown us, with the name it goes
// by: Dynamiq's app and model ids from the conversation list. Offered in the New
// Conversation dialog so nobody has to copy a UUID by hand.
struct FieldSuggestion
{
    QString field; // a Capabilities::createFields key
    QString value; // what the field is set to
    QString label; // the name it goes by; may be empty
    bool operator==(const FieldSuggestion &) const = default;
};

} // namespace parley
