#include "sandbox/SandboxText.h"

#include <QCryptographicHash>
#include <QStringList>

namespace parley::sandbox {

namespace {

template<std::size_t N>
QString pick(QRandomGenerator &rng, const char *const (&words)[N])
{
    return QString::fromUtf8(words[rng.bounded(int(N))]);
}

const char *const kSubjects[] = {
    "Refund",       "Invoice",        "Login problem", "Password reset",
    "Shipping",     "Order status",   "Plan upgrade",  "Data export",
    "API limits",   "Onboarding",     "Cancellation",  "Bug report",
    "Feature idea", "Weekly signups", "Churn report",  "Webhook setup"};
const char *const kQualifiers[] = {"for order", "on account", "after update", "in region",
                                   "for team",  "on invoice", "for ticket",   "since release"};
const char *const kQuestions[] = {"Can you check why my last payment failed?",
                                  "How many users signed up last week?",
                                  "I cannot log in since this morning, what should I do?",
                                  "Please export all conversations from March as CSV.",
                                  "Which plan includes single sign-on?",
                                  "The webhook keeps returning 500, can you look at the logs?",
                                  "Where is my order? It was due yesterday.",
                                  "Summarise the feedback from the last survey.",
                                  "Why did the retention chart drop on Tuesday?",
                                  "Can I move my workspace to the EU region?"};
const char *const kAnswers[] = {
    "I checked the account: the card was **declined by the bank**. Ask the customer to retry "
    "or use another card.",
    "There were **1,234 signups** last week, up 8% on the week before.\n\n- Organic: 61%\n- "
    "Paid: 27%\n- Referral: 12%",
    "Your session expired after the password change. Use *Forgot password* on the sign-in "
    "page, then sign in again.",
    "The export is ready. It holds 412 conversations; the link stays valid for 24 hours.",
    "Single sign-on is part of the **Enterprise** plan. The `Teams` plan can add it for a fee.",
    "The webhook endpoint answers `HTTP 500` since 09:12 UTC. The logs show a timeout in the "
    "upstream database.",
    "The parcel left the warehouse yesterday evening; the carrier now expects delivery "
    "tomorrow before noon.",
    "Most feedback asks for a **dark mode** and faster exports; 14% mention pricing.",
    "Tuesday's drop follows the tracking outage between 02:00 and 05:00 UTC; the data for that "
    "window is incomplete.",
    "Yes. Moving a workspace takes about an hour; during the move the workspace is read-only."};
const char *const kSentences[] = {
    "The customer confirmed the details.", "I looked at the last thirty days.",
    "This matches the previous ticket.",   "The numbers are final as of this morning.",
    "Nothing else needs to change.",       "I will keep an eye on it."};
const char *const kFirst[] = {"Ada",   "Brian", "Chloé", "Deniz", "Emeka", "Farah",
                              "Goran", "Hana",  "Ivo",   "Jun",   "Kasia", "Luis"};
const char *const kLast[] = {"Okafor",   "Lindqvist", "Moreau", "Tanaka", "Novak",    "Haddad",
                             "Kowalski", "Silva",     "Berg",   "Rossi",  "Nakamura", "Duarte"};
const char *const kTools[] = {"search_orders",        "create_insight", "lookup_account",
                              "query_knowledge_base", "refund_payment", "run_sql"};

} // namespace

QRandomGenerator SandboxText::rng(quint32 seed, const QString &salt, qint64 index)
{
    QCryptographicHash h(QCryptographicHash::Sha1);
    h.addData(QByteArray::number(seed));
    h.addData(salt.toUtf8());
    h.addData(QByteArray::number(index));
    const QByteArray d = h.result();
    quint32 s[4];
    memcpy(s, d.constData(), sizeof s);
    return QRandomGenerator(s, 4);
}

QString SandboxText::title(QRandomGenerator &rng)
{
    return pick(rng, kSubjects) + QLatin1Char(' ') + pick(rng, kQualifiers) + QLatin1Char(' ') +
           QString::number(1000 + rng.bounded(9000));
}

QString SandboxText::question(QRandomGenerator &rng)
{
    return pick(rng, kQuestions);
}

QString SandboxText::answer(QRandomGenerator &rng)
{
    return pick(rng, kAnswers);
}

QString SandboxText::sentence(QRandomGenerator &rng)
{
    return pick(rng, kSentences);
}

QString SandboxText::personName(QRandomGenerator &rng)
{
    return pick(rng, kFirst) + QLatin1Char(' ') + pick(rng, kLast);
}

QString SandboxText::email(QRandomGenerator &rng)
{
    return pick(rng, kFirst).toLower() + QLatin1Char('.') + pick(rng, kLast).toLower() +
           QStringLiteral("@example.com");
}

QString SandboxText::toolName(QRandomGenerator &rng)
{
    return pick(rng, kTools);
}

QString SandboxText::uuid(QRandomGenerator &rng)
{
    QString out;
    out.reserve(36);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            out += QLatin1Char('-');
        int v = int(rng.bounded(16));
        if (i == 12)
            v = 4; // version 4
        else if (i == 16)
            v = 8 + (v & 3); // variant 10xx
        out += QLatin1Char(hex[v]);
    }
    return out;
}

QDateTime SandboxText::timeFor(qint64 index, qint64 count, QRandomGenerator &rng)
{
    const qint64 span = 180ll * 24 * 3600;
    const qint64 step = count > 0 ? span / (count + 1) : 0;
    const qint64 jitter = step > 2 ? rng.bounded(int(qMin<qint64>(step / 2, 1 << 30))) : 0;
    return epoch().addSecs(-span + (index + 1) * step + jitter);
}

QDateTime SandboxText::epoch()
{
    return QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
}

} // namespace parley::sandbox
