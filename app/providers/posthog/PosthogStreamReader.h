#pragma once

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/Turn.h"
#include "net/SseReader.h"

#include <QList>
#include <QString>

#include <optional>

namespace parley::posthog {

// Reads the Server-Sent Events of PostHog's create/continue call into transcript updates.
// Pure: no I/O; the provider feeds it SseReader events and passes on what each changed.
//   conversation   the conversation (sent when it was just created)
//   message        one message: with a real id it is final; without one (or with a
//                  "temp-" id) it is a snapshot of the reply so far, shown under a stable
//                  draft id that the final message then replaces; the echoed `human`
//                  message replaces the optimistic user turn (`localUserId`)
//   status         {"type": "ack"} clears the status line; "generation_error" ends the
//                  reply with a Server error
//   update         tool progress: its text becomes the status line
// The stream ends when the server closes it; a draft still open then is Stopped.
class StreamReader
{
public:
    struct Update
    {
        Turn turn;
        QString replaces; // the row this turn replaces (a draft, the optimistic user turn)
    };
    struct Step
    {
        std::optional<Conversation> conversation;
        QList<Update> turns;
        std::optional<QString> status;
        ApiError error; // set: the reply ends with it
    };

    explicit StreamReader(QString localUserId);

    Step feed(const SseEvent &event);
    // The stream ended: a draft left open is marked Stopped.
    Step end();

private:
    QString m_localUserId;
    bool m_userEchoed = false;
    QString m_draftId; // the open draft, if any
    int m_drafts = 0;
    Turn m_lastDraft;
};

} // namespace parley::posthog
