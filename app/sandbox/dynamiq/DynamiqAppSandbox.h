#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/dynamiq/DynamiqSandboxState.h"

#include <QString>

#include <memory>
#include <optional>

namespace parley::sandbox {

// The host of a deployed Dynamiq app, under /dynamiq-app:
//   GET  /dynamiq-app/v1/requirements/status?user_id=   the user's unmet requirements
//   POST /dynamiq-app/v1/connect/tokens {"user_id"}     a connect token (24 h) + hosted page
//   POST /dynamiq-app/v1/runs/{run_id}/cancel           stops a streamed reply (run.canceled)
//                                                       at what is written
//   GET  /dynamiq-app/v1/runs/{run_id}                  the run object {id, object, status
//                                                       started|completed|canceled,
//                                                       conversation_id, created_at,
//                                                       output.content so far} (the field set
//                                                       beyond the terminal events' is ours)
//   GET  /dynamiq-app/v1/runs/{run_id}/stream?after_sequence=N   re-attach: the run's events
//                                                       with a sequence above N, live ones as
//                                                       they are written, ending with the run
// with `Authorization: Bearer <key>`; and, standing in for the pages a browser opens:
//   GET  /dynamiq-app/connect?token=                    the hosted connect page
//   GET  /dynamiq-app/connect/visit?token=&requirement= "linking the account": meets the
//                                                       requirement for the token's user
// (the real pages are Dynamiq's and Pipedream's, on https). Every other GET answers
// Dynamiq's 404. State (runs, tokens, met requirements) is shared with DynamiqSandbox.
class DynamiqAppSandbox final : public SandboxPlatform
{
public:
    explicit DynamiqAppSandbox(const SandboxOptions &options,
                               std::shared_ptr<DynamiqSandboxState> state = {});

    void install(SandboxServer &server) override;

private:
    SandboxReply requirementsStatus(const SandboxRequest &request) const;
    SandboxReply connectToken(const SandboxRequest &request);
    SandboxReply cancelRun(const SandboxRequest &request);
    SandboxReply getRun(const SandboxRequest &request) const;
    SandboxReply streamRun(const SandboxRequest &request) const;
    // The streamed run args[0] names, or nothing with the answer in `rejected` (401, 400,
    // Dynamiq's 404 for a run unknown here).
    std::optional<DynamiqSandboxState::Run> findRun(const SandboxRequest &request,
                                                    std::optional<SandboxReply> *rejected) const;
    SandboxReply connectPage(const SandboxRequest &request);
    SandboxReply visit(const SandboxRequest &request);

    std::shared_ptr<DynamiqSandboxState> m_state;
};

} // namespace parley::sandbox
