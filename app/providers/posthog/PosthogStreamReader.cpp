#include "providers/posthog/PosthogStreamReader.h"

#include "core/JsonText.h"
#include "core/TranslationContext.h"

#include "providers/JsonFields.h"
#include "providers/posthog/PosthogMapping.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parley::posthog {

namespace {

const TranslationContext tr{"parley::posthog::StreamReader"};

ApiError bad(const QString &detail)
{
    return ApiError::make(ApiError::Kind::BadResponse, detail);
}

} // namespace

StreamReader::StreamReader(QString localUserId)
    : m_localUserId(std::move(localUserId))
{}

StreamReader::Step StreamReader::feed(const SseEvent &event)
{
    Step step;
    if (event.isError()) {
        step.error = bad(tr("PostHog's reply stream was broken: %1").arg(event.error));
        return step;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = parseJsonText(event.data, &parseError);
    if (!doc.isObject()) {
        step.error = bad(tr("PostHog sent a “%1” event that is not a JSON object").arg(event.type));
        return step;
    }
    const QJsonObject data = doc.object();
    JsonFields f(u"stream event '%1':"_s.arg(event.type));

    if (event.type == "conversation"_L1) {
        Conversation c = conversationFromJson(data, f);
        if (f.failed()) {
            step.error = f.error();
            return step;
        }
        step.conversation = c;
    } else if (event.type == "message"_L1) {
        const QString id = f.string(data, u"id"_s);
        const QString type = f.string(data, u"type"_s);
        QList<Turn> turns = turnsFromMessages(QJsonArray{data}, f);
        if (f.failed()) {
            step.error = f.error();
            return step;
        }
        if (turns.isEmpty())
            return step; // a message type that shows nothing
        Turn turn = turns.takeFirst();
        const bool partial = id.isEmpty() || id.startsWith(u"temp-"_s);
        if (type == "human"_L1) {
            Update u{turn, m_userEchoed ? QString() : m_localUserId};
            if (turn.id.isEmpty())
                u.turn.id = m_localUserId;
            m_userEchoed = true;
            step.turns << u;
        } else if (partial) {
            if (m_draftId.isEmpty())
                m_draftId = u"draft-%1"_s.arg(++m_drafts);
            turn.id = m_draftId;
            turn.state = Turn::State::InProgress;
            turn.raw.clear(); // a draft: the saved message comes whole later
            m_lastDraft = turn;
            step.turns << Update{turn, {}};
        } else {
            step.turns << Update{turn, m_draftId};
            m_draftId.clear();
        }
    } else if (event.type == "status"_L1) {
        const QString type = f.string(data, u"type"_s);
        if (type == "generation_error"_L1)
            step.error =
                ApiError::make(ApiError::Kind::Server, tr("PostHog AI could not generate a reply"),
                               0, u"generation_error"_s);
        else
            step.status = QString();
    } else if (event.type == "update"_L1) {
        const QString content = JsonFields::oneLine(f.string(data, u"content"_s));
        if (!content.isEmpty())
            step.status = content;
    } else if (event.type == "approval"_L1) {
        // The agent stopped to ask leave for an operation: the run waits. The conversation's
        // pending approvals, fetched again when the reply ends, say what it asks. [I: the
        // event's fields; only the tool's name is read, where it is given]
        const QString tool = JsonFields::oneLine(f.string(data, u"tool_name"_s));
        step.status = tool.isEmpty() ? tr("Waiting for your approval…")
                                     : tr("Waiting for your approval of %1…").arg(tool);
    }
    // Other event types (older builds' "notebook", future ones) are skipped.
    return step;
}

StreamReader::Step StreamReader::end()
{
    Step step;
    if (!m_draftId.isEmpty()) {
        Turn stopped = m_lastDraft;
        stopped.state = Turn::State::Stopped;
        step.turns << Update{stopped, {}};
        m_draftId.clear();
    }
    return step;
}

} // namespace parley::posthog
