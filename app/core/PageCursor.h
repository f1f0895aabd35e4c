#pragma once

#include <QList>
#include <QMap>
#include <QString>

#include "core/ApiError.h"
#include "core/Conversation.h"
#include "core/NewConversation.h"

namespace parley {

// Where the next page of a list starts. One value type for the three paging styles the
// platforms use; only the provider that produced a cursor interprets its fields.
struct PageCursor
{
    enum class Style
    {
        PageNumber,
        Offset,
        Cursor
    };

    Style style = Style::Offset;
    int page = 1;       // PageNumber: 1-based page to fetch
    int offset = 0;     // Offset: items to skip
    QString token;      // Cursor: opaque cursor or last id; Offset: a server-given next URL
    QString backToken;  // Cursor: the first id, for paging backwards where supported
    bool atEnd = false; // nothing more to fetch

    static PageCursor first(Style style)
    {
        PageCursor c;
        c.style = style;
        return c;
    }
    // The cursor after an offset page of `rows` rows asked for at `offset` with `limit`: at the
    // end after an empty page, else once `total` (where known, >= 0) is reached, else after a
    // short page.
    static PageCursor afterOffsetPage(int offset, qsizetype rows, qint64 total, int limit)
    {
        PageCursor c = first(Style::Offset);
        c.offset = offset + int(rows);
        c.atEnd = rows == 0 || (total >= 0 ? c.offset >= total : rows < limit);
        return c;
    }
    // Whether the page `index` pages after `start` can be named by its position alone, given
    // `second`, the cursor the page at `start` returned (it says how far one page moves):
    // page numbers and offsets, for a provider whose pages need nothing else
    // (Capabilities::pagesByPosition); never opaque cursors.
    static bool randomAccess(const PageCursor &start, const PageCursor &second)
    {
        if (second.atEnd || second.style != start.style)
            return false;
        if (start.style == Style::PageNumber)
            return second.page == start.page + 1;
        return start.style == Style::Offset && second.offset > start.offset;
    }
    // Whether `a` and `b` name the same position (page number or offset; a token aside).
    static bool samePosition(const PageCursor &a, const PageCursor &b)
    {
        return a.style == b.style && a.atEnd == b.atEnd &&
               (a.style == Style::PageNumber ? a.page == b.page : a.offset == b.offset);
    }
    // The cursor of the page `index` pages after `start` (0: `start` itself), one page being
    // as long as from `start` to `second` (see randomAccess(), which must hold).
    static PageCursor nth(const PageCursor &start, const PageCursor &second, int index)
    {
        PageCursor c = first(start.style);
        if (start.style == Style::PageNumber)
            c.page = start.page + index;
        else
            c.offset = start.offset + index * (second.offset - start.offset);
        return c;
    }
    // Of a list of `total` rows, how many pages remain from `start` on (`start`'s included),
    // `rowsPerPage` rows to a page; -1 where either is unknown.
    static qint64 pagesLeft(const PageCursor &start, qint64 total, qint64 rowsPerPage)
    {
        if (total < 0 || rowsPerPage <= 0)
            return -1;
        const qint64 done = start.style == Style::PageNumber ? qint64(start.page - 1) * rowsPerPage
                                                             : qint64(start.offset);
        return qMax<qint64>(0, (total - done + rowsPerPage - 1) / rowsPerPage);
    }
    static PageCursor end(Style style)
    {
        PageCursor c;
        c.style = style;
        c.atEnd = true;
        return c;
    }
};

// Server-side filters and sort for a list, as the user set them. Keys are the
// platform's own parameter names (the provider's Capabilities list them).
struct ListQuery
{
    QMap<QString, QString> filters;
    QString sort; // comma-separated fields, each optionally after "-" (descending)
    int pageSize = 50;
    // Where the platform lets a list start at a conversation (Capabilities::listFromId):
    // only the rows after this id in the platform's order (the older ones, newest first)...
    QString startAfter;
    // ...or only the rows before it (the newer ones), fetched nearest first.
    QString endBefore;
    bool operator==(const ListQuery &) const = default;
};

// One page as the provider parsed it.
struct ConversationPage
{
    QList<Conversation> items;
    PageCursor next;   // atEnd when this was the last page
    qint64 total = -1; // total matching conversations, -1 when the platform does not say
    // Create-field values the rows name, each once (see FieldSuggestion); most providers
    // leave it empty.
    QList<FieldSuggestion> suggestions;
    // The rows were read but the list cannot go on past them (a paging field of the wrong
    // type, a position that does not move): why, a BadResponse; `next` is then at its end.
    // Callers show the rows, then this error. No error on an ordinary page.
    ApiError error = {};
};

} // namespace parley
