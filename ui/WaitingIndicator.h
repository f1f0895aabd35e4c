#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QToolButton;

namespace parley {

class WaitWatch;

// The status bar's word while the shown workspace's platform keeps the list or the
// transcript waiting (WaitWatch): "Waiting for PostHog…" with Stop, which aborts those
// requests. Hidden otherwise.
class WaitingIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit WaitingIndicator(QWidget *parent = nullptr);

    // The watch of the shown session (null: none); not owned.
    void bind(WaitWatch *watch);

    QString text() const;
    QToolButton *stopButton() const { return m_stop; }

private:
    void refresh();

    QPointer<WaitWatch> m_watch;
    QMetaObject::Connection m_binding;
    QLabel *m_label;
    QToolButton *m_stop;
};

} // namespace parley
