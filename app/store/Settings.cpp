#include "store/Settings.h"

#include "core/Logging.h"

#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

struct Entry
{
    Settings::Key key;
    QLatin1String path;
    QMetaType type;
};

const Entry kEntries[] = {
    {Settings::Key::MainWindowGeometry, "window/geometry"_L1, QMetaType::fromType<QByteArray>()},
    {Settings::Key::MainWindowState, "window/state"_L1, QMetaType::fromType<QByteArray>()},
    {Settings::Key::MainSplitterState, "window/mainSplitter"_L1, QMetaType::fromType<QByteArray>()},
    {Settings::Key::DetailSplitterState, "window/detailSplitter"_L1,
     QMetaType::fromType<QByteArray>()},
    {Settings::Key::LastWorkspaceId, "session/lastWorkspace"_L1, QMetaType::fromType<QString>()},
    {Settings::Key::ConversationColumnWidths, "conversationList/columnWidths"_L1,
     QMetaType::fromType<QStringList>()},
    {Settings::Key::ConversationColumnOrder, "conversationList/columnOrder"_L1,
     QMetaType::fromType<QStringList>()},
};

const Entry &entryFor(Settings::Key key)
{
    for (const Entry &e : kEntries) {
        if (e.key == key)
            return e;
    }
    Q_UNREACHABLE();
}

// Per-workspace list state lives under listViews/<uuid without braces>/.
const QString kListViews = u"listViews"_s;

QString listViewGroup(const QUuid &workspaceId)
{
    return kListViews + u'/' + workspaceId.toString(QUuid::WithoutBraces);
}

// Drafts live under drafts/<uuid without braces>/<encoded conversation id>.
const QString kDrafts = u"drafts"_s;

QString draftGroup(const QUuid &workspaceId)
{
    return kDrafts + u'/' + workspaceId.toString(QUuid::WithoutBraces);
}

// Resume points the same way, under resume/.
QString resumeGroup(const QUuid &workspaceId)
{
    return u"resume/"_s + workspaceId.toString(QUuid::WithoutBraces);
}

// Filter keys are the platforms' own parameter names; '/' would open a sub-group.
QString encodeFilterName(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QString decodeFilterName(const QString &stored)
{
    return QUrl::fromPercentEncoding(stored.toLatin1());
}

// QSettings' INI files give back a one-element or empty string list as a plain string.
QVariant toType(QVariant value, QMetaType type)
{
    if (type == QMetaType::fromType<QStringList>() &&
        value.metaType() == QMetaType::fromType<QString>())
        return value.toString().isEmpty() ? QStringList() : QStringList{value.toString()};
    if (value.metaType() == type)
        return value;
    if (!value.isValid() || !value.canConvert(type))
        return {};
    value.convert(type);
    return value;
}

} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{}

