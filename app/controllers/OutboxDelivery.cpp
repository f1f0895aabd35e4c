#include "controllers/OutboxDelivery.h"

#include "core/ConversationDetail.h"
#include "core/Logging.h"
#include "providers/Provider.h"
#include "store/Outbox.h"

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parley {

namespace {

using State = OutboxEntry::State;

// What a platform keeps of a message: surrounding whitespace goes (DRF trims), line ends
// may come back as \n.
QString normalized(QString text)
{
    text.replace(u"\r\n"_s, u"\n"_s);
    return text.trimmed();
}

QString shortId(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).left(8);
}

} // namespace

OutboxDelivery::OutboxDelivery(Outbox *outbox, ProviderSource source, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_source(std::move(source))
{
    load();
}

OutboxDelivery::~OutboxDelivery()
{
    m_closing = true;
    // Requests still in flight are dropped: an append among them stays Sending on disk and
    // is checked as Unknown when the outbox is opened again.
    for (auto &[key, lane] : m_lanes) {
        ++lane->ticket;
        lane->current = {};
        std::exchange(lane->handle, {}).cancel();
    }
    m_providers.clear();
}

void OutboxDelivery::load()
{
    if (!m_outbox || !m_outbox->isOpen())
        return;
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-kKeepSentDays);
    if (m_outbox->removeSentBefore(cutoff) < 0)
        qCWarning(lcModels).noquote() << "append queue: old entries not pruned";
    bool ok = false;
    m_entries = m_outbox->entries(false, &ok);
    if (!ok)
        qCWarning(lcModels).noquote() << "append queue: the outbox could not be read";
    for (const OutboxEntry &e : std::as_const(m_entries)) {
        m_stored.insert(e.clientId, e.state);
        laneFor(e);
    }
    if (!m_entries.isEmpty()) {
        qCInfo(lcModels) << "append queue: resuming" << m_entries.size() << "entries";
        schedulePump();
    }
}

bool OutboxDelivery::isAvailable() const
{
    return m_outbox && m_outbox->isOpen();
}

QString OutboxDelivery::unavailableReason() const
{
    if (!m_outbox)
        return tr("There is no local outbox to keep messages in.");
    if (!m_outbox->isOpen())
        return m_outbox->errorString();
    return {};
}

QUuid OutboxDelivery::enqueue(const QUuid &workspaceId, const QString &conversationId,
                              const QString &text, QString *error)
{
    QString why;
    if (!isAvailable())
        why = unavailableReason();
    else if (workspaceId.isNull())
        why = tr("No workspace is selected.");
    else if (conversationId.isEmpty())
        why = tr("No conversation is open.");
    else if (text.trimmed().isEmpty())
        why = tr("Type a message first.");
    if (why.isEmpty()) {
        const std::optional<OutboxEntry> saved = m_outbox->add(workspaceId, conversationId, text);
        if (saved) {
            m_entries.append(*saved);
            m_stored.insert(saved->clientId, saved->state);
            laneFor(*saved);
            qCInfo(lcModels).noquote() << "append queue: saved" << shortId(saved->clientId);
            emit entryAdded(saved->clientId);
            schedulePump();
            return saved->clientId;
        }
        why = m_outbox->errorString();
    }
    if (error)
        *error = why;
    return {};
}

bool OutboxDelivery::retry(const QUuid &clientId)
{
    const OutboxEntry *found = find(clientId);
    if (!found || m_closing)
        return false;
    OutboxEntry e = *found;
    Lane &lane = laneFor(e);
    const QString key = laneKey(e.workspaceId, e.conversationId);
    if (e.state == State::Failed) {
        // Where an earlier attempt may have arrived, look before sending again; where
        // there is nothing to look in, the user has decided to send it.
        e.state = e.inDoubt && e.baseline >= 0 ? State::Unknown : State::Pending;
        if (e.state == State::Pending)
            e.inDoubt = false;
        e.lastError.clear();
        if (!commit(e))
            return false;
        stopTimer(lane);
        lane.failures = 0;
        notifyLane(key);
        schedulePump();
        return true;
    }
    const OutboxEntry *first = head(key);
    if (lane.timer->isActive() && first && first->clientId == clientId) {
        stopTimer(lane);
        lane.failures = 0;
        notifyLane(key);
        schedulePump();
        return true;
    }
    return false;
}

