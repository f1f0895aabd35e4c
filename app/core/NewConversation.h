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

} // namespace parley
