#include "sandbox/dynamiq/DynamiqSandboxState.h"

#include "sandbox/SandboxText.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    QRandomGenerator *rng = QRandomGenerator::system();
    for (int i = 0; i < count; ++i)
        out[i] = char(rng->bounded(256));
    return out;
}

QString satisfiedKey(const QString &userId, const QString &requirementId)
{
    return userId + u'\n' + requirementId;
}

// Drops the oldest keys of `hash` until it holds at most `max`.
template<typename Key, typename Value>
void trim(QHash<Key, Value> &hash, QList<Key> &order, int max)
{
    while (order.size() > max)
        hash.remove(order.takeFirst());
}

} // namespace

DynamiqSandboxState::DynamiqSandboxState(quint32 seed)
    : m_seed(seed)
{
    // The same ids and content as before the write side existed: clients and tests that
    // read the status keep seeing the same requirements.
    QRandomGenerator rng = SandboxText::rng(seed, u"dynamiq-app/requirements"_s, 0);
    const QString workflow = SandboxText::uuid(rng);
    m_requirements << QJsonObject{
        {u"id"_s, SandboxText::uuid(rng)},
        {u"type"_s, u"pipedream_account"_s},
        {u"name"_s, u"gmail_account"_s},
        {u"workflow_id"_s, workflow},
        {u"form"_s, QJsonObject{{u"title"_s, u"Connect Gmail"_s},
                                {u"description"_s, u"Lets the agent read and send email on "
                                                   "your behalf."_s}}},
        {u"spec"_s, QJsonObject{{u"type"_s, u"pipedream_account"_s},
                                {u"data"_s, QJsonObject{{u"app_slug"_s, u"gmail"_s}}}}},
    };
    m_requirements << QJsonObject{
        {u"id"_s, SandboxText::uuid(rng)},
        {u"type"_s, u"connection"_s},
        {u"name"_s, u"crm_api_key"_s},
        {u"workflow_id"_s, workflow},
        {u"form"_s, QJsonObject{{u"title"_s, u"CRM API key"_s},
                                {u"description"_s, u"An API key of your CRM account."_s}}},
        {u"spec"_s,
         QJsonObject{{u"type"_s, u"connection"_s},
                     {u"data"_s, QJsonObject{{u"type"_s, u"dynamiq.connections.HttpApiKey"_s}}}}},
    };
}

bool DynamiqSandboxState::addConversation(const Created &conversation)
{
    if (m_created.size() >= kMaxCreated)
        return false;
    m_createdIndex.insert(conversation.json.value(u"id"_s).toString(), m_created.size());
    m_created.append(conversation);
    return true;
}

const DynamiqSandboxState::Created *
DynamiqSandboxState::createdConversation(const QString &id) const
{
    const auto it = m_createdIndex.constFind(id);
    return it == m_createdIndex.constEnd() ? nullptr : &m_created.at(*it);
}

qint64 DynamiqSandboxState::nextCreatedSecs()
{
    // Now, as the platform would say, but never before the generated conversations (newest
    // created first must still put it on top) nor before the one created last.
    const qint64 floor = SandboxText::epoch().toSecsSinceEpoch() + ++m_createdCounter;
    m_lastCreatedSecs =
        qMax(qMax(floor, QDateTime::currentSecsSinceEpoch()), m_lastCreatedSecs + 1);
    return m_lastCreatedSecs;
}

QString DynamiqSandboxState::startRun(const QString &conversationId)
{
    QRandomGenerator rng = SandboxText::rng(m_seed, u"dynamiq/runs"_s, ++m_runCounter);
    const QString id = SandboxText::uuid(rng);
    m_runs.insert(id, Run{conversationId, false, false, nullptr, nullptr});
    m_runOrder.append(id);
    trim(m_runs, m_runOrder, kMaxRuns);
    return id;
}

bool DynamiqSandboxState::cancelRun(const QString &runId)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return false;
    if (it->clock && it->clock->finished())
        it->finished = true; // all written: over, whether or not a stream has seen the end
    if (!it->finished) {
        it->canceled = true; // a finished run stays as it ended; canceling it is no error
        if (it->clock)
            it->clock->stop();
    }
    return true;
}

void DynamiqSandboxState::attachScript(const QString &runId,
                                       std::shared_ptr<const DynamiqRunScript> script,
                                       std::shared_ptr<ReplyClock> clock)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    it->script = std::move(script);
    it->clock = std::move(clock);
}

std::optional<DynamiqSandboxState::Run> DynamiqSandboxState::run(const QString &runId) const
{
    const auto it = m_runs.constFind(runId);
    if (it == m_runs.constEnd())
        return std::nullopt;
    return *it;
}

bool DynamiqSandboxState::isCanceled(const QString &runId) const
{
    const auto it = m_runs.constFind(runId);
    return it != m_runs.constEnd() && it->canceled;
}

void DynamiqSandboxState::finishRun(const QString &runId)
{
    const auto it = m_runs.find(runId);
    if (it != m_runs.end())
        it->finished = true;
}

std::optional<QJsonObject> DynamiqSandboxState::requirement(const QString &id) const
{
    for (const QJsonObject &r : m_requirements) {
        if (r.value(u"id"_s).toString() == id)
            return r;
    }
    return std::nullopt;
}

bool DynamiqSandboxState::isSatisfied(const QString &userId, const QString &requirementId) const
{
    return m_satisfied.contains(satisfiedKey(userId, requirementId));
}

void DynamiqSandboxState::satisfy(const QString &userId, const QString &requirementId)
{
    // Bounded like the tokens that lead here: every requirement of kMaxTokens users.
    if (m_satisfied.size() < kMaxTokens * m_requirements.size())
        m_satisfied.insert(satisfiedKey(userId, requirementId));
}

DynamiqSandboxState::Grant DynamiqSandboxState::mintToken(const QString &userId,
                                                          const QDateTime &now)
{
    // Shaped like the documented JWT: header.payload.signature, base64url.
    const QDateTime expires = now.toUTC().addSecs(m_tokenLifetimeSecs);
    const QByteArray header = base64Url(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray payload =
        base64Url(QJsonDocument(QJsonObject{{u"sub"_s, userId},
                                            {u"exp"_s, expires.toSecsSinceEpoch()},
                                            {u"n"_s, ++m_tokenCounter}})
                      .toJson(QJsonDocument::Compact));
    Grant g{header + '.' + payload + '.' + base64Url(randomBytes(32)), userId, expires};
    m_tokens.insert(g.token, g);
    m_tokenOrder.append(g.token);
    trim(m_tokens, m_tokenOrder, kMaxTokens);
    return g;
}

std::optional<DynamiqSandboxState::Grant> DynamiqSandboxState::grant(const QByteArray &token,
                                                                     const QDateTime &now) const
{
    const auto it = m_tokens.constFind(token);
    if (it == m_tokens.constEnd() || it->expiresAt <= now)
        return std::nullopt;
    return *it;
}

QString DynamiqSandboxState::mintLink(const Grant &grant, const QString &requirementId)
{
    const QString code = u"ctok_"_s + QString::fromLatin1(randomBytes(16).toHex());
    m_links.insert(code, Link{grant.userId, requirementId, grant.expiresAt});
    m_linkOrder.append(code);
    trim(m_links, m_linkOrder, kMaxTokens);
    return code;
}

std::optional<DynamiqSandboxState::Link> DynamiqSandboxState::link(const QString &code,
                                                                   const QDateTime &now) const
{
    const auto it = m_links.constFind(code);
    if (it == m_links.constEnd() || it->expiresAt <= now)
        return std::nullopt;
    return *it;
}

} // namespace parley::sandbox
