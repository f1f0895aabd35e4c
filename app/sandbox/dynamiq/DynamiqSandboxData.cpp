#include "sandbox/dynamiq/DynamiqSandboxData.h"

#include "sandbox/SandboxText.h"

#include <QJsonValue>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

// The odd factor that scrambles row indexes into ids (see IndexedUuid).
constexpr quint64 kIdFactor = 0x5DEECE66Dull;

constexpr qint64 kSpanSecs = 200ll * 24 * 3600;
constexpr qint64 kMaxEditSecs = 21ll * 24 * 3600;

quint64 mix(quint64 x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    x ^= x >> 33;
    return x;
}

const char *const kAppNames[][2] = {
    {"Support Copilot", "Answers customer tickets from the help centre and order history."},
    {"Billing Assistant", "Explains invoices, refunds and plan changes."},
    {"Onboarding Guide", "Walks new customers through setting up their workspace."},
    {"Research Agent", "Searches the knowledge base and summarises what it finds."},
};
const char *const kModels[][3] = {
    {"General Chat", "general-chat", "openai"},
    {"Long Context", "long-context", "anthropic"},
    {"Open Weights", "open-weights", "together"},
};

} // namespace

DynamiqSandboxData::DynamiqSandboxData(quint32 seed, int count)
    : GeneratedConversations(seed, count)
    , m_ids(kIdFactor, mix(quint64(seed) * 0x9E3779B97F4A7C15ull + 0xD1A))
    , m_stepSecs(qMax<qint64>(1, kSpanSecs / (qint64(qMax(0, count)) + 1)))
{
    QRandomGenerator rng = SandboxText::rng(seed, u"dynamiq/fixtures"_s, 0);
    for (const auto &app : kAppNames)
        m_apps.append(
            {SandboxText::uuid(rng), QString::fromUtf8(app[0]), QString::fromUtf8(app[1])});
    for (const auto &model : kModels)
        m_models.append({SandboxText::uuid(rng), QString::fromUtf8(model[0]),
                         QString::fromUtf8(model[1]), QString::fromUtf8(model[2])});
    m_orgs << SandboxText::uuid(rng) << SandboxText::uuid(rng);
    m_user = SandboxText::uuid(rng);
}

quint64 DynamiqSandboxData::hash(int index, quint64 salt) const
{
    return mix((quint64(seed()) << 32) ^ quint64(quint32(index)) ^ (salt * 0x9E3779B97F4A7C15ull));
}

QString DynamiqSandboxData::idAt(int index) const
{
    return m_ids.id(index, hash(index, 1), hash(index, 2));
}

int DynamiqSandboxData::indexOf(const QString &id) const
{
    const qint64 index = m_ids.row(id);
    if (index < 0 || index >= count() || idAt(int(index)) != id)
        return -1;
    return int(index);
}

DynamiqSandboxData::Facts DynamiqSandboxData::facts(int index) const
{
    const quint64 h = hash(index, 3);
    Facts f;
    // Two thirds of the conversations belong to a deployed app, the rest to a model.
    const int slotCount = int(m_apps.size() * 2 + m_models.size());
    const int slot = int(h % quint64(slotCount));
    if (slot < m_apps.size() * 2)
        f.app = slot % int(m_apps.size());
    else
        f.model = slot - int(m_apps.size()) * 2;
    f.org = int((h >> 20) % 5 == 0 ? 1 : 0);
    const qint64 jitter = m_stepSecs > 2 ? qint64((h >> 24) % quint64(m_stepSecs / 2)) : 0;
    static const qint64 now = SandboxText::epoch().toSecsSinceEpoch();
    f.created = now - kSpanSecs + (qint64(index) + 1) * m_stepSecs + jitter;
    // Some conversations were continued days later; none after the sandbox's "now".
    const qint64 edit =
        (h >> 40) % 3 == 0 ? qint64((h >> 44) % quint64(kMaxEditSecs)) : qint64((h >> 44) % 600);
    f.updated = qMin(f.created + edit, now);
    return f;
}

QString DynamiqSandboxData::title(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), u"dynamiq"_s, index);
    return SandboxText::title(rng);
}

QString DynamiqSandboxData::rfc3339(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

QJsonObject DynamiqSandboxData::conversation(int index) const
{
    const quint64 h = hash(index, 4);
    // What sandbox_id means is not documented; most conversations carry none.
    const QString sandboxId = h % 4 == 0 ? u"sbx-"_s + IndexedUuid::hex(h >> 8, 10) : QString();
    return conversationJson(idAt(index), title(index), facts(index), sandboxId);
}

QJsonObject DynamiqSandboxData::conversationJson(const QString &id, const QString &title,
                                                 const Facts &f, const QString &sandboxId) const
{
    QJsonValue appId = QJsonValue::Null;
    QJsonValue modelId = QJsonValue::Null;
    QJsonValue app = QJsonValue::Null;
    QJsonValue model = QJsonValue::Null;
    if (f.app >= 0) {
        const App &a = m_apps.at(f.app);
        appId = a.id;
        app = QJsonObject{{u"id"_s, a.id}, {u"name"_s, a.name}, {u"description"_s, a.description}};
    } else {
        const Model &m = m_models.at(f.model);
        modelId = m.id;
        model = QJsonObject{
            {u"id"_s, m.id}, {u"name"_s, m.name}, {u"slug"_s, m.slug}, {u"provider"_s, m.provider}};
    }
    return QJsonObject{
        {u"id"_s, id},
        {u"title"_s, title},
        {u"app_id"_s, appId},
        {u"model_id"_s, modelId},
        {u"user_id"_s, m_user},
        {u"org_id"_s, m_orgs.at(f.org)},
        {u"created_at"_s, rfc3339(f.created)},
        {u"updated_at"_s, rfc3339(f.updated)},
        {u"sandbox_id"_s, sandboxId},
        {u"app"_s, app},
        {u"model"_s, model},
    };
}

} // namespace parley::sandbox
