#pragma once

#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QObject>
#include <QStringList>

namespace parley::test {

// The base of a platform's integration test: the in-process sandbox (m_fx) and the provider
// calls every such test makes, waited for with this object as their context.
class SandboxTestCase : public QObject
{
    Q_OBJECT
protected:
    // Starts the sandbox with `count` conversations made from `seed`, accepting `key`.
    bool startSandbox(quint32 seed, int count, const QByteArray &key, QString *error);

    std::optional<Result<ConversationPage>> page(Provider &p, const ListQuery &query,
                                                 const PageCursor &cursor, int *answers = nullptr);
    std::optional<Result<ConversationPage>> page(Provider &p, int pageSize,
                                                 const PageCursor &cursor, int *answers = nullptr);
    std::optional<Result<ConversationDetail>> open(Provider &p, const QString &id,
                                                   int *answers = nullptr);
    Walk walk(Provider &p, const ListQuery &query, int maxPages = 5000);
    int requests() const { return m_fx.requests(); }

    // The error of the first page of the unfiltered list, and of opening `id` (kind None when
    // the call succeeded; Timeout when no answer came).
    ApiError listError(Provider &p);
    ApiError openError(Provider &p, const QString &id);

    // Opening each of `ids` is refused (Invalid, answered once) without a request.
    void verifyOpenRefusedBeforeSending(Provider &p, const QStringList &ids);

    PlatformSandbox m_fx;
};

} // namespace parley::test
