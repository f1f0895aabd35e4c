#pragma once

#include "core/PageCursor.h"

#include <QMetaType>
#include <QString>
#include <Qt>

namespace parley {

// How the user left one workspace's conversation list: what the server is asked for
// (filters, sort, page size), how often the list refreshes itself and how the loaded rows are
// filtered and sorted locally. Remembered per workspace by Settings.
struct ListViewState
{
    ListQuery query;     // server side: the platform's own filter keys, its sort key
    QString searchText;  // client side: the quick filter over loaded rows
    int sortColumn = -1; // client side: -1 = keep the server's order
    Qt::SortOrder sortOrder = Qt::AscendingOrder;
    int refreshSeconds = 0; // the list refreshes itself this often; 0 = never

    bool operator==(const ListViewState &) const = default;
};

} // namespace parley

Q_DECLARE_METATYPE(parley::ListViewState)
