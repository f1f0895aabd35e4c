#include "RetryIndicator.h"

#include "net/HttpClient.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace parley {

RetryIndicator::RetryIndicator(HttpClient *http, QWidget *parent)
    : QWidget(parent)
    , m_http(http)
    , m_label(new QLabel(this))
    , m_stop(new QToolButton(this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("retryIndicator"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_stop);
    m_label->setObjectName(QStringLiteral("retryText"));
    m_stop->setObjectName(QStringLiteral("stopRetrying"));
    m_stop->setText(tr("Stop Retrying"));
    m_stop->setToolTip(tr("Stop waiting and show the error now"));
    m_stop->setAutoRaise(true);
    m_stop->setFocusPolicy(Qt::TabFocus);
    connect(m_stop, &QToolButton::clicked, this, [this] { m_http->cancelRetries(); });

    // A countdown in whole seconds; ticking often keeps it from lagging behind the timer.
    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &RetryIndicator::refresh);
    connect(m_http, &HttpClient::retryScheduled, this, &RetryIndicator::refresh);
    // Ended waits are looked at once the flight is done with its own signals.
    connect(m_http, &HttpClient::retryEnded, this, &RetryIndicator::refresh, Qt::QueuedConnection);
    hide();
}

QString RetryIndicator::text() const
{
    return isHidden() ? QString() : m_label->text();
}

void RetryIndicator::refresh()
{
    const QList<HttpClient::PendingRetry> pending = m_http->pendingRetries();
    if (pending.isEmpty()) {
        m_tick->stop();
        m_label->clear();
        hide();
        return;
    }
    const auto soonest =
        std::min_element(pending.cbegin(), pending.cend(), [](const auto &a, const auto &b) {
            return a.remainingMs < b.remainingMs;
        });
    const int seconds = int((soonest->remainingMs + 999) / 1000);
    QString text = tr("Retrying in %n s: %1", nullptr, seconds).arg(soonest->cause.message());
    if (pending.size() > 1)
        text += QLatin1Char(' ') + tr("(%n more waiting)", nullptr, int(pending.size()) - 1);
    m_label->setText(text);
    m_label->setToolTip(tr("Attempt %1 of %2 failed: %3")
                            .arg(soonest->retry)
                            .arg(soonest->maxRetries + 1)
                            .arg(soonest->cause.message()));
    show();
    if (!m_tick->isActive())
        m_tick->start();
}

} // namespace parley
