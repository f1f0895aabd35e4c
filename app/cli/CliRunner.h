#pragma once

#include "cli/CliOptions.h"
#include "cli/ExitCode.h"
#include "core/PageCursor.h"
#include "core/Workspace.h"

#include <QObject>

#include <memory>

namespace parley {
class HttpClient;
class KeyStore;
class Provider;
class WorkspaceSession;
class WorkspaceStore;
} // namespace parley

namespace parley::cli {

class ActionCommand;
class Console;
class ListCommand;
class RowWriter;

// Runs one parley-cli command to the end without blocking: finds the workspace and its
// key, makes the provider, checks the platform-specific arguments, runs the command and
// emits finished() once with the exit status. Nothing here waits in a nested loop.
class CliRunner : public QObject
{
    Q_OBJECT
public:
    CliRunner(CliOptions options, Console *console, QObject *parent = nullptr);
    ~CliRunner() override;

    // Call from the running event loop.
    void start();
    // Ctrl+C: cancels what runs and finishes with ExitCode::Interrupted.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    std::unique_ptr<WorkspaceStore> openStore() const;
    void listWorkspaces();
    void openSavedWorkspace();
    void openAdHocWorkspace();
    bool keyFromEnvironment(QByteArray *key);
    void run(const Workspace &workspace, QByteArray key);
    bool checkListArguments(ListQuery *query);
    void runList(const ListQuery &query);
    void runShow();

    void finish(ExitCode code);
    void fail(ExitCode code, const QString &message);
    void failRequest(const ApiError &error);

    CliOptions m_options;
    Console *m_console;
    HttpClient *m_http;
    KeyStore *m_keys = nullptr;
    std::unique_ptr<WorkspaceSession> m_session; // the workspace, as the window opens it
    Provider *m_provider = nullptr;              // the session's
    std::unique_ptr<RowWriter> m_writer;
    ListCommand *m_list = nullptr;
    ActionCommand *m_action = nullptr;
    bool m_finished = false;
};

} // namespace parley::cli
