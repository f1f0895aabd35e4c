#include "support/ModelTestData.h"

using namespace Qt::StringLiterals;

namespace parley::test {

namespace {

const QDateTime kEpoch(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

QString topic(int i)
{
    static const QString topics[] = {u"billing"_s, u"refunds"_s, u"Login trouble"_s,
                                     u"SQL insights"_s, u"funnels"_s};
    return topics[i % 5];
}

} // namespace

Conversation makeConversation(int i)
{
    Conversation c;
    c.id = u"conv-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
    c.title = u"Conversation %1 about %2"_s.arg(i).arg(topic(i));
    c.status = i % 2 == 0 ? u"done"_s : u"idle"_s;
    c.kind = i % 3 == 0 ? u"tool_call"_s : u"assistant"_s;
    c.owner = u"user%1@example.com"_s.arg(i % 7);
    c.createdAt = kEpoch.addSecs(qint64(i) * 60);
    c.updatedAt = c.createdAt.addSecs(3600);
    c.turnCount = i % 11;
    return c;
}

QList<Conversation> makeConversations(int count, int first)
{
    QList<Conversation> out;
    out.reserve(count);
    for (int i = first; i < first + count; ++i)
        out.append(makeConversation(i));
    return out;
}

Turn makeTurn(int i)
{
    Turn t;
    t.id = u"turn-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
    t.role = i % 2 == 0 ? Turn::Role::User : Turn::Role::Assistant;
    t.typeLabel = i % 2 == 0 ? u"human"_s : u"ai"_s;
    t.timestamp = kEpoch.addSecs(i);
    Fragment text;
    text.text = u"Message %1 about %2"_s.arg(i).arg(topic(i));
    t.fragments.append(text);
    if (i % 5 == 4) {
        Fragment call;
        call.kind = Fragment::Kind::ToolCall;
        call.name = u"run_query"_s;
        call.callId = u"call-%1"_s.arg(i);
        call.text = u"{\"q\":\"select 1\"}"_s;
        Fragment result;
        result.kind = Fragment::Kind::ToolResult;
        result.name = call.name;
        result.callId = call.callId;
        result.text = u"1 row"_s;
        t.fragments << call << result;
    }
    if (i > 0)
        t.inReplyTo = u"turn-%1"_s.arg(i - 1, 5, 10, QLatin1Char('0'));
    return t;
}

ConversationDetail makeDetail(const QString &id, int turns)
{
    ConversationDetail d;
    d.summary.id = id;
    d.summary.title = u"Detail of "_s + id;
    d.properties.append({u"Id"_s, id});
    d.turns.reserve(turns);
    for (int i = 0; i < turns; ++i)
        d.turns.append(makeTurn(i));
    return d;
}

Turn textTurn(const QString &id, Turn::Role role, const QString &text, Turn::State state)
{
    Turn t;
    t.id = id;
    t.role = role;
    t.state = state;
    Fragment f;
    f.text = text;
    t.fragments << f;
    return t;
}

} // namespace parley::test
