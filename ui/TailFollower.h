#pragma once

#include <QObject>
#include <QPointer>

class QAbstractItemView;
class QScrollBar;

namespace parley {

// Keeps an item view scrolled to its end while its content grows (a reply streaming into a
// transcript), but only while the reader is there: scrolling up to read stops following,
// scrolling back to the end resumes. Inactive, it does nothing at all, so opening a
// transcript still starts at its top.
class TailFollower : public QObject
{
    Q_OBJECT
public:
    explicit TailFollower(QAbstractItemView *view);

    void setActive(bool active);
    bool isActive() const { return m_active; }
    // Whether the view is kept at its end (the reader is there).
    bool isFollowing() const { return m_active && m_follow; }
    // Goes to the end and follows from there (the user just sent a message).
    void jumpToEnd();

private:
    bool atEnd() const;
    void onRangeChanged();
    void onValueChanged();

    QPointer<QAbstractItemView> m_view;
    QScrollBar *m_bar;
    bool m_active = false;
    bool m_follow = true;
    bool m_moving = false; // our own scrolling, not the reader's
};

} // namespace parley
