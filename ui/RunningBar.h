#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace parley {

class FollowController;

// A line above the open transcript while its conversation runs on the platform and the
// reply is not one this window sent (the composer stops those): it says that the reply is
// followed as it is written, and offers Stop where the platform can stop it; where it
// cannot, the line says why. It also says when there is nothing to follow (FollowController's
// note: a platform without running state). Hidden otherwise.
class RunningBar : public QWidget
{
    Q_OBJECT
public:
    explicit RunningBar(QWidget *parent = nullptr);

    // Not owned; null detaches.
    void setFollowController(FollowController *follow);

private:
    void update();
    void showCancelFailed(const QString &message);

    QPointer<FollowController> m_follow;
    QLabel *m_text;
    QPushButton *m_stop;
    QMetaObject::Connection m_stateConnection;
    QMetaObject::Connection m_failedConnection;
};

} // namespace parley
