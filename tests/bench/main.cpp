// parley-bench: Parley against the budgets of DESIGN.md, over the in-process sandbox.
// Prints a table of figures, targets and ratios; the exit code reports only whether every
// measurement could be made, never whether a budget was met.
#include "BenchOptions.h"
#include "BenchTable.h"
#include "BenchWorkspaces.h"
#include "BigListBench.h"
#include "CliBench.h"
#include "CurlBaseline.h"
#include "FilterBench.h"
#include "FirstPaintBench.h"
#include "GuiBench.h"
#include "Heap.h"
#include "PagingBench.h"
#include "SandboxThread.h"
#include "StartupBench.h"
#include "Stats.h"
#include "TranscriptBench.h"
#include "core/Conversation.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QSysInfo>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::bench;

namespace {

const QString kTranscriptPrefix = u"bench-transcript"_s;
constexpr double kPagingBudgetRatio = 1.5;
constexpr double kRowBudgetBytes = 250;

void progress(const QString &text)
{
    std::fprintf(stderr, "parley-bench: %s\n", qPrintable(text));
    std::fflush(stderr);
}

// The first line of `path`, or the value of its first "prefix: value" line (/proc files
// report no size, so they are read whole).
QString firstLineOf(const QString &path, const QString &prefix = {})
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (prefix.isEmpty())
            return line;
        if (line.startsWith(prefix))
            return line.section(u':', 1).trimmed();
    }
    return {};
}

QString buildDescription()
{
    QString type = QStringLiteral(PARLEY_BENCH_BUILD_TYPE);
    if (type.isEmpty())
        type = u"(none)"_s;
#if defined(__OPTIMIZE__)
    const QString optimized = u"optimized"_s;
#else
    const QString optimized = u"not optimized"_s;
#endif
#if defined(NDEBUG)
    const QString asserts = u"asserts off"_s;
#else
    const QString asserts = u"asserts on"_s;
#endif
    return u"CMAKE_BUILD_TYPE=%1 (%2, %3)"_s.arg(type, optimized, asserts);
}

void printHeader(const BenchOptions &o)
{
    std::printf("parley-bench: %s, Qt %s, %s\n", qPrintable(buildDescription()), qVersion(),
                qPrintable(QSysInfo::prettyProductName()));
    std::printf("machine: %s, %d threads; load average %s\n",
                qPrintable(firstLineOf(u"/proc/cpuinfo"_s, u"model name"_s)),
                QThread::idealThreadCount(),
                qPrintable(firstLineOf(u"/proc/loadavg"_s).section(u' ', 0, 2)));
    std::printf("sandbox: %s conversations per platform, on its own thread; %d run(s) per "
                "phase, medians reported\n",
                qPrintable(QLocale::c().toString(o.conversations)), o.runs);
    if (QStringLiteral(PARLEY_BENCH_BUILD_TYPE) != "Release"_L1)
        std::printf("note: not a Release build: judge the budgets on `cmake --preset release`\n");
    std::printf("\n");
    std::fflush(stdout);
}

