#include "BusyIndicator.h"

#include <QPainter>
#include <QStyle>
#include <QTimer>

namespace parley {

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent)
    , m_timer(new QTimer(this))
{
    setAccessibleName(tr("Loading"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_timer->setInterval(60);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_angle = (m_angle + 30) % 360;
        update();
    });
    hide();
}

void BusyIndicator::start()
{
    setRunning(true);
}

void BusyIndicator::stop()
{
    setRunning(false);
}

void BusyIndicator::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    setVisible(running);
    if (running && isVisible())
        m_timer->start();
    else
        m_timer->stop();
}

QSize BusyIndicator::sizeHint() const
{
    const int s = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    return {s, s};
}

void BusyIndicator::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    const int side = qMin(width(), height()) - 3;
    if (side <= 2)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    QColor track = palette().color(QPalette::WindowText);
    track.setAlphaF(0.15);
    p.setPen(QPen(track, 2));
    p.drawEllipse(r);
    p.setPen(QPen(palette().color(QPalette::Highlight), 2, Qt::SolidLine, Qt::RoundCap));
    p.drawArc(r, -m_angle * 16, 100 * 16);
}

void BusyIndicator::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_running)
        m_timer->start();
}

void BusyIndicator::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

} // namespace parley
