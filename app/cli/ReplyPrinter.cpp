#include "cli/ReplyPrinter.h"

#include "cli/Console.h"
#include "providers/ReplyStream.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parley::cli {

ReplyPrinter::ReplyPrinter(ReplyStream *stream, bool jsonEvents, Console *console, QObject *parent)
    : QObject(parent)
    , m_json(jsonEvents)
    , m_console(console)
    , m_out(console->out())
{
    connect(stream, &ReplyStream::conversationChanged, this, &ReplyPrinter::onConversation);
    connect(stream, &ReplyStream::turnChanged, this, &ReplyPrinter::onTurn);
    connect(stream, &ReplyStream::statusChanged, this, &ReplyPrinter::onStatus);
    connect(stream, &ReplyStream::runChanged, this, &ReplyPrinter::onRun);
}

void ReplyPrinter::onConversation(const Conversation &summary)
{
    if (m_json) {
        writeJson({{u"event"_s, u"conversation"_s},
                   {u"id"_s, summary.id},
                   {u"title"_s, summary.title},
                   {u"status"_s, summary.status}});
    }
    if (!summary.id.isEmpty() && summary.id != m_conversationId) {
        m_conversationId = summary.id;
        Q_EMIT conversationKnown(summary.id);
    }
}

void ReplyPrinter::onTurn(const Turn &turn, const QString &replacesId)
{
    if (m_json) {
        writeJson({{u"event"_s, u"turn"_s},
                   {u"id"_s, turn.id},
                   {u"replaces"_s, replacesId},
                   {u"role"_s, Turn::roleName(turn.role)},
                   {u"state"_s, Turn::stateName(turn.state)},
                   {u"text"_s, turn.plainText()},
                   {u"error"_s, turn.errorDetail}});
        return;
    }
    if (turn.role != Turn::Role::Assistant) {
        if (turn.state == Turn::State::Error && !turn.errorDetail.isEmpty())
            m_console->error(turn.errorDetail);
        return;
    }
    const QString key = replacesId.isEmpty() ? turn.id : replacesId;
    const QString before = m_printed.value(key);
    const QString text = turn.plainText();
    if (key == m_lastId && text.startsWith(before)) {
        writeText(text.mid(before.size()));
    } else if (text != before || key != m_lastId) {
        // Another turn, or this one rewritten: the full text on a line of its own.
        if (!m_atLineStart)
            writeText(u"\n"_s);
        writeText(text);
    }
    m_printed.remove(key);
    m_printed.insert(turn.id, text);
    m_lastId = turn.id;
    if (turn.state == Turn::State::Error && !turn.errorDetail.isEmpty())
        m_console->error(turn.errorDetail);
}

void ReplyPrinter::onStatus(const QString &text)
{
    if (m_json)
        writeJson({{u"event"_s, u"status"_s}, {u"text"_s, text}});
    else if (!text.isEmpty())
        m_console->status(text);
}

void ReplyPrinter::onRun(const QString &runId)
{
    if (m_json)
        writeJson({{u"event"_s, u"run"_s}, {u"id"_s, runId}});
}

void ReplyPrinter::finish()
{
    if (!m_json && !m_atLineStart)
        writeText(u"\n"_s);
}

void ReplyPrinter::writeJson(const QJsonObject &object)
{
    m_out->write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
    m_out->flush();
}

void ReplyPrinter::writeText(const QString &text)
{
    if (text.isEmpty())
        return;
    m_out->write(Console::printable(text).toUtf8());
    m_out->flush();
    m_atLineStart = text.endsWith(u'\n');
}

} // namespace parley::cli
