#include "controllers/TranscriptController.h"

#include "core/Logging.h"
#include "models/TranscriptModel.h"
#include "providers/Provider.h"

namespace parley {

TranscriptController::TranscriptController(QObject *parent)
    : QObject(parent)
    , m_model(new TranscriptModel(this))
{}

TranscriptController::~TranscriptController()
{
    cancelInFlight();
}

void TranscriptController::setProvider(Provider *provider)
{
    if (provider == m_provider)
        return;
    if (m_provider)
        disconnect(m_provider, &QObject::destroyed, this, nullptr);
    m_provider = provider;
    if (provider)
        connect(provider, &QObject::destroyed, this, &TranscriptController::forget);
    // Ids belong to a provider: whatever was open is gone.
    forget();
}

Provider *TranscriptController::provider() const
{
    return m_provider;
}

void TranscriptController::open(const QString &id)
{
    if (id == m_id && (m_inFlight || m_loaded))
        return;
    startOver(id);
    if (!m_id.isEmpty())
        request();
    emit stateChanged();
}

void TranscriptController::reload()
{
    if (m_id.isEmpty())
        return;
    cancelInFlight();
    m_error = {};
    m_summaryOnly = false;
    request();
    emit stateChanged();
}

void TranscriptController::refreshSummary()
{
    if (m_id.isEmpty() || !m_loaded || m_inFlight)
        return;
    m_summaryOnly = true;
    request();
}

void TranscriptController::retry()
{
    if (!m_error.isError() || m_inFlight || m_id.isEmpty())
        return;
    m_error = {};
    request();
    emit stateChanged();
}

void TranscriptController::stop()
{
    if (!m_inFlight || m_summaryOnly)
        return;
    cancelInFlight();
    m_error = ApiError::make(ApiError::Kind::Timeout, tr("you stopped waiting for it"));
    emit stateChanged();
}

void TranscriptController::cancelInFlight()
{
    ++m_ticket; // first: a callback run synchronously by cancel() is stale
    m_inFlight = false;
    m_summaryOnly = false;
    RequestHandle handle = std::exchange(m_handle, RequestHandle());
    handle.cancel();
}

void TranscriptController::request()
{
    if (!m_provider) {
        m_error = ApiError::make(ApiError::Kind::Config, tr("No workspace is open."));
        return;
    }
    const quint64 ticket = ++m_ticket;
    m_inFlight = true;
    RequestHandle handle =
        m_provider->fetchConversation(m_id, this, [this, ticket](Result<ConversationDetail> r) {
            onDetail(ticket, std::move(r));
        });
    if (m_inFlight && ticket == m_ticket)
        m_handle = handle;
}

void TranscriptController::onDetail(quint64 ticket, Result<ConversationDetail> result)
{
    if (ticket != m_ticket || !m_inFlight) {
        qCDebug(lcModels) << "dropping a stale transcript";
        return;
    }
    m_inFlight = false;
    m_handle = {};
    const bool summaryOnly = std::exchange(m_summaryOnly, false);
    if (!result.ok() && summaryOnly) {
        qCInfo(lcModels).noquote()
            << "transcript refresh failed:" << ApiError::kindName(result.error().kind);
        return;
    }
    if (result.ok()) {
        m_running = result.value().running;
        m_runId = result.value().runId;
        m_approvals = result.value().approvals;
    }
    if (summaryOnly && sameTurns(result.value().turns)) {
        ConversationDetail detail = std::move(result).value();
        m_model->setSummary(std::move(detail.summary), std::move(detail.properties));
        emit loaded(m_id);
        return;
    }
    if (!result.ok()) {
        if (result.error().kind != ApiError::Kind::Canceled) {
            m_error = result.error();
            qCInfo(lcModels).noquote() << "transcript failed:" << ApiError::kindName(m_error.kind);
        }
        emit stateChanged();
        return;
    }
    m_model->setDetail(std::move(result).value());
    m_loaded = true;
    emit stateChanged();
    emit loaded(m_id);
}

bool TranscriptController::sameTurns(const QList<Turn> &turns) const
{
    if (turns.size() != m_model->rowCount())
        return false;
    for (int row = 0; row < turns.size(); ++row) {
        const Turn *shown = m_model->turnAt(row);
        if (!shown || shown->id != turns.at(row).id || shown->state != turns.at(row).state ||
            shown->plainText() != turns.at(row).plainText())
            return false;
    }
    return true;
}

void TranscriptController::startOver(const QString &id)
{
    cancelInFlight();
    m_id = id;
    m_loaded = false;
    m_error = {};
    m_running = false;
    m_runId.clear();
    m_approvals.clear();
    m_model->clear();
}

void TranscriptController::forget()
{
    startOver({});
    emit stateChanged();
}

} // namespace parley