bool OutboxDelivery::discard(const QUuid &clientId, QString *error)
{
    const OutboxEntry *found = find(clientId);
    if (!found) {
        if (error)
            *error = tr("The message is no longer in the outbox.");
        return false;
    }
    const OutboxEntry e = *found;
    Lane &lane = laneFor(e);
    if (lane.current == clientId && lane.appending) {
        if (error)
            *error = tr("The message is being sent right now; wait for the answer.");
        return false;
    }
    if (!m_outbox->remove(clientId)) {
        if (error)
            *error = m_outbox->errorString();
        return false;
    }
    const QString key = laneKey(e.workspaceId, e.conversationId);
    const OutboxEntry *first = head(key);
    if (first && first->clientId == clientId) {
        stopTimer(lane);
        lane.failures = 0;
    }
    if (lane.current == clientId) {
        ++lane.ticket;
        lane.current = {};
        std::exchange(lane.handle, {}).cancel();
    }
    qCInfo(lcModels).noquote() << "append queue: discarded" << shortId(clientId);
    removeEntry(clientId);
    notifyLane(key);
    schedulePump();
    return true;
}

void OutboxDelivery::resetProvider(const QUuid &workspaceId)
{
    ++m_providerGeneration[workspaceId];
    m_providerRequested.remove(workspaceId);
    const std::shared_ptr<Provider> old = m_providers.take(workspaceId);
    for (auto &[key, lane] : m_lanes) {
        if (lane->workspaceId == workspaceId && !lane->current.isNull())
            abandon(*lane);
    }
    schedulePump();
}

std::optional<OutboxEntry> OutboxDelivery::entry(const QUuid &clientId) const
{
    const OutboxEntry *e = find(clientId);
    if (!e)
        return std::nullopt;
    return *e;
}

OutboxDelivery::Status OutboxDelivery::status(const QUuid &clientId) const
{
    const OutboxEntry *e = find(clientId);
    if (!e)
        return Status::Queued;
    if (e->state == State::Failed)
        return Status::Failed;
    const QString key = laneKey(e->workspaceId, e->conversationId);
    const Lane *lane = laneAt(key);
    if (lane && lane->current == clientId)
        return lane->appending || e->state == State::Pending ? Status::Sending : Status::Checking;
    const OutboxEntry *first = head(key);
    if (first && first->clientId != clientId)
        return first->state == State::Failed ? Status::Blocked : Status::Queued;
    if (lane && lane->timer->isActive())
        return Status::Waiting;
    return Status::Queued;
}

QString OutboxDelivery::statusText(const QUuid &clientId) const
{
    const OutboxEntry *e = find(clientId);
    if (!e)
        return {};
    switch (status(clientId)) {
    case Status::Queued:
        return tr("Waiting to be sent.");
    case Status::Sending:
        return tr("Sending…");
    case Status::Checking:
        return tr("Checking whether an earlier attempt arrived…");
    case Status::Waiting:
        if (e->state == State::Unknown) {
            return tr("Not confirmed yet: %1 Parley checks the conversation and sends it again "
                      "only if it did not arrive.")
                .arg(e->lastError);
        }
        return tr("Not sent yet: %1 Parley tries again automatically.").arg(e->lastError);
    case Status::Blocked:
        return tr("Waiting: an earlier message to this conversation failed.");
    case Status::Failed:
        return e->lastError.isEmpty() ? tr("Not sent.") : e->lastError;
    }
    return {};
}

QDateTime OutboxDelivery::nextAttempt(const QUuid &clientId) const
{
    if (status(clientId) != Status::Waiting)
        return {};
    const OutboxEntry *e = find(clientId);
    const Lane *lane = laneAt(laneKey(e->workspaceId, e->conversationId));
    return lane ? lane->nextAttempt : QDateTime();
}

bool OutboxDelivery::canRetry(const QUuid &clientId) const
{
    const Status s = status(clientId);
    return find(clientId) && (s == Status::Failed || s == Status::Waiting);
}

bool OutboxDelivery::canDiscard(const QUuid &clientId) const
{
    const OutboxEntry *e = find(clientId);
    if (!e)
        return false;
    const Lane *lane = laneAt(laneKey(e->workspaceId, e->conversationId));
    return !(lane && lane->current == clientId && lane->appending);
}

void OutboxDelivery::setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds max)
{
    m_firstDelay = std::max(first, std::chrono::milliseconds(1));
    m_maxDelay = std::max(max, m_firstDelay);
}

