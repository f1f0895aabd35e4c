#pragma once

// Helpers for the parley-cli integration tests: run the built binary without blocking the
// event loop (the sandbox answers from this very thread), and read what it printed.

#include "providers/Capabilities.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "support/WorkspaceDefaults.h"

#include <QByteArray>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

#include <memory>

namespace clitest {

using namespace Qt::StringLiterals;

inline QString cliPath()
{
    return QStringLiteral(PARLEY_BINARY_DIR) + u"/app/parley-cli"_s;
}

// A sandbox for the CLI to talk to: `conversations` conversations from `seed`, accepting
// `key`, streaming a frame every `streamIntervalMs`. Null (the failure noted) when it cannot
// listen.
inline std::unique_ptr<parley::sandbox::Sandbox>
startSandbox(const QByteArray &key, int conversations, int streamIntervalMs,
             quint32 seed = parley::sandbox::SandboxOptions().seed)
{
    parley::sandbox::SandboxOptions options;
    options.key = key;
    options.conversations = conversations;
    options.streamIntervalMs = streamIntervalMs;
    options.seed = seed;
    auto sandbox = std::make_unique<parley::sandbox::Sandbox>(options);
    QString error;
    if (!sandbox->start(&error)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return nullptr;
    }
    return sandbox;
}

struct CliRun
{
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;

    bool mentions(const QByteArray &text) const
    {
        return !text.isEmpty() && (out.contains(text) || err.contains(text));
    }
    // For QVERIFY2 messages.
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + (crashed ? " (crashed)" : "") +
               (timedOut ? " (timed out)" : "") + "; stderr: " + err.left(600) +
               "; stdout: " + out.left(600);
    }
};

// Runs parley-cli with `args`; the key (when not null) in PARLEY_API_KEY, `env` added.
// Spins the event loop while waiting, so an in-process sandbox keeps answering.
inline CliRun runCli(const QStringList &args, const QByteArray &key,
                     const QMap<QString, QString> &env = {}, int timeoutMs = 60000)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"PARLEY_API_KEY"_s);
    if (!key.isNull())
        environment.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(key));
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);

    CliRun run;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(cliPath(), args);
    if (!process.waitForStarted(10000)) {
        run.err = "could not start " + cliPath().toUtf8() + ": " + process.errorString().toUtf8();
        return run;
    }
    if (!finished.wait(timeoutMs)) {
        run.timedOut = true;
        process.kill();
        process.waitForFinished(5000);
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = run.crashed || run.timedOut ? -1 : process.exitCode();
    return run;
}

// One JSON object per non-empty line; `error` says which line was not one.
inline QList<QJsonObject> parseNdjson(const QByteArray &text, QString *error)
{
    QList<QJsonObject> rows;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).isEmpty() && i == lines.size() - 1)
            break;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i), &parseError);
        if (!doc.isObject()) {
            *error = u"line %1 is not a JSON object: %2"_s.arg(i + 1).arg(
                QString::fromUtf8(lines.at(i).left(200)));
            return {};
        }
        rows << doc.object();
    }
    return rows;
}

