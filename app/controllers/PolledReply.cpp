#include "controllers/PolledReply.h"

#include "providers/Provider.h"
#include "providers/ReplyStream.h"

#include <algorithm>

namespace parley {

namespace {

// The turns of the reply running in `detail`: those after its last user message.
QList<Turn> replyTurns(const ConversationDetail &detail)
{
    const QList<Turn> &turns = detail.turns;
    qsizetype first = turns.size();
    while (first > 0 && turns.at(first - 1).role != Turn::Role::User)
        --first;
    return turns.mid(first);
}

QString seenAs(const Turn &turn)
{
    return QString::number(int(turn.state)) + u'|' + turn.plainText();
}

} // namespace

PolledReply::PolledReply(Provider *provider, QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_stream(new ReplyStream(this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PolledReply::poll);
    // abort() (Ctrl+C, a timeout) ends the polling too.
    connect(m_stream, &ReplyStream::finished, this, [this] {
        m_timer.stop();
        RequestHandle request = std::exchange(m_request, RequestHandle());
        request.cancel();
    });
}

void PolledReply::setPollIntervals(std::chrono::milliseconds first,
                                   std::chrono::milliseconds longest)
{
    m_pace.setIntervals(first, longest);
}

void PolledReply::start(const ConversationDetail &detail)
{
    m_id = detail.summary.id;
    m_stream->setConversation(detail.summary);
    if (!detail.runId.isEmpty())
        m_stream->setRun(detail.runId);
    report(detail);
    if (!detail.running) {
        m_stream->finishLater({});
        return;
    }
    m_pace.reset();
    m_timer.start(m_pace.interval());
}

void PolledReply::poll()
{
    if (!m_provider || m_stream->isFinished())
        return;
    m_request = m_provider->fetchConversation(
        m_id, this, [this](Result<ConversationDetail> result) { onDetail(std::move(result)); });
}

void PolledReply::onDetail(Result<ConversationDetail> result)
{
    m_request = {};
    if (m_stream->isFinished())
        return;
    if (!result.ok()) {
        if (result.error().kind == ApiError::Kind::Canceled)
            return;
        if (++m_failures >= kFailuresInARow) {
            m_stream->finish(result.error());
            return;
        }
        m_timer.start(m_pace.interval());
        return;
    }
    m_failures = 0;
    const ConversationDetail &detail = result.value();
    m_stream->setConversation(detail.summary);
    const bool changed = report(detail);
    if (!detail.running) {
        m_stream->finish();
        return;
    }
    m_pace.looked(changed);
    m_timer.start(m_pace.interval());
}

bool PolledReply::report(const ConversationDetail &detail)
{
    bool changed = false;
    for (const Turn &turn : replyTurns(detail)) {
        const QString seen = seenAs(turn);
        auto it = m_seen.find(turn.id);
        if (it != m_seen.end() && *it == seen)
            continue;
        m_seen.insert(turn.id, seen);
        m_stream->upsertTurn(turn);
        changed = true;
        if (m_stream->isFinished())
            break;
    }
    return changed;
}

} // namespace parley
