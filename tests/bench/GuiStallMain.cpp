// parley-bench-gui: the longest GUI-thread stall in one flow of the real widgets (offscreen
// or on any display), for parley-bench, which runs it as a child process per flow and run.
//   --flow list        every conversation of a platform paged into ConversationListModel,
//                      shown by ConversationListView (its table follows the end)
//   --flow reply       a reply of --deltas deltas streamed through ReplyController into a
//                      shown TranscriptView that follows the tail, one per millisecond
//   --flow transcript  a --turns message transcript opened in a shown TranscriptView, then
//                      scrolled top to bottom a page at a time
//   --launch ...       see LaunchStamp.h (the real window's start, for parley-bench)
// Prints "stall <flow> <longest ms> <gaps over 16 ms> <flow ms> <rows>", or "error <why>".
#include "BenchWorkspaces.h"
#include "ConversationListView.h"
#include "EventWait.h"
#include "LaunchStamp.h"
#include "SandboxThread.h"
#include "StallProbe.h"
#include "TailFollower.h"
#include "TranscriptBench.h"
#include "TranscriptView.h"
#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationFilterProxy.h"
#include "models/ConversationListModel.h"
#include "models/TranscriptModel.h"
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/ReplyStream.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QListView>
#include <QScrollBar>
#include <QTableView>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::bench;

namespace {

constexpr int kTimeoutMs = 600000;
const QString kTranscriptPrefix = u"bench-transcript"_s;
const QString kTranscriptId = u"bench-transcript"_s;

struct Flow
{
    QString error;
    int rows = 0;
};

int report(const QString &flow, const StallProbe &probe, const Flow &f)
{
    if (!f.error.isEmpty()) {
        std::printf("error %s\n", qPrintable(f.error));
        return 1;
    }
    std::printf("stall %s %.3f %d %.1f %d\n", qPrintable(flow), probe.longestMs(),
                probe.framesMissed(), probe.elapsedMs(), f.rows);
    return 0;
}

// Shown and painted once before anything is measured.
void showNow(QWidget &w)
{
    w.resize(1100, 800);
    w.show();
    QApplication::processEvents();
}

Flow pageList(const SandboxThread &sandbox, const QString &platform, StallProbe &probe)
{
    Flow out;
    const Workspace ws =
        sandboxWorkspace(sandbox.demoWorkspaces(), platform, sandbox.baseUrl(platform));
    HttpClient http;
    std::unique_ptr<Provider> provider = ProviderRegistry::create(ws, sandbox.options().key, &http);
    if (!provider) {
        out.error = u"no provider for %1"_s.arg(platform);
        return out;
    }
    ConversationListModel model;
    ConversationFilterProxy proxy;
    proxy.setSourceModel(&model);
    ConversationListView view;
    view.setModel(&proxy);
    showNow(view);

    QEventLoop loop;
    QObject::connect(&model, &ConversationListModel::stateChanged, &loop, [&] {
        if (model.hasError()) {
            loop.quit();
        } else if (model.canFetchMore({})) {
            model.fetchMore({}); // what the table asks for at its end
        } else if (!model.isLoading() && model.isAtEnd()) {
            loop.quit();
        }
        view.setCounts(model.rowCount(), -1);
    });
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, view.table(),
                     [&view] { view.table()->scrollToBottom(); });
    probe.start();
    model.setProvider(provider.get());
    if (!execFor(loop, kTimeoutMs))
        out.error = u"timed out after %1 rows"_s.arg(model.rowCount());
    else if (model.hasError())
        out.error = model.error().message();
    QApplication::processEvents(); // the last rows painted
    probe.stop();
    out.rows = model.rowCount();
    return out;
}

// Opens the bench transcript in a shown view; false (out.error set) when it does not load.
bool openTranscript(TranscriptController &controller, TranscriptView &view, Flow &out)
{
    QEventLoop loop;
    QObject::connect(&controller, &TranscriptController::loaded, &loop, &QEventLoop::quit);
    QObject::connect(&controller, &TranscriptController::stateChanged, &loop, [&] {
        if (controller.error().isError())
            loop.quit();
    });
    controller.open(kTranscriptId);
    if (!execFor(loop, kTimeoutMs) || !controller.isLoaded()) {
        out.error = controller.error().isError() ? controller.error().message() : u"timed out"_s;
        return false;
    }
    ConversationDetail detail;
    const TranscriptModel *model = controller.model();
    detail.summary = model->summary();
    detail.properties = model->properties();
    detail.hasTranscript = true;
    view.showDetail(detail);
    return true;
}

// A TranscriptController on `provider` and the view of its model, as the window pairs them.
struct ShownTranscript
{
    explicit ShownTranscript(Provider *provider)
    {
        controller.setProvider(provider);
        TranscriptModel *turns = controller.model();
        view.setModel(turns, [turns](const QModelIndex &index) { return turns->turn(index); });
    }
    TranscriptController controller;
    TranscriptView view;
};

