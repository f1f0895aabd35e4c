#pragma once

#include "core/ApiError.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace parley {

// An inline error strip shown over the pane a failed request belongs to: the message,
// Retry (when retrying makes sense), an optional extra action ("Edit workspace…") and
// Dismiss. Never a modal: the rest of the window stays usable.
class ErrorBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    // Shows `error.message()`; Retry is offered unless the error is a configuration one.
    void showError(const ApiError &error);
    void showMessage(const QString &text, bool retryable = true);
    // Text of the extra action button; empty hides it. Kept until changed.
    void setActionText(const QString &text);
    void clear();

    QString text() const;
    bool isRetryable() const;

Q_SIGNALS:
    void retryRequested();
    void actionRequested();
    void dismissed();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QPushButton *m_retry;
    QPushButton *m_dismiss;
};

} // namespace parley
