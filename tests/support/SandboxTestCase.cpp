#include "support/SandboxTestCase.h"

#include "providers/ProviderRegistry.h"

#include <QTest>
#include <QUuid>

#include <utility>

using namespace Qt::StringLiterals;

namespace parley::test {

SandboxTestCase::SandboxTestCase(QString platform, quint32 seed, QByteArray key)
    : m_platform(std::move(platform))
    , m_seed(seed)
    , m_key(std::move(key))
{}

Workspace SandboxTestCase::demoWorkspace(const QMap<QString, QString> &params) const
{
    Workspace ws = m_fx.workspace(m_platform);
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (it.value().isNull())
            ws.params.remove(it.key());
        else
            ws.params.insert(it.key(), it.value());
    }
    return ws;
}

void SandboxTestCase::initTestCase()
{
    QString error;
    QVERIFY2(startSandbox(m_seed, kCount, m_key, &error), qPrintable(error));
}

void SandboxTestCase::cleanupTestCase()
{
    m_fx.stop();
}

bool SandboxTestCase::startSandbox(quint32 seed, int count, const QByteArray &key, QString *error)
{
    sandbox::SandboxOptions options;
    options.seed = seed;
    options.conversations = count;
    options.key = key;
    return m_fx.start(options, error);
}

std::optional<Result<ConversationPage>>
SandboxTestCase::page(Provider &p, const ListQuery &query, const PageCursor &cursor, int *answers)
{
    return listPage(p, query, cursor, this, answers);
}

std::optional<Result<ConversationPage>>
SandboxTestCase::page(Provider &p, int pageSize, const PageCursor &cursor, int *answers)
{
    return listPage(p, pageSize, cursor, this, answers);
}

std::optional<Result<ConversationDetail>> SandboxTestCase::open(Provider &p, const QString &id,
                                                                int *answers)
{
    return openConversation(p, id, this, answers);
}

Walk SandboxTestCase::walk(Provider &p, const ListQuery &query, int maxPages)
{
    return walkAll(p, query, this, maxPages);
}

Walk SandboxTestCase::walk(Provider &p, int pageSize)
{
    ListQuery query;
    query.pageSize = pageSize;
    return walk(p, query);
}

void SandboxTestCase::verifyWalk(Provider &p, int pageSize, const QStringList &ids)
{
    const Walk w = walk(p, pageSize);
    QVERIFY2(w.ok(), qPrintable(w.error.message()));
    QCOMPARE(w.ids(), ids);
}

bool SandboxTestCase::firstPageChecked(Provider &p, int pageSize, ConversationPage *pg)
{
    const auto r = page(p, pageSize, PageCursor::first(p.capabilities().paging));
    if (!QTest::qVerify(r.has_value(), "r", "no answer", __FILE__, __LINE__))
        return false;
    if (!QTest::qVerify(r->ok(), "r->ok()", qPrintable(r->error().message()), __FILE__, __LINE__))
        return false;
    *pg = r->value();
    return QTest::qCompare(pg->total, qint64(kCount), "pg->total", "kCount", __FILE__, __LINE__) &&
           QTest::qCompare(pg->items.size(), qsizetype(pageSize), "pg->items.size()", "pageSize",
                           __FILE__, __LINE__) &&
           QTest::qVerify(!pg->next.atEnd, "!pg->next.atEnd", "", __FILE__, __LINE__);
}

bool SandboxTestCase::openChecked(Provider &p, const QString &id, ConversationDetail *d)
{
    const auto r = open(p, id);
    if (!QTest::qVerify(r.has_value(), "r", "no answer", __FILE__, __LINE__))
        return false;
    if (!QTest::qVerify(r->ok(), "r->ok()", qPrintable(r->error().message()), __FILE__, __LINE__))
        return false;
    *d = r->value();
    return QTest::qCompare(d->summary.id, id, "d->summary.id", "id", __FILE__, __LINE__);
}

ApiError SandboxTestCase::listError(Provider &p)
{
    const auto r = page(p, ListQuery{}, PageCursor::first(p.capabilities().paging));
    return r ? r->error() : ApiError::make(ApiError::Kind::Timeout);
}

ApiError SandboxTestCase::openError(Provider &p, const QString &id)
{
    const auto r = open(p, id);
    return r ? r->error() : ApiError::make(ApiError::Kind::Timeout);
}

void SandboxTestCase::addErrorColumns()
{
    QTest::addColumn<ExpectedError>("expected");
}

