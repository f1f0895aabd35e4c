// Secret hygiene end to end: the real window, the real KeyStore on the real keychain, the
// real outbox file in the app's data folder and the app's own settings files, on a PostHog
// and a Dynamiq workspace of the in-process sandbox that accepts one random key made for
// this run. With every logging category at debug level (captured) and stderr sent to a
// file, the test lists, opens transcripts, sends messages whose replies stream in, queues a
// message on a busy conversation, appends notes (one delivered, one left in the outbox
// because the sandbox is gone), asks for requirements, a connect token and a link page;
// then closes everything and looks for the key, plain or encoded, in every file under
// HOME and the XDG folders (and the whole scratch tree of tests/run-headless.sh, keyring
// included), in the outbox and its WAL, in the log and in stderr. The scanner is proved
// first on planted copies of the key.

#include "gui/ConversationRows.h"
#include "gui/GuiFixture.h"
#include "support/SecretScan.h"

#include "FollowUpQueueEditor.h" // MainWindow.h holds a QPointer<FollowUpQueueEditor>
#include "MainWindow.h"
#include "controllers/OutboxDelivery.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "providers/Provider.h"
#include "providers/ProviderRegistry.h"
#include "session/DemoWorkspaces.h"
#include "session/SessionPool.h"
#include "store/Outbox.h"

#include <QDir>
#include <QLabel>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>
#include <optional>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

namespace {

// The folders the run was given before main() moved them into a private tree.
struct OriginalPlaces
{
    QStringList folders;
};
OriginalPlaces g_original;
QString g_root; // the private HOME and XDG tree (made in main())

QMutex g_logMutex;
QByteArray g_log;
int g_logLines = 0;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray line = QByteArray(context.category ? context.category : "default") + ' ' +
                            QByteArray::number(int(type)) + ' ' + message.toUtf8() + '\n';
    QMutexLocker lock(&g_logMutex);
    g_log += line;
    ++g_logLines;
}

template<typename T>
struct Answer
{
    std::optional<Result<T>> result;
    Provider::Done<T> done()
    {
        return [this](Result<T> r) { result = std::move(r); };
    }
};

// The lines of `text` that hold the secret, with it masked, for a failure message.
QByteArray linesWithSecret(const QByteArray &text, const SecretForms &forms)
{
    QByteArray out;
    for (QByteArray line : text.split('\n')) {
        if (formsIn(line, forms).isEmpty())
            continue;
        for (const auto &[name, needle] : forms)
            line.replace(needle, QByteArray("<KEY:" + name + ">"));
        out += line.left(400) + '\n';
    }
    return out;
}

// Every category at debug level into g_log while alive (also when a check fails early).
class LogCapture
{
public:
    LogCapture()
    {
        {
            QMutexLocker lock(&g_logMutex);
            g_log.clear();
            g_logLines = 0;
        }
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        m_previous = qInstallMessageHandler(captureLog);
    }
    ~LogCapture() { restore(); }
    void restore()
    {
        if (m_restored)
            return;
        m_restored = true;
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
    }

private:
    QtMessageHandler m_previous = nullptr;
    bool m_restored = false;
};

// stderr into a file while alive (GLib, libsecret and anything else that writes there).
class StderrToFile
{
public:
    explicit StderrToFile(const QString &path)
    {
        std::fflush(stderr);
        m_saved = ::dup(STDERR_FILENO);
        m_file = std::fopen(QFile::encodeName(path).constData(), "wb");
        if (m_file)
            ::dup2(::fileno(m_file), STDERR_FILENO);
    }
    ~StderrToFile() { restore(); }
    void restore()
    {
        if (m_saved < 0)
            return;
        std::fflush(stderr);
        ::dup2(m_saved, STDERR_FILENO);
        ::close(m_saved);
        m_saved = -1;
        if (m_file)
            std::fclose(m_file);
        m_file = nullptr;
    }

private:
    int m_saved = -1;
    std::FILE *m_file = nullptr;
};

} // namespace

class TstSecretHygiene : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scannerFindsAPlantedKey();
    void noKeyLeftBehindAfterRealWork();