void benchPaging(const SandboxThread &sandbox, const QString &platform, const BenchOptions &o,
                 const QString &curl, BenchTable &table)
{
    const Workspace ws =
        sandboxWorkspace(sandbox.demoWorkspaces(), platform, sandbox.baseUrl(platform));
    const QByteArray key = sandbox.options().key;
    const QString label = u"paging %1"_s.arg(platform);

    QList<double> parley;
    QList<double> walkDefault;
    QList<double> walkOne;
    int mostInFlight = 0;
    QList<double> nam;
    QList<double> curlMs;
    QList<RecordedGet> gets;
    ModelPaging first;
    qint64 retained = -1;
    QString curlError;
    for (int run = 0; run < o.runs; ++run) {
        progress(u"%1, run %2 of %3"_s.arg(label).arg(run + 1).arg(o.runs));
        // Alternate which client goes first, after the first run recorded the URLs.
        const bool baselinesFirst = run % 2 == 1;
        auto baselines = [&] {
            const PlainFetch f = fetchWithPlainNam(gets, o.timeoutMs);
            if (!f.error.isEmpty()) {
                table.addNote(u"%1: plain QNAM: %2"_s.arg(label, f.error));
                return;
            }
            if (f.bodyBytes != first.bodyBytes)
                table.addNote(u"%1: plain QNAM read %2 bytes, Parley %3"_s.arg(label)
                                  .arg(f.bodyBytes)
                                  .arg(first.bodyBytes));
            nam << f.ms;
            if (curl.isEmpty() || !curlError.isEmpty())
                return;
            const PlainFetch c = fetchWithCurl(curl, gets, o.timeoutMs);
            if (!c.error.isEmpty()) {
                curlError = c.error;
                return;
            }
            if (c.bodyBytes != first.bodyBytes || c.pages != gets.size())
                table.addNote(u"%1: curl read %2 bytes in %3 pages, Parley %4 in %5"_s.arg(label)
                                  .arg(c.bodyBytes)
                                  .arg(c.pages)
                                  .arg(first.bodyBytes)
                                  .arg(gets.size()));
            curlMs << c.ms;
        };
        if (baselinesFirst)
            baselines();
        ModelPaging m = pageWithModel(ws, key, o.pageSize, o.timeoutMs);
        if (!m.error.isEmpty()) {
            table.addFailure(label, m.error);
            return;
        }
        parley << m.ms;
        if (m.retainedBytes >= 0 && m.rows > 0)
            retained = retained < 0 ? m.retainedBytes : qMin(retained, m.retainedBytes);
        if (run == 0) {
            first = m;
            gets = m.gets;
        }
        // The pager as parley-cli list uses it: its default window, then one at a time.
        for (const int parallel : {0, 1}) {
            const PagerWalk w = walkWithPager(ws, key, o.pageSize, parallel, o.timeoutMs);
            if (!w.error.isEmpty() || w.rows != m.rows)
                table.addNote(u"%1: pager walk (--parallel %2): %3 rows; %4"_s.arg(label)
                                  .arg(parallel)
                                  .arg(w.rows)
                                  .arg(w.error));
            else
                (parallel == 0 ? walkDefault : walkOne) << w.ms;
            if (parallel == 0)
                mostInFlight = w.mostInFlight;
        }
        if (!baselinesFirst)
            baselines();
    }

    const Stats p = Stats::of(parley);
    const Stats q = Stats::of(nam);
    const Stats c = Stats::of(curlMs);
    const QString shape = u"%1 rows, %2 GETs of up to %3, %4 MB of JSON"_s.arg(first.rows)
                              .arg(first.pages)
                              .arg(first.pageSize)
                              .arg(double(first.bodyBytes) / (1024 * 1024), 0, 'f', 1);
    table.addInfo(label + u": Parley provider + model"_s, BenchTable::number(p.median, u"ms"_s),
                  shape + u", %1 µs per row, worst %2"_s
                              .arg(1000.0 * p.median / qMax(1, first.rows), 0, 'f', 1)
                              .arg(BenchTable::number(p.max, u"ms"_s)));
    if (first.rows != o.conversations)
        table.addNote(u"%1: the list holds %2 of the %3 generated conversations (the "
                      "platform's default server-side filters, e.g. one environment)"_s.arg(label)
                          .arg(first.rows)
                          .arg(o.conversations));
    const Stats wd = Stats::of(walkDefault);
    const Stats w1 = Stats::of(walkOne);
    if (wd.count > 0)
        table.addInfo(label + u": Parley pager walk, default"_s,
                      BenchTable::number(wd.median, u"ms"_s),
                      u"ListPager::walkAll() as parley-cli list, at most %1 pages in flight, "
                      "worst %2"_s.arg(mostInFlight)
                          .arg(BenchTable::number(wd.max, u"ms"_s)));
    if (w1.count > 0)
        table.addInfo(label + u": Parley pager walk, --parallel 1"_s,
                      BenchTable::number(w1.median, u"ms"_s),
                      u"one page on the wire, the next asked for while the last is read"_s);
    if (q.count > 0) {
        table.addInfo(
            label + u": plain QNAM, no parsing"_s, BenchTable::number(q.median, u"ms"_s),
            u"the same GETs in order, worst %1"_s.arg(BenchTable::number(q.max, u"ms"_s)));
    }
    if (c.count > 0) {
        table.addInfo(label + u": curl, one keep-alive connection"_s,
                      BenchTable::number(c.median, u"ms"_s),
                      u"the same URLs from one config file, worst %1"_s.arg(
                          BenchTable::number(c.max, u"ms"_s)));
    } else if (!curlError.isEmpty()) {
        table.addNote(u"%1: curl: %2"_s.arg(label, curlError));
    }
    if (q.count > 0)
        table.addBudget(label + u": Parley ÷ plain QNAM"_s, p.median / q.median, u"x"_s,
                        kPagingBudgetRatio, u"the \"curl\" baseline inside Qt"_s);
    if (c.count > 0)
        table.addBudget(label + u": Parley ÷ curl"_s, p.median / c.median, u"x"_s,
                        kPagingBudgetRatio);
    if (c.count > 0 && wd.count > 0)
        table.addBudget(label + u": pager walk (default) ÷ curl"_s, wd.median / c.median, u"x"_s,
                        kPagingBudgetRatio);
    if (retained >= 0)
        table.addBudget(u"memory per loaded row (%1)"_s.arg(platform),
                        double(retained) / qMax(1, first.rows), u"B"_s, kRowBudgetBytes,
                        u"ConversationListModel's heap after %1 rows (freed with it); "
                        "sizeof(Conversation) = %2"_s.arg(first.rows)
                            .arg(sizeof(Conversation)));
}

double cliLoopbackTarget(PageCursor::Style)
{
    return 1.1;
}

// Pages a client can ask for at once (numbers, offsets) hide the delay; a cursor walk cannot.
double cliDelayTarget(PageCursor::Style paging)
{
    return paging == PageCursor::Style::Cursor ? 1.05 : 0.35;
}