Turn OutboxDelivery::deliveredTurn(const QString &remoteId, const QString &text)
{
    Turn t;
    t.id = remoteId;
    t.role = Turn::Role::Assistant;
    t.timestamp = QDateTime::currentDateTimeUtc();
    Fragment f;
    f.kind = Fragment::Kind::Text;
    f.text = text;
    t.fragments.append(f);
    return t;
}

int OutboxDelivery::countMatching(const ConversationDetail &detail, const QString &text,
                                  QString *lastId)
{
    const QString wanted = normalized(text);
    int n = 0;
    for (const Turn &t : detail.turns) {
        if (normalized(t.plainText()) != wanted)
            continue;
        ++n;
        if (lastId)
            *lastId = t.id;
    }
    return n;
}

// --- scheduling ---

QString OutboxDelivery::laneKey(const QUuid &workspaceId, const QString &conversationId)
{
    return workspaceId.toString(QUuid::WithoutBraces) + u'\n' + conversationId;
}

OutboxDelivery::Outcome OutboxDelivery::classify(const ApiError &error)
{
    switch (error.kind) {
    case ApiError::Kind::Auth:
    case ApiError::Kind::Forbidden:
    case ApiError::Kind::NotFound:
    case ApiError::Kind::Invalid:
    case ApiError::Kind::Quota:
    case ApiError::Kind::Config:
        return Outcome::Definite;
    case ApiError::Kind::RateLimited:
    case ApiError::Kind::Conflict:
        return Outcome::Transient;
    case ApiError::Kind::None:
    case ApiError::Kind::Network:
    case ApiError::Kind::Timeout:
    case ApiError::Kind::Canceled:
    case ApiError::Kind::Server:
    case ApiError::Kind::BadResponse:
        break;
    }
    return Outcome::Uncertain;
}

void OutboxDelivery::schedulePump()
{
    if (m_pumpScheduled || m_closing)
        return;
    m_pumpScheduled = true;
    QTimer::singleShot(0, this, [this]() {
        m_pumpScheduled = false;
        pump();
    });
}

void OutboxDelivery::pump()
{
    QStringList keys;
    for (const OutboxEntry &e : std::as_const(m_entries)) {
        const QString key = laneKey(e.workspaceId, e.conversationId);
        if (!keys.contains(key))
            keys.append(key);
    }
    for (const QString &key : std::as_const(keys))
        step(key);
}

void OutboxDelivery::step(const QString &key)
{
    Lane *lane = laneAt(key);
    if (m_closing || !lane || !lane->current.isNull() || lane->timer->isActive())
        return;
    const OutboxEntry *first = head(key);
    if (!first) {
        lane->failures = 0;
        return;
    }
    if (first->state == State::Failed || first->state == State::Sent)
        return;
    Provider *p = provider(lane->workspaceId);
    if (!p) {
        requestProvider(lane->workspaceId);
        return;
    }
    const OutboxEntry e = *first;
    if (e.state == State::Unknown || e.state == State::Sending)
        reconcile(*lane, p, e);
    else if (e.baseline == OutboxEntry::kBaselineNotTaken)
        takeBaseline(*lane, p, e);
    else
        send(*lane, p, e.clientId);
}

const OutboxEntry *OutboxDelivery::head(const QString &key) const
{
    for (const OutboxEntry &e : m_entries) {
        if (laneKey(e.workspaceId, e.conversationId) == key)
            return &e;
    }
    return nullptr;
}

const OutboxEntry *OutboxDelivery::find(const QUuid &clientId) const
{
    for (const OutboxEntry &e : m_entries) {
        if (e.clientId == clientId)
            return &e;
    }
    return nullptr;
}

OutboxDelivery::Lane &OutboxDelivery::laneFor(const OutboxEntry &entry)
{
    const QString key = laneKey(entry.workspaceId, entry.conversationId);
    auto it = m_lanes.find(key);
    if (it != m_lanes.end())
        return *it->second;
    auto lane = std::make_unique<Lane>();
    lane->workspaceId = entry.workspaceId;
    lane->conversationId = entry.conversationId;
    lane->timer = new QTimer(this);
    lane->timer->setSingleShot(true);
    connect(lane->timer, &QTimer::timeout, this, [this, key]() {
        if (Lane *l = laneAt(key)) {
            l->nextAttempt = {};
            notifyLane(key);
            step(key);
        }
    });
    Lane &ref = *lane;
    m_lanes.emplace(key, std::move(lane));
    return ref;
}

