#pragma once

#include "core/Approval.h"
#include "core/Conversation.h"
#include "core/Turn.h"

#include <QList>
#include <QMetaType>

namespace parley {

// A conversation opened for reading: its summary, platform-specific properties and,
// where the platform has one, its transcript.
struct ConversationDetail
{
    Conversation summary;
    QList<Property> properties;
    QList<Turn> turns;
    // False where the platform documents no transcript endpoint (Dynamiq): the UI shows
    // `transcriptNote` instead of an empty transcript.
    bool hasTranscript = true;
    QString transcriptNote;
    // The platform says the conversation is answering now; `runId` is what
    // Provider::cancelRun() needs to stop it (Fixie: the running turn), empty where the
    // platform stops a conversation as a whole.
    bool running = false;
    QString runId = {};
    // Operations waiting for (or given) a person's decision, in the platform's order
    // (Capabilities::Approvals).
    QList<Approval> approvals = {};
};

} // namespace parley

Q_DECLARE_METATYPE(parley::ConversationDetail)
