// The connector-linking dialog against the Dynamiq sandbox over real HTTP, with the system
// browser replaced through QDesktopServices::setUrlHandler by an object that visits the
// link the way a browser would (which links the account in the sandbox).
#include "ConnectorLinkDialog.h"
#include "controllers/ConnectorLinker.h"
#include "net/HttpClient.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "session/WorkspaceSession.h"
#include "support/PlatformSandbox.h"

#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::sandbox;
using namespace Qt::StringLiterals;

// Stands in for the browser: remembers each link and, when asked to, opens it.
class FakeBrowser : public QObject
{
    Q_OBJECT
public:
    bool visit = true;
    QList<QUrl> opened;
    QNetworkAccessManager nam;

public slots:
    void open(const QUrl &url)
    {
        opened << url;
        if (visit)
            connect(nam.get(QNetworkRequest(url)), &QNetworkReply::finished, this,
                    [this]() { qobject_cast<QNetworkReply *>(sender())->deleteLater(); });
    }
};

class TstConnectorLinkDialog : public QObject
{
    Q_OBJECT

    // Shows the dialog, checks `user`'s requirements and waits until Link Account can be
    // pressed (the linkable requirement selected); `link` is that button.
    void showReadyToLink(ConnectorLinkDialog &dialog, const QString &user, QPushButton **link)
    {
        dialog.show();
        dialog.findChild<QLineEdit *>(u"userId"_s)->setText(user);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"checkRequirements"_s), Qt::LeftButton);
        *link = dialog.findChild<QPushButton *>(u"linkAccount"_s);
        QVERIFY(*link);
        QTRY_VERIFY_WITH_TIMEOUT((*link)->isEnabled(), 10000);
    }

