#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace parley::sandbox {

// The conversations an emulation started or changed, as JSON, at most `max` of them: storing
// one more drops the oldest first, never one that is still running (it stays, and so may the
// bound's excess until it ends).
class StoredConversations
{
public:
    explicit StoredConversations(int max)
        : m_max(max)
    {}

    bool contains(const QString &id) const { return m_items.contains(id); }
    QJsonObject value(const QString &id) const { return m_items.value(id); }

    // Stores `conversation` under `id`; the ids dropped to stay within the bound.
    QStringList store(const QString &id, const QJsonObject &conversation,
                      const std::function<bool(const QString &)> &isRunning)
    {
        if (!m_items.contains(id))
            m_order << id;
        m_items.insert(id, conversation);
        QStringList dropped;
        for (qsizetype i = 0; i < m_order.size() && m_order.size() > m_max;) {
            const QString old = m_order.at(i);
            if (isRunning(old)) {
                ++i;
                continue;
            }
            m_order.removeAt(i);
            m_items.remove(old);
            dropped << old;
        }
        return dropped;
    }

private:
    int m_max;
    QHash<QString, QJsonObject> m_items;
    QStringList m_order; // oldest first
};

} // namespace parley::sandbox
