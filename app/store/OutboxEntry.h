#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace parley {

// One message waiting in (or delivered from) the outbox: the text an operator appended to a
// conversation, saved before it is sent, and where its delivery stands.
//
// States, each written to disk before Parley acts on it:
//   Pending  saved; no request that may have reached the platform is outstanding
//   Sending  the append request is in flight (written BEFORE the request goes out)
//   Unknown  a request may have reached the platform but its answer was lost (timeout,
//            reset, 5xx, Parley quit while Sending): look before sending again
//   Sent     delivered; remoteId is the platform's id of the message
//   Failed   a definite failure the user acts on (retry or discard); see inDoubt
struct OutboxEntry
{
    enum class State
    {
        Pending,
        Sending,
        Unknown,
        Sent,
        Failed
    };

    QUuid clientId; // Parley's own id of the message; the primary key
    qint64 seq = 0; // order of creation in this outbox
    QUuid workspaceId;
    QString conversationId;
    QString text;
    State state = State::Pending;
    int attempts = 0;  // append requests sent so far
    QString lastError; // the last failure, as a sentence for the user; empty when none
    QString remoteId;  // the platform's message id once Sent
    // How many messages with this text the conversation held before the first send (or at
    // the last check that found it missing): a later count above it means the message
    // arrived. kBaselineNotTaken before the first look; kBaselineUncheckable when the
    // platform shows no transcript to look in.
    static constexpr int kBaselineNotTaken = -1;
    static constexpr int kBaselineUncheckable = -2;
    int baseline = kBaselineNotTaken;
    // A request may have reached the platform since the last check. A Failed entry with
    // inDoubt set is checked again before it is resent.
    bool inDoubt = false;
    QDateTime createdAt; // UTC
    QDateTime updatedAt; // UTC

    bool isDelivered() const { return state == State::Sent; }

    // "pending", "sending", "unknown", "sent", "failed" (as stored on disk).
    static QString stateName(State state);
    static std::optional<State> stateFromName(const QString &name);
};

} // namespace parley

Q_DECLARE_METATYPE(parley::OutboxEntry)
