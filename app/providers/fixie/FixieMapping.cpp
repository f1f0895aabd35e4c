#include "providers/fixie/FixieMapping.h"

#include "core/TranslationContext.h"
#include "providers/MappingParts.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parley::fixie {

namespace {

const TranslationContext tr{"parley::fixie"};

QString clip(const QString &text, int max)
{
    if (text.size() <= max)
        return text;
    return text.left(max - 1).trimmed() + QChar(0x2026);
}

Turn::Role roleOf(const QString &role)
{
    if (role == "user"_L1)
        return Turn::Role::User;
    if (role == "assistant"_L1)
        return Turn::Role::Assistant;
    return Turn::Role::Unknown;
}

// Fixie's words for its generation states.
struct StateWord
{
    Turn::State state;
    QLatin1StringView word;
};
constexpr StateWord kStateWords[] = {
    {Turn::State::Done, "done"_L1},
    {Turn::State::InProgress, "in-progress"_L1},
    {Turn::State::Stopped, "stopped"_L1},
    {Turn::State::Error, "error"_L1},
};

// False for a state Fixie does not document; none at all means done.
bool stateOf(const QString &state, Turn::State *out)
{
    if (state.isEmpty()) {
        *out = Turn::State::Done;
        return true;
    }
    for (const StateWord &w : kStateWords) {
        if (state == w.word) {
            *out = w.state;
            return true;
        }
    }
    return false;
}

QString wordOf(Turn::State state)
{
    for (const StateWord &w : kStateWords) {
        if (w.state == state)
            return w.word;
    }
    return {};
}

// A conversation object of the list or the detail: its id and its turns.
struct Parsed
{
    QString id;
    QList<Turn> turns;
};

// A turn that cannot be read becomes an unreadable turn; `keep` says whether the others
// keep their JSON (not where they only sum a list row up).
Parsed conversationFrom(const QJsonObject &o, JsonFields &f,
                        JsonFields::KeepRaw keep = JsonFields::KeepRaw::Always)
{
    Parsed p;
    p.id = f.string(o, u"id"_s);
    f.require(o, u"turns"_s);
    p.turns = turnsFromJson(f.array(o, u"turns"_s), f, keep);
    return p;
}

} // namespace

Fragment fragmentFromJson(const QJsonObject &o, JsonFields &f)
{
    Fragment fr;
    fr.metadata = f.object(o, u"metadata"_s);
    const QString kind = f.string(o, u"kind"_s);
    if (kind == "text"_L1) {
        fr.kind = Fragment::Kind::Text;
        fr.text = f.string(o, u"content"_s);
        // May be in-progress inside a turn that has stopped: the text was cut off there.
        fr.inProgress = f.string(o, u"state"_s) == "in-progress"_L1;
    } else if (kind == "functionCall"_L1) {
        fr.kind = Fragment::Kind::ToolCall;
        fr.name = f.string(o, u"name"_s);
        if (!JsonFields::absent(o, u"args"_s))
            fr.text = QString::fromUtf8(
                QJsonDocument(f.object(o, u"args"_s)).toJson(QJsonDocument::Compact));
    } else if (kind == "functionResponse"_L1) {
        fr.kind = Fragment::Kind::ToolResult;
        fr.name = f.string(o, u"name"_s);
        fr.text = f.jsonText(o, u"response"_s); // documented as text; JSON kept as written
        fr.failed = f.boolean(o, u"failed"_s);
    } else {
        // A kind Fixie did not document (or none): kept, with what it holds.
        fr.kind = Fragment::Kind::Other;
        fr.name = kind.isEmpty() ? tr("fragment") : kind;
        QJsonObject rest = o;
        rest.remove(u"kind"_s);
        fr.text = clip(QString::fromUtf8(QJsonDocument(rest).toJson(QJsonDocument::Compact)), 500);
    }
    return fr;
}