Flow streamReply(Provider *provider, int deltas, StallProbe &probe)
{
    Flow out;
    ShownTranscript shown(provider);
    TranscriptController &controller = shown.controller;
    TranscriptView &view = shown.view;
    TailFollower follower(view.list());
    follower.setActive(true);
    showNow(view);
    if (!openTranscript(controller, view, out))
        return out;
    ReplyController replies(&controller);
    auto *stream = new ReplyStream;
    if (!replies.follow(stream)) {
        out.error = u"the reply controller did not take the stream"_s;
        return out;
    }
    follower.jumpToEnd();

    // A word per delta, one every millisecond at most (a fast model over a network): as fast
    // as an event loop pass, deltas merge before the view sees them and nothing is measured.
    Turn turn;
    turn.id = u"bench-reply"_s;
    turn.role = Turn::Role::Assistant;
    turn.state = Turn::State::InProgress;
    turn.fragments = {Fragment{}};
    static const QString words[] = {u"the "_s, u"reply "_s, u"grows "_s, u"by "_s,
                                    u"one "_s, u"word "_s,  u"each "_s,  u"delta,\n"_s};
    QEventLoop loop;
    QObject::connect(&replies, &ReplyController::finished, &loop, &QEventLoop::quit);
    int sent = 0;
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    feeder.setInterval(1);
    QObject::connect(&feeder, &QTimer::timeout, &loop, [&] {
        if (sent == deltas) {
            feeder.stop();
            turn.state = Turn::State::Done;
            stream->upsertTurn(turn);
            stream->finish();
            return;
        }
        turn.fragments.first().text += words[sent % std::size(words)];
        stream->upsertTurn(turn);
        ++sent;
    });
    probe.start();
    feeder.start();
    if (!execFor(loop, kTimeoutMs))
        out.error = u"the reply did not finish (%1 deltas sent)"_s.arg(sent);
    QApplication::processEvents();
    probe.stop();
    out.rows = sent;
    return out;
}

Flow scrollTranscript(Provider *provider, StallProbe &probe)
{
    Flow out;
    ShownTranscript shown(provider);
    TranscriptController &controller = shown.controller;
    TranscriptView &view = shown.view;
    showNow(view);
    probe.start();
    if (!openTranscript(controller, view, out))
        return out;
    QListView *list = view.list();
    QScrollBar *bar = list->verticalScrollBar();
    const QModelIndex last = controller.model()->index(controller.model()->rowCount() - 1, 0);
    QEventLoop loop;
    QTimer pager;
    pager.setInterval(0);
    int pages = 0;
    QObject::connect(&pager, &QTimer::timeout, &loop, [&] {
        // The list lays its rows out in batches: the bar's end is the end only once the last
        // row is laid out and on screen.
        if (bar->value() >= bar->maximum() &&
            list->viewport()->rect().intersects(list->visualRect(last))) {
            loop.quit();
            return;
        }
        bar->setValue(bar->value() + bar->pageStep());
        ++pages;
    });
    pager.start();
    if (!execFor(loop, kTimeoutMs))
        out.error = u"scrolling did not reach the end"_s;
    QApplication::processEvents();
    probe.stop();
    out.rows = controller.model()->rowCount();
    std::fprintf(stderr, "parley-bench-gui: %d pages of %d px, %d px in all\n", pages,
                 bar->pageStep(), bar->maximum() + bar->pageStep());
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (QCoreApplication::arguments().contains(u"--launch"_s))
        return launchStamped(QCoreApplication::arguments());
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption flow(u"flow"_s, u"list, reply or transcript."_s, u"name"_s);
    const QCommandLineOption conversations(u"conversations"_s, u"Rows to page."_s, u"n"_s,
                                           u"100000"_s);
    const QCommandLineOption platform(u"list-platform"_s, u"Platform to page."_s, u"id"_s);
    const QCommandLineOption turns(u"turns"_s, u"Transcript messages."_s, u"n"_s, u"10000"_s);
    const QCommandLineOption deltas(u"deltas"_s, u"Reply deltas."_s, u"n"_s, u"10000"_s);
    parser.addOptions({flow, conversations, platform, turns, deltas});
    parser.process(app);
    const QString name = parser.value(flow);

    sandbox::SandboxOptions options;
    options.conversations = name == "list"_L1 ? parser.value(conversations).toInt() : 120;
    const int messages = name == "transcript"_L1 ? parser.value(turns).toInt() : 20;
    const QByteArray body = makePosthogTranscript(messages, options.seed);
    SandboxThread sandbox(options);
    QString error;
    const bool started = sandbox.start(
        &error, [body](sandbox::Sandbox &s) { serveTranscript(s, kTranscriptPrefix, body); });
    if (!started) {
        std::printf("error the sandbox did not start: %s\n", qPrintable(error));
        return 1;
    }

    StallProbe probe;
    if (name == "list"_L1)
        return report(name, probe, pageList(sandbox, parser.value(platform), probe));

    // The transcript flows read PostHog-shaped bodies from the bench's own route.
    const Workspace ws = sandboxWorkspace(sandbox.demoWorkspaces(), u"posthog"_s,
                                          sandbox.baseUrl(kTranscriptPrefix));
    HttpClient http;
    std::unique_ptr<Provider> provider = ProviderRegistry::create(ws, sandbox.options().key, &http);
    if (!provider) {
        std::printf("error no PostHog provider\n");
        return 1;
    }
    if (name == "reply"_L1)
        return report(name, probe,
                      streamReply(provider.get(), parser.value(deltas).toInt(), probe));
    if (name == "transcript"_L1)
        return report(name, probe, scrollTranscript(provider.get(), probe));
    std::printf("error unknown flow %s\n", qPrintable(name));
    return 2;
}
