#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace parley {

// A follow-up message waiting for a running conversation (PostHog's queue).
struct FollowUpItem
{
    QString id;
    QString content;
    QDateTime createdAt; // UTC; invalid when the platform gives none
};

// A conversation's queue as the platform returned it after any queue call.
struct FollowUpQueue
{
    QList<FollowUpItem> items; // oldest first: the order the run will take them in
    int maxItems = -1;         // the platform's limit (PostHog: 2); -1 when not given

    bool isFull() const { return maxItems >= 0 && items.size() >= maxItems; }
};

} // namespace parley

Q_DECLARE_METATYPE(parley::FollowUpQueue)
