#include "session/WorkspaceSession.h"

#include "controllers/ApprovalController.h"
#include "controllers/ConnectorLinker.h"
#include "controllers/FollowController.h"
#include "controllers/FollowUpQueueController.h"
#include "controllers/ListRefresher.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "controllers/WaitWatch.h"
#include "core/ConversationDetail.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "store/Settings.h"

#include <QTimer>

namespace parley {

WorkspaceSession::WorkspaceSession(Workspace workspace, const AppServices &services,
                                   QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_services(services)
    , m_list(new ConversationListModel(this))
    , m_refresher(new ListRefresher(m_list, this))
    , m_transcript(new TranscriptController(this))
    , m_replies(new ReplyController(m_transcript, this))
    , m_follow(new FollowController(m_transcript, m_replies, this))
    , m_approvals(new ApprovalController(m_transcript, m_replies, this))
    , m_wait(new WaitWatch(m_list, m_transcript, platformName(), this))
{
    // Replies Parley started are taken up again after a restart, where the platform can;
    // a demo workspace keeps them for this run only.
    if (Settings *settings = m_services.settings; settings && !m_workspace.demo) {
        const QUuid id = m_workspace.id;
        m_follow->setResumeStore(
            [settings, id](const QString &conversation) {
                return settings->resumePoint(id, conversation);
            },
            [settings, id](const QString &conversation, const QString &point) {
                settings->setResumePoint(id, conversation, point);
            });
    } else {
        auto points = std::make_shared<QHash<QString, QString>>();
        m_follow->setResumeStore(
            [points](const QString &conversation) { return points->value(conversation); },
            [points](const QString &conversation, const QString &point) {
                if (point.isEmpty())
                    points->remove(conversation);
                else
                    points->insert(conversation, point);
            });
    }
    if (const Settings *settings = m_services.settings)
        m_refresher->setInterval(
            std::chrono::seconds(settings->listViewState(m_workspace.id).refreshSeconds));
    // A transcript fetched again (after a reply, a cancel, F5) updates its row in the list.
    connect(m_transcript, &TranscriptController::loaded, this, [this](const QString &id) {
        const Conversation &summary = m_transcript->model()->summary();
        if (summary.id == id)
            m_list->refreshState(summary);
    });
}

WorkspaceSession::~WorkspaceSession()
{
    // The models hold the provider by pointer: let go of it before it is destroyed.
    m_replies->drop();
    m_transcript->setProvider(nullptr);
    m_list->setProvider(nullptr);
}

QString WorkspaceSession::platformName() const
{
    const PlatformInfo info = ProviderRegistry::platform(m_workspace.platform);
    return info.id.isEmpty() ? m_workspace.platform : info.displayName;
}

void WorkspaceSession::open()
{
    if (m_state == State::ReadingKey || m_state == State::Open)
        return;
    m_state = State::ReadingKey;
    m_problem.clear();
    emit stateChanged();
    if (!m_services.keys) {
        const quint64 ticket = ++m_keyTicket;
        // Never from inside the caller's own call.
        QTimer::singleShot(0, this, [this, ticket] {
            if (ticket == m_keyTicket)
                onKey(KeyResult::failure(KeyResult::Status::NoBackend, QString()));
        });
        return;
    }
    const quint64 ticket = ++m_keyTicket;
    m_services.keys->readKey(KeyStore::keyName(m_workspace.platform, m_workspace.id), this,
                             [this, ticket](const KeyResult &result) {
                                 if (ticket == m_keyTicket)
                                     onKey(result);
                             });
}

void WorkspaceSession::openWithKey(QByteArray key)
{
    ++m_keyTicket; // a keychain read under way no longer counts
    onKey(KeyResult::success(std::move(key)));
}

void WorkspaceSession::fail(const QString &problem)
{
    m_state = State::Failed;
    m_problem = problem;
    emit stateChanged();
}

void WorkspaceSession::onKey(const KeyResult &result)
{
    if (!result.ok()) {
        switch (result.status) {
        case KeyResult::Status::NotFound:
            fail(tr("No API key stored for this workspace. Edit the workspace to enter one."));
            break;
        case KeyResult::Status::NoBackend:
            fail(tr("No API key stored for this workspace: no keychain is available, and no "
                    "key is held in memory for this session. Edit the workspace to enter one."));
            break;
        default:
            fail(tr("The API key could not be read from the keychain: %1").arg(result.message));
            break;
        }
        return;
    }
    std::unique_ptr<Provider> made =
        m_services.makeProvider
            ? m_services.makeProvider(m_workspace, result.secret, m_services.http)
            : ProviderRegistry::create(m_workspace, result.secret, m_services.http);
    if (!made) {
        fail(tr("Parley does not know the platform “%1”.").arg(m_workspace.platform));
        return;
    }
    m_provider = std::move(made);
    // The list starts when a view first shows it (with the query the user left it with).
    m_transcript->setProvider(m_provider.get());
    m_state = State::Open;
    emit stateChanged();
}

bool WorkspaceSession::startList(const ListQuery &query)
{
    if (!m_provider || hasStartedList())
        return false;
    m_list->setQuery(query);
    m_list->setProvider(m_provider.get());
    return true;
}

bool WorkspaceSession::hasStartedList() const
{
    return m_list->provider() != nullptr;
}

Capabilities WorkspaceSession::capabilities() const
{
    return m_provider ? m_provider->capabilities() : Capabilities{};
}

ConversationDetail WorkspaceSession::openConversation() const
{
    const TranscriptModel *model = m_transcript->model();
    ConversationDetail detail;
    detail.summary = model->summary();
    detail.properties = model->properties();
    // Turns streamed into a platform that keeps no transcript are shown all the same.
    detail.hasTranscript = model->hasTranscript() || model->rowCount() > 0;
    detail.transcriptNote = model->transcriptNote();
    const int row = m_list->rowOfId(m_transcript->conversationId());
    if (const std::optional<Conversation> c = m_list->conversationAt(row)) {
        Conversation &s = detail.summary;
        if (s.id.isEmpty())
            s.id = c->id;
        if (s.title.isEmpty())
            s.title = c->title;
        if (s.status.isEmpty())
            s.status = c->status;
        if (s.kind.isEmpty())
            s.kind = c->kind;
        if (s.owner.isEmpty())
            s.owner = c->owner;
        if (!s.createdAt.isValid())
            s.createdAt = c->createdAt;
        if (!s.updatedAt.isValid())
            s.updatedAt = c->updatedAt;
    }
    return detail;
}

bool WorkspaceSession::canWrite() const
{
    return isOpen() && (can(Capabilities::Send) || can(Capabilities::Append)) &&
           !m_transcript->conversationId().isEmpty();
}

bool WorkspaceSession::canEditFollowUps() const
{
    return isOpen() && can(Capabilities::FollowUps) && !m_transcript->conversationId().isEmpty();
}

Result<QString> WorkspaceSession::conversationIdIn(const QString &text) const
{
    if (!m_provider)
        return ApiError::config(tr("The workspace is not open."));
    return m_provider->conversationIdIn(text);
}

QList<FieldSuggestion> WorkspaceSession::createSuggestions() const
{
    QList<FieldSuggestion> seen;
    if (!m_provider)
        return seen;
    for (const WorkspaceField &field : m_provider->capabilities().createFields)
        seen += m_provider->suggestions(field.key);
    return seen;
}

RequestHandle WorkspaceSession::queueFollowUp(const QString &conversationId, const QString &text,
                                              QObject *context, Provider::Done<FollowUpQueue> done)
{
    if (!m_provider || !can(Capabilities::FollowUps)) {
        const ApiError error =
            ApiError::make(ApiError::Kind::Config, tr("This platform keeps no follow-up queue."));
        QTimer::singleShot(0, context, [done = std::move(done), error] { done(error); });
        return {};
    }
    FollowUpChange change;
    change.op = FollowUpChange::Op::Add;
    change.text = text;
    return m_provider->changeFollowUps(conversationId, change, context, std::move(done));
}

RequestHandle WorkspaceSession::fetchRequirements(const QString &userId, QObject *context,
                                                  Provider::Done<RequirementStatus> done)
{
    if (!m_provider) {
        const ApiError error =
            ApiError::make(ApiError::Kind::Config, tr("The workspace is not open."));
        QTimer::singleShot(0, context, [done = std::move(done), error] { done(error); });
        return {};
    }
    return m_provider->fetchRequirements(userId, context, std::move(done));
}

ConnectorLinker *WorkspaceSession::newConnectorLinker(QObject *parent) const
{
    return new ConnectorLinker(m_provider.get(), parent);
}

void WorkspaceSession::bindFollowUps(FollowUpQueueController *controller,
                                     const QString &conversationId) const
{
    controller->setConversation(m_provider.get(), conversationId);
}

} // namespace parley
