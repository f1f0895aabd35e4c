#pragma once

#include "cli/StreamedText.h"
#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/Turn.h"

#include <QHash>
#include <QObject>
#include <QString>

class QFile;

namespace parley {
class ReplyStream;
}

namespace parley::cli {

class Console;

// Prints a streamed reply as it arrives.
//
// Text mode writes the assistant's text to stdout as it grows (see StreamedText for what
// happens when a turn is rewritten or another one starts), the platform's status lines and
// the run id on stderr, and a final line break. The user's own message is not echoed.
//
// NDJSON mode writes one JSON object per event, flushed at once, for scripts:
//   {"event":"conversation","id":…,"title":…,"status":…}
//   {"event":"turn","id":…,"replaces":…,"role":…,"state":…,"text":…,"error":…}
//     (the turn's whole text so far; a turn with "replaces" takes that turn's place)
//   {"event":"status","text":…}   {"event":"run","id":…}
//   {"event":"finished","ok":true}   or   {"event":"finished","ok":false,"error":KIND,"message":…}
class ReplyPrinter : public QObject
{
    Q_OBJECT
public:
    // `idFirst` (create): in text mode the conversation's id is the first line of stdout,
    // before any of the reply's text (held until the platform has given the id).
    ReplyPrinter(ReplyStream *stream, bool jsonEvents, bool idFirst, Console *console,
                 QObject *parent = nullptr);

    // The conversation's id, once the platform has given it.
    QString conversationId() const { return m_conversationId; }
    // The stream has reported something (and so something was printed).
    bool hasPrinted() const { return m_heard; }

    // Ends the output, once: a last line break in text mode, the "finished" event in NDJSON.
    void finish(const ApiError &error = {});

private:
    void onConversation(const Conversation &summary);
    void onTurn(const Turn &turn, const QString &replacesId);
    void onStatus(const QString &text);
    void onRun(const QString &runId);
    void writeJson(const QJsonObject &object);
    void writeText(const QString &text);

    bool m_json;
    bool m_holdText; // create in text mode, until the id is printed
    QString m_held;
    Console *m_console;
    QFile *m_out;
    StreamedText m_text;
    QString m_conversationId;
    bool m_finished = false;
    bool m_heard = false;
};

} // namespace parley::cli
