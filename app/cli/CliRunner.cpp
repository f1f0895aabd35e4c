#include "cli/CliRunner.h"

#include "cli/ActionCommand.h"
#include "cli/ArgumentChecks.h"
#include "cli/Console.h"
#include "cli/ConversationJson.h"
#include "cli/ListCommand.h"
#include "cli/MarkdownTranscript.h"
#include "cli/RowWriter.h"
#include "cli/ShowCommand.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "secrets/KeyStore.h"
#include "session/WorkspaceSession.h"
#include "store/WorkspaceStore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

QString platformIds()
{
    QStringList ids;
    for (const PlatformInfo &info : ProviderRegistry::platforms())
        ids << info.id;
    return ids.join(u", "_s);
}

// The command-line spelling of a workspace setting, for error messages.
QString optionForField(const QString &field)
{
    if (field == "base_url"_L1)
        return u"--base-url"_s;
    if (field == "platform"_L1)
        return u"--provider"_s;
    return u"--param "_s + field;
}

} // namespace

CliRunner::CliRunner(CliOptions options, Console *console, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_console(console)
    , m_http(new HttpClient(this))
{
    RetryPolicy policy = m_http->retryPolicy();
    policy.maxRetries = m_options.retries;
    // A platform that never answers is reported within a minute, retries included.
    policy.giveUpAfterMs =
        qMax(CliOptions::kGiveUpAfterSeconds, m_options.requestTimeoutSeconds) * 1000;
    m_http->setRetryPolicy(policy);
    m_http->setTimeoutLimitMs(m_options.requestTimeoutSeconds * 1000);
    // A pause before a retry is said on stderr, so a script's log shows why it took long.
    connect(m_http, &HttpClient::retryScheduled, this,
            [this](QObject *, int seconds, const ApiError &cause) {
                m_console->status(
                    tr("%1; trying again in %n s", nullptr, seconds).arg(cause.message()));
            });
}

CliRunner::~CliRunner() = default;

void CliRunner::start()
{
    switch (m_options.command) {
    case CliOptions::Command::Workspaces:
        listWorkspaces();
        return;
    case CliOptions::Command::List:
    case CliOptions::Command::Show:
    case CliOptions::Command::Create:
    case CliOptions::Command::Send:
    case CliOptions::Command::Append:
    case CliOptions::Command::Cancel:
    case CliOptions::Command::Follow:
    case CliOptions::Command::Queue:
    case CliOptions::Command::Requirements:
    case CliOptions::Command::Link:
    case CliOptions::Command::Approve:
        if (!m_options.workspace.isEmpty())
            openSavedWorkspace();
        else
            openAdHocWorkspace();
        return;
    case CliOptions::Command::Help:
    case CliOptions::Command::Version:
        break;
    }
    finish(ExitCode::Ok);
}

bool CliRunner::keyFromEnvironment(QByteArray *key)
{
    const QByteArray name = m_options.keyEnv.toLatin1();
    *key = qgetenv(name.constData()).trimmed();
    if (key->isEmpty()) {
        fail(ExitCode::Auth,
             tr("No API key: the environment variable %1 is not set or empty. Set it (for "
                "example with: read -rs %1 && export %1) or name another one with --key-env.")
                 .arg(m_options.keyEnv));
        return false;
    }
    // Nothing started from here needs it.
    qunsetenv(name.constData());
    return true;
}

void CliRunner::openAdHocWorkspace()
{
    const PlatformInfo info = ProviderRegistry::platform(m_options.platform);
    if (info.id.isEmpty()) {
        fail(ExitCode::Usage, tr("Unknown platform “%1”: --provider is one of %2.")
                                  .arg(m_options.platform, platformIds()));
        return;
    }

    Workspace workspace;
    workspace.id = QUuid::createUuid();
    workspace.name = tr("command line");
    workspace.platform = info.id;
    if (!m_options.baseUrl.isEmpty())
        workspace.baseUrl = QUrl(m_options.baseUrl, QUrl::StrictMode);

    QStringList known;
    for (const WorkspaceField &field : info.fields) {
        known << field.key;
        if (!field.defaultValue.isEmpty())
            workspace.params.insert(field.key, field.defaultValue);
    }
    for (auto it = m_options.params.cbegin(); it != m_options.params.cend(); ++it) {
        if (!known.contains(it.key())) {
            // The message's own fields (checked against the platform's once it is known).
            if (takesMessageFields(m_options.command))
                continue;
            fail(ExitCode::Usage, known.isEmpty()
                                      ? tr("%1 takes no --param; “%2” is not one of its settings.")
                                            .arg(info.id, it.key())
                                      : tr("%1 has no setting “%2”; its --param names are: %3.")
                                            .arg(info.id, it.key(), known.join(u", "_s)));
            return;
        }
        workspace.params.insert(it.key(), it.value());
    }

    const QMap<QString, QString> problems = ProviderRegistry::validate(workspace);
    if (!problems.isEmpty()) {
        QStringList lines;
        for (auto it = problems.cbegin(); it != problems.cend(); ++it)
            lines << optionForField(it.key()) + u": "_s + it.value();
        fail(ExitCode::Usage,
             tr("The %1 workspace settings are not valid. %2").arg(info.id, lines.join(u' ')));
        return;
    }

    QByteArray key;
    if (!keyFromEnvironment(&key))
        return;
    run(workspace, std::move(key));
}

void CliRunner::run(const Workspace &workspace, QByteArray key)
{
    m_console->setSecret(key);
    // The same composition as the window's: a session makes the workspace's provider.
    AppServices services;
    services.http = m_http;
    m_session = std::make_unique<WorkspaceSession>(workspace, services);
    m_session->openWithKey(key);
    key.fill('\0');
    m_provider = m_session->provider();
    if (!m_provider) {
        fail(ExitCode::Usage,
             tr("Unknown platform “%1”: use one of %2.").arg(workspace.platform, platformIds()));
        return;
    }
    if (m_options.command == CliOptions::Command::Show) {
        runShow();
        return;
    }
    if (m_options.command != CliOptions::Command::List) {
        m_action = new ActionCommand(m_provider, m_options, m_console, this);
        connect(m_action, &ActionCommand::finished, this,
                [this](int code) { finish(ExitCode(code)); });
        m_action->start();
        return;
    }
    ListQuery query;
    if (checkListArguments(&query))
        runList(query);
}

bool CliRunner::checkListArguments(ListQuery *query)
{
    const QString problem = cli::checkListArguments(m_options, m_provider->capabilities(),
                                                    m_provider->platform(), query);
    if (!problem.isEmpty())
        fail(ExitCode::Usage, problem);
    return problem.isEmpty();
}

void CliRunner::runList(const ListQuery &query)
{
    m_writer = std::make_unique<RowWriter>(m_options.format, m_console->out(),
                                           ConversationJson::rowColumns());
    m_list = new ListCommand(m_provider, query, m_options.limit, m_writer.get(), this);
    if (m_options.parallel > 0)
        m_list->setParallel(m_options.parallel);
    // Untranslated, for scripts: the row is left out of every format, the run goes on.
    connect(m_list, &ListCommand::unreadableRow, this, [this](const Conversation &row) {
        m_console->warning(u"unreadable conversation %1: %2"_s.arg(
            row.id.isEmpty() ? u"(no id)"_s : row.id, row.unreadableWhy()));
    });
    m_list->start([this](const ApiError &error) {
        // Degrade, never discard: rows that arrived before a failure are printed whole first.
        if (!error || m_list->written() > 0) {
            m_writer->finish();
            m_console->status(m_list->summary());
        }
        if (error) {
            failRequest(error);
            return;
        }
        finish(ExitCode::Ok);
    });
}

void CliRunner::runShow()
{
    auto *show = new ShowCommand(m_provider, m_options.id, this);
    show->start([this, show](Result<ConversationDetail> r) {
        if (!r.ok()) {
            failRequest(r.error());
            return;
        }
        if (!show->searchNote().isEmpty())
            m_console->status(show->searchNote());
        const QString platform = m_provider->platform();
        // Untranslated, for scripts: what could not be read, shown in its place.
        if (r.value().summary.isUnreadable())
            m_console->warning(u"unreadable conversation %1: %2"_s.arg(
                r.value().summary.id, r.value().summary.unreadableWhy()));
        for (const Turn &t : r.value().turns) {
            if (t.isUnreadable())
                m_console->warning(u"unreadable message %1: %2"_s.arg(
                    t.id.isEmpty() ? u"(no id)"_s : t.id, t.unreadable));
        }
        QByteArray text;
        if (m_options.showFormat == CliOptions::ShowFormat::Json)
            text = QJsonDocument(ConversationJson::detail(r.value(), platform))
                       .toJson(QJsonDocument::Indented);
        else
            text = markdownTranscript(r.value(), platform).toUtf8();
        m_console->out()->write(text);
        m_console->out()->flush();
        finish(ExitCode::Ok);
    });
}

std::unique_ptr<WorkspaceStore> CliRunner::openStore() const
{
    return m_options.settingsFile.isEmpty()
               ? std::make_unique<WorkspaceStore>()
               : std::make_unique<WorkspaceStore>(m_options.settingsFile);
}

void CliRunner::listWorkspaces()
{
    const auto store = openStore();
    const QStringList columns{u"id"_s, u"name"_s, u"platform"_s, u"base_url"_s, u"params"_s};
    RowWriter writer(m_options.format, m_console->out(), columns);
    for (const Workspace &w : store->workspaces()) {
        if (w.demo)
            continue;
        QJsonObject params;
        QStringList paramCells;
        for (auto it = w.params.cbegin(); it != w.params.cend(); ++it) {
            params.insert(it.key(), it.value());
            paramCells << it.key() + u'=' + it.value();
        }
        const QString id = w.id.toString(QUuid::WithoutBraces);
        const QString baseUrl = w.baseUrl.toString();
        writer.write(QJsonObject{{u"id"_s, id},
                                 {u"name"_s, w.name},
                                 {u"platform"_s, w.platform},
                                 {u"base_url"_s, baseUrl},
                                 {u"params"_s, params}},
                     {id, w.name, w.platform, baseUrl, paramCells.join(u';')});
    }
    writer.finish();
    finish(ExitCode::Ok);
}

void CliRunner::openSavedWorkspace()
{
    const auto store = openStore();
    const QString wanted = m_options.workspace.trimmed();
    const QUuid wantedId = QUuid::fromString(wanted);
    QList<Workspace> matches;
    for (const Workspace &w : store->workspaces()) {
        if (w.demo)
            continue;
        if ((!wantedId.isNull() && w.id == wantedId) || w.name == wanted)
            matches << w;
    }
    if (matches.isEmpty()) {
        fail(ExitCode::Usage, tr("No saved workspace is called “%1”; parley-cli workspaces "
                                 "lists them.")
                                  .arg(wanted));
        return;
    }
    if (matches.size() > 1) {
        QStringList ids;
        for (const Workspace &w : std::as_const(matches))
            ids << w.id.toString(QUuid::WithoutBraces);
        fail(ExitCode::Usage, tr("Several workspaces are called “%1”; name one by its id: %2.")
                                  .arg(wanted, ids.join(u", "_s)));
        return;
    }
    const Workspace workspace = matches.constFirst();

    const QMap<QString, QString> problems = ProviderRegistry::validate(workspace);
    if (!problems.isEmpty()) {
        fail(ExitCode::Usage, tr("The workspace “%1” has invalid settings (%2); fix it in Parley.")
                                  .arg(workspace.name, QStringList(problems.values()).join(u' ')));
        return;
    }

    if (m_options.keyEnvSet) {
        QByteArray key;
        if (keyFromEnvironment(&key))
            run(workspace, std::move(key));
        return;
    }
    m_keys = new KeyStore(this);
    m_keys->readKey(
        KeyStore::keyName(workspace.platform, workspace.id), this,
        [this, workspace](const KeyResult &result) {
            if (result.ok()) {
                run(workspace, result.secret);
                return;
            }
            const QString hint = tr("Enter the key in Parley's workspace settings, or pass it in "
                                    "the environment with --key-env.");
            fail(ExitCode::Auth,
                 result.status == KeyResult::Status::NotFound
                     ? tr("No API key is stored for the workspace “%1”.").arg(workspace.name) +
                           u' ' + hint
                     : tr("Cannot read the API key of “%1” from the keychain: %2")
                               .arg(workspace.name, result.message) +
                           u' ' + hint);
        });
}

void CliRunner::interrupt()
{
    if (m_finished)
        return;
    if (m_action) {
        m_action->interrupt();
        return;
    }
    fail(ExitCode::Interrupted, tr("interrupted"));
}

void CliRunner::failRequest(const ApiError &error)
{
    fail(exitCodeFor(error), error.message());
}

void CliRunner::fail(ExitCode code, const QString &message)
{
    if (m_finished)
        return;
    m_console->error(message);
    finish(code);
}

void CliRunner::finish(ExitCode code)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(int(code));
}

} // namespace parley::cli