private slots:
    void initTestCase()
    {
        SandboxOptions options;
        options.key = "parley-demo-key";
        QString error;
        QVERIFY2(m_platform.start(options, &error), qPrintable(error));
        // The demo workspace's session, opened with the sandbox's key as the window's would be.
        m_session = m_platform.session(u"dynamiq"_s);
        QVERIFY2(m_session->isOpen(), qPrintable(m_session->problem()));
        QDesktopServices::setUrlHandler(u"http"_s, &m_browser, "open");
        QDesktopServices::setUrlHandler(u"https"_s, &m_browser, "open");
    }
    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(u"http"_s);
        QDesktopServices::unsetUrlHandler(u"https"_s);
        m_session.reset();
        m_platform.stop();
    }

    void userIdIsValidatedBesideTheField()
    {
        ConnectorLinkDialog dialog(m_session.get());
        dialog.show();
        auto *user = dialog.findChild<QLineEdit *>(u"userId"_s);
        auto *error = dialog.findChild<QLabel *>(u"userIdError"_s);
        auto *check = dialog.findChild<QPushButton *>(u"checkRequirements"_s);
        user->setText(u"two words"_s);
        QVERIFY(!error->isHidden());
        QVERIFY(!check->isEnabled());
        user->setText(u"customer-7421"_s);
        QVERIFY(error->isHidden());
        QVERIFY(check->isEnabled());
    }

    void linkOpensTheBrowserAndWaitsUntilLinked()
    {
        m_browser.visit = true;
        m_browser.opened.clear();
        ConnectorLinkDialog dialog(m_session.get());
        dialog.linker()->setCheckDelays({100});
        dialog.show();
        auto *list = dialog.findChild<QListWidget *>(u"requirements"_s);
        dialog.findChild<QLineEdit *>(u"userId"_s)->setText(u"gui-user-1"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"checkRequirements"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(list->count() > 0, 10000);
        const int before = list->count();
        auto *link = dialog.findChild<QPushButton *>(u"linkAccount"_s);
        QTRY_VERIFY(link->isEnabled()); // the linkable one is selected
        QSignalSpy states(dialog.linker(), &ConnectorLinker::stateChanged);
        QTest::mouseClick(link, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.linker()->state(), ConnectorLinker::State::Linked, 15000);
        QCOMPARE(m_browser.opened.size(), 1);
        QCOMPARE(dialog.findChild<QLineEdit *>(u"linkUrl"_s)->text(),
                 m_browser.opened.constFirst().toString());
        // The list is checked again: the linked requirement is gone.
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), before - 1, 10000);
        QVERIFY(states.count() >= 3); // Starting, Waiting, Linked
    }

    void stopWaitingEndsTheCountdown()
    {
        m_browser.visit = false; // the user never finishes in the browser
        ConnectorLinkDialog dialog(m_session.get());
        dialog.linker()->setCheckDelays({2000});
        QPushButton *link = nullptr;
        showReadyToLink(dialog, u"gui-user-2"_s, &link);
        if (QTest::currentTestFailed())
            return;
        QTest::mouseClick(link, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.linker()->state(), ConnectorLinker::State::Waiting, 10000);
        auto *status = dialog.findChild<QLabel *>(u"linkStatus"_s);
        QTRY_VERIFY(status->text().contains(u"next check in"_s));
        QVERIFY(dialog.linker()->secondsToNextCheck() > 0);
        auto *stop = dialog.findChild<QPushButton *>(u"stopWaiting"_s);
        QVERIFY(stop->isVisible());
        QTest::mouseClick(stop, Qt::LeftButton);
        QCOMPARE(dialog.linker()->state(), ConnectorLinker::State::Canceled);
        QVERIFY(!stop->isVisible());
    }

    // Out of time: "not linked" when the checks said so; when they were failing, whether
    // it was linked is not known, and the dialog says the checks failed and why.
    void outOfTimeSaysWhetherTheChecksWorked_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("says");
        QTest::newRow("checks answered")
            << QString() << int(ConnectorLinker::State::TimedOut) << u"not linked within 1 s"_s;
        QTest::newRow("checks failing") << u"html=503,path=/dynamiq-app/v1/requirements/status"_s
                                        << int(ConnectorLinker::State::Failed)
                                        << u"Stopped waiting after 1 s: the last check failed"_s;
    }
    void outOfTimeSaysWhetherTheChecksWorked()
    {
        QFETCH(QString, fault);
        QFETCH(int, state);
        QFETCH(QString, says);
        m_browser.visit = false;
        ConnectorLinkDialog dialog(m_session.get());
        dialog.linker()->setCheckDelays({200});
        QPushButton *link = nullptr;
        showReadyToLink(dialog, u"gui-user-3"_s, &link);
        if (QTest::currentTestFailed())
            return;
        // The checks only: the token and the link are made normally.
        QVERIFY(m_platform.sandbox().server()->setFaults(fault));
        dialog.linker()->setTimeLimit(1000);
        QTest::mouseClick(link, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.linker()->isRunning(), 15000);
        m_platform.sandbox().server()->setFaults(QString());
        QCOMPARE(int(dialog.linker()->state()), state);
        auto *status = dialog.findChild<QLabel *>(u"linkStatus"_s);
        QVERIFY2(status->text().contains(says), qPrintable(status->text()));
        QVERIFY(link->isEnabled()); // start again
    }

    void onlyHttpsOrLoopbackLinksAreOpened()
    {
        QVERIFY(ConnectorLinker::isAcceptableUrl(QUrl(u"https://pipedream.com/connect"_s)));
        QVERIFY(ConnectorLinker::isAcceptableUrl(QUrl(u"http://127.0.0.1:8080/x"_s)));
        QVERIFY(!ConnectorLinker::isAcceptableUrl(QUrl(u"http://example.com/x"_s)));
        QVERIFY(!ConnectorLinker::isAcceptableUrl(QUrl(u"file:///etc/passwd"_s)));
        QVERIFY(!ConnectorLinker::isAcceptableUrl(QUrl(u"javascript:alert(1)"_s)));
    }

private:
    test::PlatformSandbox m_platform;
    std::unique_ptr<WorkspaceSession> m_session;
    FakeBrowser m_browser;
};

QTEST_MAIN(TstConnectorLinkDialog)
#include "tst_connectorlinkdialog.moc"
