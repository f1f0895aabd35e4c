#pragma once

#include "TranscriptDelegate.h"
#include "core/ApiError.h"
#include "core/ConversationDetail.h"

#include <QWidget>

class QAbstractItemModel;
class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QToolButton;

namespace parley {

class BusyIndicator;
class ErrorBanner;

// The right pane: a header (title, a selectable id with a copy button, the conversation's
// properties), an error banner, and the turns in a list painted by TranscriptDelegate.
// Where the platform has no transcript, its note is shown plainly instead of a list.
// "Show Raw JSON" (the row's context menu, Ctrl+Shift+J) opens the current turn's message as
// the platform sent it.
class TranscriptView : public QWidget
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);

    // The turn model and how to reach a row's Turn. The caller keeps the model.
    void setModel(QAbstractItemModel *turns, TranscriptDelegate::TurnAccessor accessor);

    // Nothing selected.
    void showPlaceholder(const QString &text = {});
    // A conversation is being opened; `summary` (from the list) fills the header meanwhile.
    void showLoading(const Conversation &summary);
    // The conversation arrived (its turns are in the model).
    void showDetail(const ConversationDetail &detail);
    // Turns arrived (a reply streaming in): the list is shown even where the conversation had
    // none or the platform keeps no transcript.
    void showTurns();
    void setBusy(bool busy);
    void showError(const ApiError &error);
    void clearError();

    QListView *list() const { return m_list; }
    ErrorBanner *banner() const { return m_banner; }
    // Puts `bar` (a status line of the open conversation) between the header and the turns.
    void addStatusBar(QWidget *bar);
    TranscriptDelegate *delegate() const { return m_delegate; }
    QString conversationId() const;
    // Enabled while the current turn has its message as received (`Turn::raw`).
    QAction *showRawAction() const { return m_showRaw; }
    // Opens the current turn's raw JSON in a RawJsonDialog; nothing when it has none.
    void showRawJson();

Q_SIGNALS:
    void retryRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setHeader(const Conversation &summary, const QList<Property> &properties);
    void showTurnsOrNote(bool hasTranscript, const QString &note);
    void copyCurrentTurn();
    const Turn *currentTurn() const;
    void updateRawAction();
    void showContextMenu(const QPoint &pos);
    void setDetailsExpanded(bool expanded);

    QWidget *m_header;
    QLabel *m_title;
    QLineEdit *m_id;
    QToolButton *m_copyId;
    QLabel *m_properties;
    QToolButton *m_detailsToggle;
    QLabel *m_details;
    BusyIndicator *m_busy;
    ErrorBanner *m_banner;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QListView *m_list;
    QLabel *m_note;
    QAction *m_showRaw;
    TranscriptDelegate *m_delegate = nullptr;
    TranscriptDelegate::TurnAccessor m_turnAt;
    QAbstractItemModel *m_model = nullptr;
    bool m_detailsExpanded = false;
};

} // namespace parley
