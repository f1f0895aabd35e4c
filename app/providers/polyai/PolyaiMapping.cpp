#include "providers/polyai/PolyaiMapping.h"

#include "core/TranslationContext.h"
#include "providers/MappingParts.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSet>
#include <QtNumeric>

#include <limits>

using namespace Qt::StringLiterals;

namespace parley::polyai {

namespace {

const TranslationContext tr{"parley::polyai"};

// A number that may be fractional (latency, polyScore); NaN when absent.
double number(const QJsonObject &o, const QString &key, JsonFields &f)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return qQNaN();
    if (!v.isDouble()) {
        f.fail(u"field '%1' is %2, expected a number"_s.arg(key, JsonFields::typeName(v)));
        return qQNaN();
    }
    return v.toDouble();
}

// Strings of a list field; other elements record a problem.
QStringList stringList(const QJsonObject &o, const QString &key, JsonFields &f)
{
    QStringList out;
    const QJsonArray list = f.array(o, key);
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonValue v = list.at(i);
        if (v.isString())
            out << v.toString();
        else if (!v.isNull())
            f.fail(u"%1[%2] is %3, expected text"_s.arg(key).arg(i).arg(JsonFields::typeName(v)));
    }
    return out;
}

// A metric or entity value: text, or a list of texts (a name written more than once).
QString valueText(const QJsonValue &v)
{
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : v.toArray())
            parts << valueText(item);
        return parts.join(u", "_s);
    }
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble());
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return {};
}

QString durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

using mapping::otherFragment;
using mapping::textFragment;

// What the walks over the turn pairs collect for the row (scanPairs: the time and first
// utterance) and for the details pane (parsePairs: intents and entities).
struct PairFacts
{
    QStringList intents;  // distinct, first seen first
    QStringList entities; // "name=value", distinct
    QDateTime last;       // the latest time of any side
    QString firstUtterance;
};

