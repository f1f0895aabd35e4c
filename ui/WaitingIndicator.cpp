#include "WaitingIndicator.h"

#include "controllers/WaitWatch.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace parley {

WaitingIndicator::WaitingIndicator(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_stop(new QToolButton(this))
{
    setObjectName(QStringLiteral("waitingIndicator"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_stop);
    m_label->setObjectName(QStringLiteral("waitingText"));
    m_stop->setObjectName(QStringLiteral("stopWaiting"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop waiting for the platform; Retry asks again"));
    m_stop->setAutoRaise(true);
    m_stop->setFocusPolicy(Qt::TabFocus);
    connect(m_stop, &QToolButton::clicked, this, [this] {
        if (m_watch)
            m_watch->stop();
    });
    hide();
}

void WaitingIndicator::bind(WaitWatch *watch)
{
    disconnect(m_binding);
    m_watch = watch;
    if (watch)
        m_binding = connect(watch, &WaitWatch::waitingChanged, this, &WaitingIndicator::refresh);
    refresh();
}

QString WaitingIndicator::text() const
{
    return isHidden() ? QString() : m_label->text();
}

void WaitingIndicator::refresh()
{
    const bool waiting = m_watch && m_watch->isWaiting();
    m_label->setText(waiting ? m_watch->text() : QString());
    setVisible(waiting);
}

} // namespace parley
