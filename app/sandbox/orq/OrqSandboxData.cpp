#include "sandbox/orq/OrqSandboxData.h"

#include "sandbox/IdScramble.h"
#include "sandbox/SandboxText.h"
#include "sandbox/orq/OrqUlid.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <iterator>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

constexpr quint32 kIdFactor = 0x2545F491u; // odd, hence invertible modulo 2^32

constexpr qint64 kSpanMs = 180ll * 24 * 3600 * 1000;

using scramble::splitmix64;

const char *const kModels[] = {"openai/gpt-4o", "anthropic/claude-sonnet-4-5",
                               "mistral/mistral-large-latest"};
const char *const kReasoning[] = {
    "The user wants a concrete answer; check the account data first.",
    "Two tools could answer this; the order lookup is cheaper.",
    "The question is ambiguous: answer the likely reading and offer the other."};
const char *const kFiles[] = {"invoice-4821.pdf", "screenshot.png", "export-march.csv"};
const char *const kMimes[] = {"application/pdf", "image/png", "text/csv"};

QString ulidFrom(qint64 timeMs, quint64 noise)
{
    OrqUlid u;
    u.timeMs = quint64(timeMs);
    u.randomHi = quint16(noise >> 48);
    u.randomLo = splitmix64(noise);
    return u.toString();
}

} // namespace

OrqSandboxData::OrqSandboxData(quint32 seed, int count)
    : GeneratedConversations(seed, count)
    , m_ids(kIdFactor, quint32(splitmix64(quint64(seed) << 24 | 0x0A9)))
    , m_stepMs(qMax<qint64>(1000, kSpanMs / (qint64(qMax(0, count)) + 1)))
{
    const qint64 agentsBorn = SandboxText::epoch().toMSecsSinceEpoch() - kSpanMs - 86400000;
    for (int k = 0; k < 3; ++k)
        m_agents << u"agent_"_s + ulidFrom(agentsBorn + k * 3600000,
                                           splitmix64(quint64(seed) * 31 + quint64(k) + 7));
}

quint64 OrqSandboxData::hash(int index) const
{
    return splitmix64((quint64(seed()) << 32) ^ quint64(quint32(index)) ^ 0x0E0E0Eull);
}

qint64 OrqSandboxData::createdAtMs(int index) const
{
    const quint64 h = hash(index);
    const qint64 jitter = qint64((h >> 20) % quint64(m_stepMs / 2));
    return SandboxText::epoch().toMSecsSinceEpoch() - kSpanMs + (qint64(index) + 1) * m_stepMs +
           jitter;
}

QString OrqSandboxData::entityAt(int index) const
{
    const quint64 h = hash(index);
    if (h % 10 < 4)
        return {}; // standalone
    return m_agents.at(int((h >> 8) % quint64(m_agents.size())));
}

QString OrqSandboxData::userId(int which) const
{
    const qint64 born = SandboxText::epoch().toMSecsSinceEpoch() - kSpanMs - 2 * 86400000ll;
    return u"user_"_s +
           ulidFrom(born + which * 60000, splitmix64(quint64(seed()) * 131 + quint64(which)));
}

QString OrqSandboxData::idAt(int index) const
{
    OrqUlid u;
    u.timeMs = quint64(createdAtMs(index));
    const quint64 noise = splitmix64(hash(index));
    u.randomHi = quint16(noise >> 48);
    const quint32 code = m_ids.code(quint32(index));
    u.randomLo = (quint64(code) << 32) | (noise & 0xFFFFFFFFull);
    return u"conv_"_s + u.toString();
}

bool OrqSandboxData::looksLikeId(const QString &id)
{
    static const QRegularExpression shape(u"^conv_[0-7][0-9a-hjkmnp-tv-z]{25}$"_s);
    return shape.match(id).hasMatch();
}

int OrqSandboxData::indexOf(const QString &id) const
{
    OrqUlid u;
    if (!looksLikeId(id) || !OrqUlid::parse(id.mid(5), &u))
        return -1;
    const quint32 code = quint32(u.randomLo >> 32);
    const quint32 index = m_ids.index(code);
    if (index >= quint32(count()) || idAt(int(index)) != id)
        return -1;
    return int(index);
}