// Each turn pair gives the user's side and the agent's, each keeping the pair as it came; a
// pair that cannot be read is one unreadable turn in their place.
QList<Turn> parsePairs(const QJsonArray &pairs, JsonFields &f, PairFacts *facts)
{
    QList<Turn> turns;
    turns.reserve(pairs.size() * 2);
    QSet<QString> seenIntents;
    QSet<QString> seenEntities;
    const auto read = [&](const QJsonObject &t, JsonFields &tf, qsizetype i) {
        const QString userText = tf.string(t, u"user_input"_s);
        const QString dtmf = tf.string(t, u"user_input_dtmf"_s);
        const QString translated = tf.string(t, u"translated_user_input"_s);
        const QDateTime userAt = tf.isoTime(t, u"user_input_datetime"_s);
        const QString agentText = tf.string(t, u"agent_response"_s);
        const QString english = tf.string(t, u"english_agent_response"_s);
        const QDateTime agentAt = tf.isoTime(t, u"agent_response_datetime"_s);
        const bool ood = tf.boolean(t, u"is_ood"_s);
        tf.boolean(t, u"is_silence"_s); // type check only: a silence has no user text
        number(t, u"latency"_s, tf);    // type check only
        const QStringList intents = stringList(t, u"intents"_s, tf);
        const QJsonArray entities = tf.array(t, u"entities"_s);
        QList<QJsonObject> entityMaps;
        for (qsizetype e = 0; e < entities.size(); ++e) {
            const QJsonValue ev = entities.at(e);
            if (ev.isObject())
                entityMaps << ev.toObject();
            else if (!ev.isNull())
                tf.fail(u"entities[%1] is %2, expected an object"_s.arg(e).arg(
                    JsonFields::typeName(ev)));
        }
        if (tf.failed())
            return; // an unreadable turn takes the pair's place

        for (const QString &intent : intents) {
            if (!intent.isEmpty() && !seenIntents.contains(intent)) {
                seenIntents.insert(intent);
                facts->intents << intent;
            }
        }
        for (const QJsonObject &map : std::as_const(entityMaps)) {
            for (auto it = map.begin(); it != map.end(); ++it) {
                const QString entry = it.key() + u'=' + valueText(it.value());
                if (!seenEntities.contains(entry)) {
                    seenEntities.insert(entry);
                    facts->entities << entry;
                }
            }
        }

        const QByteArray raw = JsonFields::compactJson(t); // one copy for both sides
        QString userId;
        if (!userText.trimmed().isEmpty() || !dtmf.trimmed().isEmpty()) {
            Turn u;
            u.id = u"turn%1.user"_s.arg(i);
            userId = u.id;
            u.role = Turn::Role::User;
            u.typeLabel = u"user_input"_s;
            u.timestamp = userAt;
            u.raw = raw;
            if (!userText.trimmed().isEmpty())
                u.fragments.append(textFragment(userText));
            if (!dtmf.trimmed().isEmpty())
                u.fragments.append(otherFragment(u"dtmf"_s, tr("Keypad: %1").arg(dtmf.trimmed())));
            if (!translated.trimmed().isEmpty() && translated != userText)
                u.fragments.append(
                    otherFragment(u"translation"_s, tr("Translated: %1").arg(translated)));
            if (ood)
                u.fragments.append(
                    otherFragment(u"ood"_s, tr("The agent could not understand this input.")));
            turns.append(u);
        }
        if (!agentText.trimmed().isEmpty()) {
            Turn a;
            a.id = u"turn%1.agent"_s.arg(i);
            a.role = Turn::Role::Assistant;
            a.typeLabel = u"agent_response"_s;
            a.timestamp = agentAt;
            a.inReplyTo = userId;
            a.raw = raw;
            a.fragments.append(textFragment(agentText));
            if (!english.trimmed().isEmpty() && english != agentText)
                a.fragments.append(
                    otherFragment(u"translation"_s, tr("In English: %1").arg(english)));
            turns.append(a);
        }
    };
    f.eachItem(pairs, u"turns"_s, read,
               [&turns](const QJsonValue &pair, const QString &why, qsizetype i) {
                   Turn t;
                   t.id = u"turn%1"_s.arg(i);
                   t.typeLabel = u"turn"_s;
                   t.unreadable = why;
                   t.raw = JsonFields::compactJson(pair);
                   turns.append(t);
               });
    return turns;
}

// The row and detail of a conversation that cannot be read: its id where it has one, the
// object as it came, and why.
ConversationDetail unreadableDetail(const QJsonValue &row, const QString &why)
{
    JsonFields ignored;
    const QJsonObject o = row.toObject();
    ConversationDetail d;
    d.summary.id = ignored.stringOrNumber(o, o.contains(u"id"_s) ? u"id"_s : u"conversationId"_s);
    d.summary.setUnreadable(why, JsonFields::compactJson(row));
    d.hasTranscript = false;
    d.transcriptNote =
        tr("PolyAI sent this conversation in a form Parley cannot read: %1").arg(why);
    return d;
}

// What a list row shows of its pairs: the first thing the caller said and the latest time,
// read from those two fields alone (a pair whose other fields are broken still gives them).
void scanPairs(const QJsonArray &pairs, PairFacts *facts)
{
    JsonFields ignored;
    for (const QJsonValue &v : pairs) {
        if (!v.isObject())
            continue;
        const QJsonObject t = v.toObject();
        if (facts->firstUtterance.isEmpty())
            facts->firstUtterance = ignored.string(t, u"user_input"_s).trimmed();
        for (const QString &key : {u"user_input_datetime"_s, u"agent_response_datetime"_s}) {
            const QDateTime at = ignored.isoTime(t, key);
            if (at.isValid() && (!facts->last.isValid() || at > facts->last))
                facts->last = at;
        }
    }
}

enum class Depth
{
    Row, // what the list shows: the row's fields checked, the pairs only scanned
    Full // the whole conversation: every turn and the details pane
};