Settings::Settings(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(filePath, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QString Settings::path(Key key)
{
    return entryFor(key).path;
}

QVariant Settings::defaultValue(Key key)
{
    return QVariant(entryFor(key).type);
}

bool Settings::isSet(Key key) const
{
    return m_settings->contains(path(key));
}

QVariant Settings::get(Key key) const
{
    const Entry &e = entryFor(key);
    const QVariant stored = m_settings->value(e.path);
    if (!stored.isValid())
        return defaultValue(key);
    const QVariant typed = toType(stored, e.type);
    return typed.isValid() ? typed : defaultValue(key);
}

void Settings::set(Key key, const QVariant &value)
{
    const Entry &e = entryFor(key);
    const QVariant typed = toType(value, e.type);
    if (!typed.isValid()) {
        qCWarning(lcStore) << "refused a value of type" << value.metaType().name() << "for"
                           << e.path;
        return;
    }
    if (isSet(key) ? get(key) == typed : typed == defaultValue(key))
        return;
    m_settings->setValue(e.path, typed);
    Q_EMIT changed(key);
}

void Settings::reset(Key key)
{
    if (!isSet(key))
        return;
    const bool wasDefault = get(key) == defaultValue(key);
    m_settings->remove(path(key));
    if (!wasDefault)
        Q_EMIT changed(key);
}

QUuid Settings::lastWorkspaceId() const
{
    return QUuid::fromString(get(Key::LastWorkspaceId).toString());
}

void Settings::setLastWorkspaceId(const QUuid &id)
{
    set(Key::LastWorkspaceId, id.isNull() ? QString() : id.toString(QUuid::WithoutBraces));
}

QList<int> Settings::columnWidths() const
{
    QList<int> widths;
    for (const QString &text : get(Key::ConversationColumnWidths).toStringList()) {
        bool ok = false;
        const int width = text.toInt(&ok);
        if (!ok || width < 0)
            return {}; // a hand-edited or damaged list: fall back to the view's own widths
        widths << width;
    }
    return widths;
}

void Settings::setColumnWidths(const QList<int> &widths)
{
    QStringList texts;
    texts.reserve(widths.size());
    for (int width : widths)
        texts << QString::number(width);
    set(Key::ConversationColumnWidths, texts);
}

QStringList Settings::columnOrder() const
{
    return get(Key::ConversationColumnOrder).toStringList();
}

void Settings::setColumnOrder(const QStringList &columnIds)
{
    set(Key::ConversationColumnOrder, columnIds);
}

ListViewState Settings::listViewState(const QUuid &workspaceId) const
{
    ListViewState state;
    if (workspaceId.isNull())
        return state;
    m_settings->beginGroup(listViewGroup(workspaceId));
    m_settings->beginGroup(u"filters"_s);
    for (const QString &key : m_settings->childKeys())
        state.query.filters.insert(decodeFilterName(key), m_settings->value(key).toString());
    m_settings->endGroup();
    state.query.sort = m_settings->value(u"sort"_s).toString();
    bool ok = false;
    const int pageSize = m_settings->value(u"pageSize"_s).toInt(&ok);
    if (ok && pageSize > 0)
        state.query.pageSize = pageSize;
    state.searchText = m_settings->value(u"search"_s).toString();
    const int column = m_settings->value(u"sortColumn"_s, -1).toInt(&ok);
    state.sortColumn = ok && column >= -1 ? column : -1;
    state.sortOrder = m_settings->value(u"sortOrder"_s).toInt() == int(Qt::DescendingOrder)
                          ? Qt::DescendingOrder
                          : Qt::AscendingOrder;
    const int refresh = m_settings->value(u"refreshSeconds"_s, 0).toInt(&ok);
    state.refreshSeconds = ok && refresh > 0 ? refresh : 0;
    m_settings->endGroup();
    return state;
}

void Settings::setListViewState(const QUuid &workspaceId, const ListViewState &state)
{
    Q_ASSERT(!workspaceId.isNull());
    if (workspaceId.isNull() || listViewState(workspaceId) == state)
        return;
    const QString group = listViewGroup(workspaceId);
    m_settings->remove(group); // filters no longer set must not linger
    m_settings->beginGroup(group);
    m_settings->beginGroup(u"filters"_s);
    for (auto it = state.query.filters.cbegin(); it != state.query.filters.cend(); ++it)
        m_settings->setValue(encodeFilterName(it.key()), it.value());
    m_settings->endGroup();
    m_settings->setValue(u"sort"_s, state.query.sort);
    m_settings->setValue(u"pageSize"_s, state.query.pageSize);
    m_settings->setValue(u"search"_s, state.searchText);
    m_settings->setValue(u"sortColumn"_s, state.sortColumn);
    m_settings->setValue(u"sortOrder"_s, int(state.sortOrder));
    if (state.refreshSeconds > 0)
        m_settings->setValue(u"refreshSeconds"_s, state.refreshSeconds);
    m_settings->endGroup();
    Q_EMIT listViewStateChanged(workspaceId);
}

void Settings::removeListViewState(const QUuid &workspaceId)
{
    const QString group = listViewGroup(workspaceId);
    m_settings->beginGroup(group);
    const bool existed = !m_settings->allKeys().isEmpty();
    m_settings->endGroup();
    if (!existed)
        return;
    m_settings->remove(group);
    Q_EMIT listViewStateChanged(workspaceId);
}

QList<QUuid> Settings::workspacesWithListViewState() const
{
    QList<QUuid> ids;
    m_settings->beginGroup(kListViews);
    for (const QString &group : m_settings->childGroups()) {
        const QUuid id = QUuid::fromString(group);
        if (!id.isNull())
            ids << id;
    }
    m_settings->endGroup();
    return ids;
}

QString Settings::conversationText(const QString &group, const QUuid &workspaceId,
                                   const QString &conversationId) const
{
    if (workspaceId.isNull() || conversationId.isEmpty())
        return {};
    return m_settings->value(group + u'/' + encodeFilterName(conversationId)).toString();
}

void Settings::setConversationText(const QString &group, const QUuid &workspaceId,
                                   const QString &conversationId, const QString &text)
{
    if (workspaceId.isNull() || conversationId.isEmpty())
        return;
    const QString key = group + u'/' + encodeFilterName(conversationId);
    if (text.isEmpty())
        m_settings->remove(key);
    else if (m_settings->value(key).toString() != text)
        m_settings->setValue(key, text);
}

QString Settings::draft(const QUuid &workspaceId, const QString &conversationId) const
{
    return conversationText(draftGroup(workspaceId), workspaceId, conversationId);
}

void Settings::setDraft(const QUuid &workspaceId, const QString &conversationId,
                        const QString &text)
{
    setConversationText(draftGroup(workspaceId), workspaceId, conversationId, text);
}

QString Settings::resumePoint(const QUuid &workspaceId, const QString &conversationId) const
{
    return conversationText(resumeGroup(workspaceId), workspaceId, conversationId);
}

void Settings::setResumePoint(const QUuid &workspaceId, const QString &conversationId,
                              const QString &point)
{
    setConversationText(resumeGroup(workspaceId), workspaceId, conversationId, point);
}

QStringList Settings::draftConversations(const QUuid &workspaceId) const
{
    QStringList ids;
    if (workspaceId.isNull())
        return ids;
    m_settings->beginGroup(draftGroup(workspaceId));
    for (const QString &key : m_settings->childKeys())
        ids << decodeFilterName(key);
    m_settings->endGroup();
    return ids;
}

void Settings::removeDrafts(const QUuid &workspaceId)
{
    if (!workspaceId.isNull())
        m_settings->remove(draftGroup(workspaceId));
}

bool Settings::sync()
{
    m_settings->sync();
    if (m_settings->status() == QSettings::NoError)
        return true;
    qCWarning(lcStore) << "could not write the settings file" << m_settings->fileName()
                       << m_settings->status();
    return false;
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

} // namespace parley
