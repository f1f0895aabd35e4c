// The parley-sandbox executable: its first stdout line announces the address, and the
// PostHog emulation answers there.
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestPosthogSandboxCli : public QObject
{
    Q_OBJECT

private:
    static QString binary() { return QStringLiteral(PARLEY_BINARY_DIR "/app/parley-sandbox"); }

    // Starts the sandbox and returns the port from its first line of output, or 0.
    static quint16 start(QProcess &process, const QStringList &args, QString *firstLine)
    {
        process.start(binary(), args);
        if (!process.waitForStarted(10000))
            return 0;
        while (!process.canReadLine()) {
            if (!process.waitForReadyRead(10000))
                return 0;
        }
        *firstLine = QString::fromUtf8(process.readLine());
        static const QRegularExpression re(u"^listening on http://127\\.0\\.0\\.1:(\\d+)\\n$"_s);
        const QRegularExpressionMatch m = re.match(*firstLine);
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    }

    static void stop(QProcess &process)
    {
        process.terminate();
        if (!process.waitForFinished(5000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(binary()).isExecutable(),
                 qPrintable(u"%1 is missing: build the parley-sandbox target"_s.arg(binary())));
    }

    void announcesItselfAndServesTheList()
    {
        QProcess process;
        QString firstLine;
        const quint16 port = start(process,
                                   {u"--port"_s, u"0"_s, u"--conversations"_s, u"137"_s,
                                    u"--seed"_s, u"3"_s, u"--key"_s, u"cli-key"_s},
                                   &firstLine);
        QVERIFY2(port != 0, qPrintable(u"first line was: "_s + firstLine));

        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(
            u"http://127.0.0.1:%1/posthog/api/projects/1/conversations/?limit=100"_s.arg(port)));
        request.setRawHeader("Authorization", "Bearer cli-key");
        QNetworkReply *reply = nam.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject page = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(page.value(u"count"_s).toInt(), 137);
        QCOMPARE(page.value(u"results"_s).toArray().size(), 100);
        QVERIFY(page.value(u"next"_s).toString().contains(u"offset=100"_s));
        reply->deleteLater();

        stop(process);
    }

    void rejectsBadOptions()
    {
        QProcess process;
        process.start(binary(), {u"--conversations"_s, u"100001"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        QVERIFY(process.readAllStandardError().contains("--conversations"));
    }

    void helpDocumentsReplySecondsAndLive()
    {
        QProcess process;
        process.start(binary(), {u"--help"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        const QByteArray help = process.readAllStandardOutput();
        QVERIFY(help.contains("--reply-seconds <S>"));
        QVERIFY(help.contains("--live <N>"));
        QVERIFY(help.contains("5-30"));
        for (const QStringList &bad :
             {QStringList{u"--reply-seconds"_s, u"-1"_s}, QStringList{u"--live"_s, u"many"_s}}) {
            QProcess refused;
            refused.start(binary(), bad);
            QVERIFY(refused.waitForFinished(10000));
            QCOMPARE(refused.exitCode(), 2);
            QVERIFY(refused.readAllStandardError().contains(bad.first().toUtf8()));
        }
    }

    void replySecondsPacesAStreamedReply()
    {
        // --reply-seconds 1: the reply comes out over a second, not at once.
        QProcess process;
        QString firstLine;
        const quint16 port =
            start(process, {u"--port"_s, u"0"_s, u"--reply-seconds"_s, u"1"_s}, &firstLine);
        QVERIFY2(port != 0, qPrintable(firstLine));
        QNetworkAccessManager nam;
        QNetworkRequest request(
            QUrl(u"http://127.0.0.1:%1/posthog/api/projects/1/conversations/"_s.arg(port)));
        request.setRawHeader("Authorization", "Bearer parley-demo-key");
        request.setRawHeader("Content-Type", "application/json");
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = nam.post(request, R"({"conversation":"6f1f7a52-1d59-4c1e-9a55-)"
                                                 R"(0000000000aa","content":"Hi","trace_id":"t"})");
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY2(timer.elapsed() >= 900, qPrintable(QString::number(timer.elapsed())));
        reply->deleteLater();
        stop(process);
    }
};

QTEST_GUILESS_MAIN(TestPosthogSandboxCli)
#include "tst_posthog_sandbox_cli.moc"
