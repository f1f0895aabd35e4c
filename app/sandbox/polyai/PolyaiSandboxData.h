#pragma once

#include "sandbox/GeneratedConversations.h"
#include "sandbox/IdScramble.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>

namespace parley::sandbox {

// The conversations (calls and chats) of the PolyAI emulation, generated on demand:
// conversation `index` (0 = oldest) comes from (seed, "polyai", index) alone, so a
// 100,000-conversation project costs no memory. The facts filters look at (start time,
// environment, variant, channel, in progress) come from a cheap hash of the index, so a
// filtered scan does not build whole conversations; start times grow with the index.
// Ids look like PolyAI's ("CA" + 32 hex digits) and encode the index (a seed-keyed
// bijection of 32 bits), so an id finds its conversation in O(1).
class PolyaiSandboxData : public GeneratedConversations
{
public:
    enum class Shape
    {
        V1, // list item, empty texts as null, no v3-only turn fields
        V3, // list item, empty texts as "", translated/english fields present
    };

    struct Variant
    {
        QString id;
        QString name;
    };

    // What the list filters need, without generating the conversation.
    struct Facts
    {
        QDateTime started;
        QString environment; // "live", "sandbox" or "pre-release"
        int variant = 0;     // index into variants()
        bool voice = true;   // VOICE-SIP, else a web chat
        bool inProgress = false;
        bool sampled = false; // in the `sample=random` subset
    };

    PolyaiSandboxData(quint32 seed, int count);

    // What a live conversation (SandboxOptions::live) has said by now beyond its generated
    // turns: exchanges in order, an empty `user` answering the generated last input, an
    // empty `agent` while the reply is being written.
    struct LiveTurn
    {
        QString user;
        QDateTime userAt;
        QString agent;
        QDateTime agentAt;
    };
    using LiveTurns = std::function<QList<LiveTurn>(int index)>;
    // Conversations `indexes` are live: in progress, with the turns `turns` gives.
    void setLive(const QSet<int> &indexes, LiveTurns turns);

    static const QList<Variant> &variants();

    QString idAt(int index) const;
    // -1 when `id` names no conversation of this data set.
    int indexOf(const QString &id) const;

    Facts facts(int index) const;
    // The first index whose start time is at or after `time` (count() when none).
    int firstStartingAtOrAfter(const QDateTime &time) const;

    // A list item; `contextState` adds v1's include_context_state dictionary,
    // `latency` the per-turn latency (always there in v1, on request in v3).
    QJsonObject listItem(int index, Shape shape, const QString &account, const QString &project,
                         bool contextState, bool latency) const;
    // The camelCase detail shape of "Get a conversation by ID".
    QJsonObject detail(int index, const QString &account, const QString &project) const;
    // Transcript search: `text` (case-insensitive) on the user's side, the agent's side, or
    // both when `side` is empty.
    bool transcriptContains(int index, const QString &text, const QString &side) const;

private:
    struct Pair;
    struct Call;
    Call generate(int index) const;
    // The fields list and detail turns share: intents, entities, flags, the reply's time.
    static QJsonObject turnFacts(const Pair &p);
    quint64 hash(int index) const;

    scramble::IndexCode32 m_ids;
    qint64 m_stepSecs;
    QSet<int> m_live;
    LiveTurns m_liveTurns;
};

} // namespace parley::sandbox
