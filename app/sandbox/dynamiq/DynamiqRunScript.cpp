#include "sandbox/dynamiq/DynamiqRunScript.h"

#include "sandbox/SandboxText.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

// Dynamiq is served by Go: RFC 3339 in UTC, whole seconds.
QString rfc3339(const QDateTime &at)
{
    return at.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

// The text cut into words, each with the spaces after it: the pieces add up to the text.
QStringList words(const QString &text)
{
    static const QRegularExpression piece(u"\\S+\\s*|\\s+"_s);
    QStringList out;
    auto it = piece.globalMatch(text);
    while (it.hasNext())
        out << it.next().captured();
    return out;
}

bool wantsTool(const QString &message)
{
    static const QRegularExpression ask(u"\\b(search|find|look\\s+up|lookup)\\b"_s,
                                        QRegularExpression::CaseInsensitiveOption);
    return ask.match(message).hasMatch();
}

QJsonObject runObject(const QString &runId, const QString &status)
{
    return QJsonObject{{u"id"_s, runId}, {u"object"_s, u"run"_s}, {u"status"_s, status}};
}

} // namespace

QByteArray DynamiqRunScript::frame(const QString &type, qint64 sequence, const QDateTime &at,
                                   const QString &eventId, const QJsonObject &data)
{
    QJsonObject payload = data;
    if (!payload.contains(u"object"_s))
        payload.insert(u"object"_s, type);
    const QJsonObject envelope{{u"id"_s, eventId},
                               {u"type"_s, type},
                               {u"sequence"_s, sequence},
                               {u"timestamp"_s, rfc3339(at)},
                               {u"data"_s, payload}};
    return "event: " + type.toUtf8() +
           "\ndata: " + QJsonDocument(envelope).toJson(QJsonDocument::Compact) + "\n\n";
}

DynamiqRunScript DynamiqRunScript::make(quint32 seed, const QString &conversationId, int runNumber,
                                        const QString &runId, const QString &message,
                                        const QDateTime &startedAt, int intervalMs)
{
    DynamiqRunScript s;
    s.runId = runId;
    s.startedAt = startedAt.toUTC();
    QRandomGenerator rng = SandboxText::rng(seed, u"dynamiq/reply/"_s + conversationId, runNumber);
    s.answer = SandboxText::answer(rng);

    qint64 sequence = 0;
    qsizetype said = 0; // characters of the answer sent so far
    s.answerAfter.append(0);
    auto add = [&s, &sequence, &rng, &said, intervalMs](const QString &type,
                                                        const QJsonObject &data) {
        ++sequence;
        const QDateTime at = s.startedAt.addMSecs(qint64(s.frames.size() + 1) * intervalMs);
        s.nextSequence.append(sequence);
        s.frames.append(frame(type, sequence, at, u"evt-"_s + SandboxText::uuid(rng), data));
        if (type == "agent.response.delta"_L1)
            said += data.value(u"delta"_s).toString().size();
        s.answerAfter.append(said);
    };

    QJsonObject started = runObject(runId, u"started"_s);
    started.insert(u"conversation_id"_s, conversationId);
    add(u"run.started"_s, started);
    const QString reasoning = u"Reading the question. Checking what I know about it. "
                              u"Writing the answer."_s;
    const QStringList thoughts = reasoning.split(u". "_s);
    for (const QString &thought : thoughts)
        add(u"agent.reasoning.delta"_s,
            QJsonObject{{u"delta"_s, thought.endsWith(u'.') ? thought : thought + u". "_s},
                        {u"iteration"_s, 1}});
    if (wantsTool(message)) {
        add(u"agent.tool_call.completed"_s,
            QJsonObject{
                {u"id"_s, QString(u"call_"_s + SandboxText::uuid(rng).remove(u'-').left(24))},
                {u"tool"_s,
                 QJsonObject{{u"name"_s, SandboxText::toolName(rng)}, {u"type"_s, u"function"_s}}},
                {u"input"_s, QJsonObject{{u"query"_s, message.left(200)}}},
                {u"result"_s, SandboxText::sentence(rng)}});
    }
    // Quiet for a moment: Dynamiq keeps the connection alive with a comment.
    s.nextSequence.append(sequence + 1);
    s.frames.append(": heartbeat\n\n");
    s.answerAfter.append(said);
    for (const QString &word : words(s.answer))
        add(u"agent.response.delta"_s, QJsonObject{{u"delta"_s, word}});
    QJsonObject completed = runObject(runId, u"completed"_s);
    completed.insert(u"output"_s, QJsonObject{{u"content"_s, s.answer}});
    add(u"run.completed"_s, completed);
    // After the last frame, nothing more can be sent.
    s.nextSequence.append(sequence + 1);
    return s;
}

QByteArray DynamiqRunScript::canceledFrame(qsizetype framesSent) const
{
    const qint64 sequence =
        nextSequence.value(qBound<qsizetype>(0, framesSent, nextSequence.size() - 1), 1);
    QRandomGenerator rng = SandboxText::rng(0, u"dynamiq/canceled/"_s + runId, framesSent);
    return frame(u"run.canceled"_s, sequence, QDateTime::currentDateTimeUtc(),
                 u"evt-"_s + SandboxText::uuid(rng), runObject(runId, u"canceled"_s));
}

} // namespace parley::sandbox
