#include "sandbox/fixie/FixieSandbox.h"

#include "sandbox/LiveScript.h"
#include "sandbox/SandboxText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

SandboxReply textError(int status, const QByteArray &message)
{
    return SandboxReply::text(message, status, "text/plain; charset=utf-8");
}

// A non-negative integer parameter: `fallback` when absent, nullopt when malformed.
std::optional<int> integerParam(const SandboxRequest &request, const QString &key, int fallback)
{
    if (!request.hasQuery(key))
        return fallback;
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString text = request.query(key).trimmed();
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    return text.toInt();
}

} // namespace

FixieSandbox::FixieSandbox(const SandboxOptions &options)
    : GeneratedSandboxPlatform(options, u"fixie"_s)
{}

void FixieSandbox::install(SandboxServer &server)
{
    const QString collection = u"/fixie/api/v1/agents/([^/]+)/conversations"_s;
    for (int slot = 0; slot < qMin(options().live, data().count()); ++slot)
        startLive(slot, 0);
    server.route("GET", collection, this, &FixieSandbox::list);
    server.route("GET", collection + u"/([^/]+)"_s, this, &FixieSandbox::retrieve);
    server.route("POST", collection, this, &FixieSandbox::start);
    server.route("POST", collection + u"/([^/]+)/messages"_s, this, &FixieSandbox::send);
    server.route("POST", collection + u"/([^/]+)/messages/([^/]+)/stop"_s, this,
                 &FixieSandbox::stop);
    // Last: routes added after this line would never be reached.
    server.route("GET", u"/fixie(?:/.*)?"_s,
                 [](const SandboxRequest &) { return textError(404, "Not Found"); });
}

std::optional<SandboxReply> FixieSandbox::rejectAuth(const SandboxRequest &request) const
{
    const QByteArray header = request.header("authorization").trimmed();
    if (header.isEmpty())
        return textError(401, "Unauthorized: no API key was sent.");
    if (!header.startsWith("Bearer ") || header.mid(7).trimmed() != options().key)
        return textError(401, "Unauthorized: the API key is not valid.");
    return std::nullopt;
}

SandboxReply FixieSandbox::list(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const std::optional<int> limit = integerParam(request, u"limit"_s, kDefaultLimit);
    if (!limit || *limit < 1)
        return textError(400, "limit must be a positive integer.");
    if (*limit > kMaxLimit)
        return textError(400, "limit must not be greater than 100.");
    const std::optional<int> offset = integerParam(request, u"offset"_s, 0);
    if (!offset)
        return textError(400, "offset must be a non-negative integer.");

    // Conversations started here first (newest first), then the generated ones.
    const qint64 total = data().count() + m_started.size();
    QJsonArray conversations;
    for (qint64 position = *offset; position < total && position < qint64(*offset) + *limit;
         ++position) {
        if (position < m_started.size()) {
            conversations.append(current(m_started.at(position)));
            continue;
        }
        const int index = data().indexAtPosition(int(position - m_started.size()));
        const QString id = data().idAt(index);
        conversations.append(m_stored.contains(id) ? current(id) : data().conversation(index));
    }
    return SandboxReply::json(QJsonObject{
        {u"conversations"_s, conversations},
        {u"pageInfo"_s, QJsonObject{{u"requestedPageSize"_s, *limit},
                                    {u"requestedOffset"_s, *offset},
                                    {u"totalResultCount"_s, total}}},
    });
}

SandboxReply FixieSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QJsonObject conversation = current(request.args.value(1));
    if (conversation.isEmpty())
        return textError(404, "Conversation not found.");
    return SandboxReply::json(conversation);
}

QJsonObject FixieSandbox::current(const QString &id) const
{
    if (m_stored.contains(id)) {
        QJsonObject conversation = m_stored.value(id);
        if (const auto run = m_running.value(id)) {
            QJsonArray turns = conversation.value(u"turns"_s).toArray();
            for (qsizetype i = 0; i < turns.size(); ++i) {
                if (turns.at(i).toObject().value(u"id"_s).toString() == run->turnId)
                    turns.replace(i, snapshot(*run, run->clock->written(), u"in-progress"_s));
            }
            conversation.insert(u"turns"_s, turns);
        }
        return conversation;
    }
    const int index = data().indexOf(id);
    return index < 0 ? QJsonObject() : data().conversation(index);
}

void FixieSandbox::store(const QString &id, const QJsonObject &conversation)
{
    const auto running = [this](const QString &other) { return m_running.contains(other); };
    for (const QString &old : m_stored.store(id, conversation, running))
        m_started.removeAll(old);
}

QJsonObject FixieSandbox::snapshot(const Run &run, qsizetype words, const QString &state)
{
    QJsonObject turn = run.turn;
    QJsonArray messages = turn.value(u"messages"_s).toArray();
    // The text fragment (the last one) grows; earlier fragments (a tool round) come whole.
    if (!messages.isEmpty()) {
        QJsonObject text = messages.last().toObject();
        text.insert(u"content"_s, run.words.mid(0, words).join(u' '));
        text.insert(u"state"_s, state == "in-progress"_L1 ? u"in-progress"_s : u"done"_s);
        messages.replace(messages.size() - 1, text);
    }
    turn.insert(u"messages"_s, messages);
    turn.insert(u"state"_s, state);
    return turn;
}