ConversationDetail readConversation(const QJsonObject &o, JsonFields &f, Depth depth)
{
    // The list (and v1) use snake_case with `id`; the documented detail shape uses
    // camelCase with `conversationId`. Read whichever this object is.
    const bool camel = o.contains(u"conversationId"_s) && !o.contains(u"id"_s);
    auto key = [camel](const QString &snake, const QString &camelName) {
        return camel ? camelName : snake;
    };

    ConversationDetail d;
    Conversation &c = d.summary;
    c.id = f.stringOrNumber(o, key(u"id"_s, u"conversationId"_s));
    const QString channel = f.string(o, u"channel"_s);
    c.kind = channel;
    const QString environment = f.string(o, key(u"environment"_s, u"clientEnv"_s));
    const QString from = f.string(o, key(u"from_number"_s, u"fromNumber"_s));
    const QString to = f.string(o, key(u"to_number"_s, u"toNumber"_s));
    c.owner = from;
    const QDateTime started = f.isoTime(o, key(u"started_at"_s, u"startedAt"_s));
    const QDateTime created = camel ? f.isoTime(o, u"createdAt"_s) : QDateTime();
    const QDateTime finished = camel ? f.isoTime(o, u"finishedAt"_s) : QDateTime();
    c.createdAt = started.isValid() ? started : created;
    const bool inProgress = f.boolean(o, key(u"in_progress"_s, u"inProgress"_s));
    const bool handoff = f.boolean(o, u"handoff"_s);
    c.status = inProgress ? u"in_progress"_s : handoff ? u"handoff"_s : u"finished"_s;

    const QString variantId = f.string(o, key(u"variant_id"_s, u"variantId"_s));
    const QString variantName = f.string(o, u"variant_name"_s);
    const qint64 numTurns = f.integer(o, u"num_turns"_s, -1);
    qint64 total = f.integer(o, key(u"total_duration"_s, u"totalDuration"_s), -1);
    if (total < 0 && camel)
        total = f.integer(o, u"duration"_s, -1);
    const qint64 polyaiDuration = f.integer(o, key(u"polyai_duration"_s, u"polyaiDuration"_s), -1);
    const QString handoffReason = f.string(o, key(u"handoff_reason"_s, u"handoffReason"_s));
    const QString handoffTo = f.string(o, key(u"handoff_destination"_s, u"handoffDestination"_s));
    const qint64 silences = f.integer(o, u"num_silences"_s, -1);
    const qint64 ood = f.integer(o, u"num_ood"_s, -1);
    const QJsonObject metrics = f.object(o, u"metrics"_s);
    f.object(o, u"state"_s); // type check only: large internal state, not shown
    const QString account = f.string(o, key(u"account_id"_s, u"accountId"_s));
    const QString project = f.string(o, key(u"project_id"_s, u"projectId"_s));

    const QJsonValue turnsValue = o.value(u"turns"_s);
    // The row's title and time come from the scan in both depths, so that the list and the
    // opened conversation say the same of it.
    PairFacts facts;
    const QJsonArray pairs = f.array(o, u"turns"_s);
    scanPairs(pairs, &facts);
    if (depth == Depth::Full)
        d.turns = parsePairs(pairs, f, &facts);
    const qsizetype pairCount = turnsValue.isArray() ? turnsValue.toArray().size() : 0;
    c.turnCount = numTurns >= 0 ? int(numTurns) : turnsValue.isArray() ? int(pairCount) : -1;

    // Only in the detail shape.
    QString summaryText;
    QString language, direction, deployment, note, audio;
    QStringList tags;
    double polyScore = qQNaN();
    if (camel) {
        summaryText = f.string(o, u"shortSummary"_s);
        language = f.string(o, u"language"_s);
        direction = f.string(o, u"direction"_s);
        deployment = f.string(o, u"deploymentId"_s);
        note = f.string(o, u"note"_s);
        audio = f.string(o, u"audioUrl"_s);
        tags = stringList(o, u"tags"_s, f);
        polyScore = number(o, u"polyScore"_s, f);
        f.object(o, u"functionEvents"_s); // type check only
    }

    c.title = !summaryText.trimmed().isEmpty() ? JsonFields::oneLine(summaryText, 120)
                                               : JsonFields::oneLine(facts.firstUtterance, 80);
    if (finished.isValid())
        c.updatedAt = finished;
    else if (facts.last.isValid())
        c.updatedAt = facts.last;
    else if (started.isValid() && total >= 0)
        c.updatedAt = started.addSecs(total);

    auto add = [&d](const QString &label, const QString &value) {
        if (!value.trimmed().isEmpty())
            d.properties.append({label, value});
    };
    // The details pane's properties: none for a list row, whose reading they would only slow.
    if (depth == Depth::Full) {
        add(tr("Environment"), environment);
        add(tr("Channel"), channel);
        add(tr("Direction"), direction);
        add(tr("Caller"), from);
        add(tr("Called number"), to);
        if (!variantName.isEmpty() && !variantId.isEmpty())
            add(tr("Variant"), u"%1 (%2)"_s.arg(variantName, variantId));
        else
            add(tr("Variant"), variantName.isEmpty() ? variantId : variantName);
        add(tr("Language"), language);
        add(tr("Duration"), total >= 0 ? durationText(total) : QString());
        add(tr("Handled by the agent"),
            polyaiDuration >= 0 ? durationText(polyaiDuration) : QString());
        if (handoff) {
            QString value = tr("yes");
            if (!handoffTo.isEmpty())
                value += tr(", to %1").arg(handoffTo);
            if (!handoffReason.isEmpty())
                value += u": "_s + handoffReason;
            add(tr("Handoff"), value);
        }
        add(tr("Silent turns"), silences >= 0 ? QString::number(silences) : QString());
        add(tr("Out-of-domain turns"), ood >= 0 ? QString::number(ood) : QString());
        add(tr("Intents"), facts.intents.join(u", "_s));
        add(tr("Entities"), JsonFields::oneLine(facts.entities.join(u"; "_s), 300));
        add(tr("Summary"), summaryText);
        add(tr("Tags"), tags.join(u", "_s));
        add(tr("PolyScore"), qIsNaN(polyScore) ? QString() : QString::number(polyScore));
        add(tr("Note"), note);
        add(tr("Recording"), audio);
        add(tr("Deployment"), deployment);
        for (auto it = metrics.begin(); it != metrics.end(); ++it)
            add(tr("Metric %1").arg(it.key()), JsonFields::oneLine(valueText(it.value()), 300));
        add(tr("Account"), account);
        add(tr("Project"), project);
    }
    // v1's include_context_state: the agent's dialogue state, large and internal; kept as it
    // came for parley-cli's rows, shown on one line among the folded details.
    const QJsonObject contextState = f.object(o, u"context_state"_s);
    if (!contextState.isEmpty()) {
        c.setExtra(u"context_state"_s, contextState);
        if (depth == Depth::Full)
            add(tr("Context state"),
                JsonFields::oneLine(
                    QString::fromUtf8(QJsonDocument(contextState).toJson(QJsonDocument::Compact)),
                    300));
    }

    if (pairCount == 0 && numTurns > 0)
        d.transcriptNote = tr("PolyAI reports %1 turns but returned none: transcript access may "
                              "be disabled in the project's API configuration.")
                               .arg(numTurns);
    else if (inProgress)
        d.transcriptNote = tr("This conversation was still in progress when it was loaded.");
    d.running = inProgress;
    return d;
}

} // namespace

