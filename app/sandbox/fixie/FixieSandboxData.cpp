#include "sandbox/fixie/FixieSandboxData.h"

#include "sandbox/SandboxText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

// The odd factor that scrambles row indexes into ids (see IndexedUuid).
constexpr quint64 kIdFactor = 0xB5AD4ECEDA1Bull;

quint64 mix(quint64 x)
{
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Fixie's API is served by Node: ISO 8601 in UTC with milliseconds.
QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

const char *const kErrors[] = {
    "The model provider did not answer within 60 seconds.",
    "Function queryKnowledgeBase failed: the corpus is being re-indexed.",
    "The generation exceeded the agent's token limit.",
};
const char *const kChannels[] = {"web", "sms", "voice"};

QJsonObject text(const QString &content, bool inProgress)
{
    return QJsonObject{{u"kind"_s, u"text"_s},
                       {u"content"_s, content},
                       {u"state"_s, inProgress ? u"in-progress"_s : u"done"_s}};
}

// Where a text is cut when its generation stopped: about half of it, at a word boundary.
QString partial(const QString &text)
{
    const qsizetype cut = text.lastIndexOf(u' ', text.size() / 2);
    return text.left(cut > 0 ? cut : text.size() / 2);
}

} // namespace

FixieSandboxData::FixieSandboxData(quint32 seed, int count)
    : GeneratedConversations(seed, count)
    , m_ids(kIdFactor, mix(quint64(seed) ^ 0xF1C1Eull))
{}

quint64 FixieSandboxData::hash(int index, quint64 salt) const
{
    return mix((quint64(seed()) << 32) ^ quint64(quint32(index)) ^ (salt << 52) ^ 0x5EED);
}

QString FixieSandboxData::idAt(int index) const
{
    return m_ids.id(index, hash(index, 1), hash(index, 2));
}

int FixieSandboxData::indexOf(const QString &id) const
{
    const qint64 index = m_ids.row(id);
    if (index < 0 || index >= count() || idAt(int(index)) != id)
        return -1;
    return int(index);
}

FixieSandboxData::Ending FixieSandboxData::ending(int index) const
{
    if (index >= count() - qMax(1, count() / 40))
        return Ending::InProgress;
    const int roll = int(hash(index, 3) % 100);
    if (roll < 10)
        return Ending::Stopped;
    if (roll < 20)
        return Ending::Error;
    return Ending::Done;
}

QJsonObject FixieSandboxData::conversation(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"fixie"_s, index);
    const Ending end = ending(index);
    QDateTime t = SandboxText::timeFor(index, count(), rng);
    const int exchanges = 1 + int(rng.bounded(4));
    const QString channel = QString::fromUtf8(kChannels[rng.bounded(3)]);

    QJsonArray turns;
    for (int e = 0; e < exchanges; ++e) {
        const bool last = e == exchanges - 1;
        const QString userId = SandboxText::uuid(rng);
        QJsonObject user{
            {u"id"_s, userId},
            {u"timestamp"_s, iso(t)},
            {u"role"_s, u"user"_s},
            {u"state"_s, u"done"_s}, // user turns are always done
            {u"messages"_s, QJsonArray{text(e == 0 ? SandboxText::question(rng)
                                                   : SandboxText::sentence(rng) + u' ' +
                                                         SandboxText::question(rng),
                                            false)}},
        };
        if (e == 0)
            user.insert(u"metadata"_s, QJsonObject{{u"channel"_s, channel}});
        turns.append(user);
        t = t.addMSecs(1500 + rng.bounded(20000));

        QJsonArray messages;
        const bool callsFunction = rng.bounded(100) < 40;
        const bool functionFails = rng.bounded(100) < 20;
        const QString tool = SandboxText::toolName(rng);
        const QString answer = SandboxText::answer(rng);
        const QString errorDetail = QString::fromUtf8(kErrors[rng.bounded(3)]);
        if (callsFunction) {
            messages.append(QJsonObject{
                {u"kind"_s, u"functionCall"_s},
                {u"name"_s, tool},
                {u"args"_s, QJsonObject{{u"query"_s, SandboxText::title(rng)},
                                        {u"limit"_s, int(1 + rng.bounded(10))}}},
                {u"metadata"_s, QJsonObject{{u"durationMs"_s, int(40 + rng.bounded(900))}}},
            });
            const QJsonObject result =
                functionFails ? QJsonObject{{u"error"_s, u"upstream returned 503"_s}}
                              : QJsonObject{{u"matches"_s, int(1 + rng.bounded(7))},
                                            {u"summary"_s, SandboxText::sentence(rng)}};
            messages.append(QJsonObject{
                {u"kind"_s, u"functionResponse"_s},
                {u"name"_s, tool},
                {u"response"_s,
                 QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact))},
                {u"failed"_s, functionFails},
            });
        }

        QString state = u"done"_s;
        QJsonObject assistant{{u"id"_s, SandboxText::uuid(rng)},
                              {u"timestamp"_s, iso(t)},
                              {u"role"_s, u"assistant"_s},
                              {u"inReplyToId"_s, userId}};
        if (!last || end == Ending::Done) {
            messages.append(text(answer, false));
        } else if (end == Ending::InProgress) {
            state = u"in-progress"_s;
            messages.append(text(partial(answer), true));
        } else if (end == Ending::Stopped) {
            // Stopped by the user while the text was streaming: the fragment stays
            // in-progress although the turn is not.
            state = u"stopped"_s;
            messages.append(text(partial(answer), true));
        } else {
            state = u"error"_s;
            assistant.insert(u"errorDetail"_s, errorDetail);
        }
        assistant.insert(u"state"_s, state);
        assistant.insert(u"messages"_s, messages);
        turns.append(assistant);
        t = t.addSecs(30 + rng.bounded(600));
    }
    return QJsonObject{{u"id"_s, idAt(index)}, {u"turns"_s, turns}};
}

} // namespace parley::sandbox
