#include "cli/ActionCommand.h"

#include "cli/ArgumentChecks.h"
#include "cli/Console.h"
#include "cli/ReplyPrinter.h"
#include "cli/RowWriter.h"
#include "controllers/ApprovalController.h"
#include "controllers/ConnectorLinker.h"
#include "controllers/PolledReply.h"
#include "core/Logging.h"
#include "providers/Provider.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <limits>

using namespace Qt::StringLiterals;

namespace parley::cli {

ActionCommand::ActionCommand(Provider *provider, CliOptions options, Console *console,
                             QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_options(std::move(options))
    , m_console(console)
{}

void ActionCommand::start()
{
    if (!checkOffered())
        return;
    if (m_options.textFromStdin) {
        // Read to end of file (a pipe, a file, a heredoc); bounded, so that a mistaken
        // `< /dev/zero` ends with an error instead of filling the memory.
        constexpr qint64 kMaxStdin = 4 * 1024 * 1024;
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            fail(ExitCode::Usage, tr("Cannot read the message from stdin."));
            return;
        }
        QByteArray bytes;
        for (;;) {
            const QByteArray chunk = in.read(64 * 1024);
            if (chunk.isEmpty() || bytes.size() > kMaxStdin)
                break; // end of file (or a read error: what came so far is checked below)
            bytes += chunk;
        }
        if (bytes.size() > kMaxStdin) {
            fail(ExitCode::Usage, tr("The message on stdin is longer than 4 MiB."));
            return;
        }
        // The last line break (echo, heredocs) is not part of the message; leading
        // indentation is.
        QString text = QString::fromUtf8(bytes);
        while (!text.isEmpty() && text.back().isSpace())
            text.chop(1);
        m_options.text = text;
        if (m_options.text.trimmed().isEmpty()) {
            fail(ExitCode::Usage, tr("The message read from stdin is empty."));
            return;
        }
    }
    using Command = CliOptions::Command;
    const Capabilities caps = m_provider->capabilities();
    if (m_options.command != Command::Create) {
        const QString problem = checkMessageArgument(m_options.text, caps, m_provider->platform());
        if (!problem.isEmpty()) {
            fail(ExitCode::Usage, problem);
            return;
        }
    }

    switch (m_options.command) {
    case Command::Create: {
        NewConversation request;
        const QString problem = checkCreateArguments(
            m_options, caps, m_provider->workspace().params, m_provider->platform(), &request);
        if (!problem.isEmpty()) {
            fail(ExitCode::Usage, problem);
            return;
        }
        runStream(m_provider->startConversation(request, this));
        return;
    }
    case Command::Send: {
        QMap<QString, QString> params;
        const QString problem =
            checkMessageFields(m_options, caps.messageFields, m_provider->workspace().params,
                               m_provider->platform(), &params);
        if (!problem.isEmpty()) {
            fail(ExitCode::Usage, problem);
            return;
        }
        runStream(m_provider->sendMessage(m_options.id, m_options.text, this, params));
        return;
    }
    case Command::Approve:
        runApprove();
        return;
    case Command::Append:
        runAppend();
        return;
    case Command::Cancel:
        runCancel();
        return;
    case Command::Follow:
        runFollow();
        return;
    case Command::Queue:
        runQueue();
        return;
    case Command::Requirements:
        runRequirements();
        return;
    case Command::Link:
        runLink();
        return;
    default:
        fail(ExitCode::Failure, tr("Not an action."));
        return;
    }
}

bool ActionCommand::checkOffered()
{
    using Command = CliOptions::Command;
    const Capabilities caps = m_provider->capabilities();
    Capabilities::Action action = Capabilities::List;
    QString what;
    switch (m_options.command) {
    case Command::Create:
        action = Capabilities::Create;
        what = tr("starting conversations");
        break;
    case Command::Send:
        action = Capabilities::Send;
        what = tr("sending messages");
        break;
    case Command::Append:
        action = Capabilities::Append;
        what = tr("appending messages");
        break;
    case Command::Cancel:
        action = Capabilities::Cancel;
        what = tr("canceling replies");
        break;
    case Command::Follow:
        action = Capabilities::Details;
        what = tr("opening a conversation");
        break;
    case Command::Queue:
        action = Capabilities::FollowUps;
        what = tr("a message queue");
        break;
    case Command::Requirements:
    case Command::Link:
        action = Capabilities::Connectors;
        what = tr("end-user requirements and connector linking");
        break;
    case Command::Approve:
        action = Capabilities::Approvals;
        what = tr("approvals");
        break;
    default:
        return true;
    }
    if (caps.can(action))
        return true;
    fail(ExitCode::Usage, tr("%1 does not offer %2.").arg(m_provider->platform(), what));
    return false;
}

void ActionCommand::runStream(ReplyStream *stream)
{
    m_stream = stream;
    const bool create = m_options.command == CliOptions::Command::Create;
    m_printer = new ReplyPrinter(stream, m_options.jsonEvents, create, m_console, this);
    connect(stream, &ReplyStream::finished, this, [this, create](const ApiError &error) {
        m_printer->finish(error);
        if (error.kind == ApiError::Kind::Canceled)
            return; // interrupt() finishes
        if (error) {
            failRequest(error);
            return;
        }
        if (create && m_printer->conversationId().isEmpty()) {
            fail(ExitCode::BadResponse,
                 tr("%1 did not say the new conversation's id.").arg(m_provider->platform()));
            return;
        }
        if (m_options.command == CliOptions::Command::Approve) {
            reportApproval();
            return;
        }
        finish(ExitCode::Ok);
    });
}

void ActionCommand::runAppend()
{
    m_request =
        m_provider->appendMessage(m_options.id, m_options.text, this, [this](Result<QString> r) {
            if (!r.ok()) {
                failRequest(r.error());
                return;
            }
            m_console->out()->write(Console::printable(r.value()).toUtf8() + '\n');
            m_console->out()->flush();
            finish(ExitCode::Ok);
        });
}

void ActionCommand::runCancel()
{
    if (!m_options.runId.isEmpty()) {
        cancelRun(m_options.runId);
        return;
    }
    // No --run: the run the platform names as running now (Fixie: the turn being written);
    // none where the platform stops a conversation as a whole.
    m_request =
        m_provider->fetchConversation(m_options.id, this, [this](Result<ConversationDetail> r) {
            m_request = {};
            if (!r.ok()) {
                failRequest(r.error());
                return;
            }
            if (!r.value().runId.isEmpty())
                qCInfo(lcCli).noquote() << "the running run is" << r.value().runId;
            cancelRun(r.value().runId);
        });
}

void ActionCommand::cancelRun(const QString &runId)
{
    m_request = m_provider->cancelRun(m_options.id, runId, this, [this](const ApiError &error) {
        if (error.reason == ApiError::Reason::RunIdNeeded) {
            // Platforms that stop a run (not a conversation) need to be told which.
            fail(exitCodeFor(error),
                 error.message() + u' ' +
                     tr("Give the run with --run RUN_ID: send and create print it on stderr "
                        "(\"run …\"), or as the \"run\" event with --format ndjson."));
            return;
        }
        if (error) {
            failRequest(error);
            return;
        }
        m_console->status(tr("cancel accepted"));
        finish(ExitCode::Ok);
    });
}

void ActionCommand::runFollow()
{
    if (m_options.timeoutSet) {
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
        connect(m_deadline, &QTimer::timeout, this, [this] {
            if (m_stream)
                m_stream->abort(); // its Canceled finish is left to fail() below
            if (m_printer)
                m_printer->finish();
            fail(ExitCode::TimedOut, tr("the reply had not ended after %n second(s)", nullptr,
                                        m_options.timeoutSeconds));
        });
        m_deadline->start(int(qMin<qint64>(qint64(m_options.timeoutSeconds) * 1000,
                                           std::numeric_limits<int>::max())));
    }
    m_request =
        m_provider->fetchConversation(m_options.id, this, [this](Result<ConversationDetail> r) {
            m_request = {};
            if (!r.ok())
                failRequest(r.error());
            else
                followDetail(r.value());
        });
}

void ActionCommand::followDetail(const ConversationDetail &detail)
{
    const FollowPlan plan = m_provider->followPlan(detail);
    if (!detail.running || plan.way == FollowPlan::Way::None) {
        m_console->status(plan.way == FollowPlan::Way::None && !plan.why.isEmpty()
                              ? plan.why
                              : tr("%1 is not running.").arg(m_options.id));
        finish(ExitCode::Ok);
        return;
    }
    ReplyStream *stream = plan.way == FollowPlan::Way::Attach
                              ? m_provider->attachReply(m_options.id, QString(), this)
                              : nullptr;
    if (!stream) {
        pollInstead(detail);
        return;
    }
    // Refused (not the key owner's conversation, a read-only key, throttled): poll.
    m_stream = stream;
    m_printer = new ReplyPrinter(stream, m_options.jsonEvents, false, m_console, this);
    connect(stream, &ReplyStream::finished, this, [this, detail](const ApiError &error) {
        if (error.kind == ApiError::Kind::Canceled)
            return; // interrupt() or the deadline finishes
        if (error && !m_printer->hasPrinted()) {
            qCInfo(lcCli).noquote() << "the running reply cannot be attached to ("
                                    << ApiError::kindName(error.kind) << "); polling instead";
            m_printer->deleteLater();
            m_printer = nullptr;
            pollInstead(detail);
            return;
        }
        endFollowing(error);
    });
}

void ActionCommand::endFollowing(const ApiError &error)
{
    m_printer->finish(error);
    if (error)
        failRequest(error);
    else
        finish(ExitCode::Ok);
}

void ActionCommand::pollInstead(const ConversationDetail &detail)
{
    auto *polled = new PolledReply(m_provider, this);
    m_stream = polled->stream();
    m_printer = new ReplyPrinter(polled->stream(), m_options.jsonEvents, false, m_console, this);
    connect(polled->stream(), &ReplyStream::finished, this, [this](const ApiError &error) {
        if (error.kind != ApiError::Kind::Canceled) // else interrupt() or the deadline finishes
            endFollowing(error);
    });
    polled->start(detail);
}

void ActionCommand::runQueue()
{
    auto done = [this](Result<FollowUpQueue> r) {
        if (!r.ok()) {
            failRequest(r.error());
            return;
        }
        printQueue(r.value());
        finish(ExitCode::Ok);
    };
    const QString &op = m_options.queueOp;
    QMap<QString, QString> params;
    const QString problem =
        checkMessageFields(m_options, m_provider->capabilities().queueFields,
                           m_provider->workspace().params, m_provider->platform(), &params);
    if (!problem.isEmpty() || (!params.isEmpty() && op != "add"_L1)) {
        fail(ExitCode::Usage, problem.isEmpty()
                                  ? tr("--param goes with queue add: the fields of the queued "
                                       "message.")
                                  : problem);
        return;
    }
    if (op == "list"_L1) {
        m_request = m_provider->fetchFollowUps(m_options.id, this, done);
        return;
    }
    FollowUpChange change;
    change.itemId = m_options.queueItemId;
    change.text = m_options.text;
    change.params = params;
    change.op = op == "add"_L1      ? FollowUpChange::Op::Add
                : op == "edit"_L1   ? FollowUpChange::Op::Edit
                : op == "delete"_L1 ? FollowUpChange::Op::Delete
                                    : FollowUpChange::Op::Clear;
    m_request = m_provider->changeFollowUps(m_options.id, change, this, done);
}

void ActionCommand::printQueue(const FollowUpQueue &queue)
{
    RowWriter writer(m_options.format, m_console->out(), {u"id"_s, u"created_at"_s, u"content"_s});
    for (const FollowUpItem &item : queue.items) {
        const QString created = item.createdAt.toString(Qt::ISODate);
        writer.write({{u"id"_s, item.id}, {u"created_at"_s, created}, {u"content"_s, item.content}},
                     {item.id, created, item.content});
    }
    writer.finish();
    if (queue.maxItems >= 0)
        m_console->status(
            tr("%1 of %2 follow-ups queued").arg(queue.items.size()).arg(queue.maxItems));
}

void ActionCommand::runApprove()
{
    // Only a pending approval is answered: the platform would take another decision as a
    // failed run rather than refuse it.
    withApproval([this](const Approval &approval) {
        if (!approval.isPending()) {
            fail(ExitCode::Conflict, tr("The approval %1 was already answered: %2.")
                                         .arg(approval.id, approval.statusName()));
            return;
        }
        const ApprovalDecision decision{m_options.approvalId, m_options.approve, m_options.note};
        ApprovalController::logDecision(m_provider->platform(), m_options.id, approval, decision);
        m_console->status((m_options.approve ? tr("approving %1: %2") : tr("rejecting %1: %2"))
                              .arg(approval.tool, Console::printable(approval.preview)));
        runStream(m_provider->answerApproval(m_options.id, decision, this));
    });
}

void ActionCommand::withApproval(std::function<void(const Approval &)> then)
{
    m_request = m_provider->fetchConversation(
        m_options.id, this, [this, then = std::move(then)](Result<ConversationDetail> r) {
            m_request = {};
            if (!r.ok()) {
                failRequest(r.error());
                return;
            }
            if (const Approval *approval = findApproval(r.value()))
                then(*approval);
            // else findApproval() has said why
        });
}

const Approval *ActionCommand::findApproval(const ConversationDetail &detail)
{
    m_approvals = detail.approvals;
    for (const Approval &a : std::as_const(m_approvals)) {
        if (a.id == m_options.approvalId)
            return &a;
    }
    QStringList pending;
    for (const Approval &a : std::as_const(m_approvals)) {
        if (a.isPending())
            pending << a.id;
    }
    fail(ExitCode::NotFound,
         pending.isEmpty() ? tr("%1 has no approval “%2”, and none is pending.")
                                 .arg(m_options.id, m_options.approvalId)
                           : tr("%1 has no approval “%2”; pending: %3.")
                                 .arg(m_options.id, m_options.approvalId, pending.join(u", "_s)));
    return nullptr;
}

void ActionCommand::reportApproval()
{
    // The decision's outcome as the platform now records it.
    withApproval([this](const Approval &approval) {
        if (approval.isPending()) {
            fail(ExitCode::Failure,
                 tr("%1 did not record the decision: the approval %2 is still pending.")
                     .arg(m_provider->platform(), approval.id));
            return;
        }
        m_console->status(tr("approval %1: %2").arg(approval.id, approval.statusName()));
        finish(ExitCode::Ok);
    });
}

void ActionCommand::runRequirements()
{
    m_request =
        m_provider->fetchRequirements(m_options.userId, this, [this](Result<RequirementStatus> r) {
            if (!r.ok()) {
                failRequest(r.error());
                return;
            }
            RowWriter writer(m_options.format, m_console->out(),
                             {u"id"_s, u"type"_s, u"name"_s, u"title"_s, u"app"_s});
            for (const Requirement &q : r.value().unsatisfied) {
                writer.write({{u"id"_s, q.id},
                              {u"type"_s, q.type},
                              {u"name"_s, q.name},
                              {u"title"_s, q.title},
                              {u"app"_s, q.appSlug}},
                             {q.id, q.type, q.name, q.title, q.appSlug});
            }
            writer.finish();
            m_console->status(
                r.value().complete()
                    ? tr("nothing left to link for %1").arg(m_options.userId)
                    : tr("%1 requirement(s) not met yet").arg(r.value().unsatisfied.size()));
            finish(ExitCode::Ok);
        });
}

void ActionCommand::runLink()
{
    // The same linker as the window's dialog: token, authorization page (https only),
    // then checks with a growing delay until linked, the token expires or --timeout.
    m_linker = new ConnectorLinker(m_provider, this);
    m_linker->setTimeLimit(int(
        qMin<qint64>(qint64(m_options.timeoutSeconds) * 1000, std::numeric_limits<int>::max())));
    connect(m_linker, &ConnectorLinker::openUrl, this, [this](const QUrl &link) {
        m_console->out()->write(link.toEncoded() + '\n');
        m_console->out()->flush();
        m_console->status(tr("open the link above in a browser; waiting for the account "
                             "to be linked (Ctrl+C to stop)"));
    });
    connect(m_linker, &ConnectorLinker::countdownChanged, this, [](int seconds) {
        if (seconds > 0)
            qCDebug(lcCli) << "next requirement check in" << seconds << "s";
    });
    connect(m_linker, &ConnectorLinker::stateChanged, this, [this](ConnectorLinker::State state) {
        switch (state) {
        case ConnectorLinker::State::Linked:
            m_console->status(tr("linked"));
            finish(ExitCode::Ok);
            break;
        case ConnectorLinker::State::Failed:
            fail(exitCodeFor(m_linker->error()), m_linker->statusText());
            break;
        case ConnectorLinker::State::TimedOut:
            fail(ExitCode::TimedOut, m_linker->statusText());
            break;
        default:
            break;
        }
    });
    m_linker->start(m_options.userId, m_options.requirementId);
}

void ActionCommand::interrupt()
{
    if (m_finished)
        return;
    if (m_linker)
        m_linker->cancel();
    m_request.cancel();
    if (m_stream)
        m_stream->abort();
    if (m_printer)
        m_printer->finish();
    fail(ExitCode::Interrupted, tr("interrupted"));
}

void ActionCommand::failRequest(const ApiError &error)
{
    fail(exitCodeFor(error), error.message());
}

void ActionCommand::fail(ExitCode code, const QString &message)
{
    if (m_finished)
        return;
    m_console->error(message);
    finish(code);
}

void ActionCommand::finish(ExitCode code)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(int(code));
}

} // namespace parley::cli
