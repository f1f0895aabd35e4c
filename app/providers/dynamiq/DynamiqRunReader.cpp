#include "providers/dynamiq/DynamiqRunReader.h"

#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley::dynamiq {

namespace {

const TranslationContext tr{"parley::dynamiq::RunReader"};

// The text of a run's `output`: a string, or an object's content/text/answer/output string.
QString outputText(const QJsonValue &output)
{
    if (output.isString())
        return output.toString();
    if (!output.isObject())
        return {};
    const QJsonObject o = output.toObject();
    for (const QString &key : {u"content"_s, u"text"_s, u"answer"_s, u"output"_s}) {
        if (o.value(key).isString())
            return o.value(key).toString();
    }
    return {};
}

// What a failed run says about its failure: `error` as text or {message, code}, else a
// generic sentence.
QString failureText(const QJsonObject &data, QString *code)
{
    const QJsonValue error = data.value(u"error"_s);
    if (error.isString() && !error.toString().trimmed().isEmpty())
        return JsonFields::oneLine(error.toString(), 500);
    if (error.isObject()) {
        const QJsonObject o = error.toObject();
        if (o.value(u"code"_s).isString())
            *code = o.value(u"code"_s).toString();
        else if (o.value(u"type"_s).isString())
            *code = o.value(u"type"_s).toString();
        if (o.value(u"message"_s).isString() && !o.value(u"message"_s).toString().isEmpty())
            return JsonFields::oneLine(o.value(u"message"_s).toString(), 500);
    }
    return tr("the run failed without saying why");
}

} // namespace

RunReader::RunReader(QString replyTo, QString fallbackId, QDateTime startedAt)
    : m_replyTo(std::move(replyTo))
    , m_fallbackId(std::move(fallbackId))
    , m_startedAt(std::move(startedAt))
{}

QString RunReader::thinkingStatus()
{
    return tr("Thinking…");
}

RunReader::Step RunReader::setStatus(Step step, const QString &text)
{
    if (text != m_status) {
        m_status = text;
        step.status = text;
    }
    return step;
}

void RunReader::ensureTurn(const QDateTime &at)
{
    if (!m_turn.id.isEmpty())
        return;
    m_turn.id = m_runId.isEmpty() ? m_fallbackId : m_runId;
    m_turn.role = Turn::Role::Assistant;
    m_turn.typeLabel = u"agent.response"_s;
    m_turn.timestamp = at.isValid() ? at : m_startedAt;
    m_turn.state = Turn::State::InProgress;
    m_turn.inReplyTo = m_replyTo;
}

RunReader::Step RunReader::interrupt(const ApiError &error)
{
    if (m_over)
        return {};
    Step step = setStatus({}, QString());
    m_over = true;
    step.ended = true;
    step.error = error;
    if (m_shown) {
        m_turn.state = Turn::State::Error;
        m_turn.errorDetail = error.detail.isEmpty() ? error.message() : error.detail;
        step.turnChanged = true;
    }
    return step;
}

RunReader::Step RunReader::end()
{
    if (m_over)
        return {};
    return fail(tr("the reply was cut off before the run ended"));
}

