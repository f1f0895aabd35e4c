#include "RunningBar.h"

#include "controllers/FollowController.h"
#include "core/ApiError.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>

namespace parley {

RunningBar::RunningBar(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_stop(new QPushButton(tr("Stop"), this))
{
    setObjectName(QStringLiteral("runningBar"));
    m_text->setObjectName(QStringLiteral("runningText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stop->setObjectName(QStringLiteral("stopRunningButton"));
    m_stop->setIcon(QIcon::fromTheme(QStringLiteral("process-stop")));
    m_stop->setAccessibleName(tr("Stop the running reply"));
    m_stop->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_stop, 0, Qt::AlignTop);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_follow)
            m_follow->cancel();
    });
    hide();
}

void RunningBar::setFollowController(FollowController *follow)
{
    disconnect(m_stateConnection);
    disconnect(m_failedConnection);
    m_follow = follow;
    if (follow) {
        m_stateConnection =
            connect(follow, &FollowController::stateChanged, this, &RunningBar::update);
        m_failedConnection =
            connect(follow, &FollowController::cancelFailed, this,
                    [this](const ApiError &error) { showCancelFailed(error.message()); });
    }
    update();
}

void RunningBar::update()
{
    if (!m_follow || !m_follow->isFollowing()) {
        const QString note = m_follow ? m_follow->note() : QString();
        m_text->setText(note);
        m_stop->hide();
        setVisible(!note.isEmpty());
        return;
    }
    const bool canceling = m_follow->isCanceling();
    const QString why = m_follow->whyNotCancel();
    QString text = canceling ? tr("Asking the platform to stop this reply…")
                             : tr("This conversation is running: its reply is shown as it is "
                                  "written.");
    if (!canceling && !why.isEmpty())
        text += u' ' + why; // the platform cannot stop it: say so instead of a button
    m_text->setText(text);
    m_stop->setVisible(canceling || why.isEmpty());
    m_stop->setEnabled(!canceling && why.isEmpty());
    show();
}

void RunningBar::showCancelFailed(const QString &message)
{
    update();
    m_text->setText(tr("The platform did not stop the reply: %1").arg(message));
}

} // namespace parley
