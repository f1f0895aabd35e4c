#include "sandbox/polyai/PolyaiSandbox.h"

#include "sandbox/LiveScript.h"
#include "sandbox/SandboxText.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

const QStringList kEnvironments = {u"sandbox"_s, u"pre-release"_s, u"live"_s};

// The `descriptions` dictionary v1 (and v3) lists carry beside the conversations.
QJsonObject descriptions()
{
    static const QJsonObject d{
        {u"conversations"_s,
         QJsonObject{
             {u"id"_s, u"Unique ID for this conversation"_s},
             {u"started_at"_s, u"The time when the conversation began, in ISO8601 format."_s},
             {u"channel"_s, u"What medium the conversation took place in."_s},
             {u"in_progress"_s, u"If true, the call is currently in progress."_s},
             {u"turns"_s, u"Ordered list of turns in the conversation."_s},
         }}};
    return d;
}

// Booleans the way PolyAI's FastAPI service reads them.
std::optional<bool> boolParam(const QString &text)
{
    const QString v = text.trimmed().toLower();
    if (v == "true"_L1 || v == "1"_L1 || v == "yes"_L1 || v == "on"_L1)
        return true;
    if (v == "false"_L1 || v == "0"_L1 || v == "no"_L1 || v == "off"_L1)
        return false;
    return std::nullopt;
}

std::optional<int> intParam(const QString &text)
{
    static const QRegularExpression digits(u"^-?[0-9]{1,9}$"_s);
    if (!digits.match(text.trimmed()).hasMatch())
        return std::nullopt;
    return text.trimmed().toInt();
}