RunReader::Step RunReader::feed(const SseEvent &event)
{
    if (m_over)
        return {};
    if (event.isError())
        return fail(tr("an event of the reply could not be read (%1)").arg(event.error));

    QJsonObject envelope;
    ApiError parseError;
    if (!JsonFields::parseObject(event.data, &envelope, &parseError))
        return fail(tr("a “%1” event is not a JSON object: %2")
                        .arg(JsonFields::oneLine(event.type, 60), parseError.detail));

    JsonFields f(u"event '%1':"_s.arg(JsonFields::oneLine(event.type, 60)));
    const QString eventId = f.string(envelope, u"id"_s);
    QString type = f.string(envelope, u"type"_s);
    if (type.isEmpty())
        type = event.type;
    const qint64 sequence = f.integer(envelope, u"sequence"_s, -1);
    const QDateTime at = f.isoTime(envelope, u"timestamp"_s);
    const QJsonObject data = f.object(envelope, u"data"_s);
    if (f.failed())
        return fail(f.error().detail);
    if (!eventId.isEmpty()) {
        if (m_seenIds.contains(eventId))
            return {};
        m_seenIds.insert(eventId);
    }
    const qint64 order = sequence >= 0 ? sequence : m_lastSequence;

    JsonFields df(u"event '%1', in 'data',"_s.arg(JsonFields::oneLine(type, 60)));
    if (type == "run.started"_L1) {
        Step step;
        const QString id = df.string(data, u"id"_s);
        if (df.failed())
            return fail(df.error().detail);
        if (!id.isEmpty() && m_runId.isEmpty()) {
            m_runId = id;
            step.runChanged = true;
        }
        if (at.isValid())
            m_startedAt = at;
        return setStatus(step, thinkingStatus());
    }
    if (type == "agent.reasoning.delta"_L1)
        return setStatus({}, thinkingStatus());
    if (type == "agent.response.delta"_L1) {
        const QString delta = df.string(data, u"delta"_s);
        if (df.failed())
            return fail(df.error().detail);
        Step step = setStatus({}, QString());
        if (delta.isEmpty())
            return step;
        ensureTurn(at);
        Piece piece;
        piece.sequence = order;
        piece.text = delta;
        add(std::move(piece));
        step.turnChanged = true;
        m_shown = true;
        return step;
    }
    if (type == "agent.tool_call.completed"_L1) {
        const QJsonObject tool = df.object(data, u"tool"_s);
        JsonFields tf(u"event '%1', in 'data.tool',"_s.arg(type));
        const QString name = tf.string(tool, u"name"_s);
        const QString toolType = tf.string(tool, u"type"_s);
        QString callId = df.string(data, u"id"_s);
        const QString input = df.jsonText(data, u"input"_s);
        const QString result = df.jsonText(data, u"result"_s);
        const QJsonValue error = data.value(u"error"_s);
        df.absorb(tf);
        if (df.failed())
            return fail(df.error().detail);
        if (callId.isEmpty())
            callId = eventId.isEmpty() ? u"tool-call-%1"_s.arg(++m_toolCalls) : eventId;
        Piece piece;
        piece.sequence = order;
        piece.isText = false;
        piece.call.kind = Fragment::Kind::ToolCall;
        piece.call.name = name.isEmpty() ? toolType : name;
        piece.call.text = input;
        piece.call.callId = callId;
        piece.result.kind = Fragment::Kind::ToolResult;
        piece.result.name = piece.call.name;
        piece.result.callId = callId;
        piece.result.failed = !error.isUndefined() && !error.isNull();
        piece.result.text = piece.result.failed && result.isEmpty()
                                ? QString::fromUtf8(QJsonDocument(QJsonObject{{u"error"_s, error}})
                                                        .toJson(QJsonDocument::Compact))
                                : result;
        ensureTurn(at);
        add(std::move(piece));
        m_shown = true;
        Step step = setStatus({}, thinkingStatus());
        step.turnChanged = true;
        return step;
    }
    if (type == "agent.human_feedback.requested"_L1 || type == "approval_request.created"_L1)
        return setStatus({}, tr("The agent is waiting for input that Parley cannot give; "
                                "answer it in Dynamiq"));
    if (type == "run.completed"_L1 || type == "run.failed"_L1 || type == "run.canceled"_L1) {
        // The run object names the run, if nothing did before (and so the turn, if new).
        const QString id = df.string(data, u"id"_s);
        if (df.failed())
            return fail(df.error().detail);
        const bool named = m_runId.isEmpty() && !id.isEmpty();
        if (named)
            m_runId = id;
        ensureTurn(at);
        Step step = terminal(type, data);
        step.runChanged = named;
        return step;
    }
    return {}; // a type this version does not know: skipped
}

RunReader::Step RunReader::terminal(const QString &type, const QJsonObject &data)
{
    Step step = setStatus({}, QString());
    m_over = true;
    step.ended = true;
    step.turnChanged = true;
    m_shown = true;
    if (type == "run.completed"_L1) {
        m_turn.state = Turn::State::Done;
        // The run's output is the final word: it replaces the streamed text (tool calls stay).
        const QString output = outputText(data.value(u"output"_s));
        QString streamed;
        for (const Piece &p : std::as_const(m_pieces)) {
            if (p.isText)
                streamed += p.text;
        }
        if (!output.isEmpty() && output != streamed) {
            m_pieces.erase(std::remove_if(m_pieces.begin(), m_pieces.end(),
                                          [](const Piece &p) { return p.isText; }),
                           m_pieces.end());
            Piece final;
            final.sequence = m_lastSequence;
            final.text = output;
            m_pieces.append(final);
            rebuildFragments();
        }
    } else if (type == "run.failed"_L1) {
        QString code;
        const QString detail = failureText(data, &code);
        m_turn.state = Turn::State::Error;
        m_turn.errorDetail = detail;
        step.error = ApiError::make(ApiError::Kind::Server, detail, 0,
                                    code.isEmpty() ? u"run_failed"_s : code);
    } else {
        m_turn.state = Turn::State::Stopped;
    }
    return step;
}

void RunReader::add(Piece piece)
{
    if (m_pieces.isEmpty() || piece.sequence >= m_pieces.constLast().sequence) {
        m_lastSequence = qMax(m_lastSequence, piece.sequence);
        m_pieces.append(piece);
        appendFragments(m_pieces.constLast());
        return;
    }
    // Arrived early: placed by its sequence, after the pieces of equal sequence.
    const auto at =
        std::upper_bound(m_pieces.begin(), m_pieces.end(), piece.sequence,
                         [](qint64 sequence, const Piece &p) { return sequence < p.sequence; });
    m_pieces.insert(at, std::move(piece));
    rebuildFragments();
}

void RunReader::appendFragments(const Piece &piece)
{
    QList<Fragment> &fragments = m_turn.fragments;
    if (!piece.isText) {
        fragments.append(piece.call);
        fragments.append(piece.result);
        return;
    }
    if (!fragments.isEmpty() && fragments.constLast().kind == Fragment::Kind::Text) {
        fragments.last().text += piece.text;
        return;
    }
    Fragment text;
    text.kind = Fragment::Kind::Text;
    text.text = piece.text;
    fragments.append(text);
}

void RunReader::rebuildFragments()
{
    m_turn.fragments.clear();
    for (const Piece &p : std::as_const(m_pieces))
        appendFragments(p);
}

} // namespace parley::dynamiq