OutboxDelivery::Lane *OutboxDelivery::laneAt(const QString &key) const
{
    const auto it = m_lanes.find(key);
    return it == m_lanes.end() ? nullptr : it->second.get();
}

Provider *OutboxDelivery::provider(const QUuid &workspaceId)
{
    const auto it = m_providers.constFind(workspaceId);
    return it == m_providers.constEnd() ? nullptr : it->get();
}

void OutboxDelivery::requestProvider(const QUuid &workspaceId)
{
    if (m_providerRequested.value(workspaceId))
        return;
    m_providerRequested.insert(workspaceId, true);
    const quint64 generation = m_providerGeneration.value(workspaceId);
    if (!m_source) {
        onProviderReady(workspaceId, generation, nullptr,
                        ApiError::make(ApiError::Kind::Config,
                                       tr("Parley has no way to reach this workspace")));
        return;
    }
    QPointer<OutboxDelivery> self(this);
    m_source(workspaceId, this,
             [self, workspaceId, generation](std::shared_ptr<Provider> p, ApiError error) {
                 if (self)
                     self->onProviderReady(workspaceId, generation, std::move(p), error);
             });
}

void OutboxDelivery::onProviderReady(const QUuid &workspaceId, quint64 generation,
                                     std::shared_ptr<Provider> p, const ApiError &error)
{
    if (m_closing || generation != m_providerGeneration.value(workspaceId))
        return; // reset meanwhile: ask again when needed
    m_providerRequested.remove(workspaceId);
    if (p) {
        m_providers.insert(workspaceId, std::move(p));
        schedulePump();
        return;
    }
    const QString message = error.isError() ? error.message()
                                            : ApiError::make(ApiError::Kind::Config,
                                                             tr("no provider for this workspace"))
                                                  .message();
    qCInfo(lcModels).noquote() << "append queue: no provider for a workspace:"
                               << ApiError::kindName(error.kind);
    for (auto &[key, lane] : m_lanes) {
        if (lane->workspaceId != workspaceId || !lane->current.isNull())
            continue;
        const OutboxEntry *first = head(key);
        if (first && first->state != State::Failed)
            fail(*lane, *first, message);
    }
}

// --- one entry's delivery ---

void OutboxDelivery::takeBaseline(Lane &lane, Provider *p, const OutboxEntry &entry)
{
    lookUp(lane, p, entry, Lookup::Baseline);
}

void OutboxDelivery::lookUp(Lane &lane, Provider *p, const OutboxEntry &entry, Lookup why)
{
    const QString key = laneKey(entry.workspaceId, entry.conversationId);
    const QUuid id = entry.clientId;
    const quint64 ticket = ++lane.ticket;
    lane.current = id;
    lane.appending = false;
    lane.handle = p->fetchConversation(
        entry.conversationId, p, [this, key, ticket, id, why](Result<ConversationDetail> r) {
            OutboxEntry e;
            Lane *answered = answeredLane(key, ticket, id, &e);
            if (!answered)
                return;
            if (why == Lookup::Reconcile)
                e.state = State::Unknown; // an entry found Sending is checked like an Unknown one
            if (!r.ok()) {
                // A definite refusal fails the entry, anything else waits and looks again.
                const ApiError &error = r.error();
                if (classify(error) == Outcome::Definite)
                    fail(*answered, e, error.message());
                else
                    waitAndRetry(*answered, e, error.message(), error.retryAfterSeconds);
                return;
            }
            if (why == Lookup::Baseline)
                onBaseline(*answered, e, r.value());
            else
                onReconciled(*answered, e, r.value());
        });
    notifyLane(key);
}

OutboxDelivery::Lane *OutboxDelivery::answeredLane(const QString &key, quint64 ticket,
                                                   const QUuid &clientId, OutboxEntry *entry)
{
    Lane *lane = laneAt(key);
    if (m_closing || !lane || lane->ticket != ticket)
        return nullptr;
    lane->current = {};
    lane->appending = false;
    lane->handle = {};
    const OutboxEntry *found = find(clientId);
    if (!found) {
        schedulePump();
        return nullptr;
    }
    *entry = *found;
    return lane;
}

