#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/orq/OrqSandboxData.h"

#include <optional>

namespace parley::sandbox {

// orq.ai's Conversations API under /orq (see app/providers/orq/README.md), in both
// published spellings of the list call:
//   GET /orq/v2/conversations?limit=&starting_after=&ending_before=          (2025-12)
//   GET /orq/v2/conversations/?limit=&startingAfter=&endingBefore=&entityId= (2026-02)
//   GET /orq/v2/conversations/{id}                                           one, with messages
//   POST /orq/v2/conversations {displayName?, metadata?: {entityId?, model?}}  create
// Created conversations (at most kMaxCreated, the oldest dropped) are the newest: they come
// first in the list, before the generated ones, and open like them (without messages).
// `Authorization: Bearer <key>` is required. Errors use orq's body
// {"error": {"code", "message", "doc_url"}}, except the documented {"message"} of a
// conversation that does not exist. A query parameter the revision does not know (e.g. the
// other revision's cursor spelling) is a 400 here, so that a client mixing them is caught.
// SandboxOptions::onlyForms ("2025-12…" or "2026-02…") serves one revision on both paths,
// ignoring the other's parameters as the platform does: they differ in paging only.
class OrqSandbox final : public GeneratedSandboxPlatform<OrqSandboxData>
{
public:
    static constexpr int kDefaultLimit = 10;
    static constexpr int kMaxLimit = 100;
    static constexpr int kMaxCreated = 1000;

    explicit OrqSandbox(const SandboxOptions &options);

    void install(SandboxServer &server) override;

private:
    SandboxReply list(const SandboxRequest &request, bool camel) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    SandboxReply create(const SandboxRequest &request);
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;
    // Created conversations newest first that belong to `entity` (camel: the entity filter).
    QList<QJsonObject> createdFor(bool camel, const QString &entity) const;
    int createdIndexOf(const QString &id) const;

    QList<QJsonObject> m_created; // oldest first
    quint64 m_createdCount = 0;
};

} // namespace parley::sandbox
