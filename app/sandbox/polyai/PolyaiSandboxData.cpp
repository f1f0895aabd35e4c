#include "sandbox/polyai/PolyaiSandboxData.h"

#include "sandbox/IdScramble.h"
#include "sandbox/SandboxText.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

constexpr quint32 kIdFactor = 0x9E3779B1u; // odd, hence invertible modulo 2^32

constexpr qint64 kSpanSecs = 120ll * 24 * 3600;

using scramble::splitmix64;

template<std::size_t N>
QString pick(QRandomGenerator &rng, const char *const (&words)[N])
{
    return QString::fromUtf8(words[rng.bounded(int(N))]);
}

const char *const kGreetings[] = {
    "Hello, thanks for calling Harbour Hotels. How can I help you today?",
    "Hi, you're through to the Parley Bank assistant. What can I do for you?",
    "Good morning, this is the Northline Rail help desk. How can I help?"};
const char *const kIntents[] = {"check_booking", "billing_question", "change_reservation",
                                "opening_hours", "lost_property",    "speak_to_human",
                                "cancel_order",  "delivery_status"};
const char *const kHandoffReasons[] = {"caller asked for a human", "payment dispute",
                                       "request outside the agent's scope"};
const char *const kDestinations[] = {"Front desk", "Billing team", "Escalations"};
const char *const kTags[] = {"vip", "complaint", "follow-up", "resolved", "callback"};

// "2026-05-01T09:30:00.250Z", as Qt::ISODateWithMs writes a UTC time, without its cost
// (a page of long calls formats thousands of times).
QString iso(const QDateTime &t)
{
    const qint64 ms = t.toMSecsSinceEpoch();
    const qint64 days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
    const qint64 inDay = ms - days * 86400000;
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999)
        return t.toUTC().toString(Qt::ISODateWithMs);

    char buf[24];
    auto put = [&buf](int at, qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            buf[at + i] = char('0' + value % 10);
    };
    put(0, year, 4);
    buf[4] = '-';
    put(5, month, 2);
    buf[7] = '-';
    put(8, day, 2);
    buf[10] = 'T';
    put(11, inDay / 3600000, 2);
    buf[13] = ':';
    put(14, inDay / 60000 % 60, 2);
    buf[16] = ':';
    put(17, inDay / 1000 % 60, 2);
    buf[19] = '.';
    put(20, inDay % 1000, 3);
    buf[23] = 'Z';
    return QString::fromLatin1(buf, 24);
}

// v1 leaves empty texts null; v3 sends "".
QJsonValue textValue(const QString &text, PolyaiSandboxData::Shape shape)
{
    if (text.isEmpty() && shape == PolyaiSandboxData::Shape::V1)
        return QJsonValue::Null;
    return text;
}

} // namespace

struct PolyaiSandboxData::Pair
{
    QString user;
    QString dtmf;
    QDateTime userAt;
    QString agent;
    QDateTime agentAt;
    QString intent;
    QJsonArray entities;
    bool ood = false;
    bool silence = false;
    double latency = 0;
};

struct PolyaiSandboxData::Call
{
    Facts facts;
    QList<Pair> pairs;
    QString from;
    QString to;
    int total = 0;
    int polyai = 0;
    bool handoff = false;
    QString handoffReason;
    QString handoffDestination;
    int silences = 0;
    int ood = 0;
    QString summary;
    QStringList tags;
    double polyScore = 0;
};

PolyaiSandboxData::PolyaiSandboxData(quint32 seed, int count)
    : GeneratedConversations(seed, count)
    , m_ids(kIdFactor, quint32(splitmix64(quint64(seed) << 20 | 0x5011A1)))
    , m_stepSecs(qMax<qint64>(1, kSpanSecs / (qint64(qMax(0, count)) + 1)))
{}

void PolyaiSandboxData::setLive(const QSet<int> &indexes, LiveTurns turns)
{
    m_live = indexes;
    m_liveTurns = std::move(turns);
}

const QList<PolyaiSandboxData::Variant> &PolyaiSandboxData::variants()
{
    static const QList<Variant> list = {{u"VARIANT-default"_s, u"Default"_s},
                                        {u"VARIANT-spring-promo"_s, u"Spring promo"_s},
                                        {u"VARIANT-night-shift"_s, u"Night shift"_s}};
    return list;
}

