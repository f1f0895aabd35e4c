// Runs the real `parley --demo` (offscreen) until it shows its first transcript, then checks
// that the demo key appears in no file under the run's HOME/XDG folders and in no log line,
// with every logging category (Parley's and Qt's) at debug level.
#include "sandbox/SandboxOptions.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TstDemoHygiene : public QObject
{
    Q_OBJECT
private slots:
    void demoLeavesNoKeyBehind();
};

namespace {

// Files below `root` whose bytes contain `needle`.
QStringList filesContaining(const QString &root, const QList<QByteArray> &needles)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle))
                hits << path;
        }
    }
    return hits;
}

} // namespace

void TstDemoHygiene::demoLeavesNoKeyBehind()
{
    const QString binary = QStringLiteral(PARLEY_BINARY_DIR "/ui/parley");
    // Part of every build of the suite: missing, it was not built (or moved).
    QVERIFY2(QFile::exists(binary),
             qPrintable(binary + QStringLiteral(" is not built: build the parley target first")));
    const QByteArray key = parley::sandbox::SandboxOptions{}.key;
    QVERIFY(!key.isEmpty());
    const QList<QByteArray> needles{key, key.toBase64(), key.toHex()};

    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), home.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));

    QProcess parley;
    parley.setProcessEnvironment(env);
    parley.start(binary, {QStringLiteral("--demo"), QStringLiteral("--smoke-test")});
    QVERIFY2(parley.waitForStarted(), qPrintable(parley.errorString()));
    QVERIFY2(parley.waitForFinished(90000), "parley --demo did not finish");
    const QByteArray out = parley.readAllStandardOutput() + parley.readAllStandardError();
    QVERIFY2(parley.exitStatus() == QProcess::NormalExit && parley.exitCode() == 0,
             out.right(2000).constData());

    // Logging was on, so "no key in the logs" means something.
    QVERIFY2(out.contains("parley.net"), "expected debug lines from parley.net");
    for (const QByteArray &needle : needles)
        QVERIFY2(!out.contains(needle), "the demo key appeared in Parley's output");

    QStringList hits = filesContaining(home.path(), needles);
    // Under tests/run-headless.sh the whole scratch tree (keyring included) is checked too.
    const QString scratch = qEnvironmentVariable("PARLEY_TEST_SCRATCH");
    if (!scratch.isEmpty())
        hits += filesContaining(scratch, needles);
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TstDemoHygiene)
#include "tst_demo_hygiene.moc"