// An RFC 4180 reader, strict: CRLF record ends, quotes only around whole fields.
inline QList<QStringList> parseCsv(const QByteArray &bytes, QString *error)
{
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> records;
    QStringList record;
    QString field;
    qsizetype i = 0;
    const qsizetype n = text.size();
    bool fieldStarted = false;
    while (i < n) {
        const QChar c = text.at(i);
        if (!fieldStarted && c == u'"') {
            // Quoted field.
            ++i;
            for (;;) {
                if (i >= n) {
                    *error = u"unterminated quoted field"_s;
                    return {};
                }
                if (text.at(i) == u'"') {
                    if (i + 1 < n && text.at(i + 1) == u'"') {
                        field += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text.at(i++);
            }
            fieldStarted = true;
            if (i < n && text.at(i) != u',' && text.at(i) != u'\r') {
                *error = u"text after a closing quote at %1"_s.arg(i);
                return {};
            }
            continue;
        }
        if (c == u',') {
            record << field;
            field.clear();
            fieldStarted = false;
            ++i;
            continue;
        }
        if (c == u'\r') {
            if (i + 1 >= n || text.at(i + 1) != u'\n') {
                *error = u"CR without LF at %1"_s.arg(i);
                return {};
            }
            record << field;
            records << record;
            record.clear();
            field.clear();
            fieldStarted = false;
            i += 2;
            continue;
        }
        if (c == u'\n' || c == u'"') {
            *error = u"bare %1 in an unquoted field at %2"_s.arg(c == u'"' ? u"quote"_s : u"LF"_s)
                         .arg(i);
            return {};
        }
        field += c;
        fieldStarted = true;
        ++i;
    }
    if (fieldStarted || !record.isEmpty()) {
        *error = u"the last record does not end with CRLF"_s;
        return {};
    }
    return records;
}

// Workspace settings the sandbox accepts, per platform; a field not listed here gets its
// default, first choice or placeholder.
inline QMap<QString, QString> sandboxParams(const parley::PlatformInfo &info)
{
    static const QMap<QString, QMap<QString, QString>> known{
        {u"posthog"_s, {{u"project_id"_s, u"1"_s}}},
    };
    return parley::test::defaultParams(info, known.value(info.id));
}

inline QStringList paramArgs(const QMap<QString, QString> &params)
{
    QStringList args;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        args << u"--param"_s << it.key() + u'=' + it.value();
    return args;
}

// The arguments that point parley-cli at `platform` in `sandbox` (Dynamiq with its app host).
inline QStringList where(const QString &platform, const parley::sandbox::Sandbox &sandbox)
{
    if (platform == "dynamiq"_L1)
        return {u"--provider"_s, u"dynamiq"_s,
                u"--base-url"_s, sandbox.baseUrl(u"dynamiq"_s).toString(),
                u"--param"_s,    u"app_host="_s + sandbox.baseUrl(u"dynamiq-app"_s).toString()};
    return QStringList{u"--provider"_s, platform, u"--base-url"_s,
                       sandbox.baseUrl(platform).toString()} +
           paramArgs(sandboxParams(parley::ProviderRegistry::platform(platform)));
}

// The first conversation `list` prints at `where`; empty when none.
inline QString firstConversation(const QStringList &where, const QByteArray &key)
{
    const CliRun run = runCli(QStringList(where) << u"list"_s << u"--limit"_s << u"1"_s, key);
    QString error;
    const QList<QJsonObject> rows = parseNdjson(run.out, &error);
    return rows.isEmpty() ? QString() : rows.constFirst().value(u"id"_s).toString();
}

// A parley-cli process watched while it runs: its stdout is read as it arrives, so a test
// can tell output that streams from output written at the end.
class LiveCli
{
public:
    LiveCli(const QStringList &args, const QByteArray &key, const QByteArray &input = {})
        : m_finished(&m_process, &QProcess::finished)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(key));
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        m_process.start(cliPath(), args);
        if (m_process.waitForStarted(10000)) {
            if (!input.isNull())
                m_process.write(input);
            m_process.closeWriteChannel();
        }
    }
    ~LiveCli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool running() const { return m_finished.isEmpty(); }
    qint64 pid() const { return m_process.processId(); }
    const QByteArray &out() const { return m_out; }
    // Waits (spinning the event loop, so the sandbox answers) until `test` holds or the
    // process has ended and its output is all read.
    template<typename Test>
    bool waitFor(Test test, int timeoutMs = 20000)
    {
        return QTest::qWaitFor(
                   [&] {
                       m_out += m_process.readAllStandardOutput();
                       return test() || !running();
                   },
                   timeoutMs) &&
               test();
    }
    // The NDJSON events printed so far (complete lines only).
    QList<QJsonObject> events() const
    {
        QString error;
        return parseNdjson(m_out.left(m_out.lastIndexOf('\n') + 1), &error);
    }
    // The first event of this kind with this key set, or an empty object.
    QJsonObject event(const QString &kind, const QString &withKey) const
    {
        for (const QJsonObject &e : events()) {
            if (e.value(u"event"_s).toString() == kind && !e.value(withKey).toString().isEmpty())
                return e;
        }
        return {};
    }
    // Waits for the end; the exit status, or -1 when it did not end normally.
    int finish(int timeoutMs = 30000)
    {
        if (running() && !m_finished.wait(timeoutMs))
            return -1;
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QByteArray describe()
    {
        m_err += m_process.readAllStandardError();
        return "stderr: " + m_err.left(600) + "; stdout: " + m_out.left(600);
    }

private:
    QProcess m_process;
    QSignalSpy m_finished;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace clitest