quint64 PolyaiSandboxData::hash(int index) const
{
    return splitmix64((quint64(seed()) << 32) ^ quint64(quint32(index)) ^ 0xA11CE5ull);
}

QString PolyaiSandboxData::idAt(int index) const
{
    const quint32 code = m_ids.code(quint32(index));
    const quint64 a = splitmix64(hash(index) ^ 0x1D);
    const quint64 b = splitmix64(a);
    return u"CA"_s + u"%1"_s.arg(code, 8, 16, QLatin1Char('0')) +
           u"%1"_s.arg(a, 16, 16, QLatin1Char('0')) + u"%1"_s.arg(b >> 32, 8, 16, QLatin1Char('0'));
}

int PolyaiSandboxData::indexOf(const QString &id) const
{
    static const QRegularExpression shape(u"^CA[0-9a-f]{32}$"_s);
    if (!shape.match(id).hasMatch())
        return -1;
    bool ok = false;
    const quint32 code = id.mid(2, 8).toUInt(&ok, 16);
    if (!ok)
        return -1;
    const quint32 index = m_ids.index(code);
    if (index >= quint32(count()) || idAt(int(index)) != id)
        return -1;
    return int(index);
}

PolyaiSandboxData::Facts PolyaiSandboxData::facts(int index) const
{
    const quint64 h = hash(index);
    Facts f;
    const int envRoll = int(h % 100);
    f.environment = envRoll < 70 ? u"live"_s : envRoll < 90 ? u"sandbox"_s : u"pre-release"_s;
    f.variant = int((h >> 8) % quint64(variants().size()));
    f.voice = (h >> 16) % 100 < 75;
    f.inProgress = index >= count() - qMax(1, count() / 40) || m_live.contains(index);
    f.sampled = (h >> 40) % 5 == 0;
    const qint64 jitter = m_stepSecs > 2 ? qint64((h >> 24) % quint64(m_stepSecs / 2)) : 0;
    const qint64 ms = qint64((h >> 48) % 1000);
    f.started = SandboxText::epoch()
                    .addSecs(-kSpanSecs + (qint64(index) + 1) * m_stepSecs + jitter)
                    .addMSecs(ms);
    return f;
}

