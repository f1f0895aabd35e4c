#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace parley {

class WorkspaceSession;
class FollowUpQueueController;
class FollowUpQueueModel;

// The follow-ups waiting for a running conversation (PostHog's queue): listed in the order
// the agent takes them, added, edited (select one, change its text, Save), deleted (Delete
// key) and cleared; the platform's limit is shown and explained. Refreshed every few
// seconds while open, since the agent takes messages off the queue as it goes.
class FollowUpQueueEditor : public QDialog
{
    Q_OBJECT
public:
    explicit FollowUpQueueEditor(QWidget *parent = nullptr);

    // The queue of `conversationId` on `session`'s workspace.
    void setConversation(const WorkspaceSession *session, const QString &conversationId);
    FollowUpQueueController *controller() const { return m_controller; }
    FollowUpQueueModel *model() const { return m_model; }

public slots:
    // Queues `text` (the composer's offer after a busy conversation refused a message).
    void addText(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void submit();
    void removeSelected();
    void askClear();
    void selectionChanged();
    void updateState();
    QString selectedId() const;

    FollowUpQueueModel *m_model;
    FollowUpQueueController *m_controller;
    QListView *m_view;
    QLineEdit *m_text;
    QPushButton *m_submit;
    QPushButton *m_delete;
    QPushButton *m_clear;
    QLabel *m_limit;
    QLabel *m_status;
    int m_maxLength = 0;
};

} // namespace parley
