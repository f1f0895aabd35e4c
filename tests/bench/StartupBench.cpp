#include "StartupBench.h"

#include "BenchWorkspaces.h"
#include "EventWait.h"
#include "Stats.h"
#include "models/ConversationListModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "session/DemoWorkspaces.h"

#include <QCoreApplication>
#include <QLocale>
#include <QProcess>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kStartBudgetMs = 400;

struct ProbeResult
{
    QString error;
    double processMs = 0;      // parent: process start to the line
    double sinceMainMs = 0;    // child: main() entry to first rows
    double sinceSandboxMs = 0; // child: Sandbox construction to first rows
};

ProbeResult probeOnce(const QString &platform, int conversations, int timeoutMs)
{
    ProbeResult out;
    QProcess process;
    process.setProgram(QCoreApplication::applicationFilePath());
    QStringList args{u"--startup-probe"_s, platform};
    if (conversations > 0)
        args << u"--conversations"_s << QString::number(conversations);
    process.setArguments(args);
    process.setProcessChannelMode(QProcess::SeparateChannels);

    QEventLoop loop;
    QByteArray line;
    QElapsedTimer timer;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        if (line.isEmpty() && process.canReadLine()) {
            out.processMs = double(timer.nsecsElapsed()) / 1e6;
            line = process.readLine().trimmed();
            loop.quit();
        }
    });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    timer.start();
    process.start();
    const bool inTime = execFor(loop, timeoutMs);
    process.waitForFinished(timeoutMs); // the child exits right after its line
    if (!inTime) {
        process.kill();
        process.waitForFinished(5000);
        out.error = u"the probe timed out"_s;
        return out;
    }
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 4 || parts.at(0) != "first-rows") {
        out.error = u"the probe said: %1 %2"_s.arg(
            QString::fromUtf8(line),
            QString::fromLocal8Bit(process.readAllStandardError()).trimmed().left(300));
        return out;
    }
    out.sinceMainMs = parts.at(1).toDouble();
    out.sinceSandboxMs = parts.at(2).toDouble();
    return out;
}

} // namespace

int runStartupProbe(const BenchOptions &options, const QElapsedTimer &sinceMain)
{
    const QString platform = options.probePlatform;
    QElapsedTimer timer;
    timer.start();

    sandbox::SandboxOptions sandboxOptions;
    if (options.conversations > 0)
        sandboxOptions.conversations = options.conversations;
    sandbox::Sandbox sandbox(sandboxOptions);
    QString error;
    if (!sandbox.start(&error)) {
        std::printf("error sandbox: %s\n", qPrintable(error));
        return 1;
    }
    HttpClient http;
    const Workspace ws =
        sandboxWorkspace(DemoWorkspaces::create(sandbox), platform, sandbox.baseUrl(platform));
    std::unique_ptr<Provider> provider = ProviderRegistry::create(ws, sandbox.options().key, &http);
    if (!provider) {
        std::printf("error no provider for %s\n", qPrintable(platform));
        return 1;
    }
    ConversationListModel model;
    QEventLoop loop;
    double sinceMainMs = 0;
    double sinceSandboxMs = 0;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, &loop, [&] {
        if (sinceSandboxMs == 0) {
            sinceSandboxMs = double(timer.nsecsElapsed()) / 1e6;
            sinceMainMs = double(sinceMain.nsecsElapsed()) / 1e6;
        }
        loop.quit();
    });
    QObject::connect(&model, &ConversationListModel::stateChanged, &loop, [&] {
        if (model.hasError())
            loop.quit();
    });
    model.setProvider(provider.get()); // the default query, as a new workspace has
    if (!execFor(loop, options.timeoutMs) || model.rowCount() == 0) {
        std::printf("error %s\n",
                    qPrintable(model.hasError() ? model.error().message() : u"no rows in time"_s));
        return 1;
    }
    std::printf("first-rows %.3f %.3f %d\n", sinceMainMs, sinceSandboxMs, model.rowCount());
    std::fflush(stdout);
    return 0;
}

void benchStartup(const QStringList &platforms, const BenchOptions &options, BenchTable &table)
{
    struct Case
    {
        QString platform;
        int conversations; // 0 = the demo's default
    };
    QList<Case> cases;
    for (const QString &p : platforms)
        cases.append({p, options.conversations});
    if (!platforms.isEmpty())
        cases.append({platforms.constFirst(), 0});

    const int n = qMax(options.runs, 5);
    for (const Case &c : cases) {
        const QString size = c.conversations > 0
                                 ? QLocale::c().toString(c.conversations) + u" conversations"_s
                                 : u"demo size"_s;
        const QString label = u"demo start → first rows, %1 (%2)"_s.arg(c.platform, size);
        QList<double> process;
        QList<double> inProcess;
        QList<double> sinceMain;
        QString error;
        for (int i = 0; i < n && error.isEmpty(); ++i) {
            const ProbeResult r = probeOnce(c.platform, c.conversations, options.timeoutMs);
            error = r.error;
            process << r.processMs;
            inProcess << r.sinceSandboxMs;
            sinceMain << r.sinceMainMs;
        }
        if (!error.isEmpty()) {
            table.addFailure(label, error);
            continue;
        }
        const Stats p = Stats::of(process);
        const Stats s = Stats::of(inProcess);
        const Stats m = Stats::of(sinceMain);
        table.addBudget(label + u": process start"_s, p.median, u"ms"_s, kStartBudgetMs,
                        u"fresh process (exec, libraries, QCoreApplication), median of %1, "
                        "worst %2"_s.arg(n)
                            .arg(BenchTable::number(p.max, u"ms"_s)));
        table.addBudget(label + u": in-process"_s, s.median, u"ms"_s, kStartBudgetMs,
                        u"Sandbox construction to the first rowsInserted; main() entry to it: "
                        "%1"_s.arg(BenchTable::number(m.median, u"ms"_s)));
    }
    table.addNote(u"demo start is measured without widgets (the bench links parley_app only) "
                  "and without storing the demo keys in the keychain, both of which `parley "
                  "--demo` also does before its first rows."_s);
}

} // namespace parley::bench