QList<Turn> turnsFromJson(const QJsonArray &turns, JsonFields &f, JsonFields::KeepRaw keep)
{
    return f.objects<Turn>(
        turns, u"turns"_s,
        [](const QJsonObject &o, JsonFields &tf, qsizetype i) {
            Turn t;
            t.id = tf.string(o, u"id"_s);
            t.timestamp = tf.isoTime(o, u"timestamp"_s);
            const QString role = tf.string(o, u"role"_s);
            t.role = roleOf(role);
            if (t.role == Turn::Role::Unknown)
                t.typeLabel = role;
            const QString state = tf.string(o, u"state"_s);
            if (!stateOf(state, &t.state))
                t.typeLabel = t.typeLabel.isEmpty() ? state : t.typeLabel + u" · "_s + state;
            t.errorDetail = tf.string(o, u"errorDetail"_s);
            t.inReplyTo = tf.string(o, u"inReplyToId"_s);
            t.metadata = tf.object(o, u"metadata"_s);

            const QJsonArray messages = tf.array(o, u"messages"_s);
            t.fragments.reserve(messages.size());
            for (qsizetype m = 0; m < messages.size(); ++m) {
                const QJsonValue mv = messages.at(m);
                if (!mv.isObject()) {
                    tf.fail(u"messages[%1] is %2, expected an object"_s.arg(m).arg(
                        JsonFields::typeName(mv)));
                    continue;
                }
                JsonFields mf = JsonFields::element(u"turns"_s, i, u"messages"_s, m);
                t.fragments.append(fragmentFromJson(mv.toObject(), mf));
                tf.absorb(mf);
            }
            return t;
        },
        keep);
}

QString runningTurn(const QList<Turn> &turns)
{
    for (auto it = turns.crbegin(); it != turns.crend(); ++it) {
        if (it->role == Turn::Role::Assistant && it->state == Turn::State::InProgress)
            return it->id;
    }
    return {};
}

QString titleFrom(const QList<Turn> &turns)
{
    for (const Turn &t : turns) {
        if (t.role != Turn::Role::User)
            continue;
        const QString text = t.plainText().simplified();
        if (!text.isEmpty())
            return clip(text, kTitleLength);
    }
    return {};
}

QList<Property> metadataProperties(const QList<Turn> &turns)
{
    const auto text = [](const QJsonObject &metadata) {
        return JsonFields::oneLine(
            QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact)), 300);
    };
    QList<Property> out;
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const Turn &t = turns.at(i);
        if (!t.metadata.isEmpty())
            out.append({tr("Turn %1 metadata").arg(i + 1), text(t.metadata)});
        for (qsizetype m = 0; m < t.fragments.size(); ++m) {
            const QJsonObject &metadata = t.fragments.at(m).metadata;
            if (!metadata.isEmpty())
                out.append(
                    {tr("Turn %1, message %2 metadata").arg(i + 1).arg(m + 1), text(metadata)});
        }
    }
    return out;
}

Conversation summaryOf(const QString &id, const QList<Turn> &turns)
{
    Conversation c;
    c.id = id;
    c.title = titleFrom(turns);
    c.turnCount = int(turns.size());
    for (const Turn &t : turns) {
        if (!t.timestamp.isValid())
            continue;
        if (!c.createdAt.isValid() || t.timestamp < c.createdAt)
            c.createdAt = t.timestamp;
        if (!c.updatedAt.isValid() || t.timestamp > c.updatedAt)
            c.updatedAt = t.timestamp;
    }
    if (!turns.isEmpty()) {
        c.status = wordOf(turns.constLast().state); // Fixie's own word for it
    }
    return c;
}