SandboxReply FixieSandbox::streamRun(std::shared_ptr<Run> run,
                                     std::function<QJsonObject(const QJsonObject &)> whole)
{
    QList<QByteArray> frames;
    auto line = [whole](const QJsonObject &turn) -> QByteArray {
        return QJsonDocument(whole(turn)).toJson(QJsonDocument::Compact) + '\n';
    };
    for (qsizetype n = 1; n <= run->words.size(); ++n)
        frames << line(snapshot(*run, n, n == run->words.size() ? u"done"_s : u"in-progress"_s));
    SandboxReply reply =
        SandboxReply::stream("application/x-ndjson", frames, options().streamIntervalMs);
    // Snapshot n (frame n-1) goes out once n words are written.
    reply.frameDueInMs = [run](qsizetype i) { return run->clock->msUntilWritten(int(i) + 1); };
    reply.stopFrame = [run, line](qsizetype) {
        return line(snapshot(*run, run->clock->written(), u"stopped"_s));
    };
    endWithClock(reply, run, [this](const std::shared_ptr<Run> &r) { finishRun(r); });
    return reply;
}

void FixieSandbox::startRun(const std::shared_ptr<Run> &run, qint64 durationMs, int already)
{
    run->clock = std::make_unique<ReplyClock>(int(run->words.size()), durationMs, already);
    m_running.insert(run->conversationId, run);
    const std::weak_ptr<Run> weak = run;
    later(run->clock->msUntilWritten(run->clock->units()), [this, weak] {
        if (const auto r = weak.lock(); r && r->clock->finished())
            finishRun(r);
    });
}

void FixieSandbox::finishRun(const std::shared_ptr<Run> &run)
{
    if (m_running.value(run->conversationId) != run)
        return;
    m_running.remove(run->conversationId);
    const bool done = run->clock->finished();
    run->clock->stop();
    const QJsonObject turn = done ? snapshot(*run, run->words.size(), u"done"_s)
                                  : snapshot(*run, run->clock->written(), u"stopped"_s);
    QJsonObject conversation = current(run->conversationId);
    QJsonArray turns = conversation.value(u"turns"_s).toArray();
    for (qsizetype i = 0; i < turns.size(); ++i) {
        if (turns.at(i).toObject().value(u"id"_s).toString() == run->turnId)
            turns.replace(i, turn);
    }
    conversation.insert(u"turns"_s, turns);
    store(run->conversationId, conversation);
    if (run->liveSlot >= 0) {
        const int slot = run->liveSlot;
        const int next = run->exchange + 1;
        later(LiveExchange::at(options(), prefix(), slot, run->exchange).pauseMs,
              [this, slot, next] { startLive(slot, next); });
    }
}

namespace {

QString timestampNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// A finished turn of `role` ("user", "assistant") holding one text message, stamped now.
QJsonObject textTurn(const QString &id, const QString &role, const QString &text)
{
    return QJsonObject{
        {u"id"_s, id},
        {u"timestamp"_s, timestampNow()},
        {u"role"_s, role},
        {u"state"_s, u"done"_s},
        {u"messages"_s, QJsonArray{QJsonObject{{u"kind"_s, u"text"_s}, {u"content"_s, text}}}}};
}

} // namespace

SandboxReply FixieSandbox::start(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    if (!ok)
        return textError(400, "The request body must be a JSON object.");
    const QJsonValue message = body.value(u"message"_s);
    if (!message.isUndefined() && !message.isNull() && !message.isString())
        return textError(400, "message must be a string.");
    const bool generate = body.value(u"generateInitialMessage"_s).toBool(true);
    if (!generate && message.toString().trimmed().isEmpty())
        return textError(400, "generateInitialMessage may be false only with a message.");

    const quint64 n = ++m_counter;
    QRandomGenerator rng = SandboxText::rng(options().seed, u"fixie/start"_s, qint64(n));
    const QString id = SandboxText::uuid(rng);
    QJsonArray turns;
    QString replyTo;
    if (!message.toString().trimmed().isEmpty()) {
        replyTo = SandboxText::uuid(rng);
        turns.append(textTurn(replyTo, u"user"_s, message.toString()));
    }
    auto run = std::make_shared<Run>();
    run->conversationId = id;
    run->turnId = SandboxText::uuid(rng);
    const QString text =
        replyTo.isEmpty() ? u"Hello! How can I help you today?"_s : SandboxText::answer(rng);
    run->words = text.split(u' ', Qt::SkipEmptyParts);
    run->turn = textTurn(run->turnId, u"assistant"_s, text);
    if (!replyTo.isEmpty())
        run->turn.insert(u"inReplyToId"_s, replyTo);

    turns.append(snapshot(*run, 0, u"in-progress"_s));
    store(id, QJsonObject{{u"id"_s, id}, {u"turns"_s, turns}});
    m_started.prepend(id);
    startRun(run, options().replyMs(int(run->words.size())));
    return streamRun(run, [this, id](const QJsonObject &turn) {
        QJsonObject conversation = m_stored.value(id);
        QJsonArray all = conversation.value(u"turns"_s).toArray();
        if (!all.isEmpty())
            all.replace(all.size() - 1, turn);
        conversation.insert(u"turns"_s, all);
        return conversation;
    });
}

