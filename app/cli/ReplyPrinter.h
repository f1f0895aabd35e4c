#pragma once

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

// Prints a streamed reply as it arrives. Text mode writes only what is new in the
// assistant's text (a token at a time), and when a turn is replaced by a different text
// (a final message that differs from its draft) starts a new line with the final text;
// status lines go to stderr. NDJSON mode writes one JSON object per event:
//   {"event":"conversation","id":…,"title":…,"status":…}
//   {"event":"turn","id":…,"replaces":…,"role":…,"state":…,"text":…}
//   {"event":"status","text":…}   {"event":"run","id":…}
class ReplyPrinter : public QObject
{
    Q_OBJECT
public:
    ReplyPrinter(ReplyStream *stream, bool jsonEvents, Console *console, QObject *parent = nullptr);

    // Ends the output (a last newline in text mode).
    void finish();

Q_SIGNALS:
    // The conversation's id became known (create prints it first).
    void conversationKnown(const QString &id);

private:
    void onConversation(const Conversation &summary);
    void onTurn(const Turn &turn, const QString &replacesId);
    void onStatus(const QString &text);
    void onRun(const QString &runId);
    void writeJson(const QJsonObject &object);
    void writeText(const QString &text);

    bool m_json;
    Console *m_console;
    QFile *m_out;
    QHash<QString, QString> m_printed; // assistant turn id -> text written so far
    QString m_lastId;                  // the turn the output currently continues
    QString m_conversationId;
    bool m_atLineStart = true;
};

} // namespace parley::cli