void benchCli(const SandboxThread &loopback, const QStringList &platforms, const BenchOptions &o,
              const QString &curl, BenchTable &table)
{
    table.addSection(u"parley-cli list, whole process, against curl (budget 1.1× on loopback; "
                     "delay=50: 0.35× with numbered or offset pages, 1.05× with a cursor)"_s);
    benchCliList({u"loopback"_s, &loopback, o.conversations, cliLoopbackTarget}, platforms, o, curl,
                 table);
    if (o.cliDelayConversations == 0)
        return;
    sandbox::SandboxOptions delayed;
    delayed.conversations = o.cliDelayConversations;
    delayed.faults = u"delay=50"_s;
    SandboxThread slow(delayed);
    QString error;
    if (!slow.start(&error)) {
        table.addFailure(u"parley-cli list, delay=50"_s, error);
        return;
    }
    benchCliList({u"delay=50"_s, &slow, o.cliDelayConversations, cliDelayTarget}, platforms, o,
                 curl, table);
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"parley-bench"_s);
    const BenchOptions o = parseOptions(QCoreApplication::arguments());
    if (o.startupProbe)
        return runStartupProbe(o, sinceMain);

    printHeader(o);
    BenchTable table;
    if (!heapMeasurable())
        table.addNote(u"no mallinfo2() here: memory figures are missing"_s);

    progress(u"building the %1-message PostHog transcript"_s.arg(o.transcriptTurns));
    sandbox::SandboxOptions sandboxOptions;
    sandboxOptions.conversations = o.conversations;
    const QByteArray transcript = makePosthogTranscript(o.transcriptTurns, sandboxOptions.seed);

    SandboxThread sandbox(sandboxOptions);
    QString error;
    const bool started = sandbox.start(&error, [transcript](sandbox::Sandbox &s) {
        // One big PostHog conversation for the transcript phase, under its own prefix.
        serveTranscript(s, kTranscriptPrefix, transcript);
    });
    if (!started) {
        std::fprintf(stderr, "parley-bench: the sandbox did not start: %s\n", qPrintable(error));
        return 1;
    }
    const QStringList platforms = benchPlatforms(sandbox.prefixes(), o.platforms);
    if (platforms.isEmpty()) {
        std::fprintf(stderr, "parley-bench: no registered platform to measure\n");
        return 1;
    }

    if (o.startup) {
        progress(u"demo start (fresh processes)"_s);
        table.addSection(u"Demo start to first rows (budget 400 ms)"_s);
        benchStartup(platforms, o, table);
    }

    table.addSection(u"Paging every conversation (budget 1.5× the baseline; 250 B per row)"_s);
    const QString curl = o.curl ? curlProgram() : QString();
    if (o.curl && curl.isEmpty())
        table.addNote(u"curl is not installed: only the plain QNAM baseline was timed"_s);
    for (const QString &p : platforms)
        benchPaging(sandbox, p, o, curl, table);

    if (o.cli)
        benchCli(sandbox, platforms, o, curl, table);

    table.addSection(u"Filtering loaded rows (budget 30 ms)"_s);
    const QString filterPlatform =
        platforms.contains(o.filterPlatform) ? o.filterPlatform : platforms.constFirst();
    progress(u"loading %1 for the filter phase"_s.arg(filterPlatform));
    std::unique_ptr<LoadedList> loaded;
    const ModelPaging load = pageWithModel(
        sandboxWorkspace(sandbox.demoWorkspaces(), filterPlatform, sandbox.baseUrl(filterPlatform)),
        sandbox.options().key, o.pageSize, o.timeoutMs, &loaded);
    if (!load.error.isEmpty() || !loaded) {
        table.addFailure(u"filter"_s, load.error);
    } else {
        progress(u"filtering"_s);
        benchFilter(*loaded->model, filterPlatform, o.runs, table);
    }
    const QList<Conversation> sample = loaded ? loadedRows(*loaded->model) : QList<Conversation>();
    loaded.reset();

    if (o.bigListRows > 0) {
        table.addSection(u"A long list in memory (budgets: 250 B per row, filter 100 ms, "
                         "sort 1 s)"_s);
        progress(u"the %1-row list"_s.arg(o.bigListRows));
        benchBigList(sample, filterPlatform, o.bigListRows, o.runs, table);
    }

    if (o.gui) {
        table.addSection(u"The GUI thread (budget: no stall over 16 ms)"_s);
        benchGuiStalls(platforms, o, table);
        table.addSection(u"The real window's start (budget 300 ms)"_s);
        benchFirstPaint(sandbox, filterPlatform, o, table);
    }

    table.addSection(u"A long transcript (budget 150 ms)"_s);
    progress(u"transcript"_s);
    benchTranscriptModel(transcript, o.transcriptTurns, o.runs, table);
    Workspace big = sandboxWorkspace(sandbox.demoWorkspaces(), u"posthog"_s,
                                     sandbox.baseUrl(kTranscriptPrefix));
    if (!big.platform.isEmpty() && !big.params.isEmpty())
        benchTranscriptOverHttp(big, sandbox.options().key, o.transcriptTurns, o.runs, o.timeoutMs,
                                table);

    table.print(stdout);
    return table.failures() > 0 ? 1 : 0;
}
