// PagingBudget: the documented request limits are kept before any 429; a 429 halves the
// pages in flight for that key alone, and the window comes back once the key has gone the
// recovery time without another.
#include "controllers/PagingBudget.h"

#include <QTest>

using namespace parley;

class TstPagingBudget : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        for (const QByteArray &key : {QByteArray("a"), QByteArray("b")})
            PagingBudget::shared().forget(key);
        PagingBudget::shared().setRecoveryMs(10 * 60 * 1000);
    }

    void aLimitMakesTheNextRequestWait()
    {
        PagingBudget &budget = PagingBudget::shared();
        const QList<RequestLimit> limits{{2, 60}};
        QCOMPARE(budget.waitMs("a", limits), qint64(0));
        budget.spend("a", limits);
        QCOMPARE(budget.waitMs("a", limits), qint64(0));
        budget.spend("a", limits);
        const qint64 wait = budget.waitMs("a", limits);
        QVERIFY2(wait > 50 * 1000 && wait <= 60 * 1000, QByteArray::number(wait).constData());
        QCOMPARE(budget.waitMs("b", limits), qint64(0)); // another key spends its own
    }

    void a429HalvesTheWindowOfThatKeyAlone()
    {
        PagingBudget &budget = PagingBudget::shared();
        QCOMPARE(budget.window("a", 4), 4);
        budget.rateLimited("a", 4);
        QCOMPARE(budget.window("a", 4), 2);
        budget.rateLimited("a", 2);
        QCOMPARE(budget.window("a", 4), 1);
        budget.rateLimited("a", 1);
        QCOMPARE(budget.window("a", 4), 1); // never below one
        QCOMPARE(budget.window("b", 4), 4);
    }

    void theWindowComesBackAfterTheRecoveryTime()
    {
        PagingBudget &budget = PagingBudget::shared();
        budget.setRecoveryMs(200);
        budget.rateLimited("a", 4);
        QCOMPARE(budget.window("a", 4), 2);
        QTRY_COMPARE_WITH_TIMEOUT(budget.window("a", 4), 4, 5000);
        // A 429 after the recovery halves the whole window again, not the old lowered one.
        budget.rateLimited("a", 4);
        QCOMPARE(budget.window("a", 4), 2);
    }
};

QTEST_GUILESS_MAIN(TstPagingBudget)
#include "tst_pagingbudget.moc"
