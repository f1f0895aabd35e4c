#pragma once

#include "store/ListViewState.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <memory>

class QSettings;

namespace parley {

// The user's preferences and the window's remembered layout, behind one typed wrapper
// over QSettings. Every value has a key in Settings::Key and a default; nothing secret is
// ever stored here (API keys live in the keychain, see KeyStore). Workspaces are kept by
// WorkspaceStore in the same file.
class Settings : public QObject
{
    Q_OBJECT

public:
    enum class Key
    {
        MainWindowGeometry,       // QByteArray: QWidget::saveGeometry()
        MainWindowState,          // QByteArray: QMainWindow::saveState()
        MainSplitterState,        // QByteArray: sidebar | list | transcript
        DetailSplitterState,      // QByteArray: transcript | composer and queue
        LastWorkspaceId,          // QString: uuid without braces; see lastWorkspaceId()
        ConversationColumnWidths, // QStringList of ints; see columnWidths()
        ConversationColumnOrder,  // QStringList: column ids in visual order
    };
    Q_ENUM(Key)

    // The application's settings: QSettings with the organisation and application names
    // set on QCoreApplication.
    explicit Settings(QObject *parent = nullptr);
    // An INI file at `filePath`; tests use a temporary file.
    explicit Settings(const QString &filePath, QObject *parent = nullptr);
    ~Settings() override;

    // The stored value, or the key's default; always of the key's type (see Key).
    QVariant get(Key key) const;
    // Stores `value` (converted to the key's type) and emits changed() if it differs.
    // A value that cannot be converted is refused with a warning.
    void set(Key key, const QVariant &value);
    // Back to the default; emits changed() if a value was stored.
    void reset(Key key);
    bool isSet(Key key) const;
    static QVariant defaultValue(Key key);
    // The QSettings path of a key, e.g. "window/geometry".
    static QString path(Key key);

    // Typed shortcuts for values that are not stored in their natural type.
    QUuid lastWorkspaceId() const;
    void setLastWorkspaceId(const QUuid &id);
    QList<int> columnWidths() const;
    void setColumnWidths(const QList<int> &widths);
    QStringList columnOrder() const;
    void setColumnOrder(const QStringList &columnIds);

    // The conversation list of each workspace, kept in a map keyed by workspace id.
    // A workspace never seen gives the default state.
    ListViewState listViewState(const QUuid &workspaceId) const;
    void setListViewState(const QUuid &workspaceId, const ListViewState &state);
    void removeListViewState(const QUuid &workspaceId);
    QList<QUuid> workspacesWithListViewState() const;

    // Text typed in a conversation's composer and not sent yet, per workspace and
    // conversation (drafts are not secrets). Empty text removes the draft.
    QString draft(const QUuid &workspaceId, const QString &conversationId) const;
    void setDraft(const QUuid &workspaceId, const QString &conversationId, const QString &text);
    // The conversations of a workspace that have a draft.
    QStringList draftConversations(const QUuid &workspaceId) const;
    void removeDrafts(const QUuid &workspaceId);

    // Where a reply Parley followed could be taken up again after a restart (a platform's
    // run and position, ReplyStream::resumePoint()), per workspace and conversation. Empty
    // removes it.
    QString resumePoint(const QUuid &workspaceId, const QString &conversationId) const;
    void setResumePoint(const QUuid &workspaceId, const QString &conversationId,
                        const QString &point);

    // Writes pending changes to disk; false (and a warning) when that failed.
    bool sync();
    QString fileName() const;

Q_SIGNALS:
    void changed(parley::Settings::Key key);
    void listViewStateChanged(const QUuid &workspaceId);

private:
    QString conversationText(const QString &group, const QUuid &workspaceId,
                             const QString &conversationId) const;
    void setConversationText(const QString &group, const QUuid &workspaceId,
                             const QString &conversationId, const QString &text);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace parley