SandboxReply FixieSandbox::send(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QString id = request.args.value(1);
    QJsonObject conversation = current(id);
    if (conversation.isEmpty())
        return textError(404, "Conversation not found.");
    bool ok = false;
    const QJsonObject body = request.json(&ok);
    const QString message = body.value(u"message"_s).toString();
    if (!ok || message.trimmed().isEmpty())
        return textError(400, "message is required.");
    if (m_running.contains(id))
        return textError(409, "Conflict: the agent is still answering the previous message.");

    const quint64 n = ++m_counter;
    QRandomGenerator rng = SandboxText::rng(options().seed, u"fixie/send"_s, qint64(n));
    const QString userId = SandboxText::uuid(rng);
    auto run = std::make_shared<Run>();
    run->conversationId = id;
    run->turnId = SandboxText::uuid(rng);
    const QString text = SandboxText::answer(rng);
    run->words = text.split(u' ', Qt::SkipEmptyParts);
    run->turn = textTurn(run->turnId, u"assistant"_s, text);
    run->turn.insert(u"inReplyToId"_s, userId);
    QJsonArray turns = conversation.value(u"turns"_s).toArray();
    turns.append(textTurn(userId, u"user"_s, message));
    turns.append(snapshot(*run, 0, u"in-progress"_s));
    conversation.insert(u"turns"_s, turns);
    store(id, conversation);
    startRun(run, options().replyMs(int(run->words.size())));
    return streamRun(run, [](const QJsonObject &turn) { return turn; });
}

void FixieSandbox::startLive(int slot, int exchange)
{
    const int index = data().count() - 1 - slot;
    const QString id = data().idAt(index);
    const LiveExchange e = LiveExchange::at(options(), prefix(), slot, exchange);
    if (m_running.contains(id)) {
        later(e.pauseMs, [this, slot, exchange] { startLive(slot, exchange); }); // busy: later
        return;
    }
    QJsonObject conversation = current(id);
    QJsonArray turns = conversation.value(u"turns"_s).toArray();
    QRandomGenerator rng = SandboxText::rng(options().seed, u"fixie/live"_s, qint64(++m_counter));
    auto run = std::make_shared<Run>();
    run->conversationId = id;
    run->liveSlot = slot;
    run->exchange = exchange;
    int already = 0;
    const QJsonObject last = turns.isEmpty() ? QJsonObject() : turns.last().toObject();
    if (last.value(u"role"_s).toString() == "assistant"_L1 &&
        last.value(u"state"_s).toString() == "in-progress"_L1) {
        // A generated turn still being written: it goes on from where it is.
        const QJsonArray parts = last.value(u"messages"_s).toArray();
        const QString sofar =
            parts.isEmpty() ? QString() : parts.last().toObject().value(u"content"_s).toString();
        run->turnId = last.value(u"id"_s).toString();
        run->turn = last;
        run->words = QString(sofar + u' ' + e.answer).split(u' ', Qt::SkipEmptyParts);
        already = int(sofar.split(u' ', Qt::SkipEmptyParts).size());
    } else {
        const QString userId = SandboxText::uuid(rng);
        run->turnId = SandboxText::uuid(rng);
        run->words = e.answer.split(u' ', Qt::SkipEmptyParts);
        run->turn = textTurn(run->turnId, u"assistant"_s, e.answer);
        run->turn.insert(u"inReplyToId"_s, userId);
        turns.append(textTurn(userId, u"user"_s, e.question));
        turns.append(snapshot(*run, 0, u"in-progress"_s));
        conversation.insert(u"turns"_s, turns);
    }
    store(id, conversation);
    startRun(run, e.replyMs, already);
}

SandboxReply FixieSandbox::stop(const SandboxRequest &request)
{
    if (auto rejected = rejectAuth(request))
        return *rejected;
    const QString id = request.args.value(1);
    if (current(id).isEmpty())
        return textError(404, "Conversation not found.");
    const auto run = m_running.value(id);
    if (run && run->turnId == request.args.value(2)) {
        run->clock->stop(); // at what is written; stopped once the stream has seen it
        later(0, [this, run] { finishRun(run); });
    }
    // Stopping a message that is no longer generating is harmless, as on the platform.
    return SandboxReply::json(QJsonObject{});
}

} // namespace parley::sandbox

PARLEY_REGISTER_SANDBOX(&parley::sandbox::SandboxRegistry::addOne<parley::sandbox::FixieSandbox>)
