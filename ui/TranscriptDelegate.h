#pragma once

#include "TranscriptRowLayout.h"
#include "core/Turn.h"

#include <QCache>
#include <QHash>
#include <QStyledItemDelegate>

#include <functional>

class QAbstractItemView;

namespace parley {

// Paints one transcript turn per row: a role accent, role/type/time, the state when the
// turn failed, stopped or is still running, markdown text, and tool calls/results as
// collapsible strips (click, or Space/Enter on the current row, toggles them). A turn that
// answers another names it in its header ("in reply to “…”"); a click there selects the
// turn it answers and scrolls to it.
//
// Layouts are cached per row and width: heights for every row (cheap), full layouts with
// their text documents for the rows recently painted (bounded), so that scrolling a long
// transcript re-lays out nothing.
class TranscriptDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // How the delegate reaches the turn behind an index (the model's own accessor).
    using TurnAccessor = std::function<const Turn *(const QModelIndex &)>;

    TranscriptDelegate(QAbstractItemView *view, TurnAccessor accessor);
    ~TranscriptDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Expansion of tool fragments (all collapsed at first).
    bool isExpanded(int row, int fragment) const;
    void setExpanded(const QModelIndex &index, int fragment, bool expanded);
    // Space/Enter: expands every tool fragment of the row, or collapses them when all are
    // open. False when the row has none.
    bool toggleRow(const QModelIndex &index);
    int collapsibleCount(const QModelIndex &index) const;
    // The row of the turn `index` answers (Turn::inReplyTo); invalid when it names none or
    // that turn is not in the transcript.
    QModelIndex repliedTo(const QModelIndex &index) const;
    // Where the header of `index` names the turn it answers, in the view's viewport; empty
    // when it names none that is in the transcript.
    QRect replyLinkRect(const QModelIndex &index) const;

    // Forget layouts and expansion (model reset) or one row's layout (row changed).
    void reset();
    void invalidateRow(int row);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    int layoutWidth() const;
    TranscriptRowLayout::Style style() const;
    const TranscriptRowLayout *layoutFor(const QModelIndex &index, int width) const;
    // Where the parts of a turn's header line go, within `line`.
    struct Header
    {
        QString role;
        int roleWidth = 0;
        QRect type;
        QString typeText; // elided
        QRect reply;      // "in reply to “…”", elided; empty when the turn answers none
        QString replyText;
        bool replyFound = false; // the turn it answers is in the transcript
        QString time;
    };
    Header header(const QModelIndex &index, const Turn &turn, const QRect &line) const;
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const Turn &turn,
                     const Header &header, const QRect &line) const;
    void paintCollapsible(QPainter *painter, const QStyleOptionViewItem &option,
                          const TranscriptRowLayout::Block &block, const QPoint &origin) const;

    struct HeightEntry
    {
        int width = 0;
        quint64 mask = 0;
        int height = 0;
    };

    QAbstractItemView *m_view;
    TurnAccessor m_turn;
    QHash<int, quint64> m_expanded;
    mutable QHash<int, HeightEntry> m_heights;
    mutable QCache<int, TranscriptRowLayout> m_layouts;
    mutable QHash<int, int> m_replyRows; // row -> the row it answers, -1 for none found
};

} // namespace parley
