#include "ErrorBanner.h"

#include "Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyle>

namespace parley {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_dismiss(new QPushButton(tr("Dismiss"), this))
{
    setAccessibleName(tr("Error"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(Icons::get(Icons::Error).pixmap(iconSize, iconSize));
    m_icon->setAlignment(Qt::AlignTop);
    m_icon->setAccessibleName(tr("Error"));

    m_text->setObjectName(QStringLiteral("errorBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_action->setObjectName(QStringLiteral("errorBannerAction"));
    m_action->hide();
    m_retry->setObjectName(QStringLiteral("errorBannerRetry"));
    m_retry->setAccessibleName(tr("Retry the failed request"));
    m_dismiss->setObjectName(QStringLiteral("errorBannerDismiss"));
    m_dismiss->setAccessibleName(tr("Dismiss the error"));

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 8, 8, 8);
    row->setSpacing(8);
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addWidget(m_text, 1);
    row->addWidget(m_action, 0, Qt::AlignVCenter);
    row->addWidget(m_retry, 0, Qt::AlignVCenter);
    row->addWidget(m_dismiss, 0, Qt::AlignVCenter);

    connect(m_retry, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT retryRequested();
    });
    connect(m_action, &QPushButton::clicked, this, &ErrorBanner::actionRequested);
    connect(m_dismiss, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    hide();
}

void ErrorBanner::showError(const ApiError &error)
{
    showMessage(error.message(), error.kind != ApiError::Kind::Config);
}

void ErrorBanner::showMessage(const QString &text, bool retryable)
{
    m_text->setText(text);
    m_retry->setVisible(retryable);
    setAccessibleDescription(text);
    show();
}

void ErrorBanner::setActionText(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

void ErrorBanner::clear()
{
    hide();
    m_text->clear();
}

QString ErrorBanner::text() const
{
    return m_text->text();
}

bool ErrorBanner::isRetryable() const
{
    return !m_retry->isHidden();
}

void ErrorBanner::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    // A tint of red over the window colour, so that it reads on light and dark themes.
    const QColor base = palette().color(QPalette::Window);
    const QColor red(0xd0, 0x3b, 0x2f);
    auto mix = [](const QColor &a, const QColor &b, qreal t) {
        return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                                a.greenF() * (1 - t) + b.greenF() * t,
                                a.blueF() * (1 - t) + b.blueF() * t);
    };
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(mix(base, red, 0.45), 1));
    p.setBrush(mix(base, red, 0.12));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
}

} // namespace parley