QDateTime timeParam(const QString &text)
{
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (t.isValid() && t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace

struct PolyaiSandbox::Filter
{
    QString environment = u"live"_s;
    int variant = -1; // -1 = any; -2 = a variant that does not exist
    std::optional<bool> inProgress;
    QStringList channels; // lowercase
    QString query;
    QString turnType;
    bool sample = false;
    QString signature; // everything above, for the resume table
};

PolyaiSandbox::PolyaiSandbox(const SandboxOptions &options)
    : GeneratedSandboxPlatform(options, u"polyai"_s)
{
    // The newest calls of the live environment (what the list shows by default) are live.
    QSet<int> live;
    QHash<int, int> slotOf; // index -> live slot
    for (int index = data().count() - 1; index >= 0 && live.size() < options.live; --index) {
        if (data().facts(index).environment == "live"_L1) {
            slotOf.insert(index, int(live.size()));
            live.insert(index);
        }
    }
    if (live.isEmpty())
        return;
    m_liveSince.start();
    m_liveStart = QDateTime::currentDateTimeUtc();
    mutableData().setLive(live,
                          [this, slotOf](int index) { return liveTurns(slotOf.value(index)); });
}

// A call goes on by time alone: exchange k starts when the ones before it are over (reply
// and pause); its reply is there once its time is up. Exchange 0 answers the generated
// call's last input.
QList<PolyaiSandboxData::LiveTurn> PolyaiSandbox::liveTurns(int slot) const
{
    QList<PolyaiSandboxData::LiveTurn> out;
    const qint64 now = m_liveSince.elapsed();
    qint64 at = 0;
    for (int k = 0; at <= now; ++k) {
        const LiveExchange e = LiveExchange::at(options(), prefix(), slot, k);
        PolyaiSandboxData::LiveTurn x;
        if (k > 0) {
            x.user = e.question;
            x.userAt = m_liveStart.addMSecs(at);
        }
        if (at + e.replyMs <= now) {
            x.agent = e.answer;
            x.agentAt = m_liveStart.addMSecs(at + e.replyMs);
        }
        out.append(x);
        at += e.replyMs + e.pauseMs;
    }
    return out;
}

void PolyaiSandbox::install(SandboxServer &server)
{
    server.route("GET", u"/polyai/(v1|v3)/([^/]+)/([^/]+)/conversations"_s, this,
                 &PolyaiSandbox::list);
    // v1 documents no single-conversation endpoint: only v3 has this route.
    server.route("GET", u"/polyai/v3/([^/]+)/([^/]+)/conversations/([^/]+)"_s, this,
                 &PolyaiSandbox::retrieve);
}

QString PolyaiSandbox::cursorAfter(int index)
{
    return QString::fromLatin1(
        QByteArray("pc1:" + QByteArray::number(index))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<int> PolyaiSandbox::indexFromCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("pc1:"))
        return std::nullopt;
    bool ok = false;
    const int index = decoded.decoded.mid(4).toInt(&ok);
    if (!ok || index < 0 || cursorAfter(index) != cursor)
        return std::nullopt;
    return index;
}

SandboxReply PolyaiSandbox::error(bool v3, int status, const QString &code,
                                  const QString &message) const
{
    if (!v3)
        return SandboxReply::json(QJsonObject{{u"error_message"_s, message}}, status);
    QRandomGenerator rng = SandboxText::rng(options().seed, u"polyai/errors"_s, ++m_errors);
    return SandboxReply::json(QJsonObject{{u"success"_s, false},
                                          {u"error"_s, message},
                                          {u"error_id"_s, SandboxText::uuid(rng)},
                                          {u"error_code"_s, code},
                                          {u"error_message"_s, message},
                                          {u"data"_s, QJsonValue::Null}},
                              status);
}

std::optional<SandboxReply> PolyaiSandbox::rejectAuth(const SandboxRequest &request, bool v3) const
{
    // The specs send 401/403 with their Error schema but document no message or code for
    // them: the texts and the UNAUTHORIZED code here are the sandbox's own invention.
    const QByteArray key = request.header("x-api-key").trimmed();
    if (key.isEmpty())
        return error(v3, 401, u"UNAUTHORIZED"_s, u"Missing API key in the x-api-key header."_s);
    if (key != options().key)
        return error(v3, 401, u"UNAUTHORIZED"_s, u"Invalid API key."_s);
    return std::nullopt;
}

bool PolyaiSandbox::matches(int index, const Filter &filter) const
{
    const PolyaiSandboxData::Facts f = data().facts(index);
    if (f.environment != filter.environment)
        return false;
    if (filter.variant != -1 && f.variant != filter.variant)
        return false;
    if (filter.inProgress && f.inProgress != *filter.inProgress)
        return false;
    if (filter.sample && !f.sampled)
        return false;
    if (!filter.channels.isEmpty()) {
        const QString mine = f.voice ? u"voice"_s : u"chat"_s;
        const QString wire = f.voice ? u"voice-sip"_s : u"webchat"_s;
        if (!filter.channels.contains(mine) && !filter.channels.contains(wire))
            return false;
    }
    if (!filter.query.isEmpty() && !data().transcriptContains(index, filter.query, filter.turnType))
        return false;
    return true;
}

std::optional<SandboxReply> PolyaiSandbox::rejectVersion(const QString &version) const
{
    const QString only = options().onlyForms.value(prefix());
    if (only.isEmpty() || only == version)
        return std::nullopt;
    return error(version == "v3"_L1, 404, u"NOT_FOUND"_s, u"Not Found"_s);
}

SandboxReply PolyaiSandbox::list(const SandboxRequest &request) const
{
    const bool v3 = request.args.value(0) == "v3"_L1;
    if (auto missing = rejectVersion(request.args.value(0)))
        return *missing;
    if (auto rejected = rejectAuth(request, v3))
        return *rejected;
    const QString account = request.args.value(1);
    const QString project = request.args.value(2);
    auto bad = [this, v3](const QString &message) {
        return error(v3, 400, u"BAD_REQUEST"_s, message);
    };

    const int maxLimit = v3 ? kV3MaxLimit : kV1MaxLimit;
    int limit = v3 ? kV3DefaultLimit : kV1DefaultLimit;
    if (request.hasQuery(u"limit"_s)) {
        const auto l = intParam(request.query(u"limit"_s));
        if (!l || *l < 1 || *l > maxLimit)
            return bad(u"limit must be an integer from 1 to %1."_s.arg(maxLimit));
        limit = *l;
    }
    int offset = 0;
    if (request.hasQuery(u"offset"_s)) {
        const auto o = intParam(request.query(u"offset"_s));
        if (!o || *o < 0)
            return bad(u"offset must be an integer of 0 or more."_s);
        offset = *o;
    }
    std::optional<int> after; // v3: the cursor's conversation index
    if (v3 && request.hasQuery(u"cursor"_s)) {
        if (request.hasQuery(u"offset"_s))
            return bad(u"Use either cursor or offset, not both."_s);
        after = indexFromCursor(request.query(u"cursor"_s));
        if (!after)
            return bad(u"The cursor is malformed."_s);
    }

    Filter filter;
    if (request.hasQuery(u"client_env"_s)) {
        filter.environment = request.query(u"client_env"_s);
        if (!kEnvironments.contains(filter.environment))
            return bad(u"client_env must be one of: sandbox, pre-release, live."_s);
    }
    const bool byId = !request.query(u"variant_id"_s).isEmpty();
    const bool byName = !request.query(u"variant_name"_s).isEmpty();
    if (byId && byName)
        return bad(u"You may only specify either one of the variant_id or variant_name."_s);
    if (byId || byName) {
        const QString wanted = request.query(byId ? u"variant_id"_s : u"variant_name"_s);
        filter.variant = -2;
        const auto &variants = PolyaiSandboxData::variants();
        for (int i = 0; i < variants.size(); ++i) {
            if ((byId ? variants.at(i).id : variants.at(i).name) == wanted)
                filter.variant = i;
        }
    }
    if (request.hasQuery(u"in_progress"_s)) {
        filter.inProgress = boolParam(request.query(u"in_progress"_s));
        if (!filter.inProgress)
            return bad(u"in_progress must be true or false."_s);
    }
    QDateTime start, end;
    if (request.hasQuery(u"start_time"_s)) {
        start = timeParam(request.query(u"start_time"_s));
        if (!start.isValid())
            return bad(u"start_time must be an ISO8601 date and time."_s);
    }
    if (request.hasQuery(u"end_time"_s)) {
        end = timeParam(request.query(u"end_time"_s));
        if (!end.isValid())
            return bad(u"end_time must be an ISO8601 date and time."_s);
    }
    bool contextState = false;
    bool latency = !v3; // the v1 turn carries it; v3 on request
    const QString extraFlag = v3 ? u"include_latency"_s : u"include_context_state"_s;
    if (request.hasQuery(extraFlag)) {
        const auto flag = boolParam(request.query(extraFlag));
        if (!flag)
            return bad(u"%1 must be true or false."_s.arg(extraFlag));
        (v3 ? latency : contextState) = *flag;
    }
    if (v3) {
        const QString queryType = request.query(u"query_type"_s);
        const QString sample = request.query(u"sample"_s);
        filter.query = request.query(u"query"_s).trimmed();
        filter.turnType = request.query(u"turn_type"_s);
        if (!queryType.isEmpty() && queryType != "transcript"_L1 && queryType != "semantic"_L1)
            return bad(u"query_type must be transcript or semantic."_s);
        if (!sample.isEmpty() && sample != "random"_L1)
            return bad(u"sample must be random."_s);
        if (!queryType.isEmpty() && !sample.isEmpty())
            return bad(u"Only one retrieval mode may be specified: query_type or sample."_s);
        if (!queryType.isEmpty() && filter.query.isEmpty())
            return bad(u"query is required when query_type is set."_s);
        if (queryType.isEmpty())
            filter.query.clear(); // no retrieval mode: the text is not used
        if (!filter.turnType.isEmpty() &&
            (queryType != "transcript"_L1 ||
             (filter.turnType != "user"_L1 && filter.turnType != "agent"_L1)))
            return bad(u"turn_type (user or agent) applies to transcript search only."_s);
        // The emulation has no embeddings: semantic search is a text match as well.
        filter.sample = sample == "random"_L1;
        for (const QString &c : request.queryAll(u"channel"_s)) {
            if (!c.trimmed().isEmpty())
                filter.channels << c.trimmed().toLower();
        }
    }
    filter.signature = QStringList{QString::number(int(v3)),
                                   filter.environment,
                                   QString::number(filter.variant),
                                   filter.inProgress ? QString::number(*filter.inProgress) : u"-"_s,
                                   filter.channels.join(u','),
                                   filter.query,
                                   filter.turnType,
                                   QString::number(filter.sample),
                                   start.toString(Qt::ISODateWithMs),
                                   end.toString(Qt::ISODateWithMs)}
                           .join(u'\x1f');

    // Start times grow with the index: the time range is an index range.
    const int lo = start.isValid() ? data().firstStartingAtOrAfter(start) : 0;
    const int hi = end.isValid() ? data().firstStartingAtOrAfter(end.addMSecs(1)) : data().count();

    int index = lo;
    if (after) {
        index = qMax(lo, *after + 1);
    } else {
        int ordinal = 0;
        const auto resume = m_resume.constFind(filter.signature);
        if (resume != m_resume.cend() && resume->first <= offset) {
            ordinal = resume->first;
            index = resume->second;
        }
        for (; index < hi && ordinal < offset; ++index) {
            if (matches(index, filter))
                ++ordinal;
        }
    }

    QJsonArray conversations;
    int last = -1;
    for (; index < hi && conversations.size() < limit; ++index) {
        if (!matches(index, filter))
            continue;
        conversations.append(
            data().listItem(index, v3 ? PolyaiSandboxData::Shape::V3 : PolyaiSandboxData::Shape::V1,
                            account, project, contextState, latency));
        last = index;
    }
    bool more = false;
    for (int probe = index; probe < hi && !more; ++probe)
        more = matches(probe, filter);

    if (!after) {
        if (m_resume.size() > 64)
            m_resume.clear();
        m_resume.insert(filter.signature, {offset + int(conversations.size()), index});
    }

    QJsonObject body{{u"conversations"_s, conversations}};
    if (!v3)
        body.insert(u"descriptions"_s, descriptions());
    if (more && !after)
        body.insert(u"next_offset"_s, offset + int(conversations.size()));
    if (v3)
        body.insert(u"cursor"_s, more && last >= 0 ? QJsonValue(cursorAfter(last))
                                                   : QJsonValue(QJsonValue::Null));
    return SandboxReply::json(body);
}

SandboxReply PolyaiSandbox::retrieve(const SandboxRequest &request) const
{
    if (auto missing = rejectVersion(u"v3"_s))
        return *missing;
    if (auto rejected = rejectAuth(request, true))
        return *rejected;
    const int index = data().indexOf(request.args.value(2));
    if (index < 0)
        return error(true, 404, u"CONVERSATIONS_NOT_FOUND"_s, u"Conversation ID does not exist."_s);
    return SandboxReply::json(data().detail(index, request.args.value(0), request.args.value(1)));
}

} // namespace parley::sandbox

PARLEY_REGISTER_SANDBOX(&parley::sandbox::SandboxRegistry::addOne<parley::sandbox::PolyaiSandbox>)
