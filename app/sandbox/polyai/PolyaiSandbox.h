#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/polyai/PolyaiSandboxData.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QPair>

#include <optional>

namespace parley::sandbox {

// PolyAI's Conversations API under /polyai (see app/providers/polyai/README.md):
//   GET /polyai/v1/{account_id}/{project_id}/conversations   limit/offset -> next_offset
//   GET /polyai/v3/{account_id}/{project_id}/conversations   limit/cursor -> cursor
//   GET /polyai/v3/{account_id}/{project_id}/conversations/{id}   one conversation
// Any account and project id is accepted (they are echoed in the bodies); the header
// `x-api-key` must carry the sandbox key. Errors use the body of each version's
// OpenAPI `Error` schema: v1 {"error_message"}, v3 {"success", "error", "error_id",
// "error_code", "error_message", "data"}.
// SandboxOptions::onlyForms ("v1" or "v3") serves one version; the other answers 404.
// SandboxOptions::live keeps the newest calls of the live environment in progress, gaining a
// turn (the caller's input, then the agent's answer once its time is up) every exchange.
class PolyaiSandbox final : public GeneratedSandboxPlatform<PolyaiSandboxData>
{
public:
    static constexpr int kV1DefaultLimit = 5;
    static constexpr int kV1MaxLimit = 5000;
    static constexpr int kV3DefaultLimit = 1000;
    static constexpr int kV3MaxLimit = 1000;

    explicit PolyaiSandbox(const SandboxOptions &options);

    void install(SandboxServer &server) override;

    // The v3 cursor pointing after conversation `index`: URL-safe base64 of "pc1:<index>".
    static QString cursorAfter(int index);
    // The index a cursor points after; nullopt when the cursor is malformed.
    static std::optional<int> indexFromCursor(const QString &cursor);

private:
    struct Filter;
    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request, bool v3) const;
    // The 404 of an API version this emulation does not serve (SandboxOptions::onlyForms).
    std::optional<SandboxReply> rejectVersion(const QString &version) const;
    SandboxReply error(bool v3, int status, const QString &code, const QString &message) const;
    bool matches(int index, const Filter &filter) const;

    // Where the last offset-paged walk of each filter got to (match ordinal -> index), so
    // that walking a filtered list page by page is not quadratic. A few entries only.
    // The turns live conversation `slot` has added by now (SandboxOptions::live).
    QList<PolyaiSandboxData::LiveTurn> liveTurns(int slot) const;

    mutable QHash<QString, QPair<int, int>> m_resume;
    QElapsedTimer m_liveSince; // when the live calls started
    QDateTime m_liveStart;
    mutable quint32 m_errors = 0;
};

} // namespace parley::sandbox
