#include "TailFollower.h"

#include <QAbstractItemView>
#include <QScrollBar>

namespace parley {

namespace {

// Within this many pixels of the end counts as "at the end".
constexpr int kSlackPx = 24;

} // namespace

TailFollower::TailFollower(QAbstractItemView *view)
    : QObject(view)
    , m_view(view)
    , m_bar(view->verticalScrollBar())
{
    connect(m_bar, &QScrollBar::rangeChanged, this, &TailFollower::onRangeChanged);
    connect(m_bar, &QScrollBar::valueChanged, this, &TailFollower::onValueChanged);
}

void TailFollower::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    m_follow = atEnd();
}

void TailFollower::jumpToEnd()
{
    m_active = true;
    m_follow = true;
    m_moving = true;
    m_bar->setValue(m_bar->maximum());
    m_moving = false;
}

bool TailFollower::atEnd() const
{
    return m_bar->value() >= m_bar->maximum() - kSlackPx;
}

void TailFollower::onRangeChanged()
{
    // Content grew or shrank under the reader: stay at the end if that is where they were.
    if (!m_active || !m_follow || m_bar->value() == m_bar->maximum())
        return;
    m_moving = true;
    m_bar->setValue(m_bar->maximum());
    m_moving = false;
}

void TailFollower::onValueChanged()
{
    if (!m_active || m_moving)
        return;
    m_follow = atEnd();
}

} // namespace parley
