#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace parley {

// Why Parley could not read a list row, and the item as it came (compact JSON).
struct RowProblem
{
    QString why;
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
    // What a platform reports beyond these, kept as it came, for parley-cli's JSON rows
    // (PolyAI v1's `context_state`, when asked for); empty for almost every row.
    QJsonObject extra;
    // Set when Parley could not read this row: why, and the item as it came. Such a row keeps
    // its id where it had one; the rest of the page is kept. One pointer, null on every row
    // that was read, so the rows of a long list pay 8 bytes for it, not two strings.
    std::shared_ptr<const RowProblem> problem = {};

    bool isUnreadable() const { return problem != nullptr; }
    QString unreadableWhy() const { return problem ? problem->why : QString(); }
    QByteArray rawJson() const { return problem ? problem->raw : QByteArray(); }
    void setUnreadable(const QString &why, const QByteArray &raw = {})
    {
        problem = std::make_shared<const RowProblem>(RowProblem{why, raw});
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
