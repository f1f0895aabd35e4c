#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace parley {

// One row of a conversation list: a compact value, never a QObject.
// Every field is optional on the wire; empty/invalid means "the platform did not say".
struct Conversation
{
    QString id;
    QString title;
    QString status;      // the platform's own word: "idle", "in_progress", "done", ...
    QString kind;        // PostHog `type`, PolyAI `channel`, orq entity, Dynamiq app/model name
    QString owner;       // who started it: user email, createdById, caller number
    QDateTime createdAt; // UTC
    QDateTime updatedAt; // UTC
    int turnCount = -1;  // -1 when unknown
    // What a platform reports beyond these, kept as it came, for parley-cli's JSON rows
    // (PolyAI v1's `context_state`, when asked for); empty for almost every row.
    QJsonObject extra;
    // Non-empty when Parley could not read this row: why. Such a row keeps its id where it
    // had one and the item as it came in `raw` (compact JSON); the rest of the page is kept.
    QString unreadable = {};
    QByteArray raw = {};

    bool isUnreadable() const { return !unreadable.isEmpty(); }
};

// A labelled value shown in the details pane (ids, durations, flags a platform reports).
struct Property
{
    QString label;
    QString value;
};

} // namespace parley

Q_DECLARE_METATYPE(parley::Conversation)
