#include "controllers/ConnectorLinker.h"

#include "providers/Provider.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

bool isPassing(const ApiError &e)
{
    using Kind = ApiError::Kind;
    return e.kind == Kind::Network || e.kind == Kind::Timeout || e.kind == Kind::Server ||
           e.kind == Kind::RateLimited;
}

} // namespace

ConnectorLinker::ConnectorLinker(Provider *provider, QObject *parent)
    : QObject(parent)
    , m_provider(provider)
{
    m_checkTimer.setSingleShot(true);
    connect(&m_checkTimer, &QTimer::timeout, this, &ConnectorLinker::check);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectorLinker::tick);
}

bool ConnectorLinker::isAcceptableUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    if (url.scheme() == "https"_L1)
        return true;
    return url.scheme() == "http"_L1 && HttpClient::isLoopback(url);
}

void ConnectorLinker::start(const QString &userId, const QString &requirementId)
{
    cancel();
    m_userId = userId;
    m_requirementId = requirementId;
    m_url.clear();
    m_error = {};
    m_gaveUp = false;
    m_checks = 0;
    m_elapsed.start();
    if (!m_provider) {
        fail(State::Failed, ApiError::make(ApiError::Kind::Config, tr("The workspace is gone.")));
        return;
    }
    setState(State::Starting);
    m_request = m_provider->createConnectToken(m_userId, this, [this](Result<ConnectToken> token) {
        if (!token.ok()) {
            fail(State::Failed, token.error());
            return;
        }
        m_expires = token.value().expiresAt;
        m_request = m_provider->authorizeRequirement(
            m_requirementId, token.value(), this, [this](Result<QUrl> url) {
                if (!url.ok()) {
                    fail(State::Failed, url.error());
                    return;
                }
                if (!isAcceptableUrl(url.value())) {
                    fail(State::Failed,
                         ApiError::make(ApiError::Kind::BadResponse,
                                        tr("The platform gave a link that is not https (%1); "
                                           "Parley does not open it.")
                                            .arg(url.value().scheme())));
                    return;
                }
                m_url = url.value();
                setState(State::Waiting);
                emit openUrl(m_url);
                scheduleCheck();
            });
    });
}

void ConnectorLinker::cancel()
{
    if (!isRunning())
        return;
    m_request.cancel();
    m_checkTimer.stop();
    m_tick.stop();
    setState(State::Canceled);
}

void ConnectorLinker::scheduleCheck()
{
    const bool expired = m_expires.isValid() && m_expires <= QDateTime::currentDateTimeUtc();
    const qint64 left = qint64(m_limitMs) - m_elapsed.elapsed();
    if (expired) {
        fail(State::TimedOut,
             ApiError::make(ApiError::Kind::Timeout,
                            tr("The link expired before the account was linked; start again "
                               "for a new one.")));
        return;
    }
    if (left <= 0 && m_error) {
        // Whether the account was linked is not known: the checks were failing. Say that,
        // with the platform's reason, rather than that the user did not link it in time.
        m_gaveUp = true;
        fail(State::Failed, m_error);
        return;
    }
    if (left <= 0) {
        fail(State::TimedOut,
             ApiError::make(ApiError::Kind::Timeout,
                            tr("The account was not linked within %1 s; start again when the "
                               "user is ready.")
                                .arg(m_limitMs / 1000)));
        return;
    }
    const int step =
        m_delays.isEmpty() ? 5000 : m_delays.at(qMin(m_checks, int(m_delays.size()) - 1));
    const int delay = int(qMin<qint64>(step, left)); // the last check comes at the limit
    m_checkTimer.start(delay);
    m_secondsLeft = (delay + 999) / 1000;
    m_tick.start();
    emit countdownChanged(m_secondsLeft);
}

void ConnectorLinker::tick()
{
    m_secondsLeft = qMax(0, (m_checkTimer.remainingTime() + 999) / 1000);
    emit countdownChanged(m_secondsLeft);
}

void ConnectorLinker::check()
{
    m_tick.stop();
    m_secondsLeft = 0;
    emit countdownChanged(0);
    if (!m_provider) {
        fail(State::Failed, ApiError::make(ApiError::Kind::Config, tr("The workspace is gone.")));
        return;
    }
    ++m_checks;
    m_request = m_provider->fetchRequirements(m_userId, this, [this](Result<RequirementStatus> r) {
        if (!r.ok()) {
            if (isPassing(r.error())) {
                m_error = r.error(); // shown while waiting; the next check may succeed
                scheduleCheck();
                return;
            }
            fail(State::Failed, r.error());
            return;
        }
        m_error = {};
        for (const Requirement &q : r.value().unsatisfied) {
            if (q.id == m_requirementId) {
                scheduleCheck();
                return;
            }
        }
        setState(State::Linked);
    });
}

void ConnectorLinker::fail(State state, const ApiError &error)
{
    m_checkTimer.stop();
    m_tick.stop();
    m_error = error;
    setState(state);
}

void ConnectorLinker::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

QString ConnectorLinker::statusText() const
{
    switch (m_state) {
    case State::Idle:
        return {};
    case State::Starting:
        return tr("Asking the platform for the link…");
    case State::Waiting:
        if (m_secondsLeft <= 0)
            return tr("Checking whether the account is linked…");
        return m_error ? tr("Waiting for the account to be linked; the last check failed (%1). "
                            "Next check in %2 s.")
                             .arg(m_error.message())
                             .arg(m_secondsLeft)
                       : tr("Waiting for the account to be linked in the browser… next check "
                            "in %1 s.")
                             .arg(m_secondsLeft);
    case State::Linked:
        return tr("Linked.");
    case State::Failed:
        if (m_gaveUp)
            return tr("Stopped waiting after %1 s: the last check failed. %2")
                .arg(m_limitMs / 1000)
                .arg(m_error.message());
        return m_error.message();
    case State::TimedOut:
        return m_error.message();
    case State::Canceled:
        return tr("Stopped waiting. The link stays valid until it expires.");
    }
    return {};
}

} // namespace parley
