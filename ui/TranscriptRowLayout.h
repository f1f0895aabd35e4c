#pragma once

#include "core/Turn.h"

#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>

#include <memory>
#include <vector>

class QTextDocument;

namespace parley {

// The laid-out form of one transcript turn at one width: where each part goes and the
// text documents that render it. Built by TranscriptDelegate, cached per row and width.
// Coordinates are relative to the row's top-left corner.
struct TranscriptRowLayout
{
    enum class BlockKind
    {
        State,      // "Error: …", "Stopped", "In progress…", "Unreadable ai/viz: …"; after a
                    // fragment still in progress in a turn that has ended: "Cut off here…"
        Text,       // markdown, a labelled part of a message, a step with its status mark
        Collapsible // tool call / tool result: a header that toggles a body
    };

    struct Block
    {
        BlockKind kind = BlockKind::Text;
        int fragment = -1; // index into Turn::fragments, -1 for the state line
        bool expanded = false;
        QRect header;    // Collapsible: the clickable header strip
        QString title;   // Collapsible: "Tool call", "Tool result"
        QString name;    // Collapsible: tool name
        QString preview; // Collapsible: one-line preview shown while collapsed
        bool failed = false;
        QColor color; // text colour override; invalid = palette text
        QRect body;   // where `doc` is drawn (empty when collapsed)
        std::unique_ptr<QTextDocument> doc;
    };

    struct Style
    {
        QFont font;
        QFont monoFont;
        int padding = 8;
        int accentWidth = 3;
    };

    TranscriptRowLayout();
    ~TranscriptRowLayout();
    TranscriptRowLayout(TranscriptRowLayout &&) noexcept;
    TranscriptRowLayout &operator=(TranscriptRowLayout &&) noexcept;

    int width = 0;
    quint64 expandedMask = 0;
    int height = 0;
    QRect headerLine; // role, type and time
    std::vector<Block> blocks;

    // Bit for fragment `index` in an expansion mask (fragments past 63 share the last bit).
    static quint64 bit(int index) { return quint64(1) << qMin(index, 63); }
    static bool isCollapsible(const Fragment &fragment);
    static TranscriptRowLayout build(const Turn &turn, int width, quint64 expandedMask,
                                     const Style &style);
    // Index of the block whose collapsible header contains `pos`, or -1.
    int collapsibleAt(const QPoint &pos) const;

private:
    // Adds the mark after fragment `fragment`, cut off while it was written, at `at`'s
    // top-left and width; gives the y where the next block starts.
    static int addCutOffMark(TranscriptRowLayout &row, int fragment, const QRect &at,
                             const Style &style);
};

} // namespace parley
