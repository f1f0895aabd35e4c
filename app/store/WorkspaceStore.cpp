#include "store/WorkspaceStore.h"

#include "core/Logging.h"

#include <QSettings>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

const QString kArray = u"workspaces"_s;
const QString kParams = u"params"_s;

// Words that name a credential when they appear as a word of a parameter name.
const QStringList kSecretWords{
    u"key"_s,         u"apikey"_s,     u"secret"_s,        u"token"_s,      u"password"_s,
    u"passwd"_s,      u"pwd"_s,        u"pass"_s,          u"passphrase"_s, u"credential"_s,
    u"credentials"_s, u"auth"_s,       u"authorization"_s, u"bearer"_s,     u"cookie"_s,
    u"jwt"_s,         u"privatekey"_s, u"accesskey"_s,
};
// Run-together spellings caught anywhere in the name ("xapikey", "accesstoken").
const QStringList kSecretFragments{u"apikey"_s,   u"secret"_s,     u"token"_s,
                                   u"password"_s, u"passwd"_s,     u"credential"_s,
                                   u"bearer"_s,   u"privatekey"_s, u"accesskey"_s};
// A last word that makes the name describe a credential rather than hold one:
// "key_type", "token_url", "auth_method".
const QStringList kDescriptorWords{
    u"type"_s,   u"kind"_s,    u"id"_s,     u"name"_s,   u"format"_s, u"version"_s,
    u"method"_s, u"mode"_s,    u"scheme"_s, u"header"_s, u"url"_s,    u"endpoint"_s,
    u"expiry"_s, u"expires"_s, u"ttl"_s,    u"hint"_s,   u"label"_s};

// "x-apiKey_Name" -> {"x", "api", "key", "name"}.
QStringList wordsOf(const QString &name)
{
    QStringList words;
    QString current;
    QChar previous;
    for (const QChar c : name) {
        if (!c.isLetterOrNumber()) {
            if (!current.isEmpty())
                words << current.toLower();
            current.clear();
        } else {
            if (c.isUpper() && previous.isLower() && !current.isEmpty()) {
                words << current.toLower();
                current.clear();
            }
            current += c;
        }
        previous = c;
    }
    if (!current.isEmpty())
        words << current.toLower();
    return words;
}

bool isUsableParamName(const QString &name)
{
    return !name.trimmed().isEmpty() && !name.contains(u'/') && !name.contains(u'\\');
}

// The first query item of `url` whose name looks like a secret, or an empty string.
QString secretQueryItem(const QUrl &url)
{
    const QUrlQuery query(url);
    for (const auto &item : query.queryItems()) {
        if (WorkspaceStore::looksLikeSecretName(item.first))
            return item.first;
    }
    return {};
}

// Drops what must never be stored from a workspace read from disk; true if it did.
bool scrub(Workspace &ws)
{
    bool changed = false;
    for (auto it = ws.params.begin(); it != ws.params.end();) {
        if (WorkspaceStore::looksLikeSecretName(it.key()) || !isUsableParamName(it.key())) {
            qCWarning(lcStore).noquote()
                << "dropped parameter" << it.key() << "of workspace"
                << ws.id.toString(QUuid::WithoutBraces)
                << "from the settings file: secrets belong in the keychain";
            it = ws.params.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    if (!ws.baseUrl.userInfo().isEmpty()) {
        ws.baseUrl.setUserInfo({});
        changed = true;
    }
    QUrlQuery query(ws.baseUrl);
    for (QString name = secretQueryItem(ws.baseUrl); !name.isEmpty();
         name = secretQueryItem(ws.baseUrl)) {
        query.removeAllQueryItems(name);
        ws.baseUrl.setQuery(query);
        changed = true;
    }
    if (changed)
        qCWarning(lcStore).noquote()
            << "removed secret-looking data from workspace" << ws.id.toString(QUuid::WithoutBraces);
    return changed;
}

} // namespace

WorkspaceStore::WorkspaceStore(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{
    load();
}

WorkspaceStore::WorkspaceStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(filePath, QSettings::IniFormat))
{
    load();
}

WorkspaceStore::~WorkspaceStore() = default;

bool WorkspaceStore::looksLikeSecretName(const QString &name)
{
    const QStringList words = wordsOf(name);
    if (words.isEmpty())
        return false;
    if (kDescriptorWords.contains(words.last()) && words.size() > 1)
        return false;
    for (const QString &word : words) {
        if (kSecretWords.contains(word))
            return true;
    }
    const QString joined = words.join(QString());
    for (const QString &fragment : kSecretFragments) {
        if (joined.contains(fragment))
            return true;
    }
    return false;
}

QString WorkspaceStore::storageProblem(const Workspace &ws)
{
    if (ws.id.isNull())
        return tr("The workspace has no id.");
    for (auto it = ws.params.cbegin(); it != ws.params.cend(); ++it) {
        if (!isUsableParamName(it.key()))
            return tr("“%1” cannot be used as the name of a workspace setting.").arg(it.key());
        if (looksLikeSecretName(it.key()))
            return tr("The workspace setting “%1” looks like an API key or another secret. "
                      "Secrets are kept in the system keychain, never in the settings file: "
                      "enter the key in the API key field instead.")
                .arg(it.key());
    }
    if (!ws.baseUrl.userInfo().isEmpty())
        return tr("The base URL contains a user name or password. Remove it from the URL and "
                  "enter the key in the API key field instead.");
    if (const QString item = secretQueryItem(ws.baseUrl); !item.isEmpty())
        return tr("The base URL carries “%1”, which looks like a secret. Remove it from the "
                  "URL and enter the key in the API key field instead.")
            .arg(item);
    return {};
}

std::optional<Workspace> WorkspaceStore::findById(const QUuid &id) const
{
    const int i = indexOf(id);
    if (i < 0)
        return std::nullopt;
    return m_workspaces.at(i);
}

int WorkspaceStore::indexOf(const QUuid &id) const
{
    if (id.isNull())
        return -1;
    for (int i = 0; i < m_workspaces.size(); ++i) {
        if (m_workspaces.at(i).id == id)
            return i;
    }
    return -1;
}

bool WorkspaceStore::add(const Workspace &workspace, QString *error)
{
    QString problem = storageProblem(workspace);
    if (problem.isEmpty() && contains(workspace.id))
        problem = tr("A workspace with this id exists already.");
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        qCInfo(lcStore) << "refused to add a workspace:" << problem;
        return false;
    }
    m_workspaces << workspace;
    if (!workspace.demo)
        save();
    Q_EMIT changed();
    return true;
}