Result<ConversationPage> parseListPage(const QByteArray &body, int offset, int limit)
{
    return JsonFields::readObject<ConversationPage>(
        body, u"conversation list:"_s, [&](const QJsonObject &o, JsonFields &f) {
            if (f.require(o, u"conversations"_s))
                f.require(o, u"pageInfo"_s);
            const QJsonArray rows = f.array(o, u"conversations"_s);
            // The paging fields: a wrong type in them ends the list at this page's rows.
            JsonFields paging(u"conversation list:"_s);
            const QJsonObject pageInfo = paging.object(o, u"pageInfo"_s);
            JsonFields pf(u"in 'pageInfo',"_s);
            pf.integer(pageInfo, u"requestedPageSize"_s); // type checks only
            pf.integer(pageInfo, u"requestedOffset"_s);
            const qint64 total = pf.integer(pageInfo, u"totalResultCount"_s, -1);
            paging.absorb(pf);

            ConversationPage page;
            page.total = total >= 0 ? total : -1;
            page.items = f.objects<Conversation>(
                rows, u"conversations"_s,
                [](const QJsonObject &row, JsonFields &rf) {
                    const Parsed p = conversationFrom(row, rf, JsonFields::KeepRaw::WhenUnreadable);
                    return summaryOf(p.id, p.turns);
                },
                JsonFields::KeepRaw::WhenUnreadable);
            page.next = PageCursor::afterOffsetPage(offset, page.items.size(), page.total, limit);
            mapping::endAtPagingProblem(page, paging);
            return page;
        });
}

Result<ConversationDetail> conversationSnapshot(const QJsonValue &line)
{
    if (!line.isObject())
        return ApiError::make(ApiError::Kind::BadResponse,
                              tr("a streamed snapshot is %1, expected a conversation")
                                  .arg(JsonFields::typeName(line)));
    JsonFields f(u"streamed conversation:"_s);
    const Parsed p = conversationFrom(line.toObject(), f);
    if (f.failed())
        return f.error();
    if (p.id.isEmpty())
        return ApiError::make(ApiError::Kind::BadResponse,
                              tr("streamed conversation: it has no 'id'"));
    ConversationDetail d;
    d.summary = summaryOf(p.id, p.turns);
    d.turns = p.turns;
    return d;
}

Result<Turn> turnSnapshot(const QJsonValue &line)
{
    if (!line.isObject())
        return ApiError::make(
            ApiError::Kind::BadResponse,
            tr("a streamed snapshot is %1, expected a turn").arg(JsonFields::typeName(line)));
    JsonFields f(u"streamed turn:"_s);
    const QList<Turn> turns = turnsFromJson(QJsonArray{line}, f);
    if (f.failed())
        return f.error();
    if (turns.isEmpty() || turns.constFirst().id.isEmpty())
        return ApiError::make(ApiError::Kind::BadResponse, tr("streamed turn: it has no 'id'"));
    return turns.constFirst();
}

Result<ConversationDetail> parseConversation(const QByteArray &body)
{
    return parley::mapping::readDetail(
        body, u"conversation:"_s, [&](const QJsonObject &o, JsonFields &f) {
            const Parsed p = conversationFrom(o, f);
            if (p.id.isEmpty())
                f.fail(tr("it has no 'id'"));

            ConversationDetail d;
            d.summary = summaryOf(p.id, p.turns);
            d.turns = p.turns;
            d.runId = runningTurn(p.turns); // Fixie stops a turn, not a conversation
            d.running = !d.runId.isEmpty();
            int user = 0;
            int assistant = 0;
            for (const Turn &t : p.turns) {
                user += t.role == Turn::Role::User ? 1 : 0;
                assistant += t.role == Turn::Role::Assistant ? 1 : 0;
            }
            // The summary already shows the turn count, status and times; these say what they are.
            d.properties.append(
                {tr("Turns by role"),
                 tr("%1 from the user, %2 from the agent").arg(user).arg(assistant)});
            d.properties.append(
                {tr("Derived fields"),
                 tr("Fixie conversations have no title, status or times of their own: "
                    "the title is the first user message, the status the latest turn's "
                    "state, the times those of the first and latest turns.")});
            d.properties.append(metadataProperties(p.turns));
            return d;
        });
}

} // namespace parley::fixie
