// ApiError::message(): what happened and what to do, worded for the kind of trouble.

#include "core/ApiError.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

class TestApiErrorMessage : public QObject
{
    Q_OBJECT

private slots:
    void gatewaysAreUnavailableNotBroken_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("passing");
        QTest::newRow("500") << 500 << false;
        QTest::newRow("501") << 501 << false;
        QTest::newRow("502") << 502 << true;
        QTest::newRow("503") << 503 << true;
        QTest::newRow("504") << 504 << true;
    }

    void gatewaysAreUnavailableNotBroken()
    {
        QFETCH(int, status);
        QFETCH(bool, passing);
        const QString m = ApiError::make(ApiError::Kind::Server, {}, status).message();
        QVERIFY2(m.contains(u"(HTTP %1)"_s.arg(status)), qPrintable(m));
        QCOMPARE(m.contains(u"unavailable for now"_s), passing);
        QCOMPARE(m.contains(u"internal error"_s), !passing);
    }

    void aCutOffAnswerIsNotBlamedOnTheBaseUrl()
    {
        const QString cut =
            ApiError::make(ApiError::Kind::BadResponse,
                           u"the answer from example.com was cut off"_s, 200, u"cut-off"_s)
                .because(ApiError::Reason::CutOff)
                .message();
        QVERIFY2(cut.contains(u"was cut off"_s), qPrintable(cut));
        QVERIFY2(cut.contains(u"connection dropped"_s), qPrintable(cut));
        QVERIFY2(!cut.contains(u"base URL"_s), qPrintable(cut));

        const QString foreign =
            ApiError::make(ApiError::Kind::BadResponse, u"not JSON"_s, 200, u"not-json"_s)
                .message();
        QVERIFY2(foreign.contains(u"base URL"_s), qPrintable(foreign));

        // The reason decides, not the code's text.
        const QString textOnly =
            ApiError::make(ApiError::Kind::BadResponse, u"cut"_s, 200, u"cut-off"_s).message();
        QVERIFY2(textOnly.contains(u"base URL"_s), qPrintable(textOnly));
    }

    void reasonsKeepTheMessageAndHaveStableNames()
    {
        const ApiError plain = ApiError::make(ApiError::Kind::Conflict, u"Only two"_s, 409);
        const ApiError full = plain.because(ApiError::Reason::QueueFull);
        QCOMPARE(full.reason, ApiError::Reason::QueueFull);
        QCOMPARE(plain.reason, ApiError::Reason::None);
        QCOMPARE(full.kind, plain.kind);
        QCOMPARE(full.message(), plain.message());
        QCOMPARE(ApiError::reasonName(ApiError::Reason::QueueFull), u"queue-full"_s);
        QCOMPARE(ApiError::reasonName(ApiError::Reason::ConversationBusy), u"conversation-busy"_s);
        QCOMPARE(ApiError::reasonName(ApiError::Reason::None), u"none"_s);
    }
};

QTEST_GUILESS_MAIN(TestApiErrorMessage)
#include "tst_apierror_message.moc"