QList<Turn> turnsFromPairs(const QJsonArray &turns, JsonFields &f)
{
    PairFacts facts;
    return parsePairs(turns, f, &facts);
}

ConversationDetail detailFromJson(const QJsonObject &o, JsonFields &f)
{
    return readConversation(o, f, Depth::Full);
}

ConversationDetail detailFromRow(const QJsonValue &row)
{
    if (!row.isObject())
        return unreadableDetail(
            row, u"the conversation is %1, expected an object"_s.arg(JsonFields::typeName(row)));
    JsonFields f;
    ConversationDetail d = detailFromJson(row.toObject(), f);
    return f.failed() ? unreadableDetail(row, f.problem()) : d;
}

Result<ListPage> parseListPage(const QByteArray &body, ApiVersion version,
                               const PageCursor &requested)
{
    return JsonFields::readObject<ListPage>(
        body, u"conversation list:"_s, [&version, &requested](const QJsonObject &o, JsonFields &f) {
            f.require(o, u"conversations"_s);
            const QJsonArray list = f.array(o, u"conversations"_s);
            f.object(o, u"descriptions"_s); // type check only: field documentation

            ListPage out;
            out.page.items.reserve(list.size());
            out.rows.reserve(list.size());
            f.eachItem(
                list, u"conversations"_s,
                [&](const QJsonObject &row, JsonFields &rf, qsizetype i) {
                    const ConversationDetail d = readConversation(row, rf, Depth::Row);
                    if (!rf.failed()) {
                        out.page.items.append(d.summary);
                        out.rows.append(list.at(i));
                    }
                },
                [&](const QJsonValue &row, const QString &why, qsizetype) {
                    out.page.items.append(unreadableDetail(row, why).summary);
                    out.rows.append(row);
                });

            // The paging fields: a problem in them ends the list at this page's rows.
            JsonFields pf(u"conversation list:"_s);
            PageCursor &next = out.page.next;
            const qint64 nextOffset = pf.integer(o, u"next_offset"_s, -1);
            if (version == ApiVersion::V1) {
                next.style = PageCursor::Style::Offset;
                if (nextOffset < 0) {
                    next.atEnd = true;
                    next.offset = requested.offset + int(list.size());
                } else if (nextOffset <= requested.offset) {
                    pf.fail(u"next_offset %1 does not move past offset %2"_s.arg(nextOffset)
                                .arg(requested.offset));
                } else {
                    next.offset = int(qMin<qint64>(nextOffset, std::numeric_limits<int>::max()));
                }
            } else {
                next.style = PageCursor::Style::Cursor;
                const QJsonValue cursor = o.value(u"cursor"_s);
                const QString token = pf.string(o, u"cursor"_s);
                if (!token.isEmpty()) {
                    if (token == requested.token)
                        pf.fail(u"the returned cursor is the one this page was asked with"_s);
                    next.token = token;
                } else if (cursor.isUndefined() && nextOffset > requested.offset) {
                    // A deployment that pages v3 by offset only: continue by offset.
                    next.offset = int(qMin<qint64>(nextOffset, std::numeric_limits<int>::max()));
                } else {
                    next.atEnd = true;
                }
            }
            mapping::endAtPagingProblem(out.page, pf);
            return out;
        });
}

