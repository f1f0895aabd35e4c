#pragma once

#include "cli/CliOptions.h"
#include "cli/ExitCode.h"
#include "core/ConversationDetail.h"
#include "core/FollowUpQueue.h"
#include "core/Requirement.h"
#include "core/Result.h"
#include "net/HttpClient.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

namespace parley {
class ConnectorLinker;
class Provider;
class ReplyStream;
} // namespace parley

namespace parley::cli {

class Console;
class ReplyPrinter;

// The write side of parley-cli: create, send, append, cancel, queue, requirements and
// link, each run to its end without blocking; finished() is emitted once with the exit
// status (after an error line on stderr when it is not Ok).
class ActionCommand : public QObject
{
    Q_OBJECT
public:
    ActionCommand(Provider *provider, CliOptions options, Console *console,
                  QObject *parent = nullptr);
    void start();
    // Ctrl+C: cancels what is running and finishes with Interrupted.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool checkOffered();
    void runStream(ReplyStream *stream);
    void runAppend();
    void runCancel();
    void cancelRun(const QString &runId);
    void runFollow();
    void followDetail(const ConversationDetail &detail);
    void pollInstead(const ConversationDetail &detail);
    // The followed reply ended: the printer's last word, then the exit status.
    void endFollowing(const ApiError &error);
    void runQueue();
    void printQueue(const FollowUpQueue &queue);
    void runApprove();
    // The approval of `detail` that --approval names (kept in m_approvals), or null after
    // failing with NotFound.
    const Approval *findApproval(const ConversationDetail &detail);
    // Fetches the conversation and calls `then` with the approval named on the command line;
    // a failed fetch or an unknown approval ends the command instead.
    void withApproval(std::function<void(const Approval &)> then);
    // After the answer's reply: the approval's new status, or a failure if it is pending.
    void reportApproval();
    void runRequirements();
    void runLink();

    void fail(ExitCode code, const QString &message);
    void failRequest(const ApiError &error);
    void finish(ExitCode code);

    Provider *m_provider;
    CliOptions m_options;
    Console *m_console;
    RequestHandle m_request;
    QPointer<ReplyStream> m_stream;
    ReplyPrinter *m_printer = nullptr;
    QPointer<ConnectorLinker> m_linker;
    QTimer *m_deadline = nullptr; // follow --timeout
    bool m_finished = false;
    QList<Approval> m_approvals; // of the conversation approve answers, as last fetched
};

} // namespace parley::cli
