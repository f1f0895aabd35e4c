#pragma once

#include "sandbox/GeneratedConversations.h"
#include "sandbox/IndexedUuid.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace parley::sandbox {

// The conversations of the Dynamiq emulation, generated on demand: conversation `index`
// (0 = oldest) comes from (seed, "dynamiq", index) alone, so 100,000 conversations cost no
// memory. The facts filters and sorting look at (app or model, organization, times) come
// from a cheap hash of the index; creation times grow with the index. Ids are UUIDs whose
// last group encodes the index (a seed-keyed bijection of 48 bits), so an id finds its
// conversation in O(1).
class DynamiqSandboxData : public GeneratedConversations
{
public:
    struct App
    {
        QString id;
        QString name;
        QString description;
    };
    struct Model
    {
        QString id;
        QString name;
        QString slug;
        QString provider;
    };
    // What filters and sorting need, without generating the conversation.
    struct Facts
    {
        int app = -1;       // index into apps(), or -1 when bound to a model
        int model = -1;     // index into models(), or -1 when bound to an app
        int org = 0;        // index into orgIds()
        qint64 created = 0; // seconds since 1970, UTC
        qint64 updated = 0;
    };

    DynamiqSandboxData(quint32 seed, int count);

    const QList<App> &apps() const { return m_apps; }
    const QList<Model> &models() const { return m_models; }
    const QStringList &orgIds() const { return m_orgs; }
    // The caller: every listed conversation is theirs ("Lists the caller's conversations").
    QString userId() const { return m_user; }

    QString idAt(int index) const;
    // -1 when `id` names no conversation of this data set.
    int indexOf(const QString &id) const;

    Facts facts(int index) const;
    QString title(int index) const;
    // The conversation object of the list and of `{"data": …}` in the detail.
    QJsonObject conversation(int index) const;
    // A conversation object with these facts (also for conversations created through the
    // API): app or model with its nested object, organization, times, the caller as user.
    QJsonObject conversationJson(const QString &id, const QString &title, const Facts &facts,
                                 const QString &sandboxId = {}) const;
    // RFC 3339 in UTC, whole seconds, as Dynamiq (served by Go) writes times.
    static QString rfc3339(qint64 secs);

private:
    quint64 hash(int index, quint64 salt) const;

    IndexedUuid m_ids;
    qint64 m_stepSecs;
    QList<App> m_apps;
    QList<Model> m_models;
    QStringList m_orgs;
    QString m_user;
};

} // namespace parley::sandbox