bool WorkspaceStore::update(const Workspace &workspace, QString *error)
{
    const int i = indexOf(workspace.id);
    QString problem = storageProblem(workspace);
    if (problem.isEmpty() && i < 0)
        problem = tr("The workspace does not exist (any more).");
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        qCInfo(lcStore) << "refused to update a workspace:" << problem;
        return false;
    }
    if (m_workspaces.at(i) == workspace)
        return true;
    const bool touchesDisk = !workspace.demo || !m_workspaces.at(i).demo;
    m_workspaces[i] = workspace;
    if (touchesDisk)
        save();
    Q_EMIT changed();
    return true;
}

bool WorkspaceStore::remove(const QUuid &id)
{
    const int i = indexOf(id);
    if (i < 0)
        return false;
    const bool wasDemo = m_workspaces.at(i).demo;
    m_workspaces.removeAt(i);
    if (!wasDemo)
        save();
    Q_EMIT changed();
    return true;
}

void WorkspaceStore::removeDemoWorkspaces()
{
    const auto removed = m_workspaces.removeIf([](const Workspace &ws) { return ws.demo; });
    if (removed > 0)
        Q_EMIT changed();
}

void WorkspaceStore::reload()
{
    QList<Workspace> demos;
    for (const Workspace &ws : std::as_const(m_workspaces)) {
        if (ws.demo)
            demos << ws;
    }
    const QList<Workspace> before = m_workspaces;
    m_settings->sync(); // pick up changes made by others to the file
    load();
    for (const Workspace &demo : std::as_const(demos)) {
        if (!contains(demo.id))
            m_workspaces << demo;
    }
    if (m_workspaces != before)
        Q_EMIT changed();
}

void WorkspaceStore::load()
{
    m_workspaces.clear();
    bool scrubbed = false;
    const int size = m_settings->beginReadArray(kArray);
    for (int i = 0; i < size; ++i) {
        m_settings->setArrayIndex(i);
        Workspace ws;
        ws.id = QUuid::fromString(m_settings->value(u"id"_s).toString());
        ws.name = m_settings->value(u"name"_s).toString();
        ws.platform = m_settings->value(u"platform"_s).toString();
        ws.baseUrl = QUrl(m_settings->value(u"baseUrl"_s).toString());
        m_settings->beginGroup(kParams);
        for (const QString &key : m_settings->childKeys())
            ws.params.insert(key, m_settings->value(key).toString());
        m_settings->endGroup();

        if (ws.id.isNull() || contains(ws.id)) {
            qCWarning(lcStore) << "skipped workspace" << i
                               << "of the settings file: missing or repeated id";
            continue;
        }
        scrubbed = scrub(ws) || scrubbed;
        m_workspaces << ws;
    }
    m_settings->endArray();
    qCDebug(lcStore) << "loaded" << m_workspaces.size() << "workspace(s) from"
                     << m_settings->fileName();
    if (scrubbed)
        save(); // do not leave the secret in the file either
}

void WorkspaceStore::save()
{
    m_settings->remove(kArray); // a shorter list must not leave old entries behind
    m_settings->beginWriteArray(kArray);
    int index = 0;
    for (const Workspace &ws : std::as_const(m_workspaces)) {
        if (ws.demo)
            continue;
        // Guaranteed by add()/update() and by scrub() on load: no secret reaches the file.
        Q_ASSERT_X(storageProblem(ws).isEmpty(), "WorkspaceStore::save",
                   "a workspace with a secret-looking parameter was about to be written");
        m_settings->setArrayIndex(index++);
        m_settings->setValue(u"id"_s, ws.id.toString(QUuid::WithoutBraces));
        m_settings->setValue(u"name"_s, ws.name);
        m_settings->setValue(u"platform"_s, ws.platform);
        m_settings->setValue(u"baseUrl"_s, ws.baseUrl.toString());
        m_settings->beginGroup(kParams);
        for (auto it = ws.params.cbegin(); it != ws.params.cend(); ++it) {
            if (looksLikeSecretName(it.key()))
                continue; // belt and braces for release builds
            m_settings->setValue(it.key(), it.value());
        }
        m_settings->endGroup();
    }
    m_settings->endArray();
    m_settings->sync();
    m_lastWriteOk = m_settings->status() == QSettings::NoError;
    if (!m_lastWriteOk)
        qCWarning(lcStore) << "could not write the workspaces to" << m_settings->fileName()
                           << m_settings->status();
}

QString WorkspaceStore::fileName() const
{
    return m_settings->fileName();
}

} // namespace parley
