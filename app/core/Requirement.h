#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace parley {

// Something an end user must provide before an app can run for them (Dynamiq's
// end-user requirements): a linked connector account or a connection's credentials.
struct Requirement
{
    QString id;
    QString type;  // "pipedream_account", "connection", ...
    QString name;  // the workflow's placeholder name, e.g. "gmail_account"
    QString title; // "Connect Gmail"
    QString description;
    QString appSlug; // pipedream_account: the connector app, e.g. "gmail"
    bool satisfied = false;

    // Parley can link it from the desktop (opens the platform's authorization page).
    bool canLink() const { return type == QLatin1String("pipedream_account"); }
};

// An end user's requirements: the unsatisfied ones, and whether nothing is left.
struct RequirementStatus
{
    QString userId;
    QString status; // the platform's own word ("incomplete", ...)
    QList<Requirement> unsatisfied;

    bool complete() const { return unsatisfied.isEmpty(); }
};

// A short-lived token that lets one end user's requirements be linked.
// `token` is a secret: never logged, never stored.
struct ConnectToken
{
    QByteArray token;
    QUrl url;            // the platform's hosted connect page for everything at once
    QDateTime expiresAt; // UTC; invalid when not given
};

} // namespace parley

Q_DECLARE_METATYPE(parley::RequirementStatus)
