#pragma once

#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace parley::test {

// A call that fails and what its error holds: the first page of the list, or opening
// `openId` when it is set, through a provider sending `key`. The kind is always compared; the
// status unless 0, the code and the detail unless empty.
struct ExpectedError
{
    QByteArray key;
    QString openId;
    ApiError::Kind kind = ApiError::Kind::None;
    int httpStatus = 0;
    QString code;
    QString detail;
};

// The base of a platform's integration test: the in-process sandbox (m_fx), started before
// the first test and stopped after the last, and the provider calls every such test makes,
// waited for with this object as their context.
class SandboxTestCase : public QObject
{
    Q_OBJECT
protected:
    static constexpr int kCount = 233; // prime: no page size divides it
    static inline const QByteArray kKey = "parley-demo-key";

    // A test of `platform` over kCount conversations made from `seed`, the sandbox accepting
    // `key`.
    SandboxTestCase(QString platform, quint32 seed, QByteArray key = kKey);

    // This platform's demo workspace on the sandbox with `params` laid over its own: a null
    // value removes that parameter.
    Workspace demoWorkspace(const QMap<QString, QString> &params = {}) const;

    // Starts the sandbox with `count` conversations made from `seed`, accepting `key`.
    bool startSandbox(quint32 seed, int count, const QByteArray &key, QString *error);

    std::optional<Result<ConversationPage>> page(Provider &p, const ListQuery &query,
                                                 const PageCursor &cursor, int *answers = nullptr);
    std::optional<Result<ConversationPage>> page(Provider &p, int pageSize,
                                                 const PageCursor &cursor, int *answers = nullptr);
    std::optional<Result<ConversationDetail>> open(Provider &p, const QString &id,
                                                   int *answers = nullptr);
    Walk walk(Provider &p, const ListQuery &query, int maxPages = 5000);
    Walk walk(Provider &p, int pageSize);
    // Walking the whole list at `pageSize` rows a page succeeds and gives exactly `ids`.
    void verifyWalk(Provider &p, int pageSize, const QStringList &ids);
    int requests() const { return m_fx.requests(); }

    // Opening `id` through `p` into `d`; true when it came, succeeded and is the conversation
    // `id` (each check that fails is reported as the test's failure).
    bool openChecked(Provider &p, const QString &id, ConversationDetail *d);

    // The error of the first page of the unfiltered list, and of opening `id` (kind None when
    // the call succeeded; Timeout when no answer came).
    ApiError listError(Provider &p);
    ApiError openError(Provider &p, const QString &id);

    // A platform's error texts as a data-driven test: the columns, one row, and the check of
    // the current row with a provider made by `make` for the row's key.
    static void addErrorColumns();
    static void addErrorRow(const char *name, const ExpectedError &expected);
    void verifyErrorRow(const std::function<std::unique_ptr<Provider>(const QByteArray &)> &make);

    // Listing and opening `id` both fail as Config without a request (a workspace missing a
    // parameter the platform needs).
    void verifyConfigErrorBeforeSending(Provider &p, const QString &id);

    // Opening each of `ids` is refused (Invalid, answered once) without a request.
    void verifyOpenRefusedBeforeSending(Provider &p, const QStringList &ids);

    // The first page of `pageSize` rows of the unfiltered list into `pg`; true when it came,
    // succeeded, counts all kCount conversations, holds `pageSize` rows and is not the last
    // (each check that fails is reported as the test's failure).
    bool firstPageChecked(Provider &p, int pageSize, ConversationPage *pg);

    // The registry knows this test's platform by `displayName` with `defaultBaseUrl` and
    // workspace fields `fieldKeys` (in order), and lists it among its platforms.
    void verifyRegistered(const QString &displayName, const QUrl &defaultBaseUrl,
                          const QStringList &fieldKeys);

    // What the registry finds wrong with a workspace of this platform at `baseUrl` (empty:
    // the default) holding `params` (a null value: that parameter is absent), by field.
    QMap<QString, QString> validation(const QString &baseUrl,
                                      const QMap<QString, QString> &params) const;

    // A GET of `path` with `query` straight to this platform's emulation through the real
    // HttpClient, authenticated as `endpoint` says (its base URL is filled in here).
    HttpResponse rawGet(Endpoint endpoint, const QString &path,
                        const QList<QPair<QString, QString>> &query);

    // `p` exists, is this test's platform, can do exactly `actions` and pages in the `paging`
    // style up to `maxPageSize` rows.
    void verifyCapabilities(const Provider *p, Capabilities::Actions actions,
                            PageCursor::Style paging, int maxPageSize);

    const QString m_platform;
    const quint32 m_seed;
    const QByteArray m_key;
    PlatformSandbox m_fx;

private slots:
    void initTestCase();
    void cleanupTestCase();
};

// SandboxTestCase with the emulation's own data (`Data(seed, count)`) to compare against.
template<typename Data>
class PlatformTestCase : public SandboxTestCase
{
protected:
    PlatformTestCase(const QString &platform, quint32 seed, const QByteArray &key = kKey)
        : SandboxTestCase(platform, seed, key)
        , m_data(seed, kCount)
    {}

    // The emulation's ids in the list's order (for a Data that knows its list positions).
    QStringList idsInListOrder() const
    {
        QStringList ids;
        for (int position = 0; position < kCount; ++position)
            ids << m_data.idAt(m_data.indexAtPosition(position));
        return ids;
    }

    Data m_data;
};

} // namespace parley::test

Q_DECLARE_METATYPE(parley::test::ExpectedError)
