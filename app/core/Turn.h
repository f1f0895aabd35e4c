#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace parley {

// A piece of a turn: text, a tool call, a tool result, a file, an error.
struct Fragment
{
    enum class Kind
    {
        Text,
        ToolCall,
        ToolResult,
        File,
        Error,
        Other
    };

    Kind kind = Kind::Text;
    QString text;        // text content; for ToolCall the JSON arguments; for Other a summary
    QString name;        // tool/function name, file name, the original type for Other, or
                         // which part of a message it holds (core/FragmentContent.h)
    QString callId;      // ties a ToolCall to its ToolResult
    bool failed = false; // a ToolResult that reports failure
    bool inProgress = false;
    // A step or task of a plan: its status in the platform's words ("pending",
    // "in_progress", "completed", "failed"); empty for every other fragment.
    QString status = {};
    // What the platform attaches to the piece beyond its content (Fixie's `metadata`).
    QJsonObject metadata = {};
};

// One entry of a transcript: a message (PostHog, orq), a turn (Fixie), or one side of a
// PolyAI turn pair. `typeLabel` keeps the platform's own type ("ai/viz", "functionCall").
struct Turn
{
    enum class Role
    {
        User,
        Assistant,
        Tool,
        System,
        Unknown
    };
    enum class State
    {
        Done,
        InProgress,
        Stopped,
        Error
    };

    QString id;
    Role role = Role::Unknown;
    QString typeLabel;
    QDateTime timestamp; // UTC; invalid when the platform gives none
    State state = State::Done;
    QString errorDetail;
    QString inReplyTo; // id of the turn this one answers
    QList<Fragment> fragments;
    // What the platform attaches to the turn beyond its content (Fixie's `metadata`).
    QJsonObject metadata = {};
    // The entry as the platform sent it (compact JSON), for "show raw JSON"; empty where
    // nothing was received whole (a streamed draft, a message typed here).
    QByteArray raw = {};
    // Non-empty when Parley could not read this entry: why (the field and what it held).
    // Such a turn keeps its id, its platform type in `typeLabel` and `raw`; the rest of the
    // transcript renders around it.
    QString unreadable = {};

    bool isUnreadable() const { return !unreadable.isEmpty(); }
    // As Conversation's, for code that reads either.
    const QString &unreadableWhy() const { return unreadable; }
    const QByteArray &rawJson() const { return raw; }
    void setUnreadable(const QString &why, const QByteArray &json = {})
    {
        unreadable = why;
        raw = json;
    }

    // All text fragments joined, for search and for the CLI's markdown output.
    QString plainText() const;
    static QString roleName(Role role);
    static QString stateName(State state);
};

} // namespace parley
