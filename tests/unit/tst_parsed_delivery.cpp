// providers/ParsedDelivery.h: results arrive once, on the context's thread, large bodies
// are parsed off the GUI thread, and nothing arrives once the context is gone.
#include "providers/ParsedDelivery.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <memory>

using namespace parley;

class TestParsedDelivery : public QObject
{
    Q_OBJECT

private slots:
    void smallBodiesParseInline()
    {
        QObject context;
        QThread *parsedOn = nullptr;
        int answers = 0;
        deliverParsed<int>(
            QByteArray(100, 'x'), &context,
            [&parsedOn](const QByteArray &body) {
                parsedOn = QThread::currentThread();
                return Result<int>(int(body.size()));
            },
            [&answers](Result<int> r) {
                ++answers;
                QCOMPARE(r.value(), 100);
            });
        QCOMPARE(answers, 1);
        QCOMPARE(parsedOn, QThread::currentThread());
    }

    void largeBodiesParseOnAWorker()
    {
        QObject context;
        std::atomic<QThread *> parsedOn = nullptr;
        QThread *deliveredOn = nullptr;
        int answers = 0;
        const QByteArray body(kParseOffThreadBytes + 1, 'x');
        deliverParsed<int>(
            body, &context,
            [&parsedOn](const QByteArray &b) {
                parsedOn = QThread::currentThread();
                return Result<int>(int(b.size()));
            },
            [&](Result<int> r) {
                ++answers;
                deliveredOn = QThread::currentThread();
                QCOMPARE(r.value(), int(kParseOffThreadBytes + 1));
            });
        QCOMPARE(answers, 0); // never from inside the call
        QTRY_COMPARE(answers, 1);
        QVERIFY(parsedOn.load() != nullptr);
        QVERIFY(parsedOn.load() != QThread::currentThread());
        QCOMPARE(deliveredOn, QThread::currentThread());
        QCoreApplication::processEvents();
        QCOMPARE(answers, 1);
    }

    void errorsTravelToo()
    {
        QObject context;
        std::optional<ApiError> got;
        deliverParsed<int>(
            QByteArray(kParseOffThreadBytes, 'x'), &context,
            [](const QByteArray &) {
                return Result<int>(
                    ApiError::make(ApiError::Kind::BadResponse, QStringLiteral("no")));
            },
            [&got](Result<int> r) { got = r.error(); });
        QTRY_VERIFY(got.has_value());
        QCOMPARE(got->kind, ApiError::Kind::BadResponse);
        QCOMPARE(got->detail, QStringLiteral("no"));
    }

    void nothingArrivesAfterTheContextDies()
    {
        auto context = std::make_unique<QObject>();
        auto gate = std::make_shared<QSemaphore>();
        auto parsed = std::make_shared<std::atomic<bool>>(false);
        int answers = 0;
        deliverParsed<int>(
            QByteArray(kParseOffThreadBytes, 'x'), context.get(),
            [gate, parsed](const QByteArray &) {
                gate->acquire(); // hold the worker until the context is gone
                *parsed = true;
                return Result<int>(1);
            },
            [&answers](Result<int>) { ++answers; });
        context.reset();
        gate->release();
        QThreadPool::globalInstance()->waitForDone(10000);
        QVERIFY(parsed->load());
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(answers, 0);
    }

    void failLaterIsDeferredAndDroppedWithItsContext()
    {
        QObject context;
        int answers = 0;
        failLater<int>(
            &context,
            [&answers](Result<int> r) {
                ++answers;
                QCOMPARE(r.error().kind, ApiError::Kind::Config);
            },
            ApiError::make(ApiError::Kind::Config));
        QCOMPARE(answers, 0);
        QTRY_COMPARE(answers, 1);

        auto gone = std::make_unique<QObject>();
        int late = 0;
        failLater<int>(
            gone.get(), [&late](Result<int>) { ++late; }, ApiError::make(ApiError::Kind::Config));
        gone.reset();
        QCoreApplication::processEvents();
        QCOMPARE(late, 0);
    }
};

QTEST_GUILESS_MAIN(TestParsedDelivery)
#include "tst_parsed_delivery.moc"
