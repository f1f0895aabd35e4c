#pragma once

#include "sandbox/SandboxPlatform.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/dynamiq/DynamiqSandboxData.h"

#include <QList>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

namespace parley::sandbox {

// Dynamiq's management API, conversations, under /dynamiq (see
// app/providers/dynamiq/README.md):
//   GET /dynamiq/v1/conversations?app_id=&model_id=&org_id=&page=&page_size=&sort=
//   GET /dynamiq/v1/conversations/{conversation_id}
// `Authorization: Bearer <key>` is required; errors are {"error": {"code", "message",
// "details"?}}. Parameters are checked the way the seed's spec types them: page and
// page_size integers of at least 1 (no maximum is documented, none is imposed), filters
// UUIDs, sort a comma-separated list of known fields with an optional '-'. A page past
// the last one answers an empty `data`.
class DynamiqSandbox final : public SandboxPlatform
{
public:
    static constexpr int kDefaultPageSize = 20; // not documented; a plausible default

    explicit DynamiqSandbox(const SandboxOptions &options);

    QString prefix() const override;
    void install(SandboxServer &server) override;

    const DynamiqSandboxData &data() const { return m_data; }
    // The sort fields the emulation knows.
    static QStringList sortFields();

private:
    struct SortKey
    {
        QString field;
        bool descending = false;
    };
    // Conversation indices of one filtered and sorted list, in list order; null means
    // "all conversations, newest created first" (position p is index count-1-p).
    using Order = std::shared_ptr<const QVector<int>>;

    SandboxReply list(const SandboxRequest &request) const;
    SandboxReply retrieve(const SandboxRequest &request) const;
    std::optional<SandboxReply> rejectAuth(const SandboxRequest &request) const;
    Order order(const QString &app, const QString &model, const QString &org,
                const QList<SortKey> &sort) const;

    DynamiqSandboxData m_data;
    // The last few orders built for filtered or re-sorted lists, so that paging through
    // one does not rebuild it for every page (the only memory the emulation keeps).
    struct CachedOrder
    {
        QString key;
        Order order;
    };
    mutable QList<CachedOrder> m_orders;
};

// The host of a deployed Dynamiq app, under /dynamiq-app: for now only
//   GET /dynamiq-app/v1/requirements/status?user_id=
// ("Check requirements status for an end user"); every other path answers Dynamiq's 404.
class DynamiqAppSandbox final : public SandboxPlatform
{
public:
    explicit DynamiqAppSandbox(const SandboxOptions &options);

    QString prefix() const override;
    void install(SandboxServer &server) override;

private:
    SandboxReply requirementsStatus(const SandboxRequest &request) const;
};

} // namespace parley::sandbox
