#include "ConnectionTestRow.h"

#include "BusyIndicator.h"
#include "Icons.h"
#include "core/ApiError.h"
#include "secrets/KeyStore.h"
#include "session/SessionPool.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

#include <utility>

namespace parley {

ConnectionTestRow::ConnectionTestRow(QWidget *parent)
    : QWidget(parent)
    , m_button(new QPushButton(tr("&Test Connection"), this))
    , m_spinner(new BusyIndicator(this))
    , m_icon(new QLabel(this))
    , m_result(new QLabel(this))
{
    m_button->setObjectName(QStringLiteral("testConnectionButton"));
    m_button->setAutoDefault(false);
    m_button->setEnabled(false);
    m_spinner->setObjectName(QStringLiteral("testConnectionSpinner"));
    m_icon->hide();
    m_result->setObjectName(QStringLiteral("testConnectionResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 4, 0, 0);
    row->addWidget(m_button, 0, Qt::AlignTop);
    row->addWidget(m_spinner, 0, Qt::AlignVCenter);
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addWidget(m_result, 1);
    setFocusProxy(m_button);
    connect(m_button, &QPushButton::clicked, this, &ConnectionTestRow::requested);
}

ConnectionTestRow::~ConnectionTestRow()
{
    cancel();
}

void ConnectionTestRow::setAllowed(bool allowed)
{
    m_allowed = allowed;
    m_button->setEnabled(m_allowed && !m_testing);
}

void ConnectionTestRow::cancel()
{
    ++m_generation;
    if (const auto cancelRunning = std::exchange(m_cancel, {}))
        cancelRunning();
    if (m_testing)
        stopped();
}

void ConnectionTestRow::clear()
{
    cancel();
    m_result->clear();
    m_icon->hide();
}

void ConnectionTestRow::stopped()
{
    m_testing = false;
    m_spinner->stop();
    m_button->setEnabled(m_allowed);
}

void ConnectionTestRow::run(const AppServices &services, const Workspace &workspace,
                            const QByteArray &key, bool useStoredKey)
{
    cancel();
    m_testing = true;
    m_button->setEnabled(false);
    m_icon->hide();
    m_result->setText(tr("Connecting…"));
    m_spinner->start();
    if (!key.isEmpty() || !useStoredKey || !services.keys) {
        runWithKey(services, workspace, key);
        return;
    }
    const int generation = m_generation;
    services.keys->readKey(
        KeyStore::keyName(workspace.platform, workspace.id), this,
        [this, services, workspace, generation](const KeyResult &r) {
            if (generation != m_generation)
                return;
            if (r.ok()) {
                runWithKey(services, workspace, r.secret);
                return;
            }
            stopped();
            showResult(ApiError::make(ApiError::Kind::Config,
                                      r.status == KeyResult::Status::NotFound
                                          ? tr("no API key is stored for this workspace")
                                          : r.message));
        });
}

void ConnectionTestRow::runWithKey(const AppServices &services, const Workspace &workspace,
                                   const QByteArray &key)
{
    const int generation = m_generation;
    m_cancel = SessionPool::testConnection(services, workspace, key, this,
                                           [this, generation](const ConnectionTest &result) {
                                               if (generation != m_generation)
                                                   return;
                                               m_cancel = {};
                                               stopped();
                                               if (!result.found.isEmpty())
                                                   emit formsFound(result.found);
                                               showResult(result.error);
                                           });
}

void ConnectionTestRow::showResult(const ApiError &error)
{
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    QPalette pal = m_result->palette();
    if (error.isError()) {
        m_icon->setPixmap(Icons::get(Icons::Error).pixmap(iconSize, iconSize));
        m_result->setText(error.message());
        pal.setColor(QPalette::WindowText, QColor(0xc9, 0x37, 0x2c));
    } else {
        m_icon->setPixmap(Icons::get(Icons::Ok).pixmap(iconSize, iconSize));
        m_result->setText(tr("Connected"));
        pal.setColor(QPalette::WindowText, QColor(0x2e, 0x8b, 0x57));
    }
    m_result->setPalette(pal);
    m_icon->show();
    emit finished();
}

} // namespace parley