void OutboxDelivery::onBaseline(Lane &lane, OutboxEntry e, const ConversationDetail &detail)
{
    // Nothing was sent yet: count the matching messages there are before sending.
    e.baseline =
        detail.hasTranscript ? countMatching(detail, e.text) : OutboxEntry::kBaselineUncheckable;
    apply(e); // written together with the Sending state
    Provider *p = provider(lane.workspaceId);
    if (!p) {
        schedulePump();
        return;
    }
    send(lane, p, e.clientId);
}

void OutboxDelivery::send(Lane &lane, Provider *p, const QUuid &clientId)
{
    const OutboxEntry *found = find(clientId);
    if (!found)
        return;
    const OutboxEntry before = *found;
    OutboxEntry e = before;
    e.state = State::Sending;
    e.attempts += 1;
    e.inDoubt = true;
    e.lastError.clear();
    // The one write that makes exactly-once possible: on disk before the request exists.
    if (!commit(e)) {
        waitAndRetry(lane, before, m_outbox->errorString());
        return;
    }
    const QString key = laneKey(e.workspaceId, e.conversationId);
    const quint64 ticket = ++lane.ticket;
    lane.current = clientId;
    lane.appending = true;
    qCInfo(lcModels).noquote() << "append queue: sending" << shortId(clientId) << "attempt"
                               << e.attempts;
    lane.handle = p->appendMessage(
        e.conversationId, e.text, p,
        [this, key, ticket, clientId](Result<QString> r) { onAppended(key, ticket, clientId, r); });
    notifyLane(key);
}

void OutboxDelivery::onAppended(const QString &key, quint64 ticket, const QUuid &clientId,
                                const Result<QString> &result)
{
    OutboxEntry e;
    Lane *lane = answeredLane(key, ticket, clientId, &e);
    if (!lane)
        return;
    if (result.ok()) {
        markDelivered(*lane, e, result.value());
        return;
    }
    const ApiError &error = result.error();
    qCInfo(lcModels).noquote() << "append queue:" << shortId(clientId)
                               << "not delivered:" << ApiError::kindName(error.kind)
                               << error.httpStatus;
    switch (classify(error)) {
    case Outcome::Definite:
        e.inDoubt = false;
        fail(*lane, e, error.message());
        return;
    case Outcome::Transient:
        e.state = State::Pending;
        e.inDoubt = false;
        waitAndRetry(*lane, e, error.message(), error.retryAfterSeconds);
        return;
    case Outcome::Uncertain:
        e.state = State::Unknown;
        e.inDoubt = true;
        waitAndRetry(*lane, e, error.message(), error.retryAfterSeconds);
        return;
    }
}

void OutboxDelivery::reconcile(Lane &lane, Provider *p, const OutboxEntry &entry)
{
    if (entry.baseline < 0) {
        cannotTell(lane, entry);
        return;
    }
    lookUp(lane, p, entry, Lookup::Reconcile);
}

void OutboxDelivery::onReconciled(Lane &lane, OutboxEntry e, const ConversationDetail &detail)
{
    if (!detail.hasTranscript) {
        e.baseline = OutboxEntry::kBaselineUncheckable;
        cannotTell(lane, e);
        return;
    }
    QString lastId;
    const int count = countMatching(detail, e.text, &lastId);
    if (count > e.baseline) {
        qCInfo(lcModels).noquote()
            << "append queue:" << shortId(e.clientId) << "had arrived; not sent again";
        markDelivered(lane, e, lastId);
        return;
    }
    // It did not arrive: send it again, against the count as it is now.
    OutboxEntry again = e;
    again.state = State::Pending;
    again.inDoubt = false;
    again.baseline = count;
    again.lastError.clear();
    if (!commit(again)) {
        waitAndRetry(lane, e, m_outbox->errorString());
        return;
    }
    qCInfo(lcModels).noquote() << "append queue:" << shortId(e.clientId)
                               << "had not arrived; sending again";
    if (Provider *p = provider(lane.workspaceId))
        send(lane, p, e.clientId);
    else
        schedulePump();
}

// --- outcomes ---

void OutboxDelivery::cannotTell(Lane &lane, OutboxEntry entry)
{
    entry.inDoubt = true;
    const QString why = entry.baseline == OutboxEntry::kBaselineUncheckable
                            ? tr("this platform shows no transcript to look in.")
                            : tr("there is no earlier count to compare with.");
    fail(lane, entry,
         tr("Parley cannot tell whether this message arrived: %1 Check the conversation on "
            "the platform, then send it again (Retry) or discard it.")
             .arg(why));
}

