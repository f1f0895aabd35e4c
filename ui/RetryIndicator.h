#pragma once

#include <QWidget>

class QLabel;
class QTimer;
class QToolButton;

namespace parley {

class HttpClient;

// The status bar's word on requests that failed in a passing way and wait to be sent again:
// "Retrying in 4 s: <what went wrong>", counting down, with Stop Retrying, which ends every
// wait at once (each request then reports its last error where it was asked for). Hidden
// while nothing waits. With several waiting, the soonest is shown and the rest counted.
class RetryIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit RetryIndicator(HttpClient *http, QWidget *parent = nullptr);

    QString text() const;
    QToolButton *stopButton() const { return m_stop; }

private:
    void refresh();

    HttpClient *m_http;
    QLabel *m_label;
    QToolButton *m_stop;
    QTimer *m_tick;
};

} // namespace parley