void SandboxTestCase::addErrorRow(const char *name, const ExpectedError &expected)
{
    QTest::newRow(name) << expected;
}

void SandboxTestCase::verifyErrorRow(
    const std::function<std::unique_ptr<Provider>(const QByteArray &)> &make)
{
    QFETCH(ExpectedError, expected);
    const auto p = make(expected.key);
    QVERIFY(p);
    const ApiError e = expected.openId.isEmpty() ? listError(*p) : openError(*p, expected.openId);
    QCOMPARE(e.kind, expected.kind);
    if (expected.httpStatus != 0)
        QCOMPARE(e.httpStatus, expected.httpStatus);
    if (!expected.code.isEmpty())
        QCOMPARE(e.code, expected.code);
    if (!expected.detail.isEmpty())
        QCOMPARE(e.detail, expected.detail);
}

void SandboxTestCase::verifyConfigErrorBeforeSending(Provider &p, const QString &id)
{
    const int before = requests();
    const auto r = page(p, 10, PageCursor::first(p.capabilities().paging));
    QVERIFY(r && !r->ok());
    QCOMPARE(r->error().kind, ApiError::Kind::Config);
    const auto d = open(p, id);
    QVERIFY(d && !d->ok());
    QCOMPARE(d->error().kind, ApiError::Kind::Config);
    QCOMPARE(requests(), before);
}

void SandboxTestCase::verifyOpenRefusedBeforeSending(Provider &p, const QStringList &ids)
{
    const int before = requests();
    for (const QString &id : ids) {
        int answers = 0;
        const auto r = open(p, id, &answers);
        QVERIFY2(r && !r->ok(), qPrintable(id));
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(answers, 1);
    }
    QCOMPARE(requests(), before);
}

void SandboxTestCase::verifyRegistered(const QString &displayName, const QUrl &defaultBaseUrl,
                                       const QStringList &fieldKeys)
{
    const PlatformInfo info = ProviderRegistry::platform(m_platform);
    QCOMPARE(info.id, m_platform);
    QCOMPARE(info.displayName, displayName);
    QCOMPARE(info.defaultBaseUrl, defaultBaseUrl);
    QStringList keys;
    for (const WorkspaceField &f : info.fields)
        keys << f.key;
    QCOMPARE(keys, fieldKeys);
    bool listed = false;
    for (const PlatformInfo &p : ProviderRegistry::platforms())
        listed = listed || p.id == m_platform;
    QVERIFY(listed);
}

QMap<QString, QString> SandboxTestCase::validation(const QString &baseUrl,
                                                   const QMap<QString, QString> &params) const
{
    Workspace ws;
    ws.id = QUuid::createUuid();
    ws.platform = m_platform;
    ws.baseUrl = QUrl(baseUrl);
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (!it.value().isNull())
            ws.params.insert(it.key(), it.value());
    }
    return ProviderRegistry::validate(ws);
}

HttpResponse SandboxTestCase::rawGet(Endpoint endpoint, const QString &path,
                                     const QList<QPair<QString, QString>> &query)
{
    endpoint.baseUrl = m_fx.sandbox().baseUrl(m_platform);
    HttpRequest request = HttpRequest::get(path);
    for (const auto &[k, v] : query)
        request.withQuery(k, v);
    return sendAndWait(m_fx.http(), endpoint, request, this);
}

void SandboxTestCase::verifyCapabilities(const Provider *p, Capabilities::Actions actions,
                                         PageCursor::Style paging, int maxPageSize)
{
    QVERIFY(p);
    QCOMPARE(p->platform(), m_platform);
    const Capabilities caps = p->capabilities();
    static const std::pair<Capabilities::Action, const char *> names[] = {
        {Capabilities::List, "List"},
        {Capabilities::Transcript, "Transcript"},
        {Capabilities::Details, "Details"},
        {Capabilities::Create, "Create"},
        {Capabilities::Send, "Send"},
        {Capabilities::Append, "Append"},
        {Capabilities::Cancel, "Cancel"},
        {Capabilities::FollowUps, "FollowUps"},
        {Capabilities::Connectors, "Connectors"},
    };
    for (const auto &[action, name] : names)
        QVERIFY2(caps.can(action) == actions.testFlag(action), name);
    QCOMPARE(caps.paging, paging);
    QCOMPARE(caps.maxPageSize, maxPageSize);
}

} // namespace parley::test
