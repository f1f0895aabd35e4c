#pragma once

#include <QWidget>

class QTimer;

namespace parley {

// A small spinning arc shown while a request is in flight. Animates only while running
// and visible; hidden when stopped.
class BusyIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit BusyIndicator(QWidget *parent = nullptr);

    void start();
    void stop();
    void setRunning(bool running);
    bool isRunning() const { return m_running; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QTimer *m_timer;
    int m_angle = 0;
    bool m_running = false;
};

} // namespace parley
