#pragma once

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>
#include <QUuid>

namespace parley {

// One connection to one platform account. Plain settings: the API key is never here,
// it lives in the keychain under KeyStore::keyName(platform, id).
struct Workspace
{
    QUuid id;
    QString name;
    QString platform;              // provider id: "dynamiq", "fixie", "polyai", "orq", "posthog"
    QUrl baseUrl;                  // the API root, e.g. https://us.posthog.com
    QMap<QString, QString> params; // platform ids: project_id, agent_id, account_id, api_version...
    bool demo = false;             // created by --demo for the embedded sandbox; never persisted

    QString param(const QString &key) const { return params.value(key); }
    bool isValid() const { return !id.isNull() && !platform.isEmpty() && baseUrl.isValid(); }
    bool operator==(const Workspace &) const = default;
};

} // namespace parley

Q_DECLARE_METATYPE(parley::Workspace)