Result<ConversationDetail> parseConversation(const QByteArray &body)
{
    return parley::mapping::readDetail(
        body, u"conversation:"_s, [](const QJsonObject &o, JsonFields &f) {
            if (!o.contains(u"id"_s) && !o.contains(u"conversationId"_s))
                f.fail(u"it has neither 'id' nor 'conversationId'"_s);
            ConversationDetail d = detailFromJson(o, f);
            return d;
        });
}

ApiError refineError(const ApiError &base, const QByteArray &body)
{
    const QJsonObject o = mapping::errorBodyObject(base, body);
    if (o.isEmpty())
        return base;
    QString detail = o.value(u"error_message"_s).toString();
    if (detail.isEmpty())
        detail = o.value(u"error"_s).toString();
    if (detail.isEmpty())
        detail = o.value(u"detail"_s).toString(); // FastAPI-style bodies
    if (detail.isEmpty())
        detail = o.value(u"message"_s).toString(); // API gateway bodies
    const QString code = o.value(u"error_code"_s).toString();
    const QString errorId = o.value(u"error_id"_s).toString();

    ApiError e = base;
    if (!detail.isEmpty())
        e.detail = detail;
    if (!code.isEmpty())
        e.code = code;
    if (!errorId.isEmpty())
        e.detail = e.detail.isEmpty() ? tr("PolyAI error id %1").arg(errorId)
                                      : tr("%1 (PolyAI error id %2)").arg(e.detail, errorId);
    return e;
}

} // namespace parley::polyai
