#include "support/SandboxTestCase.h"

#include <QTest>

namespace parley::test {

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

} // namespace parley::test