bool OutboxDelivery::commit(const OutboxEntry &entry)
{
    OutboxEntry copy = entry;
    const State expected = m_stored.value(entry.clientId, entry.state);
    if (!m_outbox || !m_outbox->save(copy, expected)) {
        const QString message = m_outbox ? m_outbox->errorString() : unavailableReason();
        emit storageError(message);
        return false;
    }
    m_stored.insert(copy.clientId, copy.state);
    apply(copy);
    return true;
}

void OutboxDelivery::apply(const OutboxEntry &entry)
{
    for (OutboxEntry &e : m_entries) {
        if (e.clientId == entry.clientId) {
            e = entry;
            return;
        }
    }
}

void OutboxDelivery::record(const OutboxEntry &entry)
{
    if (!commit(entry))
        apply(entry);
}

void OutboxDelivery::markDelivered(Lane &lane, OutboxEntry entry, const QString &remoteId)
{
    entry.state = State::Sent;
    entry.remoteId = remoteId;
    entry.lastError.clear();
    entry.inDoubt = false;
    // Should this write fail, the entry is checked (and found) on the next start.
    commit(entry);
    lane.failures = 0;
    stopTimer(lane);
    qCInfo(lcModels).noquote() << "append queue: delivered" << shortId(entry.clientId);
    const QString key = laneKey(entry.workspaceId, entry.conversationId);
    m_entries.removeIf([&](const OutboxEntry &e) { return e.clientId == entry.clientId; });
    m_stored.remove(entry.clientId);
    emit delivered(entry.workspaceId, entry.conversationId, remoteId, entry.text);
    emit entryRemoved(entry.clientId);
    notifyLane(key);
    schedulePump();
}

void OutboxDelivery::fail(Lane &lane, OutboxEntry entry, const QString &message)
{
    entry.state = State::Failed;
    entry.lastError = message;
    record(entry);
    lane.failures = 0;
    stopTimer(lane);
    notifyLane(laneKey(entry.workspaceId, entry.conversationId));
}

void OutboxDelivery::waitAndRetry(Lane &lane, OutboxEntry entry, const QString &message,
                                  int retryAfterSeconds)
{
    entry.lastError = message;
    record(entry);
    lane.failures = std::min(lane.failures + 1, 30);
    std::chrono::milliseconds delay = m_firstDelay;
    for (int i = 1; i < lane.failures && delay < m_maxDelay; ++i)
        delay *= 2;
    delay = std::min(delay, m_maxDelay);
    if (retryAfterSeconds >= 0) {
        const auto asked = std::chrono::milliseconds(
            std::min<qint64>(retryAfterSeconds, kMaxRetryAfter.count()) * 1000);
        delay = std::max(delay, asked);
    }
    startTimer(lane, delay);
    notifyLane(laneKey(entry.workspaceId, entry.conversationId));
}

void OutboxDelivery::startTimer(Lane &lane, std::chrono::milliseconds delay)
{
    lane.nextAttempt = QDateTime::currentDateTimeUtc().addMSecs(delay.count());
    lane.timer->start(delay);
}

void OutboxDelivery::stopTimer(Lane &lane)
{
    lane.timer->stop();
    lane.nextAttempt = {};
}

void OutboxDelivery::abandon(Lane &lane)
{
    const QUuid id = lane.current;
    const bool wasAppending = lane.appending;
    ++lane.ticket;
    lane.current = {};
    lane.appending = false;
    std::exchange(lane.handle, {}).cancel();
    if (const OutboxEntry *found = find(id); found && wasAppending) {
        OutboxEntry e = *found;
        e.state = State::Unknown;
        e.inDoubt = true;
        record(e);
    }
    notifyLane(laneKey(lane.workspaceId, lane.conversationId));
}

void OutboxDelivery::removeEntry(const QUuid &clientId)
{
    m_entries.removeIf([&](const OutboxEntry &e) { return e.clientId == clientId; });
    m_stored.remove(clientId);
    emit entryRemoved(clientId);
}

void OutboxDelivery::notifyLane(const QString &key)
{
    if (m_closing)
        return;
    QList<QUuid> ids;
    for (const OutboxEntry &e : std::as_const(m_entries)) {
        if (laneKey(e.workspaceId, e.conversationId) == key)
            ids.append(e.clientId);
    }
    for (const QUuid &id : std::as_const(ids))
        emit entryChanged(id);
}

} // namespace parley
