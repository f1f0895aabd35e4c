#pragma once

#include "core/ApiError.h"
#include "core/Requirement.h"
#include "net/HttpClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace parley {

class Provider;

// Links one end user's connector account (Dynamiq's pipedream_account requirement):
// creates a connect token, asks for the requirement's authorization page, hands its URL to
// whoever opens browsers (openUrl(): https, or http on a loopback host for the sandbox;
// anything else is refused), then checks the user's requirements with a growing delay
// until the requirement is met, the token expires, the overall time runs out, or cancel().
// Checks that fail for a passing reason (network, timeout, 5xx, 429) keep waiting; others
// stop with the error. Running out of time is TimedOut ("not linked"), unless the last check
// had failed: then whether the account was linked is not known, and it is Failed with that
// check's error. Timers only: nothing blocks. The window's dialog and `parley-cli link` both
// use it.
class ConnectorLinker : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,
        Starting, // token and authorization page requested
        Waiting,  // the page is open; checking the requirement
        Linked,
        Failed,
        TimedOut,
        Canceled,
    };
    Q_ENUM(State)

    explicit ConnectorLinker(Provider *provider, QObject *parent = nullptr);

    // Delays between checks (the last one repeats) and the overall limit; for tests.
    void setCheckDelays(QList<int> delaysMs) { m_delays = std::move(delaysMs); }
    void setTimeLimit(int ms) { m_limitMs = ms; }

    void start(const QString &userId, const QString &requirementId);
    void cancel();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Starting || m_state == State::Waiting; }
    QUrl url() const { return m_url; }
    ApiError error() const { return m_error; }
    // A sentence on where things stand, for a status line (and, once it ended, why).
    QString statusText() const;
    int secondsToNextCheck() const { return m_secondsLeft; }
    static bool isAcceptableUrl(const QUrl &url);

signals:
    void stateChanged(parley::ConnectorLinker::State state);
    // The page to open in the system browser.
    void openUrl(const QUrl &url);
    // Each second while waiting, and after each check.
    void countdownChanged(int secondsToNextCheck);

private:
    void setState(State state);
    void fail(State state, const ApiError &error);
    void scheduleCheck();
    void check();
    void tick();

    QPointer<Provider> m_provider;
    QString m_userId;
    QString m_requirementId;
    State m_state = State::Idle;
    QUrl m_url;
    QDateTime m_expires;
    ApiError m_error;
    RequestHandle m_request;
    QTimer m_checkTimer;
    QTimer m_tick;
    QElapsedTimer m_elapsed;
    QList<int> m_delays{2000, 3000, 5000, 8000, 13000, 21000, 30000};
    int m_limitMs = 15 * 60 * 1000;
    int m_checks = 0;
    int m_secondsLeft = 0;
    bool m_gaveUp = false; // out of time while the checks were failing
};

} // namespace parley
