#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QSharedData>
#include <QSharedDataPointer>
#include <QString>

namespace parley {

// What few rows carry beyond the common fields, kept apart so that the rows of a long list
// pay one pointer for it (see Conversation::side).
struct RowSide : QSharedData
{
    // What a platform reports beyond the common fields, kept as it came, for parley-cli's JSON
    // rows (PolyAI v1's `context_state`, when asked for).
    QJsonObject extra;
    // Why Parley could not read the row (empty when it could), and the item as it came
    // (compact JSON).
    QString unreadable;
    QByteArray raw;
};

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
    // Null on almost every row; see RowSide. Copied rows share it until one changes it.
    QSharedDataPointer<RowSide> side = {};

    const QJsonObject &extra() const { return side ? side->extra : kNoExtra; }
    void setExtra(const QString &key, const QJsonValue &value) { ensureSide().extra[key] = value; }
    // A row Parley could not read keeps its id where it had one; the rest of the page is kept.
    bool isUnreadable() const { return side && !side->unreadable.isEmpty(); }
    QString unreadableWhy() const { return side ? side->unreadable : QString(); }
    QByteArray rawJson() const { return side ? side->raw : QByteArray(); }
    void setUnreadable(const QString &why, const QByteArray &raw = {})
    {
        ensureSide().unreadable = why;
        side->raw = raw;
    }

private:
    static inline const QJsonObject kNoExtra = {};
    RowSide &ensureSide()
    {
        if (!side)
            side = new RowSide;
        return *side;
    }
};

// A labelled value shown in the details pane (ids, durations, flags a platform reports).
struct Property
{
    QString label;
    QString value;
};

} // namespace parley

Q_DECLARE_METATYPE(parley::Conversation)
