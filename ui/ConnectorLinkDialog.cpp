#include "ConnectorLinkDialog.h"

#include "FieldLabels.h"
#include "controllers/ConnectorLinker.h"
#include "session/WorkspaceSession.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace parley {

namespace {
constexpr int kRequirementRole = Qt::UserRole + 1;
}

ConnectorLinkDialog::ConnectorLinkDialog(WorkspaceSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_linker(session->newConnectorLinker(this))
    , m_user(new QLineEdit(this))
    , m_userError(makeErrorLabel(this, u"userIdError"_s))
    , m_check(new QPushButton(tr("&Check"), this))
    , m_list(new QListWidget(this))
    , m_link(new QPushButton(tr("&Link Account"), this))
    , m_stop(new QPushButton(tr("&Stop Waiting"), this))
    , m_url(new QLineEdit(this))
    , m_copy(new QPushButton(tr("C&opy Link"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("End-User Requirements"));
    setObjectName(u"connectorLinkDialog"_s);
    m_user->setObjectName(u"userId"_s);
    m_user->setPlaceholderText(tr("customer-7421"));
    m_user->setAccessibleName(tr("End user ID"));
    m_user->setToolTip(tr("The ID your app uses for the end user (user_id)."));
    m_check->setObjectName(u"checkRequirements"_s);
    m_check->setDefault(true); // Enter in the user field checks
    m_link->setAutoDefault(false);
    m_stop->setAutoDefault(false);
    m_copy->setAutoDefault(false);
    m_list->setObjectName(u"requirements"_s);
    m_list->setAccessibleName(tr("Requirements not met yet"));
    m_link->setObjectName(u"linkAccount"_s);
    m_stop->setObjectName(u"stopWaiting"_s);
    m_url->setObjectName(u"linkUrl"_s);
    m_url->setReadOnly(true);
    m_url->setAccessibleName(tr("Authorization link"));
    m_copy->setObjectName(u"copyLink"_s);
    m_status->setObjectName(u"linkStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *userRow = new QHBoxLayout;
    userRow->addWidget(m_user, 1);
    userRow->addWidget(m_check);
    auto *userBox = new QWidget(this);
    auto *userLayout = new QVBoxLayout(userBox);
    userLayout->setContentsMargins(0, 0, 0, 0);
    userLayout->addLayout(userRow);
    userLayout->addWidget(m_userError);
    auto *form = new QFormLayout;
    form->addRow(tr("End &user:"), userBox);

    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_url, 1);
    linkRow->addWidget(m_copy);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_link);
    actions->addWidget(m_stop);
    actions->addStretch();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_list, 1);
    layout->addLayout(actions);
    layout->addLayout(linkRow);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(560, 420);

    connect(m_user, &QLineEdit::textChanged, this, [this] {
        setFieldError(m_userError, userIdProblem(m_user->text()));
        updateButtons();
    });
    connect(m_check, &QPushButton::clicked, this, &ConnectorLinkDialog::check);
    connect(m_list, &QListWidget::currentRowChanged, this, &ConnectorLinkDialog::updateButtons);
    connect(m_list, &QListWidget::itemActivated, this, &ConnectorLinkDialog::link);
    connect(m_link, &QPushButton::clicked, this, &ConnectorLinkDialog::link);
    connect(m_stop, &QPushButton::clicked, m_linker, &ConnectorLinker::cancel);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_url->text()); });
    connect(m_linker, &ConnectorLinker::openUrl, this, [this](const QUrl &url) {
        m_url->setText(url.toString());
        if (!QDesktopServices::openUrl(url))
            m_status->setText(tr("No browser could be opened: copy the link and open it where "
                                 "the user can sign in."));
    });
    connect(m_linker, &ConnectorLinker::countdownChanged, this, &ConnectorLinkDialog::updateStatus);
    connect(m_linker, &ConnectorLinker::stateChanged, this, [this](ConnectorLinker::State s) {
        updateStatus();
        updateButtons();
        if (s == ConnectorLinker::State::Linked)
            check(); // the list as it now stands
    });
    updateButtons();
}

ConnectorLinkDialog::~ConnectorLinkDialog()
{
    m_request.cancel();
}

QString ConnectorLinkDialog::userIdProblem(const QString &userId)
{
    const QString id = userId.trimmed();
    if (id.isEmpty())
        return tr("Enter the end user's ID.");
    if (id.size() > 256)
        return tr("An end user ID has at most 256 characters.");
    static const QRegularExpression bad(u"[\\s\\x{0}-\\x{1f}\\x{7f}]"_s);
    if (bad.match(id).hasMatch())
        return tr("An end user ID has no spaces or control characters.");
    return {};
}

void ConnectorLinkDialog::check()
{
    if (!userIdProblem(m_user->text()).isEmpty() || !m_session)
        return;
    m_request.cancel();
    m_checkedUser = m_user->text().trimmed();
    m_status->setText(tr("Checking %1's requirements…").arg(m_checkedUser));
    m_check->setEnabled(false);
    m_request =
        m_session->fetchRequirements(m_checkedUser, this, [this](Result<RequirementStatus> r) {
            m_check->setEnabled(true);
            if (!r.ok()) {
                m_status->setText(r.error().message());
                return;
            }
            showRequirements(r.value());
        });
}

void ConnectorLinkDialog::showRequirements(const RequirementStatus &status)
{
    m_requirements = status.unsatisfied;
    m_list->clear();
    for (const Requirement &q : std::as_const(m_requirements)) {
        QString text = q.title.isEmpty() ? q.name : q.title;
        if (!q.appSlug.isEmpty())
            text += u" — "_s + q.appSlug;
        if (!q.canLink())
            text += tr(" (the user provides it in the app)");
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(kRequirementRole, q.id);
        item->setToolTip(q.description);
        if (!q.canLink())
            item->setForeground(palette().color(QPalette::PlaceholderText));
    }
    if (m_linker->state() != ConnectorLinker::State::Linked)
        m_status->setText(
            status.complete()
                ? tr("Nothing left: %1 can use every app.").arg(m_checkedUser)
                : tr("%n requirement(s) not met yet.", nullptr, int(m_requirements.size())));
    else
        m_status->setText(m_linker->statusText());
    for (int i = 0; i < m_requirements.size(); ++i) {
        if (m_requirements.at(i).canLink()) {
            m_list->setCurrentRow(i);
            break;
        }
    }
    updateButtons();
}

void ConnectorLinkDialog::link()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_requirements.size() || !m_requirements.at(row).canLink())
        return;
    m_url->clear();
    m_linker->start(m_checkedUser, m_requirements.at(row).id);
}

void ConnectorLinkDialog::updateButtons()
{
    const int row = m_list->currentRow();
    const bool linkable = row >= 0 && row < m_requirements.size() &&
                          m_requirements.at(row).canLink() &&
                          m_user->text().trimmed() == m_checkedUser;
    m_check->setEnabled(userIdProblem(m_user->text()).isEmpty());
    m_link->setEnabled(linkable && !m_linker->isRunning());
    m_stop->setVisible(m_linker->isRunning());
    m_copy->setEnabled(!m_url->text().isEmpty());
}

void ConnectorLinkDialog::updateStatus()
{
    m_status->setText(m_linker->statusText());
    m_copy->setEnabled(!m_url->text().isEmpty());
}

} // namespace parley