QJsonObject OrqSandboxData::summary(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"orq"_s, index);
    const quint64 h = hash(index);
    const qint64 created = createdAtMs(index);
    const QString entity = entityAt(index);
    const bool generating = index % 37 == 36;
    const QString title = generating ? u"Untitled"_s : SandboxText::title(rng);
    const QString owner = userId(int((h >> 16) % 4));
    // The messages' span: the same draw as detail() makes, so both agree on updatedAt.
    QRandomGenerator span = SandboxText::rng(seed(), u"orq/span"_s, index);
    const qint64 updated = created + 5000 + span.bounded(3600) * 1000;
    QJsonObject metadata{
        {u"generatingTitle"_s, generating},
        {u"entityId"_s, entity.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entity)},
        {u"model"_s, entity.isEmpty()
                         ? QJsonValue(QString::fromLatin1(kModels[(h >> 24) % std::size(kModels)]))
                         : QJsonValue(QJsonValue::Null)},
    };
    return QJsonObject{
        {u"_id"_s, idAt(index)},
        {u"kind"_s, u"conversation"_s},
        {u"displayName"_s, title},
        {u"createdAt"_s, double(created)},
        {u"updatedAt"_s, double(updated)},
        {u"createdById"_s, owner},
        {u"updatedById"_s, entity.isEmpty() ? owner : u"system"_s},
        {u"metadata"_s, metadata},
    };
}

QJsonObject OrqSandboxData::detail(int index) const
{
    QJsonObject o = summary(index);
    const QString id = o.value(u"_id"_s).toString();
    const QString owner = o.value(u"createdById"_s).toString();
    const qint64 created = createdAtMs(index);
    const qint64 updated = qint64(o.value(u"updatedAt"_s).toDouble());
    QRandomGenerator rng = SandboxText::rng(seed(), u"orq/messages"_s, index);

    const int count = 2 + int(rng.bounded(9));
    const bool toolRound = rng.bounded(8) == 0;
    const bool failsAtEnd = rng.bounded(15) == 0;
    // Messages spread evenly between creation and the last update.
    const qint64 gap = qMax<qint64>(1, (updated - created) / (count + 1));
    QJsonArray messages;
    auto message = [&](int n, const QString &role, const QJsonArray &parts) {
        const qint64 at = qMin(updated, created + (n + 1) * gap);
        return QJsonObject{{u"_id"_s, QString(u"msg_"_s + ulidFrom(at, rng.generate64()))},
                           {u"conversationId"_s, id},
                           {u"createdAt"_s, double(at)},
                           {u"createdById"_s, role == "user"_L1 ? owner : u"system"_s},
                           {u"role"_s, role},
                           {u"parts"_s, parts}};
    };
    for (int n = 0; n < count; ++n) {
        const bool user = n % 2 == 0;
        QJsonArray parts;
        if (user) {
            if (toolRound && n == 2) {
                parts.append(QJsonObject{
                    {u"kind"_s, u"tool_result"_s},
                    {u"tool_call_id"_s, u"call_%1"_s.arg(rng.bounded(100000))},
                    {u"result"_s, QJsonObject{{u"status"_s, u"shipped"_s},
                                              {u"eta_days"_s, int(1 + rng.bounded(5))}}}});
            } else {
                parts.append(
                    QJsonObject{{u"kind"_s, u"text"_s}, {u"text"_s, SandboxText::question(rng)}});
                if (rng.bounded(6) == 0) {
                    const int f = int(rng.bounded(int(std::size(kFiles))));
                    parts.append(QJsonObject{
                        {u"kind"_s, u"file"_s},
                        {u"file"_s, QJsonObject{{u"uri"_s, u"https://files.example.com/%1"_s.arg(
                                                               QString::fromLatin1(kFiles[f]))},
                                                {u"mimeType"_s, QString::fromLatin1(kMimes[f])},
                                                {u"name"_s, QString::fromLatin1(kFiles[f])}}}});
                }
            }
        } else if (failsAtEnd && n == count - 1) {
            parts.append(QJsonObject{{u"kind"_s, u"error"_s},
                                     {u"error"_s, u"The model provider timed out."_s},
                                     {u"code"_s, 504}});
        } else {
            if (rng.bounded(4) == 0)
                parts.append(QJsonObject{
                    {u"kind"_s, u"reasoning"_s},
                    {u"reasoning"_s,
                     QString::fromLatin1(kReasoning[rng.bounded(int(std::size(kReasoning)))])}});
            parts.append(
                QJsonObject{{u"kind"_s, u"text"_s}, {u"text"_s, SandboxText::answer(rng)}});
        }
        messages.append(message(n, user ? u"user"_s : u"assistant"_s, parts));
    }
    o.insert(u"messages"_s, messages);
    return o;
}

} // namespace parley::sandbox
