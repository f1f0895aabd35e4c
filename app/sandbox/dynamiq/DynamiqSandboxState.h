#pragma once

#include "sandbox/ReplyClock.h"
#include "sandbox/dynamiq/DynamiqRunScript.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QtGlobal>

#include <memory>
#include <optional>

namespace parley::sandbox {

// What the Dynamiq emulations change through write calls, shared by the management host
// (/dynamiq) and the deployed app's host (/dynamiq-app): conversations created through the
// API, runs (replies being streamed, so that the app host can cancel them), connect tokens
// and the links minted from them, and which end users have met which requirements.
// Everything is bounded, so that a client hammering the sandbox cannot grow it for ever.
// Times are real UTC times: connect tokens expire for the client's clock, not the
// sandbox's fixed epoch.
class DynamiqSandboxState
{
public:
    static constexpr int kMaxCreated = 10000;
    static constexpr int kMaxRuns = 1000;
    static constexpr int kMaxTokens = 1000;
    static constexpr qint64 kDefaultTokenLifetimeSecs = 24 * 3600; // documented: 24 h

    explicit DynamiqSandboxState(quint32 seed);

    // --- conversations created with POST /v1/conversations ---
    struct Created
    {
        QJsonObject json; // the conversation object
        DynamiqSandboxData::Facts facts;
        QString title;
    };
    // False when the sandbox holds kMaxCreated already.
    bool addConversation(const Created &conversation);
    // Null when no conversation with this id was created here.
    const Created *createdConversation(const QString &id) const;
    const QList<Created> &created() const { return m_created; }
    // When the next conversation is created: now, but after every generated conversation
    // and at least a second after the one created before.
    qint64 nextCreatedSecs();

    // --- runs ---
    struct Run
    {
        QString conversationId;
        bool canceled = false;
        bool finished = false;
        // What it says and how far it has got, for runs that stream (attachScript).
        std::shared_ptr<const DynamiqRunScript> script;
        std::shared_ptr<ReplyClock> clock;
    };
    // A new run of `conversationId`; its id is a UUID.
    QString startRun(const QString &conversationId);
    // The events of run `runId` and the clock they come out with.
    void attachScript(const QString &runId, std::shared_ptr<const DynamiqRunScript> script,
                      std::shared_ptr<ReplyClock> clock);
    // Nothing for a run id never started here (or forgotten).
    std::optional<Run> run(const QString &runId) const;
    // False for a run id never started here (or forgotten: only the last kMaxRuns are kept).
    bool cancelRun(const QString &runId);
    bool isCanceled(const QString &runId) const;
    void finishRun(const QString &runId);
    int runsStarted() const { return m_runCounter; }

    // --- end-user requirements of the app ---
    // The app's requirements as `unsatisfied` lists them (status endpoint shape, with
    // `form`), fixed by the seed: a pipedream_account (gmail) and a connection (HttpApiKey).
    const QList<QJsonObject> &requirements() const { return m_requirements; }
    std::optional<QJsonObject> requirement(const QString &id) const;
    bool isSatisfied(const QString &userId, const QString &requirementId) const;
    void satisfy(const QString &userId, const QString &requirementId);

    // --- connect tokens ---
    struct Grant
    {
        QByteArray token;
        QString userId;
        QDateTime expiresAt; // UTC
    };
    Grant mintToken(const QString &userId, const QDateTime &now);
    // The grant of a token still valid at `now`.
    std::optional<Grant> grant(const QByteArray &token, const QDateTime &now) const;
    // A one-requirement link (the code in an authorization URL), valid as long as its token.
    QString mintLink(const Grant &grant, const QString &requirementId);
    struct Link
    {
        QString userId;
        QString requirementId;
        QDateTime expiresAt;
    };
    std::optional<Link> link(const QString &code, const QDateTime &now) const;

    void setTokenLifetimeSecs(qint64 secs) { m_tokenLifetimeSecs = secs; }

private:
    quint32 m_seed;
    QList<Created> m_created;
    QHash<QString, qsizetype> m_createdIndex;
    qint64 m_createdCounter = 0;
    qint64 m_lastCreatedSecs = 0;

    QHash<QString, Run> m_runs;
    QList<QString> m_runOrder; // oldest first, for forgetting
    int m_runCounter = 0;

    QList<QJsonObject> m_requirements;
    QSet<QString> m_satisfied; // userId + '\n' + requirementId

    QHash<QByteArray, Grant> m_tokens;
    QList<QByteArray> m_tokenOrder;
    QHash<QString, Link> m_links;
    QList<QString> m_linkOrder;
    int m_tokenCounter = 0;
    qint64 m_tokenLifetimeSecs = kDefaultTokenLifetimeSecs;
};

} // namespace parley::sandbox