int PolyaiSandboxData::firstStartingAtOrAfter(const QDateTime &time) const
{
    int lo = 0;
    int hi = count();
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (facts(mid).started < time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

PolyaiSandboxData::Call PolyaiSandboxData::generate(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"polyai"_s, index);
    Call c;
    c.facts = facts(index);
    const quint64 h = hash(index);
    c.handoff = !c.facts.inProgress && (h >> 56) % 100 < 20;
    if (c.facts.voice) {
        c.from = u"+447700900%1"_s.arg(rng.bounded(1000), 3, 10, QLatin1Char('0'));
        c.to = u"+442079460%1"_s.arg(rng.bounded(1000), 3, 10, QLatin1Char('0'));
    }

    const int pairs = 2 + int(rng.bounded(6));
    QDateTime t = c.facts.started;
    for (int i = 0; i < pairs; ++i) {
        Pair p;
        const int roll = int(rng.bounded(100));
        if (i == 0) {
            p.agent = pick(rng, kGreetings); // the agent speaks first
        } else if (roll < 8) {
            p.silence = true;
            p.agent = u"Sorry, I didn't catch that. Could you say it again?"_s;
        } else if (roll < 14 && c.facts.voice) {
            p.dtmf = QString::number(1 + rng.bounded(9));
            p.intent = pick(rng, kIntents);
            p.agent = u"Thanks, I've got that. One moment while I look it up."_s;
        } else if (roll < 20) {
            p.user = SandboxText::sentence(rng);
            p.ood = true;
            p.agent = u"I'm not sure I can help with that. Could you tell me more?"_s;
        } else {
            p.user = SandboxText::question(rng);
            p.intent = pick(rng, kIntents);
            p.agent = SandboxText::answer(rng);
            if (rng.bounded(3) == 0)
                p.entities.append(QJsonObject{
                    {u"booking_reference"_s, QString::number(1000 + rng.bounded(9000))}});
        }
        t = t.addMSecs(2000 + rng.bounded(7000));
        p.userAt = t;
        p.latency = 0.25 + rng.bounded(120) / 100.0;
        t = t.addMSecs(qint64(p.latency * 1000));
        p.agentAt = t;
        c.silences += p.silence ? 1 : 0;
        c.ood += p.ood ? 1 : 0;
        c.pairs.append(p);
    }
    if (c.handoff) {
        c.pairs.last().agent = u"Let me put you through to a colleague who can help with that."_s;
        c.handoffReason = pick(rng, kHandoffReasons);
        c.handoffDestination = pick(rng, kDestinations);
    }
    if (c.facts.inProgress) // waiting for the agent's answer to the last input
        c.pairs.last().agent.clear();
    if (m_live.contains(index) && m_liveTurns) {
        QRandomGenerator more = SandboxText::rng(seed(), u"polyai/live"_s, index);
        for (const LiveTurn &e : m_liveTurns(index)) {
            if (e.user.isEmpty()) {
                c.pairs.last().agent = e.agent;
                c.pairs.last().agentAt = e.agentAt.isValid() ? e.agentAt : c.pairs.last().agentAt;
            } else {
                Pair p;
                p.user = e.user;
                p.userAt = e.userAt;
                p.intent = pick(more, kIntents);
                p.agent = e.agent;
                p.agentAt = e.agentAt.isValid() ? e.agentAt : e.userAt;
                p.latency = 0.25 + more.bounded(120) / 100.0;
                c.pairs.append(p);
            }
            t = qMax(t, e.agent.isEmpty() ? e.userAt : e.agentAt);
        }
    }

    c.polyai = int(c.facts.started.secsTo(t)) + 2;
    c.total = c.handoff ? c.polyai + 30 + int(rng.bounded(270)) : c.polyai;
    for (const Pair &p : c.pairs) {
        if (!p.user.isEmpty()) {
            c.summary = u"Caller asked: %1"_s.arg(p.user);
            break;
        }
    }
    if (c.summary.isEmpty())
        c.summary = u"Caller did not state a request."_s;
    c.tags << pick(rng, kTags);
    c.polyScore = rng.bounded(1000) / 1000.0;
    return c;
}

QJsonObject PolyaiSandboxData::turnFacts(const Pair &p)
{
    QJsonObject t{
        {u"intents"_s, p.intent.isEmpty() ? QJsonArray() : QJsonArray{p.intent}},
        {u"entities"_s, p.entities},
        {u"is_ood"_s, p.ood},
        {u"is_silence"_s, p.silence},
    };
    if (!p.agent.isEmpty())
        t.insert(u"agent_response_datetime"_s, iso(p.agentAt));
    return t;
}

QJsonObject PolyaiSandboxData::listItem(int index, Shape shape, const QString &account,
                                        const QString &project, bool contextState,
                                        bool latency) const
{
    const Call c = generate(index);
    const Variant &variant = variants().at(c.facts.variant);
    const bool v3 = shape == Shape::V3;

    QJsonArray turns;
    QJsonArray callTurns;
    for (const Pair &p : c.pairs) {
        const QString userAt = iso(p.userAt);
        QJsonObject t = turnFacts(p);
        t.insert(u"user_input"_s, textValue(p.user, shape));
        t.insert(u"user_input_datetime"_s, userAt);
        t.insert(u"agent_response"_s, textValue(p.agent, shape));
        if (v3) {
            t.insert(u"user_input_dtmf"_s, p.dtmf);
            t.insert(u"translated_user_input"_s, QString());
            t.insert(u"english_agent_response"_s, QString());
        } else if (!p.dtmf.isEmpty()) {
            t.insert(u"user_input_dtmf"_s, p.dtmf);
        }
        if (latency)
            t.insert(u"latency"_s, p.latency);
        turns.append(t);
        callTurns.append(userAt);
    }

    QJsonObject metrics{{u"CALL_DURATION"_s, QString::number(c.total)}};
    if (callTurns.size() >= 2)
        metrics.insert(u"CALL_TURN"_s, callTurns);

    QJsonObject o{
        {u"id"_s, idAt(index)},
        {u"account_id"_s, account},
        {u"project_id"_s, project},
        {u"variant_id"_s, variant.id},
        {u"variant_name"_s, variant.name},
        {u"environment"_s, c.facts.environment},
        {u"started_at"_s, iso(c.facts.started)},
        {u"channel"_s, c.facts.voice ? u"VOICE-SIP"_s
                       : v3          ? u"WEBCHAT"_s
                                     : u"CHAT"_s},
        {u"from_number"_s, textValue(c.from, shape)},
        {u"to_number"_s, textValue(c.to, shape)},
        {u"in_progress"_s, c.facts.inProgress},
        {u"num_turns"_s, int(c.pairs.size())},
        {u"total_duration"_s, c.total},
        {u"polyai_duration"_s, c.polyai},
        {u"handoff"_s, c.handoff},
        {u"handoff_reason"_s, textValue(c.handoffReason, shape)},
        {u"handoff_destination"_s, textValue(c.handoffDestination, shape)},
        {u"num_silences"_s, c.silences},
        {u"num_ood"_s, c.ood},
        {u"metrics"_s, metrics},
        {u"state"_s, QJsonObject{{u"caller_verified"_s, !c.from.isEmpty()}}},
        {u"turns"_s, turns},
    };
    if (contextState)
        o.insert(u"context_state"_s,
                 QJsonObject{{u"turn_count"_s, int(c.pairs.size())},
                             {u"last_intent"_s, c.pairs.last().intent},
                             {u"flow"_s, u"main"_s},
                             {u"slots"_s, QJsonObject{{u"caller_verified"_s, !c.from.isEmpty()}}}});
    return o;
}

QJsonObject PolyaiSandboxData::detail(int index, const QString &account,
                                      const QString &project) const
{
    const Call c = generate(index);
    const Variant &variant = variants().at(c.facts.variant);
    QJsonArray turns;
    for (const Pair &p : c.pairs) {
        QJsonObject t = turnFacts(p);
        t.insert(u"user_input"_s, p.user);
        t.insert(u"user_input_dtmf"_s, p.dtmf);
        t.insert(u"user_input_datetime"_s, iso(p.userAt));
        t.insert(u"agent_response"_s, p.agent);
        t.insert(u"latency"_s, p.latency);
        t.insert(u"translated_user_input"_s, QString());
        t.insert(u"english_agent_response"_s, QString());
        turns.append(t);
    }
    const QString id = idAt(index);
    QJsonObject o{
        {u"conversationId"_s, id},
        {u"accountId"_s, account},
        {u"projectId"_s, project},
        {u"createdAt"_s, iso(c.facts.started)},
        {u"startedAt"_s, iso(c.facts.started)},
        {u"channel"_s, c.facts.voice ? u"VOICE-SIP"_s : u"WEBCHAT"_s},
        {u"fromNumber"_s, c.from},
        {u"toNumber"_s, c.to},
        {u"language"_s, u"en-GB"_s},
        {u"variantId"_s, variant.id},
        {u"clientEnv"_s, c.facts.environment},
        {u"totalDuration"_s, c.total},
        {u"polyaiDuration"_s, c.polyai},
        {u"duration"_s, c.total},
        {u"inProgress"_s, c.facts.inProgress},
        {u"handoff"_s, c.handoff},
        {u"handoffDestination"_s, c.handoffDestination},
        {u"handoffReason"_s, c.handoffReason},
        {u"direction"_s, u"inbound"_s},
        {u"tags"_s, QJsonArray::fromStringList(c.tags)},
        {u"polyScore"_s, c.polyScore},
        {u"shortSummary"_s, c.summary},
        {u"deploymentId"_s, u"DEPLOYMENT-%1"_s.arg(c.facts.variant + 1)},
        {u"note"_s, QString()},
        {u"turns"_s, turns},
        {u"metrics"_s, QJsonObject{{u"CALL_DURATION"_s, QString::number(c.total)}}},
        {u"functionEvents"_s, QJsonObject()},
    };
    if (c.facts.voice)
        o.insert(u"audioUrl"_s, u"https://recordings.invalid/%1.wav"_s.arg(id));
    if (!c.facts.inProgress)
        o.insert(u"finishedAt"_s, iso(c.facts.started.addSecs(c.total)));
    return o;
}

bool PolyaiSandboxData::transcriptContains(int index, const QString &text,
                                           const QString &side) const
{
    const Call c = generate(index);
    for (const Pair &p : c.pairs) {
        if (side != "agent"_L1 && p.user.contains(text, Qt::CaseInsensitive))
            return true;
        if (side != "user"_L1 && p.agent.contains(text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace parley::sandbox
