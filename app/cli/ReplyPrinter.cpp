#include "cli/ReplyPrinter.h"

#include "cli/Console.h"
#include "providers/ReplyStream.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

using namespace Qt::StringLiterals;

namespace parley::cli {

ReplyPrinter::ReplyPrinter(ReplyStream *stream, bool jsonEvents, bool idFirst, Console *console,
                           QObject *parent)
    : QObject(parent)
    , m_json(jsonEvents)
    , m_holdText(idFirst && !jsonEvents)
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
    m_heard = true;
    if (m_json) {
        writeJson({{u"event"_s, u"conversation"_s},
                   {u"id"_s, summary.id},
                   {u"title"_s, summary.title},
                   {u"status"_s, summary.status}});
    }
    if (summary.id.isEmpty() || !m_conversationId.isEmpty())
        return;
    m_conversationId = summary.id;
    if (m_holdText) {
        // The new id first, on a line of its own, then whatever arrived before it.
        m_holdText = false;
        writeText(summary.id + u'\n' + std::exchange(m_held, {}));
    }
}

void ReplyPrinter::onTurn(const Turn &turn, const QString &replacesId)
{
    m_heard = true;
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
    writeText(m_text.update(turn.id, replacesId, turn.plainText()));
    if (turn.state == Turn::State::Error && !turn.errorDetail.isEmpty())
        m_console->error(turn.errorDetail);
}

void ReplyPrinter::onStatus(const QString &text)
{
    m_heard = true;
    if (m_json)
        writeJson({{u"event"_s, u"status"_s}, {u"text"_s, text}});
    else if (!text.isEmpty())
        m_console->status(text);
}

void ReplyPrinter::onRun(const QString &runId)
{
    m_heard = true;
    if (m_json)
        writeJson({{u"event"_s, u"run"_s}, {u"id"_s, runId}});
    else if (!runId.isEmpty())
        m_console->status(tr("run %1 (cancel ID --run %1 stops it)").arg(runId));
}

void ReplyPrinter::finish(const ApiError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_json) {
        m_holdText = false; // no id came: the text is still shown
        writeText(std::exchange(m_held, {}) + m_text.finish());
        return;
    }
    QJsonObject event{{u"event"_s, u"finished"_s}, {u"ok"_s, !error.isError()}};
    if (error) {
        event.insert(u"error"_s, ApiError::kindName(error.kind));
        event.insert(u"message"_s, m_console->sanitize(error.message()));
    }
    writeJson(event);
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
    if (m_holdText) {
        m_held += text;
        return;
    }
    m_out->write(Console::printable(text).toUtf8());
    m_out->flush();
}

} // namespace parley::cli
