#include "FirstPaintBench.h"

#include "BenchWorkspaces.h"
#include "EventWait.h"
#include "GuiBench.h"
#include "SandboxThread.h"
#include "Stats.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kFirstPaintBudgetMs = 300;

struct Launch
{
    bool xvfb = false;
    QStringList workspace; // --ws-* options for the launcher; empty = --demo
    QByteArray key;
};

// Reads "<prefix> <number>" from `text` into `value`.
bool numberAfter(const QByteArray &text, const QByteArray &prefix, qint64 *value)
{
    const qsizetype at = text.indexOf(prefix);
    if (at < 0)
        return false;
    const qsizetype from = at + prefix.size();
    qsizetype end = from;
    while (end < text.size() && text.at(end) >= '0' && text.at(end) <= '9')
        ++end;
    if (end == from || end == text.size())
        return false; // the line is not complete yet
    *value = text.mid(from, end - from).toLongLong();
    return true;
}

// One start, in its own process group (the whole group is ended afterwards).
double launchOnce(const Launch &l, int timeoutMs, QString *error)
{
    QTemporaryDir scratch;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}) {
        const QString dir = scratch.filePath(QLatin1String(name));
        QDir().mkpath(dir);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        env.insert(QLatin1String(name), dir);
    }
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"})
        env.remove(QLatin1String(name));
    env.insert(u"QT_QPA_PLATFORM"_s, l.xvfb ? u"xcb"_s : u"offscreen"_s);
    env.insert(u"PARLEY_REPORT_FIRST_PAINT"_s, u"1"_s);
    if (!l.key.isEmpty())
        env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(l.key));

    QStringList args{u"--"_s, u"sh"_s, u"-c"_s,
                     u"echo -n parley-bench | gnome-keyring-daemon --unlock "
                     "--components=secrets >/dev/null; exec \"$@\""_s,
                     u"sh"_s};
    if (l.xvfb)
        args << u"xvfb-run"_s << u"-a"_s;
    args << guiBenchProgram() << u"--launch"_s << l.workspace << u"--"_s
         << QStringLiteral(PARLEY_BENCH_APP);
    if (l.workspace.isEmpty())
        args << u"--demo"_s;

    QProcess process;
    process.setProcessEnvironment(env);
    process.setProgram(u"dbus-run-session"_s);
    process.setArguments(args);
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    QByteArray out;
    QByteArray err;
    qint64 execAt = 0;
    qint64 paintedAt = 0;
    QEventLoop loop;
    auto check = [&] {
        if (numberAfter(out, "exec-at ", &execAt) &&
            numberAfter(err, "first rows painted at monotonic ", &paintedAt))
            loop.quit();
    };
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        out += process.readAllStandardOutput();
        check();
    });
    QObject::connect(&process, &QProcess::readyReadStandardError, &loop, [&] {
        err += process.readAllStandardError();
        check();
    });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    process.start();
    const bool inTime = execFor(loop, timeoutMs);
    const qint64 pid = process.processId();
    if (pid > 0) {
        ::kill(-pid_t(pid), SIGTERM);
        if (!process.waitForFinished(5000))
            ::kill(-pid_t(pid), SIGKILL);
        process.waitForFinished(5000);
    }
    if (execAt > 0 && paintedAt > 0)
        return double(paintedAt - execAt) / 1e6;
    const QByteArray said = QByteArray(out + err).trimmed();
    *error = !inTime ? u"no rows painted in time"_s
                     : u"no rows painted: %1"_s.arg(QString::fromLocal8Bit(said.right(300)));
    return 0;
}

} // namespace

void benchFirstPaint(const SandboxThread &sandbox, const QString &platform, const BenchOptions &o,
                     BenchTable &table)
{
    for (const char *tool : {"dbus-run-session", "gnome-keyring-daemon", "xvfb-run"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty()) {
            table.addNote(
                u"first paint: %1 is not installed, not measured"_s.arg(QLatin1String(tool)));
            return;
        }
    }
    const Workspace ws =
        sandboxWorkspace(sandbox.demoWorkspaces(), platform, sandbox.baseUrl(platform));
    QStringList saved{u"--ws-platform"_s, ws.platform, u"--ws-url"_s, ws.baseUrl.toString()};
    for (auto it = ws.params.cbegin(); it != ws.params.cend(); ++it)
        saved << u"--ws-param"_s << it.key() + u'=' + it.value();

    struct Case
    {
        QString label;
        Launch launch;
    };
    const QString savedLabel = u"a saved %1 workspace"_s.arg(platform);
    const QList<Case> cases{
        {u"--demo, offscreen"_s, {false, {}, {}}},
        {u"--demo, Xvfb"_s, {true, {}, {}}},
        {savedLabel + u", offscreen"_s, {false, saved, sandbox.options().key}},
        {savedLabel + u", Xvfb"_s, {true, saved, sandbox.options().key}},
    };
    for (const Case &c : cases) {
        const QString label = u"parley exec → first rows painted, %1"_s.arg(c.label);
        std::fprintf(stderr, "parley-bench: %s\n", qPrintable(label));
        QList<double> times;
        QString error;
        for (int run = 0; run < o.runs && error.isEmpty(); ++run)
            times << launchOnce(c.launch, o.timeoutMs, &error);
        if (!error.isEmpty()) {
            table.addFailure(label, error);
            continue;
        }
        const Stats s = Stats::of(times);
        table.addBudget(
            label, s.median, u"ms"_s, kFirstPaintBudgetMs,
            u"median of %1, best %2, worst %3"_s.arg(s.count).arg(
                BenchTable::number(s.min, u"ms"_s), BenchTable::number(s.max, u"ms"_s)));
    }
    table.addNote(u"first paint: from just before exec of the real parley (fresh HOME, private "
                  "D-Bus session with an unlocked gnome-keyring) to its first paint of list rows "
                  "(PARLEY_REPORT_FIRST_PAINT=1); the saved workspace's key is read from the "
                  "keychain, its sandbox holds %1 conversations."_s.arg(o.conversations));
}

} // namespace parley::bench
