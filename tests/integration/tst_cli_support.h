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

} // namespace clitest