private:
    bool storeKey(KeyStore &keys, const Workspace &ws, const QByteArray &key, bool *inKeychain);
    static QString statusText(MainWindow &window)
    {
        return window.findChild<QLabel *>(u"composerStatus"_s)->text();
    }
};

bool TstSecretHygiene::storeKey(KeyStore &keys, const Workspace &ws, const QByteArray &key,
                                bool *inKeychain)
{
    const QString name = KeyStore::keyName(ws.platform, ws.id);
    KeyAnswer answer;
    keys.writeKey(name, key, &answer.context, answer.callback());
    if (!QTest::qWaitFor([&] { return answer.result.has_value(); }, kWaitMs))
        return false;
    *inKeychain = answer.result->ok();
    if (!*inKeychain)
        keys.holdInMemory(name, key);
    return true;
}

void TstSecretHygiene::scannerFindsAPlantedKey()
{
    const QByteArray key = distinctiveSecret();
    QVERIFY(key.contains('+') && key.contains('/'));
    QVERIFY(distinctiveSecret() != key);
    const SecretForms forms = secretForms(key);

    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    QVERIFY(QDir(scratch.path()).mkpath(u"deep/er"_s));
    auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile f(scratch.filePath(name));
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    // Nothing to find in a clean tree.
    QVERIFY(write(u"clean.txt"_s, "Authorization: Bearer <redacted>\n"));
    int scanned = 0;
    QCOMPARE(filesWithSecret(scratch.path(), forms, &scanned), QStringList());
    QCOMPARE(scanned, 1);

    // Each form is found where a careless writer would leave it, inside other text.
    const QString wide = QString::fromLatin1("key=" + key);
    const QList<std::pair<QString, QByteArray>> planted{
        {u"deep/er/plain.log"_s, QByteArray("GET /x Authorization: Bearer " + key + " -> 200")},
        {u".hidden.ini"_s, QByteArray("[keys]\nposthog=\"" + key + "\"\n")},
        {u"b64.conf"_s, QByteArray("auth=" + QByteArray("Bearer " + key).toBase64() + "\n")},
        {u"b64url.json"_s,
         QByteArray("{\"k\":\"" + QByteArray("u:" + key).toBase64(QByteArray::Base64UrlEncoding) +
                    "\"}")},
        {u"percent.txt"_s,
         QByteArray("https://h/x?api_key=" + QUrl::toPercentEncoding(QString::fromLatin1(key)))},
        {u"hex.bin"_s, QByteArray("\x01\x02" + key.toHex() + "\x03")},
        {u"utf16.dat"_s, QByteArray(reinterpret_cast<const char *>(wide.utf16()), wide.size() * 2)},
    };
    for (const auto &[name, bytes] : planted) {
        QVERIFY(write(name, bytes));
        const QStringList hits = filesWithSecret(scratch.path(), forms);
        QCOMPARE(hits.size(), 1);
        QVERIFY2(hits.constFirst().startsWith(scratch.filePath(name)),
                 qPrintable(hits.join(u'\n')));
        QVERIFY(QFile::remove(scratch.filePath(name)));
    }
    // A log text is checked the same way.
    QVERIFY(formsIn("parley.net GET http://127.0.0.1/x -> 200", forms).isEmpty());
    QCOMPARE(formsIn("x " + key.toHex().toUpper() + " y", forms), QList<QByteArray>{"HEX"});
    // A similar key is not mistaken for it.
    QByteArray other = key;
    other[other.size() - 1] = other.at(other.size() - 1) == 'a' ? 'b' : 'a';
    other[4] = other.at(4) == 'a' ? 'b' : 'a';
    QVERIFY(formsIn(other + other.toHex() + other.toBase64(), forms).isEmpty());
}

