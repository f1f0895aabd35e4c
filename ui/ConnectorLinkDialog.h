#pragma once

#include "core/Requirement.h"
#include "net/HttpClient.h"

#include "session/WorkspaceSession.h"
#include <QDialog>

#include <QPointer>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace parley {

class ConnectorLinker;
class WorkspaceSession;

// Shows what an end user must still link or provide for a platform's apps (Dynamiq's
// end-user requirements) and links a connector account: the platform's authorization page
// opens in the system browser (and stays on screen with Copy, for when no browser opens),
// then the dialog waits with a visible countdown until the account is linked.
class ConnectorLinkDialog : public QDialog
{
    Q_OBJECT
public:
    // Works with `session`'s workspace, which must outlive the dialog or close it first.
    explicit ConnectorLinkDialog(WorkspaceSession *session, QWidget *parent = nullptr);
    ~ConnectorLinkDialog() override;

    ConnectorLinker *linker() const { return m_linker; }
    // Why `userId` cannot be used (empty when it can).
    static QString userIdProblem(const QString &userId);

private:
    void check();
    void showRequirements(const RequirementStatus &status);
    void link();
    void updateButtons();
    void updateStatus();

    QPointer<WorkspaceSession> m_session;
    ConnectorLinker *m_linker;
    RequestHandle m_request;
    QLineEdit *m_user;
    QLabel *m_userError;
    QPushButton *m_check;
    QListWidget *m_list;
    QPushButton *m_link;
    QPushButton *m_stop;
    QLineEdit *m_url;
    QPushButton *m_copy;
    QLabel *m_status;
    QList<Requirement> m_requirements;
    QString m_checkedUser;
};

} // namespace parley
