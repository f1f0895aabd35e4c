#include "GuiBench.h"

#include "ProcessRun.h"
#include "Stats.h"

#include <QLocale>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kStallBudgetMs = 16;

struct StallRun
{
    QString error;
    double longestMs = 0;
    int framesMissed = 0;
    double flowMs = 0;
    int rows = 0;
};

StallRun runFlow(const QStringList &args, int timeoutMs)
{
    StallRun out;
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    for (const char *name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        env.insert(QLatin1String(name), home.filePath(QLatin1String(name)));
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    process.setProcessEnvironment(env);
    process.setProgram(guiBenchProgram());
    process.setArguments(args);
    const ProcessTiming t = runTimed(process, u"parley-bench-gui"_s, timeoutMs);
    const QList<QByteArray> parts = process.readAllStandardOutput().trimmed().split(' ');
    if (parts.size() == 6 && parts.at(0) == "stall") {
        out.longestMs = parts.at(2).toDouble();
        out.framesMissed = parts.at(3).toInt();
        out.flowMs = parts.at(4).toDouble();
        out.rows = parts.at(5).toInt();
    } else {
        out.error = t.error.isEmpty() ? QString::fromUtf8(parts.join(' ')).left(300) : t.error;
    }
    return out;
}

void benchFlow(const QString &label, const QString &what, const QStringList &args,
               const BenchOptions &o, BenchTable &table)
{
    std::fprintf(stderr, "parley-bench: %s\n", qPrintable(label));
    QList<double> longest;
    QList<double> flow;
    int missed = 0;
    int rows = 0;
    for (int run = 0; run < o.runs; ++run) {
        const StallRun r = runFlow(args, o.timeoutMs);
        if (!r.error.isEmpty()) {
            table.addFailure(label, r.error);
            return;
        }
        longest << r.longestMs;
        flow << r.flowMs;
        missed = qMax(missed, r.framesMissed);
        rows = r.rows;
    }
    const Stats s = Stats::of(longest);
    const Stats f = Stats::of(flow);
    table.addBudget(label, s.median, u"ms"_s, kStallBudgetMs,
                    u"%1 (%2); median of %3 runs, worst %4; up to %5 gaps over 16 ms in %6"_s
                        .arg(what, QLocale::c().toString(rows))
                        .arg(s.count)
                        .arg(BenchTable::number(s.max, u"ms"_s))
                        .arg(missed)
                        .arg(BenchTable::number(f.median, u"ms"_s)));
}

} // namespace

QString guiBenchProgram()
{
    return QStringLiteral(PARLEY_BENCH_GUI);
}

void benchGuiStalls(const QStringList &platforms, const BenchOptions &o, BenchTable &table)
{
    const QString rows = QString::number(o.conversations);
    for (const QString &platform : platforms)
        benchFlow(
            u"longest GUI stall: paging %1"_s.arg(platform),
            u"rows into ConversationListView, the table at its end"_s,
            {u"--flow"_s, u"list"_s, u"--list-platform"_s, platform, u"--conversations"_s, rows}, o,
            table);
    benchFlow(u"longest GUI stall: a reply streaming"_s,
              u"deltas through ReplyController into TranscriptView, following the tail"_s,
              {u"--flow"_s, u"reply"_s, u"--deltas"_s, u"10000"_s}, o, table);
    benchFlow(u"longest GUI stall: a long transcript opens and scrolls"_s,
              u"turns; open over HTTP, then a page at a time to the end"_s,
              {u"--flow"_s, u"transcript"_s, u"--turns"_s, QString::number(o.transcriptTurns)}, o,
              table);
    table.addNote(u"GUI stalls: the longest time the GUI thread did not serve a 1 ms timer "
                  "(parley-bench-gui, offscreen); the sandbox answers from its own thread. The "
                  "reply's deltas (a word each) come from an in-process ReplyStream, one per "
                  "millisecond at most."_s);
}

} // namespace parley::bench