void TstSecretHygiene::noKeyLeftBehindAfterRealWork()
{
    const QByteArray key = distinctiveSecret();
    const SecretForms forms = secretForms(key);
    const bool headless = !qEnvironmentVariableIsEmpty("PARLEY_TEST_SCRATCH");
    const QString stderrPath = QDir(g_root).filePath(u"stderr.txt"_s);

    // Every category at debug level, captured from here on; stderr into a file.
    LogCapture capture;
    StderrToFile stderrFile(stderrPath);
    bool inKeychain = false;
    QString outboxPath;
    QString pendingNote;
    QList<Workspace> made;
    {
        sandbox::SandboxOptions options;
        options.key = key;
        options.seed = 7;
        options.conversations = 12;
        options.streamIntervalMs = 5;
        auto sandbox = std::make_unique<sandbox::Sandbox>(options);
        QString error;
        QVERIFY2(sandbox->start(&error), qPrintable(error));

        // The app's services, at the app's own places.
        HttpClient http;
        KeyStore keys(kTestService);
        Settings settings;
        WorkspaceStore store;
        Outbox outbox;
        outboxPath = outbox.fileName();
        QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
        QVERIFY2(outboxPath.startsWith(g_root), qPrintable(outboxPath));
        SessionPool pool(AppServices{&http, &keys, &store, &settings});
        OutboxDelivery queue(&outbox, pool.outboxProviders());
        pool.setOutboxDelivery(&queue);
        queue.setRetryDelays(std::chrono::milliseconds(200), std::chrono::milliseconds(60000));

        Workspace posthog;
        Workspace dynamiq;
        for (Workspace ws : DemoWorkspaces::create(*sandbox)) {
            if (ws.platform != u"posthog"_s && ws.platform != u"dynamiq"_s)
                continue;
            ws.id = QUuid::createUuid();
            ws.demo = false; // saved like the user's own
            ws.name = ws.platform + u" hygiene"_s;
            QVERIFY2(store.add(ws, &error), qPrintable(error));
            bool stored = false;
            QVERIFY(storeKey(keys, ws, key, &stored));
            inKeychain = stored;
            if (headless)
                QVERIFY2(stored, "the private keyring of run-headless.sh refused the key");
            (ws.platform == u"posthog"_s ? posthog : dynamiq) = ws;
            made << ws;
        }
        QVERIFY(!posthog.id.isNull() && !dynamiq.id.isNull());

        AppServices services{&http, &keys, &store, &settings};
        services.outboxDelivery = &queue;
        services.sessions = &pool;
        auto window = std::make_unique<MainWindow>(services);
        window->resize(1200, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        auto *edit = window->findChild<QPlainTextEdit *>(u"composerEdit"_s);
        // The shown workspace's transcript (each workspace has its own).
        auto turns = [&window] { return window->transcriptController()->model(); };
        auto sendAndWait = [&](const QString &text) {
            QTest::keyClicks(edit, text);
            QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
            return QTest::qWaitFor(
                [&] {
                    return edit->toPlainText().isEmpty() && !window->replyController()->isRunning();
                },
                kWaitMs);
        };

        // PostHog: list, transcripts, a streamed reply, a queued message, a delivered note.
        window->selectWorkspace(posthog.id);
        QTRY_VERIFY_WITH_TIMEOUT(window->conversationModel()->loadedCount() > 0 &&
                                     !window->conversationModel()->isLoading(),
                                 kWaitMs);
        const int idle = rowWithStatus(*window, true);
        const int busy = rowWithStatus(*window, false);
        QVERIFY(idle >= 0 && busy >= 0);
        QVERIFY(selectConversationRow(*window, busy));
        QTest::keyClicks(edit, u"Also by country"_s);
        QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
        auto *queueButton = window->findChild<QPushButton *>(u"queueButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(queueButton->isVisible(), kWaitMs);
        QTest::mouseClick(queueButton, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(statusText(*window).startsWith(u"Queued:"_s), kWaitMs);
        QVERIFY(selectConversationRow(*window, idle));
        const int before = turns()->rowCount();
        QVERIFY(sendAndWait(u"How many sign-ups last week?"_s));
        QVERIFY2(!window->replyController()->error().isError(),
                 qPrintable(window->replyController()->error().message()));
        QVERIFY(turns()->rowCount() >= before + 2);
        auto *append = window->findChild<QPushButton *>(u"appendNoteButton"_s);
        QTest::keyClicks(edit, u"Checked with the customer."_s);
        QTest::mouseClick(append, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(statusText(*window), u"Note added."_s, kWaitMs);

        // Dynamiq: its list, a conversation, a streamed run; requirements, a connect token
        // and a link page through the workspace's provider.
        window->selectWorkspace(dynamiq.id);
        QTRY_VERIFY_WITH_TIMEOUT(window->conversationModel()->loadedCount() > 0 &&
                                     !window->conversationModel()->isLoading(),
                                 kWaitMs);
        QVERIFY(selectConversationRow(*window, 0));
        QVERIFY(sendAndWait(u"What can you do?"_s));
        QVERIFY2(!window->replyController()->error().isError(),
                 qPrintable(window->replyController()->error().message()));
        {
            const auto provider = ProviderRegistry::create(dynamiq, key, &http);
            QVERIFY(provider);
            QObject context;
            Answer<RequirementStatus> status;
            provider->fetchRequirements(u"customer-31"_s, &context, status.done());
            QTRY_VERIFY_WITH_TIMEOUT(status.result.has_value(), kWaitMs);
            QVERIFY2(status.result->ok(), qPrintable(status.result->error().message()));
            Answer<ConnectToken> token;
            provider->createConnectToken(u"customer-31"_s, &context, token.done());
            QTRY_VERIFY_WITH_TIMEOUT(token.result.has_value(), kWaitMs);
            QVERIFY2(token.result->ok(), qPrintable(token.result->error().message()));
            QVERIFY(!token.result->value().token.contains(key));
            for (const Requirement &r : status.result->value().unsatisfied) {
                if (!r.canLink())
                    continue;
                Answer<QUrl> link;
                provider->authorizeRequirement(r.id, token.result->value(), &context, link.done());
                QTRY_VERIFY_WITH_TIMEOUT(link.result.has_value(), kWaitMs);
                QVERIFY2(link.result->ok(), qPrintable(link.result->error().message()));
                break;
            }
        }

        // Back on PostHog with the sandbox gone: the note is saved, its delivery fails and
        // it waits in the outbox.
        window->selectWorkspace(posthog.id);
        QTRY_VERIFY_WITH_TIMEOUT(window->conversationModel()->loadedCount() > 0 &&
                                     !window->conversationModel()->isLoading(),
                                 kWaitMs);
        QVERIFY(selectConversationRow(*window, idle));
        sandbox.reset();
        pendingNote = u"Left for later: refund %1"_s.arg(QUuid::createUuid().toString());
        QTest::keyClicks(edit, pendingNote);
        QTest::mouseClick(append, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(queue.entries().size(), 1, kWaitMs);
        const QUuid pending = queue.entries().constFirst().clientId;
        QTRY_COMPARE_WITH_TIMEOUT(queue.status(pending), OutboxDelivery::Status::Waiting, kWaitMs);
        QVERIFY(!queue.entry(pending)->lastError.isEmpty());

        // Quit as the app does: the window saves its state, then the services go.
        window->close();
        window.reset();
        QVERIFY(settings.sync());
    }
    stderrFile.restore();
    capture.restore();

    // The places scanned hold what Parley wrote (so the scan looks at the right files).
    QByteArray log;
    {
        QMutexLocker lock(&g_logMutex);
        log = g_log;
    }
    QVERIFY2(log.contains("parley.net"), "no request was logged");
    QVERIFY2(log.contains("/posthog/") && log.contains("/dynamiq/"), "requests not in the log");
    QVERIFY(QFileInfo::exists(outboxPath));
    QByteArray outboxBytes;
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
        QFile f(outboxPath + suffix);
        if (f.open(QIODevice::ReadOnly))
            outboxBytes += f.readAll();
    }
    QVERIFY2(outboxBytes.contains(pendingNote.toUtf8()), "the pending note is not in the outbox");
    int settingsFiles = 0;
    for (const Workspace &ws : std::as_const(made)) {
        QDirIterator it(g_root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) &&
                f.readAll().contains(ws.id.toByteArray(QUuid::WithoutBraces)))
                ++settingsFiles;
        }
    }
    QVERIFY2(settingsFiles >= 2, "the workspaces were not saved in the settings");

    // No key anywhere.
    const QList<QByteArray> inLog = formsIn(log, forms);
    if (!inLog.isEmpty())
        qWarning("%s", linesWithSecret(log, forms).constData());
    QVERIFY2(inLog.isEmpty(), QByteArray("the key is in the log: " + inLog.join(", ")).constData());
    QFile err(stderrPath);
    QVERIFY(err.open(QIODevice::ReadOnly));
    const QByteArray errText = err.readAll();
    const QList<QByteArray> inStderr = formsIn(errText, forms);
    QVERIFY2(inStderr.isEmpty(),
             QByteArray("the key is in stderr: " + inStderr.join(", ")).constData());
    // Key-free, so shown: nothing written to stderr meanwhile is hidden from the run's log.
    std::fputs(errText.right(16384).constData(), stderr);
    QStringList places = g_original.folders;
    places << g_root << qEnvironmentVariable("PARLEY_TEST_SCRATCH");
    places.removeDuplicates();
    QStringList hits;
    int scanned = 0;
    for (const QString &place : std::as_const(places))
        hits += filesWithSecret(place, forms, &scanned);
    hits.removeDuplicates();
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
    QVERIFY(scanned >= 3);
    if (headless) {
        // The keychain really held the key, in the private keyring, encrypted.
        QVERIFY(inKeychain);
        const QString keyrings =
            QDir(qEnvironmentVariable("PARLEY_TEST_SCRATCH")).filePath(u"data/keyrings"_s);
        QVERIFY2(!QDir(keyrings).entryList(QDir::Files).isEmpty(), qPrintable(keyrings));
    }
    qInfo("%d log lines and %d files looked at; keys %s", g_logLines, scanned,
          inKeychain ? "in the keychain" : "held in memory (no keychain here)");

    // Leave the keychain as it was.
    KeyStore keys(kTestService);
    for (const Workspace &ws : std::as_const(made)) {
        KeyAnswer answer;
        keys.deleteKey(KeyStore::keyName(ws.platform, ws.id), &answer.context, answer.callback());
        QTRY_VERIFY_WITH_TIMEOUT(answer.result.has_value(), kWaitMs);
    }
}

int main(int argc, char **argv)
{
    // A private HOME and XDG tree for this run, inside the run's scratch when there is one,
    // so that what Parley writes is this test's alone. Under tests/run-headless.sh the
    // places the run was given (throwaway folders) are scanned as well; elsewhere they may
    // be a developer's own and are left alone.
    const QString scratch = qEnvironmentVariable("PARLEY_TEST_SCRATCH");
    for (const char *name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                             "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "TMPDIR"}) {
        const QString value = qEnvironmentVariable(name);
        if (!scratch.isEmpty() && !value.isEmpty() && value.startsWith(scratch))
            g_original.folders << value;
    }
    QTemporaryDir root(scratch.isEmpty() ? QDir::tempPath() + u"/tst_secret_hygiene-XXXXXX"_s
                                         : scratch + u"/tst_secret_hygiene-XXXXXX"_s);
    if (!root.isValid()) {
        std::fprintf(stderr, "no temporary folder\n");
        return 1;
    }
    g_root = root.path();
    const QList<std::pair<const char *, QString>> places{
        {"HOME", u"home"_s},
        {"XDG_CONFIG_HOME", u"config"_s},
        {"XDG_DATA_HOME", u"data"_s},
        {"XDG_CACHE_HOME", u"cache"_s},
        {"XDG_STATE_HOME", u"state"_s},
        {"TMPDIR", u"tmp"_s},
    };
    for (const auto &[name, sub] : places) {
        const QString path = root.filePath(sub);
        QDir().mkpath(path);
        qputenv(name, QFile::encodeName(path));
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Parley"_s);
    QCoreApplication::setOrganizationDomain(u"parley.io"_s);
    QCoreApplication::setApplicationName(u"Parley"_s);
    TstSecretHygiene test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secret_hygiene.moc"
